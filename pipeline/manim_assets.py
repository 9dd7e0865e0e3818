"""Manim's working folders for a render: private copies of the shared formula and text caches, partial
movies, and clean-up after renders that finished or were killed."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import atomic

from .preflight import font_files_key
from .settings import WORK_DIR

# Manim's caches of compiled formulas and texts, by hash. Manim does not expect two processes at once:
# it deletes every non-SVG file of the TeX folder after each formula and writes SVGs in place, so a
# render next to another one reads half-written files or loses its .dvi. Each render therefore works in
# private folders, seeded from the shared cache, and adds what it made when it succeeds.
# Formulas are seeded with hard links: manim never writes a cached formula again. Texts are copied:
# every Text rewrites its cached SVG in place (manimpango's remove_last_M truncates, then writes), and
# through a hard link that would empty the shared file while another render reads it.
# Texts get one cache per frame size: pango wraps a line at the frame's pixel width, which manim leaves
# out of the hash, so a text cached by a tiny render would come back wrapped at 1080p.
# They are also keyed by the font files: glyphs drawn from another font (or from none) are not these.
SHARED_ASSETS = {"tex_dir": ("Tex", os.link), "text_dir": ("texts/{width}x{height}-{fonts}", shutil.copyfile)}


@contextmanager
def private_assets(tag: str, width: int, height: int) -> Iterator[dict[str, str]]:
    """Manim's asset folders for one render (`tag`), seeded from the shared cache; what the render made
    is added to the shared cache when it succeeds, and the private folders are removed in any case."""
    private = WORK_DIR / "private" / tag
    folders = {}
    fonts = font_files_key()
    for option, (pattern, seed) in SHARED_ASSETS.items():
        name = pattern.format(width=width, height=height, fonts=fonts)
        shared, own = WORK_DIR / name, private / name
        shared.mkdir(parents=True, exist_ok=True)
        own.mkdir(parents=True, exist_ok=True)
        for svg in shared.glob("*.svg"):
            if whole(svg):
                seed(svg, own / svg.name)
        folders[option] = (shared, own)
    try:
        yield {option: str(own) for option, (_, own) in folders.items()}
        for shared, own in folders.values():  # only after success: an interrupted SVG may be half written
            for svg in own.glob("*.svg"):
                if not (shared / svg.name).exists():
                    temporary = atomic.temporary(shared / svg.name)
                    os.link(svg, temporary)
                    os.replace(temporary, shared / svg.name)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def whole(svg: Path) -> bool:
    """Whether a cached SVG parses; a garbled one (a disk fault, a killed copy) is dropped so manim makes it
    again, instead of every later render failing with a bare `ParseError: no element found`."""
    from xml.etree import ElementTree

    try:
        ElementTree.parse(svg)
        return True
    except ElementTree.ParseError:
        svg.unlink(missing_ok=True)
        return False
    except OSError:
        return False


def work_folders(pid: int | str = "*") -> list[Path]:
    """The working folders of the render in process `pid` (all renders' by default), named <id>-<pid>."""
    return [*(WORK_DIR / "partial").glob(f"*-{pid}"), *(WORK_DIR / "private").glob(f"*-{pid}"),
            *(WORK_DIR / "tasks").glob(f"*-{pid}")]  # a cluster task's folder (pipeline/cluster.py)


def clean_stale_work() -> None:
    """The working folders of renders killed outright (SIGKILL, a power cut): run at every start."""
    for folder in work_folders():
        if atomic.is_dead(folder.name.rsplit("-", 1)[-1]):
            shutil.rmtree(folder, ignore_errors=True)


def remove_finished(tag: str) -> None:
    """Manim's own copies of a finished render (its movie, its last frame), which the placing moved or
    copied out: nothing there is read again."""
    for leftover in [*(WORK_DIR / "videos").rglob(f"{tag}.*"), *(WORK_DIR / "images").rglob(f"{tag}*")]:
        leftover.unlink(missing_ok=True)
