"""One render's settings, resolved once by the CLI and carried whole to the render, the workers and the
build key; where the media go."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from content.i18n import LANGS

REPO = Path(__file__).resolve().parent.parent
# Everything rendered lands under here; the tests move it to a temporary folder.
MEDIA = Path(os.environ.get("ACTLECTURE_MEDIA") or REPO / "media").absolute()
# Manim's own working files (TeX cache, partial movies) live here whatever the output folder is,
# so formulas compiled once are reused by every later render (the tests' renders too).
# ACTLECTURE_WORK moves them (a test gives a render a cache of its own to damage).
WORK_DIR = Path(os.environ.get("ACTLECTURE_WORK") or REPO / "media" / ".work").absolute()
# Synthesised sentences, one file per (voice, language, text): made once, read by every later render.
# ACTLECTURE_VOICE_CACHE moves them (the benchmark times a build that synthesises everything).
VOICE_CACHE = Path(os.environ.get("ACTLECTURE_VOICE_CACHE") or WORK_DIR / "voice").absolute()

# CLI letter -> (manim quality name, folder name), as manim's own -q flags.
QUALITIES = {
    "l": ("low_quality", "480p15"),
    "m": ("medium_quality", "720p30"),
    "h": ("high_quality", "1080p60"),
    "k": ("fourk_quality", "2160p60"),
}
FORMATS = ("mp4", "webm", "gif", "png")


@dataclass(frozen=True)
class RenderSettings:
    """How to render: quality preset, optional size and frame rate over it, format, language, output folder
    (None: the default folder for the rest), whether to render even when nothing changed, and whether to
    check the layout after every animation (the tests do)."""

    quality: str = "l"
    resolution: tuple[int, int] | None = None
    frame_rate: int | None = None
    fmt: str = "mp4"
    lang: str = "en"
    out_dir: Path | None = None
    force: bool = False
    check_layout: bool = False
    # "lecture": the encoder settings chosen for these frames (pipeline/encoding.py); "manim": manim's
    # own defaults, what the benchmark compares against.
    encoder: str = "lecture"

    def __post_init__(self) -> None:
        for name, value, allowed in (("quality", self.quality, QUALITIES), ("format", self.fmt, FORMATS),
                                     ("language", self.lang, LANGS)):
            if value not in allowed:
                raise ValueError(f"unknown {name} {value!r}; choose from: {', '.join(allowed)}")
        if self.encoder not in ("lecture", "manim"):
            raise ValueError(f"unknown encoder {self.encoder!r}; choose from: lecture, manim")
        if self.resolution is not None:
            object.__setattr__(self, "resolution", tuple(self.resolution))
        if self.out_dir is not None:
            object.__setattr__(self, "out_dir", Path(self.out_dir).absolute())

    def folder(self) -> Path:
        """The output folder: the one given, else media/480p15 (as manim names its folders), media/480p15/zh
        for Chinese; a custom size or rate gets a folder of its own (e.g. media/108p5)."""
        if self.out_dir is not None:
            return self.out_dir
        name = QUALITIES[self.quality][1]
        if self.resolution is not None or self.frame_rate is not None:
            height, rate = name.split("p")
            name = f"{self.resolution[1] if self.resolution else height}p{self.frame_rate or rate}"
        folder = MEDIA / name
        return folder if self.lang == "en" else folder / self.lang

    def key_fields(self) -> dict[str, Any]:
        """What of these settings a clip's pixels depend on (not where it goes, not --force)."""
        return {"quality": self.quality, "resolution": self.resolution, "frame_rate": self.frame_rate,
                "format": self.fmt, "lang": self.lang, "check_layout": self.check_layout, "encoder": self.encoder}

    def manim_options(self) -> dict[str, Any]:
        from .encoding import manim_options

        options: dict[str, Any] = {"quality": QUALITIES[self.quality][0], "format": self.fmt}
        if self.encoder == "lecture":
            options.update(manim_options(self.fmt))
        if self.resolution is not None:
            options["pixel_width"], options["pixel_height"] = self.resolution
        if self.frame_rate is not None:
            options["frame_rate"] = self.frame_rate
        return options

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "out_dir": str(self.out_dir) if self.out_dir else None})

    @classmethod
    def from_json(cls, text: str) -> "RenderSettings":
        return cls(**json.loads(text))


def check_output_dir(out_dir: Path) -> None:
    """ValueError (one line) unless `out_dir` is, or can become, a writable folder."""
    probe = Path(out_dir)
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise ValueError(f"output folder {str(out_dir)!r} is not a folder ({str(probe)!r} is a file)")
    try:  # a real attempt: os.access says yes to root even on a read-only file system
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError:
        raise ValueError(f"output folder {str(out_dir)!r} is not writable") from None
