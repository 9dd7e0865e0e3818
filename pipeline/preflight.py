"""What a render needs of the machine, checked before anything is drawn, by `render` and `doctor` alike:
the LaTeX tool chain for formulas and the fonts of the language."""

from __future__ import annotations

import shutil

from content import fonts


class MissingTool(RuntimeError):
    """A tool or font this render needs is not installed; the message names the fix."""


LATEX_FIX = "apt-get install texlive-latex-base texlive-latex-extra dvisvgm"


def missing_latex() -> list[str]:
    return [tool for tool in ("latex", "dvisvgm") if shutil.which(tool) is None]


def require_latex() -> None:
    """MissingTool naming the fix when the formula tool chain is missing (manim would raise a bare
    FileNotFoundError from deep inside a scene)."""
    missing = missing_latex()
    if missing:
        raise MissingTool(f"{' and '.join(missing)} not found: formulas need LaTeX; run `bash scripts/setup.sh` "
                          f"or `{LATEX_FIX}`")


def require_fonts(lang: str) -> None:
    """MissingTool naming the fix when a font of `lang` is missing (asked of pango, as a render draws)."""
    try:
        fonts.check_fonts(lang)
    except RuntimeError as err:
        raise MissingTool(str(err)) from None


def installed_fonts() -> set[str]:
    try:
        import manimpango
    except ImportError:
        return set()
    return set(manimpango.list_fonts())


def font_files_key() -> str:
    """A short hash of the font files behind FONT and CJK_FONT (path, size, mtime), as fontconfig finds
    them: cached text glyphs are only valid for the font files they were drawn with."""
    import hashlib
    import os
    import subprocess

    found = []
    for family in (fonts.FONT, fonts.CJK_FONT):
        try:
            listed = subprocess.run(["fc-list", family, "file"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            listed = ""
        for line in sorted(listed.splitlines()):
            path = line.rstrip().rstrip(":")
            try:
                info = os.stat(path)
            except OSError:
                continue
            found.append(f"{family}|{path}|{info.st_size}|{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(found).encode()).hexdigest()[:12]
