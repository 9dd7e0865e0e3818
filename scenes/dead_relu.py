"""ReLU's dead zone: zero output and zero gradient for x < 0; a unit negative on every input never
learns again; the share of dead units in a too-hot training run (ReLU against Leaky ReLU); and how
often deep, narrow ReLU nets are born dead.

Render: `python cli.py render dead-relu` or `manim render -ql scenes/dead_relu.py DeadReluScene`.
"""

from __future__ import annotations

import math

from manim import (DOWN, LEFT, RIGHT, UP, Axes, Create, DashedVMobject, Dot, FadeIn, FadeOut, GrowFromEdge,
                   Indicate, Line, Mobject, Rectangle, ReplacementTransform, Square, VectorizedPoint, VGroup, VMobject, Write)

from mathcore import activations
from scenes import charts, theme
from scenes.base import LectureScene
from scenes.theme import Part

X_RANGE = (-3, 3)


def _percent_ticks(axes: Axes) -> None:
    """Label a share axis in percent at its ticks (0 is left to the origin)."""
    lo, hi, step = axes.y_range
    ticks = [lo + step * k for k in range(1, round((hi - lo) / step) + 1)]
    axes.y_axis.add_labels({t: theme.text(f"{t:.0%}", theme.LABEL_SIZE) for t in ticks})


class DeadReluScene(LectureScene):

    scene_id = "dead-relu"
    picture_beat = "below"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.zero_region()
        self.dead_unit()
        self.clear_stage()
        self.too_hot()
        self.clear_stage()
        self.pushed_below()
        self.clear_stage()
        self.redundant()
        self.clear_stage()
        self.born_dead()
        self.clear_stage()
        self.answer()

    # --- helpers: the too-hot run's chart -------------------------------------------------------------

    def _share_chart(self) -> tuple[Axes, VGroup]:
        """Axes for the share of dead units over the training steps (in percent), and the axes' names."""
        steps = self.values["steps"]
        axes = Axes(x_range=[0, steps, steps // 2], y_range=[0, 1, 0.5], x_length=3.5, y_length=4.0, tips=False)
        _percent_ticks(axes)
        axes.x_axis.add_labels({s: theme.text(str(s), theme.LABEL_SIZE) for s in (steps // 2, steps)})
        axes.to_edge(LEFT, buff=0.9).shift(DOWN * 0.25)
        x_name = theme.text(self.t("training_step"), theme.LABEL_SIZE).next_to(axes, DOWN, buff=0.15)
        y_name = theme.text(self.t("share_axis"), theme.LABEL_SIZE)
        y_name.next_to(axes, UP, buff=0.2).align_to(axes, LEFT)
        return axes, VGroup(x_name, y_name)

    def _legend(self) -> VGroup:
        """ReLU's line solid, Leaky ReLU's dashed, each named in its colour."""
        return VGroup(charts.swatch_row(self.activation_title("relu"), theme.ACTIVATION),
                      charts.swatch_row(self.activation_title("leaky_relu"), theme.ACTIVATION_DERIVATIVE, dashed=True),
                      ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)

    def _dead_counter(self, k: int) -> VGroup:
        """The k-th checkpoint's step and ReLU's share of dead units there."""
        return VGroup(theme.text(self.t("step", step=self.values["checkpoints"][k]), theme.LABEL_SIZE),
                      theme.text(self.t("dead", share=self.display["relu_dead_series"][k]), theme.LABEL_SIZE,
                                 color=theme.ACTIVATION)
                      ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)

    def _verdict_table(self) -> VGroup:
        """The run's verdict, ReLU against Leaky ReLU: a header row, then the share of units left with no
        gradient at the end, and the accuracy. One VGroup per row, its cells in a grid."""
        d = self.display

        def row(head, relu: str, leaky: str) -> list:
            return [head, theme.text(relu, theme.LABEL_SIZE, color=theme.ACTIVATION),
                    theme.text(leaky, theme.LABEL_SIZE, color=theme.ACTIVATION_DERIVATIVE)]

        rows = [row(VectorizedPoint(), self.activation_title("relu"), self.t("leaky_column")),
                row(theme.text(self.t("no_gradient"), theme.LABEL_SIZE), d["relu_no_grad"], d["leaky_no_grad"]),
                row(theme.text(self.t("came_back"), theme.LABEL_SIZE), d["back_by_layer"]["relu"],
                    d["back_by_layer"]["leaky_relu"]),
                row(theme.text(self.t("accuracy"), theme.LABEL_SIZE), d["relu_accuracy"], d["leaky_accuracy"])]
        VGroup(*(cell for cells in rows for cell in cells)).arrange_in_grid(rows=len(rows), cols=3, buff=(0.45, 0.25),
                                                                           col_alignments="lrr")
        return VGroup(*(VGroup(*cells) for cells in rows))

    # --- beats ---------------------------------------------------------------------------------------

    def zero_region(self) -> None:
        relu = activations.get("relu")
        lo, hi = X_RANGE
        # The output on top, the slope below, on one x axis: for x < 0 both are zero.
        top = Axes(x_range=[lo, hi, 1], y_range=[0, hi, 1], x_length=6.2, y_length=2.8, tips=False,
                   axis_config={"color": theme.MUTED, "stroke_width": 2})
        bottom = Axes(x_range=[lo, hi, 1], y_range=[0, 1, 1], x_length=6.2, y_length=1.3, tips=False,
                      axis_config={"color": theme.MUTED, "stroke_width": 2})
        VGroup(top, bottom).arrange(DOWN, buff=0.9).to_edge(LEFT, buff=0.8).set_y(-0.45)
        curve = top.plot(lambda x: float(relu(x)), x_range=[lo, hi], color=theme.ACTIVATION, stroke_width=5,
                         use_smoothing=False, discontinuities=[0])
        slope = VGroup(*(DashedVMobject(bottom.plot(lambda x: float(relu.derivative(x)), x_range=part,
                                                    color=theme.ACTIVATION_DERIVATIVE, stroke_width=5),
                                        num_dashes=14)
                         for part in ([lo, -0.001], [0.001, hi])))
        shades = VGroup(charts.shade(top, lo, 0, 0, hi), charts.shade(bottom, lo, 0, 0, 1))
        curve_label = theme.formula(r"\mathrm{ReLU}(x)", color=theme.ACTIVATION, size=theme.LABEL_SIZE)
        curve_label.next_to(top.c2p(hi - 0.8, hi - 0.6), LEFT, buff=0.3)
        slope_label = theme.formula(r"\mathrm{ReLU}'(x)", color=theme.ACTIVATION_DERIVATIVE, size=theme.LABEL_SIZE)
        # Beside the slope's end, clear of the words that later label the dead unit's inputs.
        slope_label.next_to(bottom.c2p(hi, 1), RIGHT, buff=0.25)
        zone = theme.text(self.t("zone"), theme.LABEL_SIZE, color=theme.MUTED)
        zone.next_to(shades[0], UP, buff=0.1).align_to(shades[0], LEFT)

        formulas = VGroup(theme.formula(self.values["relu_formula"], color=theme.ACTIVATION),
                          theme.formula(self.values["relu_derivative_formula"], color=theme.ACTIVATION_DERIVATIVE))
        formulas.arrange(DOWN, buff=0.6, aligned_edge=LEFT).next_to(top, RIGHT, buff=0.7).align_to(top, UP)
        self.relu_plot = {"top": top, "bottom": bottom, "formulas": formulas}
        with self.beat("zero"):
            self.play(Create(top), Create(bottom), run_time=1.2)
            self.play(Create(curve), FadeIn(curve_label), Write(formulas[0]), run_time=1.5)
            self.play(Create(slope), FadeIn(slope_label), Write(formulas[1]), run_time=1.5)
            self.play(FadeIn(shades), FadeIn(zone))

    def dead_unit(self) -> None:
        top, bottom, formulas = (self.relu_plot[k] for k in ("top", "bottom", "formulas"))
        zs = self.values["dead_unit_z"]
        # The unit's pre-activation on each input (green), the output there (blue, all 0), the slope (all 0).
        pre = VGroup(*(Dot(top.c2p(z, 0), radius=0.09, color=theme.NET) for z in zs))
        pre_label = self.mixed("every_input", theme.LABEL_SIZE, theme.NET, z="net < 0")
        slope_dots = VGroup(*(Dot(bottom.c2p(z, 0), radius=0.09, color=theme.GRADIENT) for z in zs))
        # The lecture's notation (E, net, out); the unit's input is `in`, as x names the axis here.
        chain = theme.formula((r"\frac{\partial E}{\partial w}", theme.GRADIENT), "=", r"\frac{\partial E}{\partial out}",
                              r"\cdot", Part(r"\mathrm{ReLU}'(net)", theme.ACTIVATION_DERIVATIVE, name="slope"),
                              r"\cdot", (r"\mathit{in}", theme.ACTIVATION), "=", Part("0", theme.GRADIENT, name="gradient"),
                              size=theme.LABEL_SIZE)
        update = theme.formula(("w", theme.WEIGHT), r"\leftarrow", ("w", theme.WEIGHT), "-", r"\eta", r"\cdot",
                               ("0", theme.GRADIENT), "=", ("w", theme.WEIGHT))
        verdict = theme.text(self.t("verdict"), theme.LABEL_SIZE)
        right = VGroup(chain, update, verdict).arrange(DOWN, buff=0.6, aligned_edge=LEFT)
        right.move_to(formulas, aligned_edge=UP + LEFT)
        pre_label.next_to(top.c2p(X_RANGE[0], 0), DOWN, buff=0.25).align_to(top, LEFT)
        with self.beat("dead"):
            self.play(FadeOut(formulas))
            self.play(FadeIn(pre, scale=0.5), FadeIn(pre_label), run_time=1.2)
            self.play(*(Indicate(dot, color=theme.ACTIVATION) for dot in pre))
            self.play(ReplacementTransform(pre.copy(), slope_dots), run_time=1.2)
            self.play(Write(chain), run_time=2)
            self.play(Indicate(chain.part("slope"), color=theme.GRADIENT),
                      Indicate(chain.part("gradient"), color=theme.GRADIENT))
        with self.beat("stuck"):
            self.play(Write(update), run_time=1.5)
            self.play(FadeIn(verdict, shift=UP * 0.2))

    def too_hot(self) -> None:
        v = self.values
        axes, axis_names = self._share_chart()
        relu_points, leaky_points = ([axes.c2p(step, share) for step, share in zip(v["checkpoints"], shares)]
                                     for shares in (v["dead_share"]["relu"], v["dead_share"]["leaky_relu"]))
        legend = self._legend().next_to(axes, RIGHT, buff=0.5).align_to(axes, UP)
        # The counter, then in its place the verdict, under the legend.
        counter = self._dead_counter(0).next_to(legend, DOWN, buff=0.6, aligned_edge=LEFT)
        table = self._verdict_table().next_to(legend, DOWN, buff=0.6, aligned_edge=LEFT)
        start = Dot(relu_points[0], radius=0.08, color=theme.ACTIVATION)
        harmless = theme.text(self.t("harmless"), theme.LABEL_SIZE, color=theme.MUTED)
        harmless.next_to(start, UP, buff=0.35).align_to(start, LEFT).shift(RIGHT * 0.3)  # clear of the y axis

        with self.beat("hot"):
            self.play(Create(axes), FadeIn(axis_names), run_time=1.5)
            self.play(FadeIn(legend))
        with self.beat("harmless"):
            self.play(FadeIn(start, scale=0.5), FadeIn(counter))
            self.play(FadeIn(harmless))
        with self.beat("rising"):
            self.play(FadeOut(harmless), run_time=0.5)
            segments = (Create(Line(a, b, color=theme.ACTIVATION, stroke_width=4))
                        for a, b in zip(relu_points, relu_points[1:]))
            counter = self.count_along(segments, counter, self._dead_counter, first=1, step_time=0.5)
            self.play(Indicate(counter[1], color=theme.LOSS))
        with self.beat("leaky"):
            leaky_line = DashedVMobject(VMobject(stroke_color=theme.ACTIVATION_DERIVATIVE, stroke_width=4)
                                        .set_points_as_corners(leaky_points), num_dashes=40)
            self.play(Create(leaky_line), FadeOut(counter), run_time=2.5)
            header, no_gradient, came_back, accuracy = table
            self.play(FadeIn(header), FadeIn(no_gradient))
            self.play(FadeIn(came_back))
            self.play(FadeIn(accuracy))

    def pushed_below(self) -> None:
        """Where the units went: the first layer's nets over every point, at the start and after training,
        with zero (ReLU's slope 0 left of it) marked and the share left of it for each net."""
        v, d = self.values, self.display
        edges = v["histogram_edges"]
        counts = v["histogram"]
        total = sum(counts["relu"]["before"])
        shares = {run: {when: [c / total for c in series] for when, series in pair.items()}
                  for run, pair in counts.items()}
        top = max(max(series) for pair in shares.values() for series in pair.values())
        # x measured from the lowest edge: an axis whose range holds 0 would draw its y axis at net = 0,
        # through the bars; the ticks are labelled with the net itself.
        low = edges[0]
        axes = Axes(x_range=[0, edges[-1] - low, 1], y_range=[0, 0.1 * math.ceil(top / 0.1), 0.1],
                    x_length=5.9, y_length=3.9, tips=False, x_axis_config={"include_ticks": False})
        _percent_ticks(axes)
        axes.x_axis.add_labels({t - low: theme.text(f"{t:g}".replace("-", "−"), theme.LABEL_SIZE)
                                for t in range(math.ceil(low / 2) * 2, math.floor(edges[-1]) + 1, 2)})
        axes.to_edge(LEFT, buff=0.8).shift(UP * 0.1)
        x_name = self.mixed("net_axis", theme.LABEL_SIZE, net="net").next_to(axes, DOWN, buff=0.5)
        y_name = theme.text(self.t("net_share_axis"), theme.LABEL_SIZE).next_to(axes, UP, buff=0.2).align_to(axes, LEFT)

        def histogram(series, colour, opacity) -> VGroup:
            base = axes.c2p(0, 0)[1]
            return VGroup(*(Rectangle(width=axes.c2p(hi - low, 0)[0] - axes.c2p(lo - low, 0)[0],
                                      height=max(axes.c2p(0, share)[1] - base, 1e-3), fill_color=colour,
                                      fill_opacity=opacity, stroke_color=colour, stroke_width=1)
                            .move_to([(axes.c2p(lo - low, 0)[0] + axes.c2p(hi - low, 0)[0]) / 2,
                                      (base + axes.c2p(0, share)[1]) / 2, 0])
                            for lo, hi, share in zip(edges, edges[1:], series)))

        # The start as an outline, over the end's filled bars: both stay readable where they overlap.
        before = histogram(shares["relu"]["before"], theme.TEXT, 0.0).set_stroke(width=2).set_z_index(1)
        after = histogram(shares["relu"]["after"], theme.ACTIVATION, 0.85)
        zero = DashedVMobject(Line(axes.c2p(-low, 0), axes.c2p(-low, axes.y_range[1]), color=theme.TEXT,
                                   stroke_width=2), num_dashes=16)
        # Left of zero ReLU passes no gradient: the dead zone's grey, behind the bars.
        dead = charts.shade(axes, 0, -low, 0, axes.y_range[1])
        title = self.mixed("below_title", theme.LABEL_SIZE, net=r"net \le 0")
        # The two drawn histograms' rows carry a sample of their bars; Leaky ReLU's is told, not drawn.
        def drawn(words: Mobject, colour, opacity) -> VGroup:
            sample = Square(0.28, fill_color=colour, fill_opacity=opacity, stroke_color=colour, stroke_width=2)
            return VGroup(sample, words).arrange(RIGHT, buff=0.15)

        rows = VGroup(
            drawn(theme.text(self.t("below_start", share=d["below_before"]), theme.LABEL_SIZE, color=theme.TEXT),
                  theme.TEXT, 0.0),
            drawn(theme.text(self.t("below_relu", steps=d["steps"], share=d["relu_below_after"]), theme.LABEL_SIZE,
                             color=theme.ACTIVATION), theme.ACTIVATION, 0.85),
            theme.text(self.t("below_leaky", share=d["leaky_below_after"], slope=d["leaky_slope"]), theme.LABEL_SIZE,
                       color=theme.ACTIVATION_DERIVATIVE))
        panel = VGroup(title, *rows).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        panel.next_to(axes, RIGHT, buff=0.6).align_to(axes, UP)
        with self.beat("below"):
            self.play(Create(axes), FadeIn(x_name), FadeIn(y_name), FadeIn(dead), Create(zero), run_time=1.5)
            self.play(FadeIn(before), FadeIn(title), FadeIn(rows[0]))
            self.play(FadeIn(after), run_time=2.5)
            self.play(FadeIn(rows[1]))
            self.play(FadeIn(rows[2]))

    def redundant(self) -> None:
        """The two trained nets with units removed, the weakest first: accuracy against the share removed
        from every layer, chance marked; the values the narration names beside their points."""
        v, d = self.values, self.display
        shares = v["ablation"]["relu"]["shares"]
        axes = Axes(x_range=[0, 1, 0.25], y_range=[0.4, 1, 0.2], x_length=6.3, y_length=3.7, tips=False)
        _percent_ticks(axes)
        axes.x_axis.add_labels({t: theme.text(f"{t:.0%}", theme.LABEL_SIZE) for t in (0.25, 0.5, 0.75, 1.0)})
        axes.to_edge(LEFT, buff=1.0).shift(UP * 0.05)
        x_name = theme.text(self.t("removed_axis"), theme.LABEL_SIZE).next_to(axes, DOWN, buff=0.5)
        x_name.align_to(axes, LEFT)
        y_name = theme.text(self.t("kept_axis"), theme.LABEL_SIZE).next_to(axes, UP, buff=0.2).align_to(axes, LEFT)
        chance = DashedVMobject(Line(axes.c2p(0, 0.5), axes.c2p(1, 0.5), color=theme.MUTED, stroke_width=2),
                                num_dashes=30)
        chance_name = theme.text(self.t("chance"), theme.LABEL_SIZE, color=theme.MUTED).next_to(
            axes.c2p(1, 0.5), UP, buff=0.1).align_to(axes.c2p(1, 0.5), RIGHT)
        runs = {}
        for name, colour, dashed in (("relu", theme.ACTIVATION, False), ("leaky_relu", theme.ACTIVATION_DERIVATIVE, True)):
            points = [axes.c2p(share, accuracy) for share, accuracy in zip(shares, v["ablation"][name]["accuracy"])]
            line = VMobject(stroke_color=colour, stroke_width=4).set_points_as_corners(points)
            runs[name] = (DashedVMobject(line, num_dashes=30) if dashed else line,
                          VGroup(*(Dot(point, radius=0.07, color=colour) for point in points)), points)
        said = shares.index(v["ablation_said"])
        labels = VGroup(
            theme.text(d["leaky_accuracy"], theme.LABEL_SIZE, color=theme.ACTIVATION_DERIVATIVE).next_to(
                runs["leaky_relu"][2][0], UP + RIGHT, buff=0.1),  # clear of the y axis's numbers
            theme.text(d["leaky_kept"], theme.LABEL_SIZE, color=theme.ACTIVATION_DERIVATIVE).next_to(
                runs["leaky_relu"][2][said], UP, buff=0.15),
            theme.text(d["ablation_accuracy"]["leaky_relu"][-1], theme.LABEL_SIZE,
                       color=theme.ACTIVATION_DERIVATIVE).next_to(runs["leaky_relu"][2][-1], RIGHT, buff=0.15),
            theme.text(d["relu_kept"], theme.LABEL_SIZE, color=theme.ACTIVATION).next_to(
                runs["relu"][2][-1], RIGHT, buff=0.15))
        legend = self._legend().arrange(RIGHT, buff=0.6).next_to(axes, UP, buff=0.2).align_to(axes, RIGHT)
        # Why ReLU's line is flat: most of each layer adds nothing to the next, and goes first.
        silent = theme.text(self.t("silent", shares=d["relu_silent_by_layer"]), theme.LABEL_SIZE, color=theme.ACTIVATION,
                            line_spacing=1.2).next_to(axes, RIGHT, buff=0.5).align_to(axes, DOWN)
        with self.beat("redundant"):
            self.play(Create(axes), FadeIn(x_name), FadeIn(y_name), Create(chance), FadeIn(chance_name), run_time=1.5)
            self.play(FadeIn(legend))
            for name, label_slice in (("leaky_relu", slice(0, 3)), ("relu", slice(3, 4))):
                line, dots, _ = runs[name]
                self.play(Create(line), FadeIn(dots), run_time=1.5)
                self.play(FadeIn(labels[label_slice]), run_time=0.6)
            self.play(FadeIn(silent), run_time=0.6)

    def born_dead(self) -> None:
        v, d = self.values, self.display
        rows = v["born_dead"]
        count = len(rows)
        axes = Axes(x_range=[0, count + 1, 1], y_range=[0, 1, 0.5], x_length=5.8, y_length=3.8, tips=False,
                    x_axis_config={"include_ticks": False})
        _percent_ticks(axes)
        axes.to_edge(LEFT, buff=0.9).shift(DOWN * 0.2)
        bars = charts.bars(axes, [row["probability"] for row in rows], theme.ACTIVATION, share=0.55, log=False)
        labels = VGroup(*(theme.text(percent, theme.LABEL_SIZE).next_to(bar, UP, buff=0.12)
                          for bar, percent in zip(bars, d["born_percent"])))
        widths = VGroup(*(theme.text(width, theme.LABEL_SIZE).next_to(axes.c2p(k, 0), DOWN, buff=0.2)
                          for k, width in enumerate(d["born_widths"], start=1)))
        x_label = theme.text(self.t("units_axis"), theme.LABEL_SIZE).next_to(widths, DOWN, buff=0.2)
        y_label = theme.text(self.t("born_axis", depth=d["born_depth"]), theme.LABEL_SIZE)
        y_label.next_to(axes, UP, buff=0.3).align_to(axes, LEFT)
        note = theme.text(self.t("born_note", trials=d["born_trials"]), theme.LABEL_SIZE,
                          color=theme.MUTED, line_spacing=1.2)
        note.next_to(axes, RIGHT, buff=0.6).align_to(axes, UP)
        with self.beat("born"):
            self.play(Create(axes), FadeIn(y_label), FadeIn(widths), FadeIn(x_label), FadeIn(note), run_time=1.5)
            for bar, label in zip(bars, labels):
                self.play(GrowFromEdge(bar, DOWN), FadeIn(label), run_time=0.7)

    def answer(self) -> None:
        self.conclude(
            self.mixed("answer", theme.BODY_SIZE, where="net < 0"),
            theme.text(self.t("answer_stuck"), theme.BODY_SIZE),
            self.mixed("answer_leaky", theme.BODY_SIZE, theme.ACTIVATION_DERIVATIVE,
                       slope="f'(net) = " + self.display["leaky_slope"], where=r"net \le 0"))
