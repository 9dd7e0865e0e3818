"""The fonts each language's frames draw with, and the check that they are installed: without them pango
falls back to whatever it finds, or to nothing, and manim draws empty boxes without a word. Latin text is
set in FONT, text with Chinese in CJK_FONT (Latin included, so a line keeps one look)."""

from __future__ import annotations

from typing import Callable, Iterable

from .i18n import catalogue

FONT = "DejaVu Sans"
FONT_PACKAGE = "fonts-dejavu-core"
CJK_FONT = "WenQuanYi Micro Hei"
CJK_FONT_PACKAGE = "fonts-wqy-microhei"
_NEEDS_CJK = {"zh"}


def fonts_for(lang: str) -> dict[str, str]:
    """The font families a frame in `lang` draws with, and the Debian package of each."""
    catalogue(lang)
    return {FONT: FONT_PACKAGE, **({CJK_FONT: CJK_FONT_PACKAGE} if lang in _NEEDS_CJK else {})}


def check_fonts(lang: str, list_fonts: Callable[[], Iterable[str]] | None = None) -> None:
    """RuntimeError naming the fix when a font that `lang` draws with is not installed: every word would
    come out as empty boxes (and be cached so)."""
    if list_fonts is None:
        import manimpango

        list_fonts = manimpango.list_fonts
    installed = set(list_fonts())
    missing = {family: package for family, package in fonts_for(lang).items() if family not in installed}
    if len(missing) == 1:
        (family, package), = missing.items()
        which = "CJK font" if family == CJK_FONT else "font"
        raise RuntimeError(f"the {lang!r} lecture needs the {which} {family!r}, which is not installed; "
                           f"install it: apt-get install {package}")
    if missing:
        raise RuntimeError(f"the {lang!r} lecture needs the fonts {' and '.join(map(repr, missing))}, which are not "
                           f"installed; install them: apt-get install {' '.join(missing.values())}")
