"""The lecture's words in every language: one catalogue per language (scenes/catalogue/<lang>.py) holds the
scene titles, the words on screen, the words inside display values and the narration. Scenes hold keys.

No manim here: the registry, `cli.py explain` and the tests use it alone.
"""

from __future__ import annotations

import re
from typing import Any

from .catalogue import en, zh

LANGS = ("en", "zh")
_CATALOGUES = {"en": en, "zh": zh}


# Han characters, CJK punctuation and full-width forms.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
# A reading unit is a Han character or a run of anything else but spaces (a word, a number, a formula).
_TOKEN = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")


def catalogue(lang: str):
    try:
        return _CATALOGUES[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; choose from: {', '.join(LANGS)}") from None


def title(scene_id: str, lang: str = "en") -> str:
    """The scene's title (the registry's SceneSpec.title is the English one)."""
    return catalogue(lang).TITLES[scene_id]


def summary(scene_id: str, lang: str = "en") -> str:
    return catalogue(lang).SUMMARIES[scene_id]


def page_words(lang: str = "en") -> dict[str, str]:
    """The course page's words in `lang`, its name for itself included."""
    return dict(catalogue(lang).PAGE)


def presenter_words(lang: str = "en") -> dict[str, str]:
    """The live presenter's words in `lang`."""
    return dict(catalogue(lang).PRESENTER)


def cli_words(lang: str = "en") -> dict[str, str]:
    return dict(catalogue(lang).CLI)


def words(section: str, key: str, lang: str = "en") -> str:
    """An on-screen template of a scene (section = scene id) or of the shared "common" section."""
    table = catalogue(lang).WORDS
    for name in (section, "common"):
        if key in table.get(name, {}):
            return table[name][key]
    raise KeyError(f"no on-screen words {key!r} for scene {section!r} in the {lang!r} catalogue")


def narration(scene_id: str, lang: str = "en") -> dict[str, str]:
    """The scene's narration templates, beat by beat, in order ({} for a scene without narration)."""
    return catalogue(lang).NARRATION.get(scene_id, {})


def term(key: str, lang: str = "en", **fields: Any) -> str:
    """A word that lives inside a display value: an activation's title or use, "never", "x < a or x > b"."""
    return catalogue(lang).TERMS[key].format(**fields)


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


def has_cjk(content: str) -> bool:
    return bool(_CJK_CHAR.search(content))
