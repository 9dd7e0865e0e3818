"""Softmax: logits to exponentials to probabilities that sum to 1; a temperature knob that sharpens and
flattens them; two classes give a sigmoid of the logit difference; the Jacobian diag(p) - p p^T; and its
place as the output layer of multinomial logistic regression.

Render: `python cli.py render softmax` or `manim render -ql scenes/softmax.py SoftmaxScene`.
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Axes, Circle, Create, Dot, FadeIn, FadeOut, GrowFromEdge,
                   Indicate, Line, NumberLine, Rectangle, ReplacementTransform, Triangle, ValueTracker, VGroup,
                   Write, always_redraw, smooth)

from mathcore import activations
from scenes import theme
from scenes.base import LectureScene
from scenes.theme import Part

BASELINE_Y = -2.7  # the bars stand on this line, their centres at BAR_X
BAR_X = (-5.6, -4.25, -2.9)
BAR_WIDTH = 0.9
STACK_X = -1.35  # the three probabilities stacked: they reach the line of 1
TALLEST = 3.4  # the height of the tallest logit or exponential, and of a probability of 1
PANEL_LEFT = 0.3


class SoftmaxScene(LectureScene):

    scene_id = "softmax"
    picture_beat = "normalise"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.pipeline()
        self.temperature()
        self.clear_stage()
        self.two_classes()
        self.clear_stage()
        self.jacobian()
        self.clear_stage()
        self.output_layer()
        self.clear_stage()
        self.answer()

    # --- helpers -------------------------------------------------------------------------------------

    def _bars(self, heights, colour) -> VGroup:
        bars = VGroup()
        for x, h in zip(BAR_X, heights):
            height = max(abs(h), 1e-3)
            bars.add(Rectangle(width=BAR_WIDTH, height=height, fill_color=colour, fill_opacity=0.85, stroke_width=0)
                     .move_to([x, BASELINE_Y + np.sign(h) * height / 2, 0]))
        return bars

    def _labels(self, bars: VGroup, texts, colour) -> VGroup:
        return VGroup(*(theme.formula(t, size=theme.LABEL_SIZE, color=colour).next_to(bar, UP, buff=0.12)
                        for bar, t in zip(bars, texts)))

    def _names(self, symbol: str, colour) -> VGroup:
        return VGroup(*(theme.formula(symbol.format(i=i), size=theme.LABEL_SIZE, color=colour)
                        .move_to([x, BASELINE_Y - 0.4, 0]) for i, x in enumerate(BAR_X, start=1)))

    def _probability_bars(self, probs) -> VGroup:
        return self._bars([TALLEST * p for p in probs], theme.ACTIVATION)

    def _stack(self, probs) -> VGroup:
        """The probabilities on top of each other, lightest last, in one column at STACK_X."""
        stack, bottom = VGroup(), BASELINE_Y
        for p, opacity in zip(probs, (0.85, 0.6, 0.35)):
            height = max(TALLEST * p, 1e-3)
            stack.add(Rectangle(width=BAR_WIDTH * 0.7, height=height, fill_color=theme.ACTIVATION,
                                fill_opacity=opacity, stroke_color=theme.BACKGROUND, stroke_width=2)
                      .move_to([STACK_X, bottom + height / 2, 0]))
            bottom += height
        return stack

    # --- beats ---------------------------------------------------------------------------------------

    def pipeline(self) -> None:
        v, d = self.values, self.display
        top = theme.content_top()
        baseline = Line([BAR_X[0] - 0.8, BASELINE_Y, 0], [STACK_X + 0.6, BASELINE_Y, 0], color=theme.MUTED,
                        stroke_width=3)
        z_max, e_max = max(abs(z) for z in v["logits"]), max(v["exps"])

        logit_bars = self._bars([TALLEST * z / z_max for z in v["logits"]], theme.NET)
        logit_labels = self._labels(logit_bars, [d[f"z{i}"] for i in (1, 2, 3)], theme.NET)
        logit_names = self._names("z_{i}", theme.NET)
        caption = theme.text(self.t("logits"), theme.LABEL_SIZE, color=theme.NET)
        caption.move_to([BAR_X[0] - 0.6, top - 0.25, 0], aligned_edge=UP + LEFT)
        z_row = theme.formula("z = (" + r",\ ".join(d[f"z{i}"] for i in (1, 2, 3)) + ")", color=theme.NET)
        z_row.move_to([PANEL_LEFT, top - 0.5, 0], aligned_edge=LEFT)
        with self.beat("logits"):
            self.play(Create(baseline), FadeIn(caption), FadeIn(logit_names), run_time=0.8)
            self.play(*(GrowFromEdge(bar, DOWN) for bar in logit_bars), FadeIn(logit_labels), Write(z_row),
                      run_time=1.5)

        exp_bars = self._bars([TALLEST * e / e_max for e in v["exps"]], theme.NET)
        exp_labels = self._labels(exp_bars, [d[f"e{i}"] for i in (1, 2, 3)], theme.NET)
        exp_names = self._names("e^{{z_{i}}}", theme.NET)
        exp_caption = theme.text(self.t("exponentials"), theme.LABEL_SIZE, color=theme.NET).move_to(
            caption, aligned_edge=LEFT)
        e_row = theme.formula("e^{z} = (" + r",\ ".join(d[f"e{i}"] for i in (1, 2, 3)) + ")", color=theme.NET)
        e_row.next_to(z_row, DOWN, buff=0.45, aligned_edge=LEFT)
        # Differences become ratios: what exponentiating does to the two largest logits.
        ratio_row = theme.formula(r"\frac{e^{z_1}}{e^{z_2}} = e^{z_1 - z_2} = e^{" + d["logit_gap"] + "} = ",
                                  (d["exp_ratio"], theme.NET), size=theme.LABEL_SIZE)
        ratio_row.next_to(e_row, DOWN, buff=0.45, aligned_edge=LEFT)
        with self.beat("exp"):
            self.play(Write(e_row), run_time=1)
            self.play(ReplacementTransform(logit_bars, exp_bars), ReplacementTransform(logit_labels, exp_labels),
                      ReplacementTransform(logit_names, exp_names), ReplacementTransform(caption, exp_caption),
                      run_time=1.5)
            self.play(Write(ratio_row), run_time=1)

        prob_bars = self._probability_bars(v["probs"])
        prob_labels = self._labels(prob_bars, [d[f"p{i}"] for i in (1, 2, 3)], theme.ACTIVATION)
        prob_names = self._names("p_{i}", theme.ACTIVATION)
        prob_caption = theme.text(self.t("probabilities"), theme.LABEL_SIZE, color=theme.ACTIVATION).move_to(
            caption, aligned_edge=LEFT)
        rule = theme.formula(r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", color=theme.ACTIVATION)
        denominator = theme.formula(r"\sum_j e^{z_j} = " + d["exp_sum"])
        total = theme.formula("p_1 + p_2 + p_3 = " + d["p_sum"], color=theme.ACTIVATION)
        VGroup(rule, denominator, total).arrange(DOWN, buff=0.4, aligned_edge=LEFT).next_to(
            e_row, DOWN, buff=0.5, aligned_edge=LEFT)
        # A probability of 1 reaches this line: the three bars stacked touch it.
        one = Line([STACK_X - 0.6, BASELINE_Y + TALLEST, 0], [STACK_X + 0.6, BASELINE_Y + TALLEST, 0],
                   color=theme.MUTED, stroke_width=2).set_opacity(0.6)
        stack = self._stack(v["probs"])
        stack_name = theme.formula(r"\Sigma", size=theme.LABEL_SIZE, color=theme.ACTIVATION).move_to(
            [STACK_X, BASELINE_Y - 0.4, 0])
        stack_label = theme.formula(d["p_sum"], size=theme.LABEL_SIZE, color=theme.ACTIVATION).next_to(
            stack, UP, buff=0.12)
        with self.beat("normalise"):
            self.play(FadeOut(ratio_row), run_time=0.4)
            self.play(Write(rule), FadeIn(denominator), run_time=1.2)
            self.play(ReplacementTransform(exp_bars, prob_bars), ReplacementTransform(exp_labels, prob_labels),
                      ReplacementTransform(exp_names, prob_names), ReplacementTransform(exp_caption, prob_caption),
                      Create(one), run_time=1.5)
            self.play(*(ReplacementTransform(bar.copy(), block) for bar, block in zip(prob_bars, stack)),
                      FadeIn(stack_name), run_time=1.2)
            self.play(Write(total), FadeIn(stack_label), run_time=0.8)
            self.play(Indicate(total, color=theme.ACTIVATION), Indicate(stack_label, color=theme.ACTIVATION))
        self.stage = {"bars": prob_bars, "labels": prob_labels, "rule": rule, "rows": VGroup(z_row, e_row, denominator),
                      "total": total, "stack": stack}

    def temperature(self) -> None:
        v, d = self.values, self.display
        stage = self.stage
        rule_t = theme.formula(r"p_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}", color=theme.ACTIVATION)
        rule_t.move_to(stage["rule"], aligned_edge=UP + LEFT)
        rule_t.set_y(theme.content_top() - 0.9)
        total = stage["total"].copy().next_to(rule_t, DOWN, buff=0.4, aligned_edge=LEFT)

        knob_lo, knob_hi = v["knob"]
        knob = NumberLine(x_range=[knob_lo, knob_hi, 1], length=5.6, include_numbers=True,
                          font_size=theme.AXIS_NUMBER_SIZE, color=theme.MUTED)
        knob.move_to([PANEL_LEFT, -1.9, 0], aligned_edge=LEFT)
        knob_title = theme.text(self.t("temperature"), theme.LABEL_SIZE).next_to(knob, UP, buff=0.9).align_to(knob, LEFT)
        tracker = ValueTracker(v["temperatures"]["base"])
        pointer = always_redraw(lambda: Triangle(color=theme.TEXT, fill_opacity=1, stroke_width=0).scale(0.14)
                                .rotate(np.pi).next_to(knob.n2p(tracker.get_value()), UP, buff=0.05))
        def probs_now():
            return activations.softmax(np.array(v["logits"]), temperature=tracker.get_value())

        bars = always_redraw(lambda: self._probability_bars(probs_now()))
        stack = always_redraw(lambda: self._stack(probs_now()))

        def readout(key: str):
            return theme.formula(f"T = {d[f't_{key}']}").next_to(knob_title, RIGHT, buff=0.5)

        def stop_labels(key: str) -> VGroup:
            return self._labels(self._probability_bars(v["probs_at"][key]), d["probs_at"][key], theme.ACTIVATION)

        current = readout("base")
        self.play(FadeOut(stage["rows"]), ReplacementTransform(stage["rule"], rule_t),
                  stage["total"].animate.move_to(total), run_time=1)
        # The stack's blocks entered the scene one by one (each a transform's target): remove them one by one,
        # or the old blocks would show through the live stack as ghost segments.
        self.remove(stage["bars"], stage["stack"], *stage["stack"])
        self.add(bars, stack)
        labels = stage["labels"]
        with self.beat("sharpen"):
            self.play(Create(knob), FadeIn(knob_title), FadeIn(pointer), FadeIn(current), run_time=1)
            self.play(FadeOut(labels), run_time=0.4)
            new = readout("low")
            self.play(tracker.animate.set_value(v["temperatures"]["low"]), ReplacementTransform(current, new),
                      run_time=2, rate_func=smooth)
            current, labels = new, stop_labels("low")
            self.play(FadeIn(labels), run_time=0.5)
        with self.beat("flatten"):
            self.play(FadeOut(labels), run_time=0.4)
            new = readout("high")
            self.play(tracker.animate.set_value(v["temperatures"]["high"]), ReplacementTransform(current, new),
                      run_time=2.5, rate_func=smooth)
            current, labels = new, stop_labels("high")
            self.play(FadeIn(labels), run_time=0.5)
            self.wait(1)
            self.play(FadeOut(labels), run_time=0.4)
            new = readout("base")
            self.play(tracker.animate.set_value(v["temperatures"]["base"]), ReplacementTransform(current, new),
                      run_time=1.5, rate_func=smooth)
            self.play(FadeIn(stop_labels("base")), run_time=0.5)
        for mob in (pointer, bars, stack):
            mob.clear_updaters()

    def two_classes(self) -> None:
        d, v = self.display, self.values
        identity = theme.formula(r"\mathrm{softmax}(a, b)_1", "=", r"\frac{e^{a}}{e^{a} + e^{b}}", "=",
                                 r"\frac{1}{1 + e^{-(a - b)}}", "=", (r"\sigma(a - b)", theme.ACTIVATION))
        identity.move_to([0, theme.content_top() - 0.8, 0])
        soft = theme.formula(r"\mathrm{softmax}(" + d["a"] + r",\ " + d["b"] + ")_1", "=",
                             Part(d["two_p"], theme.ACTIVATION, name="p"))
        sigm = theme.formula(r"\sigma(" + d["a"] + " - " + d["b"] + r") = \sigma(" + d["diff"] + ")", "=",
                             Part(d["two_sigmoid"], theme.ACTIVATION, name="p"))
        rows = VGroup(soft, sigm).arrange(DOWN, buff=0.5, aligned_edge=LEFT)
        rows.move_to([-6.3, -1.2, 0], aligned_edge=LEFT)
        sigmoid = activations.get("sigmoid")
        axes = Axes(x_range=[-6, 6, 2], y_range=[0, 1, 0.5], x_length=4.6, y_length=2.6, tips=False)
        axes.move_to([3.4, -1.5, 0])
        curve = axes.plot(lambda x: float(sigmoid(x)), color=theme.ACTIVATION, stroke_width=4)
        point = Dot(axes.c2p(v["pair_difference"], v["pair_sigmoid"]), color=theme.ACTIVATION, radius=0.09)
        guide = VGroup(Line(axes.c2p(v["pair_difference"], 0), point.get_center(), color=theme.MUTED, stroke_width=2),
                       Line(axes.c2p(0, v["pair_sigmoid"]), point.get_center(), color=theme.MUTED, stroke_width=2))
        curve_label = theme.formula(r"\sigma(x)", size=theme.LABEL_SIZE, color=theme.ACTIVATION).next_to(
            axes, UP, buff=0.15).align_to(axes, LEFT)
        point_label = theme.formula(f"({d['diff']},\\ {d['two_sigmoid']})", size=theme.LABEL_SIZE,
                                    color=theme.ACTIVATION).next_to(point, RIGHT + DOWN, buff=0.15)
        with self.beat("two"):
            self.play(Write(identity), run_time=2.5)
            self.play(Write(soft), run_time=1.2)
            self.play(Create(axes), Create(curve), FadeIn(curve_label), run_time=1.2)
            self.play(Write(sigm), Create(guide), FadeIn(point, scale=0.5), FadeIn(point_label), run_time=1.2)
            self.play(Indicate(soft.part("p"), color=theme.ACTIVATION),
                      Indicate(sigm.part("p"), color=theme.ACTIVATION))

    def jacobian(self) -> None:
        d = self.display
        definition = theme.formula(r"J_{ij} = \frac{\partial p_i}{\partial z_j}", r"\qquad",
                                   r"J = \mathrm{diag}(p) - p\,p^{\top}")
        probs = theme.formula("p = (" + r",\ ".join(d[f"p{i}"] for i in (1, 2, 3)) + ")", color=theme.ACTIVATION)
        matrix = r"\begin{pmatrix}" + r"\\".join(" & ".join(row) for row in d["jacobian"]) + r"\end{pmatrix}"
        numbers = theme.formula("J = ", matrix)
        # Column j: how every p_i moves when logit j rises; they sum to zero, as the p_i sum to one. Row i:
        # how p_i moves with each logit; zero in sum, as a shift of every logit changes nothing.
        columns_sum = VGroup(theme.formula(r"\mathbf{1}^{\top} J = \mathbf{0}^{\top},\ J\,\mathbf{1} = \mathbf{0}",
                                           color=theme.GRADIENT),
                             theme.text(self.t("columns_sum"), theme.BODY_SIZE, color=theme.GRADIENT)
                             ).arrange(RIGHT, buff=0.5)
        VGroup(definition, probs, numbers, columns_sum).arrange(DOWN, buff=0.45).move_to(DOWN * 0.45)
        with self.beat("jacobian"):
            self.play(Write(definition), run_time=2)
            self.play(FadeIn(probs), run_time=0.6)
            self.play(Write(numbers), run_time=2)
            self.play(FadeIn(columns_sum), run_time=0.8)

    def output_layer(self) -> None:
        inputs = VGroup(*(Circle(0.28, color=theme.ACTIVATION, fill_opacity=0.3) for _ in range(4)))
        inputs.arrange(DOWN, buff=0.3).move_to([-4.6, 0.2, 0])
        scores = VGroup(*(Circle(0.28, color=theme.NET, fill_opacity=0.3) for _ in range(3)))
        scores.arrange(DOWN, buff=0.5).move_to([-1.6, 0.2, 0])
        weights = VGroup(*(Line(a.get_right(), b.get_left(), color=theme.WEIGHT, stroke_width=2)
                           for a in inputs for b in scores))
        arrow = Arrow(scores.get_right() + RIGHT * 0.2, scores.get_right() + RIGHT * 2.0, color=theme.MUTED, buff=0)
        arrow_label = theme.text(self.t("softmax"), theme.LABEL_SIZE).next_to(arrow, UP, buff=0.15)
        outputs = VGroup(*(theme.formula(f"p_{i}", color=theme.ACTIVATION) for i in (1, 2, 3)))
        outputs.arrange(DOWN, buff=0.75).next_to(arrow, RIGHT, buff=0.3)
        names = VGroup(theme.formula("x", color=theme.ACTIVATION).next_to(inputs, UP, buff=0.25),
                       theme.formula("z", color=theme.NET).next_to(scores, UP, buff=0.25))
        model = theme.formula(("p", theme.ACTIVATION), "=", r"\mathrm{softmax}(", ("W", theme.WEIGHT),
                              ("x", theme.ACTIVATION), "+", ("b", theme.BIAS), ")")
        words = theme.text(self.t("regression"), theme.BODY_SIZE)
        VGroup(model, words).arrange(RIGHT, buff=0.8).move_to([0, -2.6, 0])
        with self.beat("use"):
            self.play(FadeIn(inputs), FadeIn(names[0]), run_time=0.6)
            self.play(Create(weights), FadeIn(scores), FadeIn(names[1]), run_time=1.2)
            self.play(Create(arrow), FadeIn(arrow_label), FadeIn(outputs), run_time=1)
            self.play(Write(model), run_time=1.2)
            self.play(FadeIn(words))

    def answer(self) -> None:
        self.conclude(
            theme.text(self.t("answer_rule"), theme.BODY_SIZE),
            theme.formula(r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", r"\qquad", r"\sum_i p_i = " + self.display["p_sum"],
                          size=theme.BODY_SIZE + 4, color=theme.ACTIVATION),
            theme.text(self.t("answer_each"), theme.BODY_SIZE))
