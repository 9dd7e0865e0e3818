"""How to choose: the article's decision guide as a flow, each choice with a thumbnail of its curve.

Render: `python cli.py render choosing` or `manim render -ql scenes/choosing.py ChoosingScene`.
"""

from __future__ import annotations

import numpy as np
from manim import (DL, DOWN, DR, LEFT, RIGHT, UP, Arrow, Axes, Create, DashedLine, Dot, DoubleArrow, FadeIn,
                   GrowArrow, GrowFromCenter, Indicate, Line, Rectangle, SurroundingRectangle, VGroup, Write)

from mathcore import activations

from scenes import charts, theme
from scenes.base import LectureScene

COLUMN_X = 3.55  # the two columns' centres sit at -COLUMN_X and +COLUMN_X
THUMB_X = 3.0  # a thumbnail's curve over -THUMB_X..THUMB_X


class ChoosingScene(LectureScene):

    scene_id = "choosing"
    picture_beat = "reach"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.headers()
        self.hidden_layers()
        self.output_layer()
        self.clear_stage()
        self.regression_case()
        self.clear_stage()
        self.answer()

    # --- helpers -------------------------------------------------------------------------------------

    def _choice(self, content: str, colour=theme.ACTIVATION) -> VGroup:
        label = theme.text(content, theme.LABEL_SIZE, color=colour)
        box = SurroundingRectangle(label, color=colour, buff=0.18, corner_radius=0.12, stroke_width=3)
        return VGroup(box, label)

    def _thumbnail(self, *names: str) -> VGroup:
        """A small picture of a choice: the curves of `names` on tiny axes, from mathcore (softmax: the
        lecture's own example probabilities, as bars). Recall by picture, not by cross-reference."""
        frame = VGroup()
        if names == ("softmax",):
            probs = self.values["softmax_example"]
            bars = VGroup(*(Rectangle(width=0.26, height=max(1.0 * p, 0.02), fill_color=theme.ACTIVATION,
                                      fill_opacity=0.85, stroke_width=0) for p in probs))
            bars.arrange(RIGHT, buff=0.1, aligned_edge=DOWN)
            base = Line(bars.get_corner(DL) + LEFT * 0.1, bars.get_corner(DR) + RIGHT * 0.1, color=theme.MUTED,
                        stroke_width=2)
            return frame.add(bars, base)
        xs = np.linspace(-THUMB_X, THUMB_X, 121)
        curves = [activations.get(name)(xs) for name in names]
        low, high = min(float(c.min()) for c in curves), max(float(c.max()) for c in curves)
        pad = 0.1 * (high - low)
        axes = Axes(x_range=[-THUMB_X, THUMB_X, THUMB_X], y_range=[low - pad, high + pad, high - low + 2 * pad],
                    x_length=1.3, y_length=0.8, tips=False,
                    axis_config={"include_ticks": False, "stroke_width": 2, "color": theme.MUTED})
        styles = (theme.ACTIVATION, theme.ACTIVATION_DERIVATIVE, theme.NET)
        for name, colour in zip(names, styles):
            act = activations.get(name)
            frame.add(axes.plot(lambda x, act=act: float(act(x)), x_range=[-THUMB_X, THUMB_X], color=colour,
                                stroke_width=3))
        return VGroup(axes, frame)

    # --- beats ---------------------------------------------------------------------------------------

    def headers(self) -> None:
        top = self.title_strip.get_bottom()[1] - 0.45
        self.hidden_header = theme.text(self.t("hidden"), theme.BODY_SIZE).move_to([-COLUMN_X, top, 0])
        self.output_header = theme.text(self.t("output"), theme.BODY_SIZE).move_to([COLUMN_X, top, 0])
        divider = Line([0, top + 0.2, 0], [0, -3.4, 0], color=theme.MUTED, stroke_width=2)
        self.play(FadeIn(self.hidden_header), FadeIn(self.output_header), Create(divider))

    def hidden_layers(self) -> None:
        d = self.display
        relu = VGroup(self._choice(self.t("relu_first")), self._thumbnail("relu")).arrange(RIGHT, buff=0.3)
        relu.next_to(self.hidden_header, DOWN, buff=0.45)
        why_relu = theme.formula(r"\mathrm{ReLU}'(x) = " + d["relu_slope"] + r"\ \ (x > 0)",
                                 size=theme.LABEL_SIZE).next_to(relu, DOWN, buff=0.2)
        fallback = VGroup(self._choice(self.t("fallback")), self._thumbnail("leaky_relu", "elu", "gelu")
                          ).arrange(RIGHT, buff=0.3).next_to(why_relu, DOWN, buff=0.9)
        arrow = Arrow(why_relu.get_bottom(), fallback.get_top(), buff=0.1, color=theme.MUTED, stroke_width=4)
        if_bad = theme.text(self.t("works_badly"), theme.SMALL_SIZE, color=theme.MUTED).next_to(arrow, RIGHT, buff=0.15)
        # Red means loss in this lecture, never a warning: the advice against sigmoid is in plain text.
        avoid = VGroup(theme.text(self.t("avoid"), theme.LABEL_SIZE),
                       theme.formula(r"\sigma' \le " + d["sigmoid_bound"], size=theme.LABEL_SIZE,
                                     color=theme.ACTIVATION_DERIVATIVE)).arrange(RIGHT, buff=0.25)
        avoid.next_to(fallback, DOWN, buff=0.35)
        tanh = theme.text(self.t("tanh"), theme.LABEL_SIZE, color=theme.MUTED).next_to(avoid, DOWN, buff=0.15)
        for group in (relu, why_relu, fallback, avoid, tanh):
            group.set_x(-COLUMN_X)
        why_relu.set_x(relu[0].get_x())
        with self.beat("hidden"):
            self.play(FadeIn(relu, shift=DOWN * 0.2))
            self.play(Write(why_relu))
        with self.beat("fallback"):
            self.play(GrowArrow(arrow), FadeIn(if_bad))
            self.play(FadeIn(fallback, shift=DOWN * 0.2))
        with self.beat("avoid"):
            self.play(FadeIn(avoid))
            self.play(FadeIn(tanh))

    def output_layer(self) -> None:
        d = self.display
        rows = []
        for task, choice, fact in (
            ("two_classes", "sigmoid", d["sigmoid_range"]),
            ("several_classes", "softmax", r"\textstyle\sum_k p_k = 1"),
            ("regression", "identity", d["identity_range"]),
        ):
            head = theme.text(self.t(task), theme.LABEL_SIZE)
            box = self._choice(self.t(choice))
            formula = theme.formula(fact, size=theme.LABEL_SIZE)
            body = VGroup(box, self._thumbnail(choice), formula).arrange(RIGHT, buff=0.3)
            rows.append(VGroup(head, body).arrange(DOWN, aligned_edge=LEFT, buff=0.15))
        column = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        column.next_to(self.output_header, DOWN, buff=0.45).set_x(COLUMN_X)
        for beat, row in zip(("output", "multiclass", "regression"), rows):
            with self.beat(beat):
                self.play(FadeIn(row, shift=LEFT * 0.2))
                self.play(Indicate(row[1][0]))

    def regression_case(self) -> None:
        """Why a regression output has no activation: a target below zero that the sigmoid never reaches
        and the identity gives exactly."""
        v, d = self.values["regression"], self.display
        x_lo, x_hi = v["xs"]
        target = v["target"]
        # Numbers off the target's height: its own label sits at the dashed line's end.
        axes = Axes(x_range=[x_lo, x_hi, 1], y_range=[target - 1, 2, 1], x_length=6.4, y_length=4.6, tips=False,
                    axis_config={"font_size": theme.AXIS_NUMBER_SIZE, "color": theme.MUTED},
                    x_axis_config={"numbers_to_include": [-2, 2]},  # -4 would sit under the gap's arrow
                    y_axis_config={"numbers_to_include": [-2, -1, 1, 2]})
        axes.to_edge(LEFT, buff=1.3).shift(DOWN * 0.3)
        labels = VGroup(theme.text(self.t("axis_input"), theme.LABEL_SIZE).next_to(axes.x_axis, DOWN, buff=0.15)
                        .align_to(axes.x_axis, RIGHT),
                        theme.text(self.t("axis_output"), theme.LABEL_SIZE).next_to(axes.y_axis, UP, buff=0.15))
        sigmoid, identity = activations.get("sigmoid"), activations.get("identity")
        sigmoid_curve = axes.plot(lambda x: float(sigmoid(x)), x_range=[x_lo, x_hi], color=theme.ACTIVATION,
                                  stroke_width=5)
        identity_line = axes.plot(lambda x: float(identity(x)), x_range=[target - 1, 2], color=theme.COMPARED[0],
                                  stroke_width=5)
        goal = DashedLine(axes.c2p(x_lo, target), axes.c2p(x_hi, target), color=theme.LOSS, stroke_width=4)
        goal_value = theme.formula(d["target_tex"], size=theme.LABEL_SIZE, color=theme.LOSS).next_to(goal, LEFT,
                                                                                                    buff=0.15)
        hit = Dot(axes.c2p(target, float(identity(target))), color=theme.COMPARED[0], radius=0.1)
        # The gap near the left end of the drawing, where the sigmoid comes nearest.
        gap = DoubleArrow(axes.c2p(x_lo + 0.5, float(sigmoid(x_lo + 0.5))), axes.c2p(x_lo + 0.5, target), buff=0.05,
                          color=theme.ACTIVATION, stroke_width=4, tip_length=0.2)
        # In the legend, beside a dot like the hit's: on the chart every side of the hit has a line.
        reaches = VGroup(Dot(color=theme.COMPARED[0], radius=0.1),
                         theme.text(self.t("reaches"), theme.LABEL_SIZE, color=theme.COMPARED[0])).arrange(RIGHT, buff=0.2)
        short = VGroup(DoubleArrow(UP * 0.3, DOWN * 0.3, buff=0, color=theme.ACTIVATION, stroke_width=4,
                                   tip_length=0.15),
                       theme.text(self.t("short", gap=d["gap"]), theme.LABEL_SIZE, color=theme.ACTIVATION)
                       ).arrange(RIGHT, buff=0.2)
        legend = VGroup(charts.swatch_row(self.t("sigmoid"), theme.ACTIVATION), short,
                        charts.swatch_row(self.t("identity"), theme.COMPARED[0]),
                        charts.swatch_row(self.t("target", target=d["target"]), theme.LOSS, dashed=True), reaches
                        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        # The hit under the identity it belongs to.
        legend[4].next_to(legend[2], DOWN, buff=0.3, aligned_edge=LEFT)
        legend[3].next_to(legend[4], DOWN, buff=0.3, aligned_edge=LEFT)
        legend.next_to(axes, RIGHT, buff=1.2).align_to(axes, UP)
        with self.beat("reach"):
            self.play(Create(axes), FadeIn(labels), run_time=1.2)
            self.play(Create(goal), FadeIn(goal_value), FadeIn(legend[3]))
            self.play(Create(sigmoid_curve), FadeIn(legend[0]), run_time=1.5)
            self.play(GrowFromCenter(gap), FadeIn(short))
            self.play(Create(identity_line), FadeIn(legend[2]), run_time=1.5)
            self.play(FadeIn(hit, scale=0.5), FadeIn(reaches))
            self.play(Indicate(hit, color=theme.COMPARED[0]))

    def answer(self) -> None:
        self.conclude(theme.text(self.t("answer_hidden"), theme.BODY_SIZE),
                      theme.text(self.t("answer_output"), theme.BODY_SIZE))
