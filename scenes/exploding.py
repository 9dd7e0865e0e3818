"""Exploding gradients: per-layer factors above 1 compound with depth; the trained net's loss goes NaN;
clipping and a sane init tame it.

Render: `python cli.py render exploding` or `manim render -ql scenes/exploding.py ExplodingScene`.
"""

from __future__ import annotations

import math

from manim import (DOWN, LEFT, RIGHT, UP, UR, Create, DashedLine, Dot, FadeIn, FadeOut, GrowFromEdge, Indicate,
                   NumberLine, Triangle, ValueTracker, VGroup, always_redraw, smooth)

from content.numbers.exploding import rescaled_reach
from scenes import charts, theme
from scenes.base import LectureScene


class ExplodingScene(LectureScene):

    scene_id = "exploding"
    picture_beat = "product"  # the compounding bars: the dial's slider means nothing without its words
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.compounding()
        self.clear_stage()
        self.measured()
        self.clear_stage()
        self.loss_curves()
        self.clear_stage()
        self.dial()
        self.clear_stage()
        self.answer()

    def _panel(self, axes, *rows: VGroup) -> VGroup:
        panel = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        return panel.next_to(axes, direction=[1, 0, 0], buff=0.4).align_to(axes, UP)

    def compounding(self) -> None:
        v, d = self.values, self.display
        depth, reach = v["depth"], v["reach"]
        axes = charts.log_axes(depth, reach, x_length=7.8, y_length=4.2).to_edge(LEFT, buff=1.4).shift(DOWN * 0.2)
        labels = charts.axis_labels(axes, self.t("layers_crossed"), self.t("gradient_size"), theme.GRADIENT)
        bars = charts.bars(axes, reach, theme.GRADIENT, log=True)

        def counter_for(k: int) -> VGroup:
            return VGroup(theme.text(self.t("after", k=k), theme.LABEL_SIZE),
                          theme.formula(r"\times" + d["reach_tex"][k - 1], size=theme.BODY_SIZE,
                                        color=theme.GRADIENT)).arrange(DOWN, aligned_edge=LEFT, buff=0.15)

        init = theme.formula(r"\mathrm{Var}(w) = " + d["oversized"] + "/n", size=theme.LABEL_SIZE,
                             color=theme.WEIGHT)
        # The first crossing is the ReLU alone; the init's factor applies from the second one on.
        factor = VGroup(theme.text(self.t("first_crossing", factor=d["first_factor"]), theme.LABEL_SIZE),
                        theme.text(self.t("then_each", factor=d["later_factor"]), theme.LABEL_SIZE, color=theme.WEIGHT)
                        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        counter = counter_for(1)
        self._panel(axes, init, factor, counter)
        with self.beat("factor"):
            self.play(Create(axes), FadeIn(labels), FadeIn(init), run_time=1.5)
            self.play(GrowFromEdge(bars[0], DOWN), FadeIn(counter), FadeIn(factor))
        with self.beat("product"):
            self.grow_bars(bars, counter, counter_for, seconds=6.0)
            self.play(Indicate(bars[-1], color=theme.LOSS))

    def measured(self) -> None:
        v, d = self.values, self.display
        chart = charts.two_run_chart(
            v["layers"], [v["signal_grad_norms"]["oversized"], v["signal_grad_norms"]["he"]],
            [f"{d['oversized']}/n", self.t("he", he=d["he"])], [d["trained_ratio_tex"], d["he_ratio"]],
            self.t("layer_axis"), self.t("arriving_axis"), self.t("first_last"))
        with self.beat("measured"):
            self.draw_two_runs(chart)

    def loss_curves(self) -> None:
        v, d = self.values, self.display
        steps = list(range(v["steps"] + 1))
        losses = v["losses"]
        every = [x for run in losses.values() for x in run]
        axes = charts.log_axes(v["steps"], every, x_length=7.4, y_length=4.2,
                               x_numbers=[0, v["steps"] // 2, v["steps"]])
        axes.to_edge(LEFT, buff=1.4).shift(DOWN * 0.2)
        labels = charts.axis_labels(axes, self.t("training_step"), self.t("loss"), theme.LOSS)
        nan_step = v["first_nonfinite_step"]
        # The unclipped run has one finite loss, before the first step: a dot with its value; NaN from then on.
        blown = Dot(axes.c2p(0, losses["oversized"][0]), color=theme.LOSS, radius=0.09)
        blown_value = theme.formula(d["first_loss_tex"], size=theme.LABEL_SIZE, color=theme.LOSS)
        blown_value.next_to(blown, RIGHT, buff=0.2)
        # Under the run's own legend entry: beside the dot it would sit where the clipped run starts too.
        nan_mark = theme.text(self.t("nan_at", step=nan_step) if nan_step is not None else "", theme.LABEL_SIZE,
                              color=theme.LOSS)
        clipped = charts.line(axes, steps, losses["oversized+clip"], theme.LOSS)
        # Solid: 200 steps of dashes read as a dim smear; the lighter red and the end labels tell it apart.
        sane = charts.line(axes, steps, losses["he"], theme.LOSS_ALT, width=5)
        # Where each run ends (and where He's starts), on the curves.
        clip_end = theme.formula(d["clip_final_tex"], size=theme.LABEL_SIZE, color=theme.LOSS).next_to(
            axes.c2p(v["steps"], losses["oversized+clip"][-1]), UP, buff=0.15).align_to(axes, RIGHT)
        he_start = theme.formula(d["he_first"], size=theme.LABEL_SIZE, color=theme.LOSS_ALT).next_to(
            axes.c2p(0, losses["he"][0]), UR, buff=0.1)
        he_end = theme.formula(d["he_final"], size=theme.LABEL_SIZE, color=theme.LOSS_ALT).next_to(
            axes.c2p(v["steps"], losses["he"][-1]), UP, buff=0.15).align_to(axes, RIGHT)
        # The unclipped run is a single point: its legend sample is a dot, the others' a line.
        legend = VGroup(
            VGroup(Dot(color=theme.LOSS, radius=0.09),
                   theme.text(f"{d['oversized']}/n", theme.LABEL_SIZE, color=theme.LOSS)).arrange(RIGHT, buff=0.15),
            charts.swatch_row(self.t("clipped", oversized=d["oversized"], clip=d["clip"]), theme.LOSS),
            charts.swatch_row(self.t("he", he=d["he"]), theme.LOSS_ALT)).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        legend.insert(1, nan_mark)
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        nan_mark.shift(RIGHT * 0.33)  # under its run's name
        self._panel(axes, legend)
        with self.beat("blowup"):
            self.play(Create(axes), FadeIn(labels), run_time=1.5)
            self.play(FadeIn(legend[0]), FadeIn(blown, scale=0.5), FadeIn(blown_value))
            self.play(FadeIn(nan_mark, scale=1.5))
        with self.beat("tame"):
            self.play(Create(clipped), FadeIn(legend[2]), run_time=2)
            self.play(FadeIn(clip_end))
            self.play(Create(sane), FadeIn(legend[3]), FadeIn(he_start), run_time=2)
            self.play(FadeIn(he_end))

    def dial(self) -> None:
        """The weights' scale as a dial (n times their variance, on a log scale): the same net's gradient
        bars sweep from vanishing through flat (He) to exploding."""
        v, d = self.values, self.display
        dial, depth, oversized = v["dial"], v["depth"], v["oversized_variance"]
        low, he, high = dial["variances"]
        reach = v["reach"]
        axes = charts.log_axes(depth, [x for run in dial["reach"] for x in run], x_length=6.4, y_length=4.2)
        axes.to_edge(LEFT, buff=1.3).shift(DOWN * 0.2)
        labels = charts.axis_labels(axes, self.t("layers_crossed"), self.t("gradient_size"), theme.GRADIENT)
        # Where the gradient keeps its size: the line the He setting runs along.
        level = DashedLine(axes.c2p(0.5, 1), axes.c2p(depth + 0.5, 1), color=theme.MUTED, stroke_width=2)
        scale = ValueTracker(math.log2(low))

        def reach_now() -> list[float]:
            return rescaled_reach(reach, oversized, 2 ** scale.get_value()).tolist()

        bars = always_redraw(lambda: charts.bars(axes, reach_now(), theme.GRADIENT, log=True))
        track = NumberLine(x_range=[math.log2(low), math.log2(high), 1], length=3.6, color=theme.MUTED,
                           include_numbers=False)
        ticks = VGroup(*(theme.formula(f"{2 ** e:g}", size=theme.SMALL_SIZE).next_to(track.n2p(e), DOWN, buff=0.2)
                         for e in range(round(math.log2(low)), round(math.log2(high)) + 1)))
        title = theme.formula(r"n \cdot \mathrm{Var}(w)", size=theme.LABEL_SIZE, color=theme.WEIGHT)
        pointer = always_redraw(lambda: Triangle(color=theme.WEIGHT, fill_opacity=1, stroke_width=0).scale(0.14)
                                .rotate(math.pi).next_to(track.n2p(scale.get_value()), UP, buff=0.05))
        slider = VGroup(title, VGroup(track, ticks)).arrange(DOWN, aligned_edge=LEFT, buff=0.6)
        panel = self._panel(axes, slider)
        names = ("dial_vanishing", "dial_flat", "dial_exploding")

        def readout(stop: int) -> VGroup:
            """At a stop: what the dial gives, each layer's factor and what reaches the last layer."""
            each = VGroup(theme.text(self.t("dial_each"), theme.LABEL_SIZE),
                          theme.formula(r"\times " + d["dial_factor_tex"][stop], size=theme.LABEL_SIZE,
                                        color=theme.GRADIENT)).arrange(RIGHT, buff=0.2)
            after = VGroup(theme.text(self.t("after", k=depth), theme.LABEL_SIZE),
                           theme.formula(r"\times " + d["dial_reach_tex"][stop], size=theme.LABEL_SIZE,
                                         color=theme.GRADIENT)).arrange(RIGHT, buff=0.2)
            name = theme.text(self.t(names[stop]), theme.LABEL_SIZE, color=theme.WEIGHT)
            return VGroup(name, each, after).arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(
                panel, DOWN, buff=0.6, aligned_edge=LEFT)

        shown = readout(0)
        with self.beat("dial"):
            self.play(Create(axes), FadeIn(labels), Create(level), run_time=1.5)
            self.play(FadeIn(slider), FadeIn(pointer), FadeIn(bars))
            self.play(FadeIn(shown))
        for stop, (beat, target) in enumerate((("dial_flat", he), ("dial_up", high)), start=1):
            with self.beat(beat):
                self.play(FadeOut(shown), run_time=0.4)
                self.play(scale.animate.set_value(math.log2(target)), run_time=3, rate_func=smooth)
                shown = readout(stop)
                self.play(FadeIn(shown))
        for mob in (bars, pointer):
            mob.clear_updaters()

    def answer(self) -> None:
        self.conclude(
            self.mixed("answer_rule", theme.BODY_SIZE + 4, factor="a > 1", depth="L",
                       growth=r"a^{L} \to \infty"),
            theme.text(self.t("answer_tame"), theme.BODY_SIZE, line_spacing=1.2))
