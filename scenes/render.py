"""Render a registered scene to `<out>/<id>.mp4` + `<out>/<id>.srt`, atomically."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import SceneSpec

REPO = Path(__file__).resolve().parent.parent
MEDIA = REPO / "media"
# Manim's own working files (TeX cache, partial movies) live here whatever the output folder is,
# so formulas compiled once are reused by every later render.
WORK_DIR = MEDIA / ".work"

# CLI letter -> (manim quality name, folder name), as manim's own -q flags.
QUALITIES = {
    "l": ("low_quality", "480p15"),
    "m": ("medium_quality", "720p30"),
    "h": ("high_quality", "1080p60"),
    "k": ("fourk_quality", "2160p60"),
}


@dataclass(frozen=True)
class Rendered:
    scene_id: str
    video: Path
    subtitles: Path


def default_output_dir(quality: str) -> Path:
    return MEDIA / QUALITIES[quality][1]


def check_output_dir(out_dir: Path) -> None:
    """ValueError (one line) unless `out_dir` is, or can become, a writable folder."""
    probe = out_dir
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise ValueError(f"output folder {str(out_dir)!r} is not a folder ({str(probe)!r} is a file)")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise ValueError(f"output folder {str(out_dir)!r} is not writable")


def _place(source: Path, target: Path) -> None:
    """Move into place under a temporary name first, so `target` is never a half-written file."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.move(str(source), temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def render(spec: SceneSpec, params: dict[str, Any] | None = None, quality: str = "l",
           out_dir: Path | None = None, progress: bool = True, check_layout: bool = False,
           resolution: tuple[int, int] | None = None, frame_rate: int | None = None) -> Rendered:
    """Render `spec`; `resolution` and `frame_rate` override the quality preset (tests render tiny)."""
    from manim import tempconfig  # deferred: listing and explaining scenes need no manim

    out_dir = Path(out_dir) if out_dir is not None else default_output_dir(quality)
    check_output_dir(out_dir)
    scene_class = spec.load()
    resolved = spec.resolve_params(params)
    # Per-process names keep two renders of one scene from sharing a working file: manim would otherwise
    # put both scenes' partial movies in one folder named after the scene class.
    tag = f"{spec.id}-{os.getpid()}"
    partial_dir = WORK_DIR / "partial" / tag
    options: dict[str, Any] = {
        "quality": QUALITIES[quality][0],
        "media_dir": str(WORK_DIR),
        "output_file": tag,
        "partial_movie_dir": str(partial_dir),
        "verbosity": "WARNING",
        # Manim's per-animation cache hashes every mobject of every play: a third of the render time.
        "disable_caching": True,
        "progress_bar": "display" if progress else "none",
    }
    if resolution is not None:
        options["pixel_width"], options["pixel_height"] = resolution
    if frame_rate is not None:
        options["frame_rate"] = frame_rate
    try:
        with tempconfig(options):
            scene = scene_class(params=resolved, check_layout=check_layout)
            scene.render()
            video = Path(scene.renderer.file_writer.final_file_path)
    finally:
        shutil.rmtree(partial_dir, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    final_video, final_srt = out_dir / f"{spec.id}.mp4", out_dir / f"{spec.id}.srt"
    # Video first: if it cannot be placed, the old pair of files stays together.
    _place(video, final_video)
    _place(video.with_suffix(".srt"), final_srt)
    return Rendered(spec.id, final_video, final_srt)
