"""The base every lecture scene builds on: narrated beats, parameters, and a layout check."""

from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from manim import (DOWN, LEFT, UP, Animation, AnimationGroup, Create, DecimalNumber, FadeIn, GrowFromEdge, MarkupText, MathTex,
                   Mobject, ReplacementTransform, Scene, SingleStringMathTex, Tex, Text, VGroup, VMobject, Write,
                   config)
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.mobject.text.tex_mobject import MathTexPart

from content import fonts, i18n, subtitles
from content.i18n import LANGS
from content.narration import LEAD, SceneData, scene_data

from . import charts, theme
from .theme import EDGE, MATH_SCALE, title_strip

_TEXT_TYPES = (Text, MarkupText, MathTex, Tex, SingleStringMathTex)
# Words on a frame: texts and formulas, their parts (a fraction's bar is a rectangle in one), numbers, and
# the glyphs an animation has set loose from them.
_WORDS = (*_TEXT_TYPES, MathTexPart, DecimalNumber, VMobjectFromSVGPath)
# The beats that are cards of text (ask, conclude, the gallery's key to its drawing), not pictures, and the
# share of the safe area the picture at every other beat's end must span, across and down.
CARDS = ("question", "answer", "legend")
FILL = 0.5


class LectureScene(Scene):
    """A scene of the lecture: one method per narrative beat, each wrapped in `with self.beat(key)`.

    It is given its data (content.narration.SceneData): its numbers (self.values raw, self.display as
    shown, in its language) and its beats; its words come from the catalogue of its language through
    self.t(). A plain `manim render scenes/x.py XScene` builds the data itself from the registry, by the
    class's `scene_id`. The video's timing serves every language: after render(), self.subtitle_tracks
    holds each language's cues and self.timeline each beat's start and end, timed to this video."""

    scene_id: str = ""
    # The beat whose last frame is the scene's key picture: the closing card shows it again, small and
    # without its words, above the answer.
    picture_beat: str = ""

    def __init__(self, data: SceneData | None = None, check_layout: bool = False, lang: str = "en",
                 params: dict[str, Any] | None = None, **kwargs: Any):
        # Built by manim itself (no data given): check what the pipeline checks before it renders.
        self.plain = data is None
        if self.plain:
            fonts.check_fonts(lang)
            data = scene_data(self.scene_id, params)
        super().__init__(**kwargs)
        self.lang = lang
        self.data = data
        self.params = data.params
        self.numbers = data.numbers
        self.values = data.numbers.values
        self.display = i18n.localise(data.numbers.display, lang)
        self.narration = dict(data.narration(lang))
        self.subtitle_tracks: dict[str, list[tuple[float, float, str]]] = {code: [] for code in LANGS}
        self.timeline: list[dict[str, Any]] = []
        self.check_layout = check_layout
        self.layout_problems: list[str] = []
        self.picture: VGroup | None = None

    # --- words --------------------------------------------------------------------------------------

    def t(self, key: str, **fields: Any) -> str:
        """The scene's on-screen words `key` in its language, `{field}`s filled in."""
        return i18n.words(self.scene_id, key, self.lang).format(**fields)

    def mixed(self, key: str, size: int = theme.BODY_SIZE, color=theme.TEXT, **formulas: str) -> VGroup:
        """The words `key` with formulas in their `{field}` slots (theme.mixed)."""
        return theme.mixed(i18n.words(self.scene_id, key, self.lang), size, color, **formulas)

    def activation_title(self, name: str) -> str:
        return i18n.term(f"title.{name}", self.lang)

    # --- staging -----------------------------------------------------------------------------------

    def show_title(self) -> None:
        self.title_strip = title_strip(i18n.title(self.scene_id, self.lang))
        self.add(self.title_strip)

    def clear_stage(self, run_time: float = 0.8) -> None:
        """Fade out everything but the title: scenes need not track what an animation split or replaced."""
        leaving = [m for m in self.mobjects if m is not getattr(self, "title_strip", None)]
        if leaving:
            self.play(*(FadeAway(m) for m in leaving), run_time=run_time)

    def ask(self, **fields: Any) -> None:
        """The opening card: the question the scene answers (its words "question"), held for its narration."""
        card = theme.text(self.t("question", **fields), theme.BODY_SIZE + 4, line_spacing=1.2)
        with self.beat("question"):
            self.play(FadeIn(card, shift=UP * 0.3))
        self.clear_stage()

    def conclude(self, *lines: Mobject) -> None:
        """The closing card: the scene's key picture (when its beat played) above the one-line answer
        (formulas are written, text fades in), then a hold."""
        answer = VGroup(*lines).arrange(DOWN, buff=0.6 if self.picture is None else 0.4)
        if self.picture is None:
            answer.move_to(DOWN * 0.3)
        else:
            left, right, bottom, _ = theme.frame_box()
            top = theme.content_top()
            room = top - bottom - answer.height - 0.5
            self.picture.scale(min(room / self.picture.height, 0.6 * (right - left) / self.picture.width))
            VGroup(self.picture, answer).arrange(DOWN, buff=0.5).move_to([0, (top + bottom) / 2, 0])
        with self.beat("answer"):
            if self.picture is not None:
                self.play(FadeIn(self.picture, scale=1.1), run_time=0.8)
            for line in lines:
                self.play(Write(line, run_time=1.5) if isinstance(line, MathTex) else FadeIn(line))
        self.wait(1)

    def keep_picture(self) -> None:
        """The frame now, without its words and the title, as the key picture for the closing card (a
        picture shrunk that far would leave its words unreadably small)."""
        title = getattr(self, "title_strip", None)
        picture = VGroup()
        for original in self.mobjects:
            if original is title or not _visible(original) or isinstance(original, _WORDS) \
                    or not isinstance(original, VMobject):
                continue
            mobject = original.copy()
            mobject.clear_updaters()  # a live readout would follow the scene's trackers on the card
            _strip_words(mobject)
            # What was mostly words (a legend: its samples without their names) leaves no picture.
            if _visible(mobject) and mobject.width >= 0.4 * original.width:
                picture.add(mobject)
        self.picture = picture if len(picture) and picture.width > 0 and picture.height > 0 else None

    def grow_bars(self, bars: VGroup, counter: Mobject, counter_for, seconds: float,
                  alongside: Iterable[Mobject] = ()) -> Mobject:
        """Grow bars 2..n one by one while the counter beside them follows, each bar's `alongside` mobject
        (2..n too, when given) drawn with it; returns the last counter."""
        step_time = min(0.6, seconds / max(len(bars) - 1, 1))
        extras = list(alongside)[1:]
        steps = (AnimationGroup(GrowFromEdge(bar, DOWN), Create(extras[k])) if extras else GrowFromEdge(bar, DOWN)
                 for k, bar in enumerate(bars[1:]))
        return self.count_along(steps, counter, counter_for, first=2, step_time=step_time)

    def count_along(self, steps: Iterable[Animation], counter: Mobject, counter_for, first: int,
                    step_time: float) -> Mobject:
        """Play the steps one by one, the counter moving on with each (counter_for(first), first + 1, ...)
        in the place of the one before; returns the last counter."""
        for k, step in enumerate(steps, start=first):
            new_counter = counter_for(k).move_to(counter, aligned_edge=UP + LEFT)
            self.play(step, ReplacementTransform(counter, new_counter), run_time=step_time)
            counter = new_counter
        return counter

    def draw_two_runs(self, chart: charts.TwoRuns) -> None:
        """Two runs on one chart: the axes, then each run with its name, then their ratios."""
        self.play(Create(chart.axes), FadeIn(chart.axis_labels), run_time=1.5)
        for run, name in zip(chart.lines, chart.legend):
            self.play(Create(run), FadeIn(name), run_time=1.5)
        self.play(FadeIn(chart.ratio_title), FadeIn(chart.ratios))

    # --- beats --------------------------------------------------------------------------------------

    @contextmanager
    def beat(self, key: str) -> Iterator[None]:
        """Animations played inside stay on screen until the beat's sentence has been read, in whichever
        language takes longest (one video carries every language's captions), and, in a narrated clip, until
        it has been spoken (content.narration.SceneData.hold)."""
        beat = self.data.beat(key)
        start = self.time
        yield
        elapsed = self.time - start
        hold = self.data.hold(key)
        if elapsed < hold:
            self.wait(hold - elapsed)
        duration = self.time - start
        entry = {"key": key, "start": start, "end": self.time}
        spoken = self.data.speech.get(key)
        if spoken is not None:
            entry["speech"] = (start + LEAD, start + LEAD + spoken)
        self.timeline.append(entry)
        if self.check_layout and key not in CARDS:
            self._check_fill(key)
        if key == self.picture_beat:
            self.keep_picture()
        for code, sentence in beat.text.items():
            # The voiced language's cues follow the voice; the others spread over the whole beat.
            voiced = spoken is not None and code == self.data.voiced
            cues = subtitles.timed_cues(sentence, code, start, duration, spoken=LEAD + spoken if voiced else None)
            self.subtitle_tracks[code].extend(cues)
            if self.plain and code == self.lang:  # manim writes these next to a plain render's movie
                for begin, end, cue in cues:
                    self.add_subcaption(cue, duration=end - begin, offset=begin - self.time)

    # --- layout check: at the end of every play and wait --------------------------------------------

    def play(self, *args: Any, **kwargs: Any) -> None:
        super().play(*args, **kwargs)
        if self.check_layout:
            self._check_layout("play")

    def wait(self, *args: Any, **kwargs: Any) -> None:
        super().wait(*args, **kwargs)
        if self.check_layout:
            self._check_layout("wait")

    def _check_fill(self, key: str) -> None:
        """At a beat's end the picture uses the frame: what is visible below the title spans at least half
        the safe area's width and half its height (a small diagram on an empty field reads as a slide
        left unfinished). The CARDS are text, and exempt."""
        title = getattr(self, "title_strip", None)
        shown = [m for m in self.mobjects if m is not title and _visible(m)]
        top = title.get_bottom()[1] if title is not None and title in self.mobjects else config.frame_height / 2 - EDGE
        width, height = config.frame_width - 2 * EDGE, top - (-config.frame_height / 2 + EDGE)
        if not shown:
            self.layout_problems.append(f"beat {key}: ends on an empty frame")
            return
        boxes = [_box(m) for m in shown]
        span_x = max(b[1] for b in boxes) - min(b[0] for b in boxes)
        span_y = max(b[3] for b in boxes) - min(b[2] for b in boxes)
        if span_x < FILL * width or span_y < FILL * height:
            self.layout_problems.append(f"beat {key}: the content spans {span_x / width:.0%} of the safe area's "
                                        f"width and {span_y / height:.0%} of its height (at least {FILL:.0%} each)")

    def _check_layout(self, where: str) -> None:
        moment = f"{where} at t={self.time:.1f}s"
        title = getattr(self, "title_strip", None)
        ceiling = title.get_bottom()[1] if title is not None and title in self.mobjects else None
        for problem in layout_problems(self.mobjects, ceiling=ceiling, exempt=title):
            self.layout_problems.append(f"{moment}: {problem}")


class FadeAway(Animation):
    """FadeOut without the copies: the opacities are lowered in place, then the mobject is removed (and its
    opacities restored, should a scene show it again). FadeOut deep-copies every glyph and curve it fades;
    profiled, that was a quarter of the gallery's render time, most of it in clear_stage."""

    def __init__(self, mobject: Mobject, **kwargs: Any):
        super().__init__(mobject, remover=True, **kwargs)
        self.saved = [(part, [rgbas[:, 3].copy() for rgbas in _colour_arrays(part)])
                      for part in mobject.get_family() if isinstance(part, VMobject)]

    def create_starting_mobject(self) -> Mobject:
        return Mobject()  # the saved opacities are the start: nothing to copy

    def interpolate_mobject(self, alpha: float) -> None:
        keep = 1 - self.rate_func(alpha)
        for part, opacities in self.saved:
            for rgbas, opacity in zip(_colour_arrays(part), opacities):
                rgbas[:, 3] = opacity * keep

    def clean_up_from_scene(self, scene: Scene) -> None:
        super().clean_up_from_scene(scene)
        for part, opacities in self.saved:
            for rgbas, opacity in zip(_colour_arrays(part), opacities):
                rgbas[:, 3] = opacity


def _colour_arrays(part: VMobject) -> tuple:
    return part.fill_rgbas, part.stroke_rgbas, part.background_stroke_rgbas


def _visible(mob: Mobject) -> bool:
    return any(
        isinstance(m, VMobject) and m.has_points() and (m.get_fill_opacity() > 0.05 or m.get_stroke_opacity() > 0.05)
        for m in mob.get_family()
    )


def _text_leaves(mob: Mobject) -> Iterator[Mobject]:
    if isinstance(mob, _TEXT_TYPES):
        yield mob
        return
    for sub in mob.submobjects:
        yield from _text_leaves(sub)


def _box(mob: Mobject) -> tuple[float, float, float, float]:
    return mob.get_left()[0], mob.get_right()[0], mob.get_bottom()[1], mob.get_top()[1]


def _describe(mob: Mobject) -> str:
    label = getattr(mob, "text", None) or getattr(mob, "tex_string", None) or type(mob).__name__
    return repr(str(label)[:40])


def layout_problems(mobjects: list[Mobject], ceiling: float | None = None, exempt: Mobject | None = None,
                    tolerance: float = 0.02) -> list[str]:
    """Text overlapping other text; anything visible closer than EDGE (32 px at 480p) to the frame's edge,
    or above `ceiling` (the title strip's rule), except the `exempt` title strip itself."""
    problems = []
    limit_x = config.frame_width / 2 - EDGE + tolerance
    limit_y = config.frame_height / 2 - EDGE + tolerance
    for mob in mobjects:
        if mob is exempt or not _visible(mob):
            continue
        left, right, bottom, top = _box(mob)
        if left < -limit_x or right > limit_x or bottom < -limit_y or top > limit_y:
            problems.append(f"{_describe(mob)} leaves the frame's safe area "
                            f"(x {left:.2f}..{right:.2f}, y {bottom:.2f}..{top:.2f})")
        elif ceiling is not None and top > ceiling + tolerance:
            problems.append(f"{_describe(mob)} reaches into the title strip")
    texts = [t for mob in mobjects for t in _text_leaves(mob) if _visible(t)]
    boxes = [_box(t) for t in texts]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            overlap_x = min(a[1], b[1]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[2], b[2])
            if overlap_x > tolerance and overlap_y > tolerance:
                problems.append(f"{_describe(texts[i])} overlaps {_describe(texts[j])}")
    return problems


def smallest_font_size(mobjects: list[Mobject]) -> float:
    """The smallest font size on screen after any scaling, formulas counted in Text-equivalent size."""
    sizes = [t.font_size / (MATH_SCALE if isinstance(t, (MathTex, Tex, SingleStringMathTex)) else 1.0)
             for mob in mobjects for t in _text_leaves(mob) if _visible(t)]
    return min(sizes) if sizes else math.inf


def _strip_words(mobject: Mobject) -> None:
    """Remove every text and formula (and number) below `mobject`, in place."""
    mobject.submobjects = [m for m in mobject.submobjects if not isinstance(m, _WORDS)]
    for child in mobject.submobjects:
        _strip_words(child)
