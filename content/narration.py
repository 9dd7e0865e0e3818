"""A scene's beats as data: each beat's key and its sentence in every language, the reading time it needs,
and everything a scene is given to draw (`SceneData`). The pipeline builds one SceneData per render and
hands it to the scene; voice, slides and lesson files build on the same beats."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, Mapping

from . import i18n, subtitles


def expand_beats(templates: Mapping[str, Any], display: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Narration templates filled in with `display`, in order, as (beat key, sentence).

    A scene that shows a selection of items (the gallery's activations) keeps one block of templates,
    "each": {beat: template}, not one per item: the block becomes beats "<beat>:<item>" for every entry of
    display["each"] (item -> its own display fields, used as {item[field]}), item by item. An item whose
    field is None skips the beats that use it (ReLU has a dead zone, sigmoid none); so does a scene's own
    field (the gallery relates tanh to the sigmoid only when it shows both)."""
    beats: list[tuple[str, str]] = []
    for key, template in templates.items():
        if not isinstance(template, Mapping):
            used = {name.split("[")[0].split(".")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
            if all(display.get(field) is not None for field in used):
                beats.append((key, template.format(**display)))
            continue
        for item_key, item in display[key].items():
            for beat, text in template.items():
                used = {name[len("item["):-1] for _, name, _, _ in string.Formatter().parse(text)
                        if name and name.startswith("item[")}
                if all(item[field] is not None for field in used):
                    beats.append((f"{beat}:{item_key}", text.format(item=item, **display)))
    return beats


@dataclass(frozen=True)
class Beat:
    """One narrative beat: its key and its sentence in every language. It lasts at least `reading_time`,
    the longest of its languages' reading times, so one clip carries every language's captions."""

    key: str
    text: Mapping[str, str]

    @property
    def reading_time(self) -> float:
        return max(subtitles.reading_time(sentence, lang) for lang, sentence in self.text.items())


def beats(scene_id: str, display: Mapping[str, Any]) -> tuple[Beat, ...]:
    """The scene's beats with its numbers filled in, in every language, in the order they play."""
    by_lang = {lang: expand_beats(i18n.narration(scene_id, lang), i18n.localise(display, lang)) for lang in i18n.LANGS}
    keys = [key for key, _ in by_lang[i18n.LANGS[0]]]
    for lang, expanded in by_lang.items():
        if [key for key, _ in expanded] != keys:
            raise ValueError(f"{scene_id}: the {lang!r} narration has other beats than the {i18n.LANGS[0]!r} one")
    return tuple(Beat(key, {lang: expanded[i][1] for lang, expanded in by_lang.items()})
                 for i, key in enumerate(keys))


# A voiced beat: the voice starts this long after the beat does (the picture changes first, as a speaker
# lets a new slide land), and the beat holds this long after the voice ends, before the next one begins.
LEAD = 0.3
PAUSE = 0.6


@dataclass(frozen=True)
class SceneData:
    """What a scene is given to draw: its id and parameters, its numbers, and its beats; for a narrated
    clip also how long each beat's speech lasts (`speech`, seconds, in the language `voiced`)."""

    scene_id: str
    params: Mapping[str, Any]
    numbers: Any  # content.numbers.Numbers
    beats: tuple[Beat, ...]
    speech: Mapping[str, float] = field(default_factory=dict)
    voiced: str | None = None

    def hold(self, key: str) -> float:
        """The least a beat lasts: its reading time in every language whose captions the clip carries, and
        for a voiced beat its speech with the lead-in and the pause after."""
        spoken = self.speech.get(key)
        return max(self.beat(key).reading_time, 0.0 if spoken is None else LEAD + spoken + PAUSE)

    def beat(self, key: str) -> Beat:
        for beat in self.beats:
            if beat.key == key:
                return beat
        raise KeyError(f"{self.scene_id} has no beat {key!r}")

    def narration(self, lang: str) -> list[tuple[str, str]]:
        return [(beat.key, beat.text[lang]) for beat in self.beats]


def scene_data(scene_id: str, params: Mapping[str, Any] | None = None) -> SceneData:
    """Everything the scene `scene_id` shows with `params` (defaults filled in, validated): its numbers are
    computed once, here."""
    from .registry import get

    spec = get(scene_id)
    resolved = spec.resolve_params(dict(params or {}))
    numbers = spec.numbers(**resolved)
    return SceneData(scene_id, resolved, numbers, beats(scene_id, numbers.display))
