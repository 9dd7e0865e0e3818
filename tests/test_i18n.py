"""The catalogues: every key in every language, no key that no scene uses, fonts, reading time and cues."""

import ast
import json
import string
from pathlib import Path

import pytest

from content import fonts, i18n, registry, subtitles
from mathcore import activations

REPO = Path(__file__).resolve().parent.parent
SCENES_DIR = REPO / "scenes"
CATALOGUES = {lang: i18n._CATALOGUES[lang] for lang in i18n.LANGS}
ENGLISH = CATALOGUES["en"]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _module_path(section: str) -> Path:
    return SCENES_DIR / (registry.get(section).module.split(".")[-1] + ".py")


def _constants(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def _keys_asked(path: Path) -> set[str]:
    """Every constant key a scene module asks for: self.t("key"), self.mixed("key"), and "question" (ask())."""
    asked = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("t", "mixed") and node.args and isinstance(node.args[0], ast.Constant):
                asked.add(node.args[0].value)
            if node.func.attr == "ask":
                asked.add("question")
    return asked


# Words whose language picks from the fields the scene offers: a choice's tag names the scene that
# justifies it by its CLI id in English and by its Chinese title in Chinese.
OWN_FIELDS = {("choosing", "see")}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_language_has_every_key_with_the_same_fields(lang):
    catalogue = CATALOGUES[lang]
    assert list(catalogue.TITLES) == registry.ids() and all(catalogue.TITLES.values())
    assert set(catalogue.TERMS) == set(ENGLISH.TERMS)
    for key, template in ENGLISH.TERMS.items():
        assert _fields(catalogue.TERMS[key]) == _fields(template), key
    assert set(catalogue.WORDS) == set(ENGLISH.WORDS)
    for section, words in ENGLISH.WORDS.items():
        assert set(catalogue.WORDS[section]) == set(words), section
        for key, template in words.items():
            if (section, key) not in OWN_FIELDS:
                assert _fields(catalogue.WORDS[section][key]) == _fields(template), f"{section}.{key}"
    assert set(catalogue.NARRATION) == set(ENGLISH.NARRATION) == set(registry.ids())
    for scene_id, beats in ENGLISH.NARRATION.items():
        # Same beats in the same order: the scene plays them in one order for every language.
        assert list(catalogue.NARRATION[scene_id]) == list(beats), scene_id
        for key, template in beats.items():
            theirs = catalogue.NARRATION[scene_id][key]
            if isinstance(template, dict):  # a block of beats repeated per item: the same beats, in order
                assert list(theirs) == list(template), f"{scene_id}.{key}"
                for beat, text in template.items():
                    assert _fields(theirs[beat]) == _fields(text), f"{scene_id}.{key}.{beat}"
            else:
                assert _fields(theirs) == _fields(template), f"{scene_id}.{key}"
    for name in ("SUMMARIES", "PAGE", "CLI", "PRESENTER"):  # every word outside the scenes too, in every language
        assert set(getattr(catalogue, name)) == set(getattr(ENGLISH, name)), name
        assert all(getattr(catalogue, name).values()), name
    if lang == "zh":
        assert all(i18n.has_cjk(text) for text in [*catalogue.SUMMARIES.values(), *catalogue.CLI.values(),
                                                   *catalogue.PAGE.values(), *catalogue.PRESENTER.values()])


def test_the_registry_titles_are_the_english_catalogues():
    assert [spec.title for spec in registry.SCENES] == list(ENGLISH.TITLES.values())
    assert all(i18n.has_cjk(i18n.title(scene_id, "zh")) for scene_id in registry.ids())


def test_terms_cover_every_registry_activation_and_nothing_else():
    for kind in ("title", "use"):
        assert {k for k in ENGLISH.TERMS if k.startswith(f"{kind}.")} == {f"{kind}.{n}" for n in activations.names()}
    assert all(ENGLISH.TERMS[f"title.{n}"] == activations.get(n).title for n in activations.names())
    # Any other term is a word values.py puts into a display value.
    values = set().union(*(_constants(path) for path in (REPO / "content" / "numbers").glob("*.py")))
    others = {k for k in ENGLISH.TERMS if not k.startswith(("title.", "use."))}
    assert others <= values, f"terms no display value uses: {sorted(others - values)}"


def test_every_on_screen_key_is_used_by_its_scene_and_every_key_asked_for_exists():
    """A scene's words are used by that scene's module (as the key it passes, or a key in a table of
    keys); "common" words by some scene module. Beats are checked by playing them (tests/test_scenes.py)."""
    scene_modules = {spec.id: _module_path(spec.id) for spec in registry.SCENES}
    everywhere = set().union(*(_constants(p) for p in scene_modules.values()))
    common = set(ENGLISH.WORDS["common"])
    assert common <= everywhere, f"common words no scene uses: {sorted(common - everywhere)}"
    for section, path in scene_modules.items():
        words = set(ENGLISH.WORDS.get(section, {}))
        unused = words - _constants(path) - _keys_asked(path)
        assert not unused, f"{section}: words no scene uses: {sorted(unused)}"
        assert not words & common, f"{section}: a key both in the scene and in common"
        missing = _keys_asked(path) - words - common
        assert not missing, f"{path.name} asks for words no catalogue has: {sorted(missing)}"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_narration_fills_in_every_field_in_every_language(lang):
    for spec in registry.SCENES:
        display = spec.numbers().display
        for key, text in spec.narration(display=display, lang=lang):
            assert "{" not in text and "}" not in text, (spec.id, key)
            assert i18n.has_cjk(text) == (lang == "zh"), (spec.id, key)


def test_words_in_display_values_follow_the_language():
    values = registry.get("vanishing").numbers(depth=3, activation="identity")
    title = values.display["deep_title"]
    assert isinstance(title, i18n.Term) and title == "Identity"
    assert json.loads(json.dumps(values.display["deep_title"])) == "Identity"  # explain --json
    assert i18n.localise(values.display, "zh")["deep_title"] == "恒等函数"
    narration = dict(registry.get("vanishing").narration(display=values.display, lang="zh"))
    assert "恒等函数" in narration["question"] and "Identity" not in narration["question"]
    gallery = registry.get("activations").numbers(only="leaky_relu").display["each"]["leaky_relu"]
    assert i18n.localise(gallery, "zh")["use"] == i18n.term("use.leaky_relu", "zh")
    assert i18n.Term("either", left="x < -1", right="x > 2") == "x < -1 or x > 2"
    assert i18n.localise(i18n.Term("either", left="x < -1", right="x > 2"), "zh") == "x < -1 或 x > 2"


@pytest.mark.parametrize("installed", [[], ["DejaVu Sans", "DejaVu Serif"]])
def test_chinese_without_its_font_is_a_one_line_error(installed):
    with pytest.raises(RuntimeError) as err:
        fonts.check_fonts("zh", list_fonts=lambda: installed)
    message = str(err.value)
    assert "\n" not in message and message.endswith("fonts-wqy-microhei")
    if installed:
        fonts.check_fonts("en", list_fonts=lambda: installed)  # English needs no CJK font
        fonts.check_fonts("zh", list_fonts=lambda: [*installed, fonts.CJK_FONT])
    else:  # and every language needs its Latin font
        assert "fonts-dejavu-core fonts-wqy-microhei" in message
        with pytest.raises(RuntimeError, match="apt-get install fonts-dejavu-core$"):
            fonts.check_fonts("en", list_fonts=lambda: installed)


def test_a_chinese_scene_checks_the_fonts_before_it_builds(monkeypatch):
    import manimpango

    from scenes.neuron import NeuronScene

    monkeypatch.setattr(manimpango, "list_fonts", lambda: [])
    with pytest.raises(RuntimeError, match="fonts-wqy-microhei"):
        NeuronScene(lang="zh")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        fonts.check_fonts("fr")


def test_the_cjk_font_is_installed_here():
    """The set-up installs it (scripts/setup.sh); without it the Chinese lecture cannot render."""
    fonts.check_fonts("zh")


def test_chinese_text_is_set_in_the_cjk_font():
    from scenes import theme

    assert theme.font_for("梯度消失 ReLU") == theme.CJK_FONT == fonts.CJK_FONT
    assert theme.font_for("gradient left") == theme.FONT


def test_reading_time_per_language():
    # Chinese: a Han character is a unit, a number or Latin word one more, punctuation none.
    assert subtitles.reading_units("导数至多是 0.25。", "zh") == 6
    assert subtitles.reading_units("Its slope is at most 0.25.", "en") == 6
    assert subtitles.reading_time("一" * 45, "zh") == pytest.approx(45 / subtitles.READING_RATE["zh"])
    assert subtitles.reading_time("短句。", "zh") == subtitles.MIN_HOLD


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_subtitle_cues_are_two_short_lines_that_keep_every_character(lang):
    limit = subtitles.SUBTITLE_LINE[lang]
    width = subtitles.display_width if lang == "zh" else len
    for spec in registry.SCENES:
        for key, text in spec.narration(display=spec.numbers().display, lang=lang):
            cues = subtitles.subtitle_cues(text, lang)
            lines = [line for cue in cues for line in cue.split("\n")]
            assert all(len(cue.split("\n")) <= subtitles.SUBTITLE_LINES for cue in cues), (spec.id, key)
            assert all(width(line) <= limit for line in lines), (spec.id, key, lines)
            assert "".join(lines).replace(" ", "") == text.replace(" ", ""), (spec.id, key)
            assert not any(line[0] in "，。；：！？、）" for line in lines), (spec.id, key, lines)


def test_timed_cues_share_the_beat_by_reading_length():
    cues = subtitles.timed_cues("一二三四五六七八九十。" * 6, "zh", start=10.0, duration=12.0)
    assert cues[0][0] == 10.0 and cues[-1][1] == pytest.approx(22.0)
    assert all(a[1] == pytest.approx(b[0]) for a, b in zip(cues, cues[1:]))


def test_no_cue_of_two_seconds_or_less_splits_a_sentence():
    """The review's orphan cues ("1.4.", "points.", "0.1868。"): a sentence cut across cues leaves none of
    its cues on screen for two seconds or less (timed at reading pace: a beat lasts at least that long).
    A whole short sentence may stand alone."""
    import re

    from content.narration import scene_data
    from content.subtitles import _SENTENCE, timed_cues

    orphans = []
    for spec in registry.SCENES:
        for beat in scene_data(spec.id).beats:
            for lang in i18n.LANGS:
                text = beat.text[lang]
                sentences = {s.strip() for s in (_SENTENCE.findall(text) if lang == "zh"
                                                  else re.split(r"(?<=[.!?])\s+", text))}
                for start, end, cue in timed_cues(text, lang, 0.0, beat.reading_time):
                    flat = cue.replace("\n", "" if lang == "zh" else " ").strip()
                    if end - start <= 2.0 and flat not in sentences:
                        orphans.append((spec.id, beat.key, lang, round(end - start, 2), cue))
    assert orphans == []
