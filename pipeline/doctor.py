"""What rendering, training and the course pack need from the machine, each with the command that
fixes it (`cli.py doctor`). No manim import: the doctor must run where manim is broken."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

SETUP = "bash scripts/setup.sh"
MIN_FREE_GB = 2.0  # a 1080p lecture with its working files takes about half of this


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str
    required: bool = True


def _tool(name: str, package: str, version_flag: str = "--version", required: bool = True) -> Check:
    path = shutil.which(name)
    if path is None:
        return Check(name, False, "not found on PATH", f"apt-get install {package}  (or {SETUP})", required)
    try:
        first = subprocess.run([path, version_flag], capture_output=True, text=True, timeout=20).stdout
        detail = first.strip().splitlines()[0] if first.strip() else path
    except (OSError, subprocess.SubprocessError):
        detail = path
    return Check(name, True, detail[:70], "", required)


def _python_package(distribution: str, fix: str, required: bool = True) -> Check:
    try:
        return Check(distribution, True, metadata.version(distribution), "", required)
    except metadata.PackageNotFoundError:
        return Check(distribution, False, "not installed", fix, required)


def _fonts() -> list[Check]:
    """The fonts each language draws with, asked of pango as a render asks (preflight.require_fonts)."""
    from content import fonts, i18n

    from .preflight import installed_fonts

    installed = installed_fonts()
    checks = {}
    for lang in i18n.LANGS:
        for family, package in fonts.fonts_for(lang).items():
            if family in checks:
                checks[family][1].append(lang)
            else:
                checks[family] = (package, [lang])
    return [Check("CJK font" if family == fonts.CJK_FONT else "font", family in installed,
                  f"{family}: on-screen text (--lang {', '.join(langs)})",
                  f"apt-get install {package}  (or {SETUP})") for family, (package, langs) in checks.items()]


def _codecs() -> list[Check]:
    try:
        import av
    except ImportError:
        return [Check("PyAV", False, "not installed", SETUP)]
    available = av.codecs_available
    wanted = [("libx264", "mp4 (H.264)"), ("libvpx-vp9", "webm (VP9)"), ("aac", "mp4 voice (AAC)"),
              ("libopus", "webm voice (Opus)"), ("gif", "gif"), ("png", "png posters")]
    return [Check(f"encoder {codec}", codec in available, use, f"reinstall PyAV: {SETUP}") for codec, use in wanted]


def _voices() -> list[Check]:
    """Each voice for each language, as `--voice auto` would choose: the best one installed is what speaks."""
    from content.i18n import LANGS
    from voice.backends import BACKENDS, PREFERENCE

    checks = []
    for lang in LANGS:
        usable = [name for name in PREFERENCE if BACKENDS[name].missing(lang) is None]
        for name in PREFERENCE:
            reason = BACKENDS[name].missing(lang)
            if reason is not None and "has no" in reason:
                continue  # this engine has no voice for the language at all: nothing to fix
            speaks = usable and usable[0] == name
            detail = (BACKENDS[name].voice(lang) + ("  (speaks --voice auto)" if speaks else "")
                      if reason is None else reason)
            # A language needs one voice: the other engine is optional when one is there.
            checks.append(Check(f"voice {lang}: {name}", reason is None, detail, SETUP, required=not usable))
    return checks


def _torch() -> Check:
    try:
        version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        return Check("torch", False, "not installed (training the measured examples)",
                     "pip install torch==2.13.0  (or pip install -e '.[train]')")
    try:
        import torch

        device = f"cuda ({torch.cuda.get_device_name(0)})" if torch.cuda.is_available() else "cpu only"
    except Exception as err:  # a broken install shows here, not as a traceback
        return Check("torch", False, f"{version}, fails to import: {err}", "pip install --force-reinstall torch==2.13.0")
    return Check("torch", True, f"{version}, device: {device}", "")


def _disk(folder: Path) -> Check:
    probe = folder
    while not probe.exists():
        probe = probe.parent
    free = shutil.disk_usage(probe).free / 1e9
    return Check("disk space", free >= MIN_FREE_GB, f"{free:.1f} GB free under {probe}",
                 f"free at least {MIN_FREE_GB:g} GB (delete media/.work and old renders)")


def checks() -> list[Check]:
    from .settings import MEDIA

    return [
        _python_package("manim", SETUP),
        _tool("latex", "texlive-latex-base texlive-latex-extra"),
        _tool("dvisvgm", "dvisvgm"),
        *_fonts(),
        *_codecs(),
        *_voices(),
        _torch(),
        _disk(MEDIA),
        _tool("chromium", "chromium", required=False),  # only the course-pack browser test uses it
    ]
