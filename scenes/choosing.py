"""How to choose: the article's decision guide as a flow, each choice tagged with the scene behind it.

Render: `python cli.py render choosing` or `manim render -ql scenes/choosing.py ChoosingScene`.
"""

from __future__ import annotations

from manim import (DOWN, LEFT, RIGHT, Arrow, Create, FadeIn, GrowArrow, Indicate, Line, SurroundingRectangle,
                   VGroup, Write)

from content import i18n

from scenes import theme
from scenes.base import LectureScene

COLUMN_X = 3.55  # the two columns' centres sit at -COLUMN_X and +COLUMN_X


class ChoosingScene(LectureScene):

    scene_id = "choosing"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.headers()
        self.hidden_layers()
        self.output_layer()
        self.clear_stage()
        self.answer()

    # --- helpers -------------------------------------------------------------------------------------

    def _choice(self, content: str, colour=theme.ACTIVATION) -> VGroup:
        label = theme.text(content, theme.LABEL_SIZE, color=colour)
        box = SurroundingRectangle(label, color=colour, buff=0.18, corner_radius=0.12, stroke_width=3)
        return VGroup(box, label)

    def _see(self, scene_id: str) -> VGroup:
        """A tag naming the scene that justifies a choice (by its CLI id or its title, as the language has it)."""
        return theme.text(self.t("see", id=scene_id, title=i18n.title(scene_id, self.lang)), theme.SMALL_SIZE,
                          color=theme.MUTED)

    # --- beats ---------------------------------------------------------------------------------------

    def headers(self) -> None:
        top = self.title_strip.get_bottom()[1] - 0.45
        self.hidden_header = theme.text(self.t("hidden"), theme.BODY_SIZE).move_to([-COLUMN_X, top, 0])
        self.output_header = theme.text(self.t("output"), theme.BODY_SIZE).move_to([COLUMN_X, top, 0])
        divider = Line([0, top + 0.2, 0], [0, -3.4, 0], color=theme.MUTED, stroke_width=2)
        self.play(FadeIn(self.hidden_header), FadeIn(self.output_header), Create(divider))

    def hidden_layers(self) -> None:
        d = self.display
        relu = self._choice(self.t("relu_first")).next_to(self.hidden_header, DOWN, buff=0.45)
        why_relu = theme.formula(r"\mathrm{ReLU}'(x) = " + d["relu_slope"] + r"\ \ (x > 0)",
                                 size=theme.LABEL_SIZE).next_to(relu, DOWN, buff=0.2)
        fallback = self._choice(self.t("fallback")).next_to(why_relu, DOWN, buff=0.9)
        arrow = Arrow(why_relu.get_bottom(), fallback.get_top(), buff=0.1, color=theme.MUTED, stroke_width=4)
        if_bad = theme.text(self.t("works_badly"), theme.SMALL_SIZE, color=theme.MUTED).next_to(arrow, RIGHT, buff=0.15)
        dead_tag = self._see("dead-relu").next_to(fallback, DOWN, buff=0.15)
        avoid = VGroup(theme.text(self.t("avoid"), theme.LABEL_SIZE, color=theme.LOSS),
                       theme.formula(r"\sigma' \le " + d["sigmoid_bound"], size=theme.LABEL_SIZE,
                                     color=theme.LOSS)).arrange(RIGHT, buff=0.25)
        avoid.next_to(dead_tag, DOWN, buff=0.35)
        tanh = theme.text(self.t("tanh"), theme.LABEL_SIZE, color=theme.MUTED)
        vanishing_tag = self._see("vanishing")
        VGroup(tanh, vanishing_tag).arrange(RIGHT, buff=0.4).next_to(avoid, DOWN, buff=0.25)
        for group in (relu, why_relu, fallback, dead_tag, avoid):
            group.set_x(-COLUMN_X)
        with self.beat("hidden"):
            self.play(FadeIn(relu, shift=DOWN * 0.2))
            self.play(Write(why_relu))
        with self.beat("fallback"):
            self.play(GrowArrow(arrow), FadeIn(if_bad))
            self.play(FadeIn(fallback, shift=DOWN * 0.2), FadeIn(dead_tag))
        with self.beat("avoid"):
            self.play(FadeIn(avoid))
            self.play(FadeIn(tanh), FadeIn(vanishing_tag))

    def output_layer(self) -> None:
        d = self.display
        rows = []
        for task, choice, fact, tag in (
            ("two_classes", "sigmoid", d["sigmoid_range"], "activations"),
            ("several_classes", "softmax", r"\textstyle\sum_k p_k = 1", "softmax"),
            ("regression", "identity", d["identity_range"], "nonlinearity"),
        ):
            head = theme.text(self.t(task), theme.LABEL_SIZE)
            box = self._choice(self.t(choice))
            formula = theme.formula(fact, size=theme.LABEL_SIZE)
            body = VGroup(box, formula).arrange(RIGHT, buff=0.3)
            heading = VGroup(head, self._see(tag)).arrange(RIGHT, buff=0.4)
            rows.append(VGroup(heading, body).arrange(DOWN, aligned_edge=LEFT, buff=0.15))
        column = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        column.next_to(self.output_header, DOWN, buff=0.45).set_x(COLUMN_X)
        for beat, row in zip(("output", "multiclass", "regression"), rows):
            with self.beat(beat):
                self.play(FadeIn(row, shift=LEFT * 0.2))
                self.play(Indicate(row[1][0]))

    def answer(self) -> None:
        self.conclude(theme.text(self.t("answer_hidden"), theme.BODY_SIZE),
                      theme.text(self.t("answer_output"), theme.BODY_SIZE))
