"""The lecture's words in every language: one catalogue per language (scenes/catalogue/<lang>.py) holds the
scene titles, the words on screen, the words inside display values and the narration. Scenes hold keys.

No manim here: the registry, `cli.py explain` and the tests use it alone.
"""

from __future__ import annotations

import math
import re
import textwrap
from typing import Any, Callable, Iterable

from .catalogue import en, zh

LANGS = ("en", "zh")
_CATALOGUES = {"en": en, "zh": zh}

# The fonts theme.text() draws with: Latin text in FONT, text with Chinese in CJK_FONT. Without them
# pango falls back to whatever it finds, or to nothing, and manim draws empty boxes without a word.
FONT = "DejaVu Sans"
FONT_PACKAGE = "fonts-dejavu-core"
CJK_FONT = "WenQuanYi Micro Hei"
CJK_FONT_PACKAGE = "fonts-wqy-microhei"
_NEEDS_CJK = {"zh"}

# Han characters, CJK punctuation and full-width forms.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
# A reading unit is a Han character or a run of anything else but spaces (a word, a number, a formula).
_TOKEN = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")


def _catalogue(lang: str):
    try:
        return _CATALOGUES[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; choose from: {', '.join(LANGS)}") from None


def title(scene_id: str, lang: str = "en") -> str:
    """The scene's title (the registry's SceneSpec.title is the English one)."""
    return _catalogue(lang).TITLES[scene_id]


def words(section: str, key: str, lang: str = "en") -> str:
    """An on-screen template of a scene (section = scene id) or of the shared "common" section."""
    table = _catalogue(lang).WORDS
    for name in (section, "common"):
        if key in table.get(name, {}):
            return table[name][key]
    raise KeyError(f"no on-screen words {key!r} for scene {section!r} in the {lang!r} catalogue")


def narration(scene_id: str, lang: str = "en") -> dict[str, str]:
    """The scene's narration templates, beat by beat, in order ({} for a scene without narration)."""
    return _catalogue(lang).NARRATION.get(scene_id, {})


def term(key: str, lang: str = "en", **fields: Any) -> str:
    """A word that lives inside a display value: an activation's title or use, "never", "x < a or x > b"."""
    return _catalogue(lang).TERMS[key].format(**fields)


class Term(str):
    """A display value made of words: reads as its English text (so `explain --json` and plain formatting
    keep working) and becomes the word of another language through localise()."""

    key: str
    fields: dict[str, Any]

    def __new__(cls, key: str, **fields: Any) -> "Term":
        self = super().__new__(cls, term(key, "en", **fields))
        self.key, self.fields = key, fields
        return self

    def __reduce__(self):
        return (_term, (self.key, self.fields))


def _term(key: str, fields: dict[str, Any]) -> Term:
    return Term(key, **fields)


def localise(value: Any, lang: str) -> Any:
    """`value` (a display mapping, list, ...) with every Term in `lang`."""
    if isinstance(value, Term):
        return term(value.key, lang, **value.fields)
    if isinstance(value, dict):
        return {k: localise(v, lang) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(localise(v, lang) for v in value)
    return value


# --- fonts ------------------------------------------------------------------------------------------

def has_cjk(content: str) -> bool:
    return bool(_CJK_CHAR.search(content))


def fonts_for(lang: str) -> dict[str, str]:
    """The font families a frame in `lang` draws with, and the Debian package of each."""
    _catalogue(lang)
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


def font_files_key() -> str:
    """A short hash of the font files behind FONT and CJK_FONT (path, size, mtime), as fontconfig finds
    them: cached text glyphs are only valid for the font files they were drawn with."""
    import hashlib
    import os
    import subprocess

    found = []
    for family in (FONT, CJK_FONT):
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


# --- reading time and subtitle cues -----------------------------------------------------------------

# English: the storyboard's 2.5 words a second (150 a minute, a calm lecture). Chinese: Mandarin lecture
# speech runs at about 4-5 characters a second (240-300 a minute); 4.5 is the middle. It is about the
# same calm pace: at these rates this lecture's Chinese narration reads in 88% of the English time (the
# holds, the max of both, grow by about 1%). A number, formula or Latin word inside Chinese counts as one
# unit, as it does in English.
READING_RATE = {"en": 2.5, "zh": 4.5}
MIN_HOLD = 2.0  # a key result stays on screen at least this long
SUBTITLE_LINES = 2
# Line length per language: English in characters; Chinese in full-width characters (a Latin character
# or digit is half as wide), at most 24: Chinese lines are denser, and a clause rarely runs longer.
SUBTITLE_LINE = {"en": 80, "zh": 24}
# Chinese lines break after a clause first (at its punctuation), then between any two pieces(); no line
# starts with closing punctuation.
_CLOSING = "，。；：！？、）」"
_CLAUSE = re.compile("[^，。；：！？]+[，。；：！？]*")
_SENTENCE = re.compile("[^。！？]+[。！？]*")


def reading_units(text: str, lang: str = "en") -> int:
    if lang == "zh":
        return sum(1 if _HAN.fullmatch(t) else 0 if _CJK_CHAR.fullmatch(t) else 1 for t in _TOKEN.findall(text))
    return len(text.split())


def reading_time(text: str, lang: str = "en") -> float:
    return max(MIN_HOLD, reading_units(text, lang) / READING_RATE[lang])


def display_width(text: str) -> float:
    """Width in full-width characters: a CJK character 1, anything else a half."""
    return sum(1 if _CJK_CHAR.match(c) else 0.5 for c in text)


_PIECE = re.compile(f"(?:[{_CJK}]|[^{_CJK}]+)[{_CLOSING}]*")


def pieces(text: str) -> list[str]:
    """`text` cut where a line may break: after each word (with its trailing space) in text without CJK;
    in Chinese after each character, around a run of Latin words or numbers kept whole, and never before
    closing punctuation. Joined, the pieces are `text` again."""
    if not has_cjk(text):
        return re.findall(r"\S+\s*|\s+", text)
    return _PIECE.findall(text)


def break_lines(text: str, width: float, measure: Callable[[str], float] = display_width) -> list[str]:
    """`text` in lines no wider than `width` (as `measure` has it), greedily. A Chinese clause (up to its
    punctuation) goes whole onto the line, or whole onto the next when this line already holds a quarter
    of a line (a short lead such as "用途：" is filled up instead); a clause too long for a line of its
    own is broken between pieces(). Text without CJK breaks between words."""
    clauses = _CLAUSE.findall(text) if has_cjk(text) else [text]
    lines = [""]
    for clause in clauses:
        if measure((lines[-1] + clause).strip()) <= width:
            lines[-1] += clause
            continue
        if measure(lines[-1].strip()) >= width / 4 and measure(clause.strip()) <= width:
            lines.append(clause)
            continue
        for piece in pieces(clause):
            if lines[-1].strip() and measure((lines[-1] + piece).strip()) > width:
                lines.append("")
            lines[-1] += piece
    return [line.strip() for line in lines if line.strip()]


def subtitle_cues(sentence: str, lang: str = "en") -> list[str]:
    """A beat's narration cut into cues of at most two lines: about 80 characters each in English; in
    Chinese at most 24 full-width characters, broken after a clause where possible, and a sentence that
    fits in what is left of a cue joins it, otherwise it starts the next."""
    width = SUBTITLE_LINE[lang]
    if lang != "zh":
        lines = textwrap.wrap(sentence, width)
        return ["\n".join(lines[i:i + SUBTITLE_LINES]) for i in range(0, len(lines), SUBTITLE_LINES)]
    cues: list[list[str]] = []
    for part in _SENTENCE.findall(sentence):
        lines = break_lines(part, width)
        if cues and len(cues[-1]) + len(lines) <= SUBTITLE_LINES:
            cues[-1] += lines
        else:
            cues += [lines[i:i + SUBTITLE_LINES] for i in range(0, len(lines), SUBTITLE_LINES)]
    return ["\n".join(cue) for cue in cues]


def timed_cues(sentence: str, lang: str, start: float, duration: float) -> list[tuple[float, float, str]]:
    """The cues of a beat spread over its duration, each in proportion to its reading units."""
    cues = subtitle_cues(sentence, lang)
    weights = [max(reading_units(cue, lang), 1) for cue in cues]
    timed, offset = [], start
    for cue, weight in zip(cues, weights):
        share = duration * weight / math.fsum(weights)
        timed.append((offset, offset + share, cue))
        offset += share
    return timed
