"""Vanishing gradients: the sigmoid's slope is at most 0.25, and a deep chain of such slopes starves
the first layers.

Render: `python cli.py render vanishing` or `manim render -ql scenes/vanishing.py VanishingScene`.
"""

from __future__ import annotations

from manim import (DOWN, LEFT, ORIGIN, RIGHT, UP, UR, Axes, Circle, Create, DashedVMobject, Dot, FadeIn, FadeOut,
                   GrowFromEdge, Indicate, Line, Mobject, ReplacementTransform, Square, VGroup, Write)

from mathcore import activations
from scenes import charts, theme
from scenes.base import LectureScene
from scenes.theme import Part


# The width of the chain's gradient arrow where it leaves E (all of the gradient).
MAX_WIDTH = 16
# The words under each factor of the w5/w1 ratio (content.numbers.vanishing: split_tex), by factor.
SPLIT_WORDS = {"input": "split_input", "error": "split_error", "slope": "split_slope"}


class VanishingScene(LectureScene):

    scene_id = "vanishing"
    picture_beat = "product"
    def construct(self) -> None:
        self.show_title()
        self.ask(deep_title=self.display["deep_title"])
        axes = self.sigmoid_slope()
        self.saturation(axes)
        self.clear_stage()
        self.classic_network_case()
        self.clear_stage()
        self.deep_chain()
        self.clear_stage()
        self.measured()
        self.clear_stage()
        self.on_the_spiral()
        self.clear_stage()
        self.answer()

    # --- beats ---------------------------------------------------------------------------------------

    def sigmoid_slope(self) -> Axes:
        v, d = self.values, self.display
        axes = Axes(x_range=[-6, 6, 2], y_range=[0, 1, 0.25], x_length=7, y_length=4.6,
                    axis_config={"font_size": theme.AXIS_NUMBER_SIZE, "include_numbers": True},
                    # Only 0.5 and 1 on the y axis: the peak's own label marks 0.25.
                    y_axis_config={"numbers_to_include": [0.5, 1]},
                    tips=False).to_edge(LEFT, buff=0.8).shift(DOWN * 0.5)
        sigmoid = activations.get("sigmoid")
        curve = axes.plot(lambda x: float(sigmoid(x)), color=theme.ACTIVATION, stroke_width=5)
        slope = DashedVMobject(
            axes.plot(lambda x: float(sigmoid.derivative(x)), color=theme.ACTIVATION_DERIVATIVE, stroke_width=5),
            num_dashes=60)
        curve_label = theme.formula(r"\sigma(x)", color=theme.ACTIVATION, size=theme.LABEL_SIZE).next_to(
            axes.c2p(4.2, float(sigmoid(4.2))), UP, buff=0.2)
        slope_label = theme.formula(r"\sigma'(x)", color=theme.ACTIVATION_DERIVATIVE, size=theme.LABEL_SIZE).next_to(
            axes.c2p(2.2, float(sigmoid.derivative(2.2))), UR, buff=0.15)

        peak_point = axes.c2p(0, v["sigmoid_peak"])
        peak_dot = Dot(peak_point, color=theme.GRADIENT, radius=0.09)
        peak_label = theme.formula(d["peak"], color=theme.GRADIENT, size=theme.LABEL_SIZE).next_to(
            peak_dot, UR, buff=0.12)

        rule = theme.formula(r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)")
        bound = theme.formula(r"\sigma'(x) \le \sigma'(0) = " + d["peak"],
                              color=theme.GRADIENT)
        formulas = VGroup(rule, bound).arrange(DOWN, buff=0.5, aligned_edge=LEFT)
        formulas.next_to(axes, RIGHT, buff=0.6).align_to(axes, UP).shift(DOWN * 0.6)

        with self.beat("slope"):
            self.play(Create(axes), run_time=1.5)
            self.play(Create(curve), FadeIn(curve_label), run_time=1.5)
            self.play(Create(slope), FadeIn(slope_label), Write(rule), run_time=2)
            self.play(FadeIn(peak_dot, scale=0.5), FadeIn(peak_label), Write(bound))
            self.play(Indicate(peak_label, color=theme.GRADIENT))
        return axes

    def saturation(self, axes: Axes) -> None:
        x_sat = self.values["saturation_x"]
        shades = VGroup(charts.shade(axes, -6, -x_sat, 0, 1), charts.shade(axes, x_sat, 6, 0, 1))
        label = theme.text(self.t("saturated"), theme.SMALL_SIZE, color=theme.MUTED).next_to(
            shades[0], UP, buff=0.1).align_to(shades[0], LEFT)
        with self.beat("saturate"):
            self.play(FadeIn(shades), FadeIn(label))

    def classic_network_case(self) -> None:
        d = self.display
        slope_color = theme.ACTIVATION_DERIVATIVE
        a, s, b = d["w5_factors"]
        w5_row = theme.formula(r"\frac{\partial E}{\partial w_5}", "=", a, r"\cdot", Part(s, slope_color, name="slope"),
                               r"\cdot", Part(b, name="input"), "=",
                               (d["grad_w5"], theme.GRADIENT))

        p1, p2 = d["w1_paths"]  # factors: dE_o/dout_o, dout_o/dnet_o, dnet_o/dout_h1, dout_h1/dnet_h1, dnet_h1/dw1
        h1, s1, k1 = p1[:3]
        h2, s2, k2 = p2[:3]
        # Too long for one line at a readable size: the sum over both paths, then the shared tail. The sigmoid
        # slopes are o1's and o2's in the sum, and h1's own in the tail.
        w1_row = theme.formula(
            r"\frac{\partial E}{\partial w_1}", "=", Part(r"\bigl(", name="sum"), h1, r"\cdot",
            Part(s1, slope_color, name="slope"), r"\cdot", Part(k1, name="weight"), "+",
            Part("(" + h2 + ")", name="second"), r"\cdot", Part(s2, slope_color, name="slope"), r"\cdot",
            Part(k2, name="weight"), r"\bigr)")
        w1_result = theme.formula(r"\cdot", Part(p1[3], slope_color, name="slope"), r"\cdot",
                                  Part(p1[4], name="input"), "=", (d["grad_w1_tex"], theme.GRADIENT))
        w1_slopes = VGroup(*w1_row.parts("slope"), *w1_result.parts("slope"))

        legend = theme.text(self.t("slope_legend"), theme.LABEL_SIZE, color=slope_color)
        rows = VGroup(w5_row, w1_row, w1_result).arrange(DOWN, buff=0.5, aligned_edge=LEFT)
        w1_result.align_to(w1_row.part("sum"), LEFT)
        rows.move_to(UP * 0.4)
        legend.next_to(rows, DOWN, buff=0.6).align_to(rows, LEFT)
        ratio = theme.text(self.t("smaller", ratio=self.display["ratio"]), theme.BODY_SIZE, color=theme.GRADIENT)
        ratio.next_to(w1_result, RIGHT, buff=0.6)

        with self.beat("w5"):
            self.play(Write(w5_row), run_time=2)
            self.play(Indicate(w5_row.part("slope"), color=slope_color), FadeIn(legend))
        with self.beat("w1"):
            self.play(Write(w1_row), run_time=3)
            self.play(Write(w1_result), run_time=2)
            self.play(*(Indicate(slope, color=slope_color) for slope in w1_slopes))
            self.play(FadeIn(ratio, shift=LEFT * 0.2))
        self.ratio_split(VGroup(w5_row, w1_row, w1_result), legend, ratio)

    def ratio_split(self, rows: VGroup, legend: Mobject, ratio: Mobject) -> None:
        """The ratio as its three factors, each under the part of the formulas it comes from: the input
        (w1 multiplies i1, w5 out_h1), the weights with the two paths partly cancelling, the extra slope."""
        d = self.display
        w5_row, w1_row, w1_result = rows
        # Each factor's colour: the input white (blue is the slopes' here, as the legend said), the weights
        # yellow, the slope as above.
        colours = {"input": theme.TEXT, "error": theme.WEIGHT, "slope": theme.ACTIVATION_DERIVATIVE}
        parts = d["split_tex"]
        # One row per factor: "187 = | 11.9 | input | 0.5933 / 0.05", then "x | 3.81 | ...", in a grid.
        rows_of = [VGroup(theme.formula(d["ratio"] + " =" if k == 0 else r"\times"),
                          theme.formula(p["factor"], color=colours[p["name"]]),
                          theme.text(self.t(SPLIT_WORDS[p["name"]]), theme.SMALL_SIZE, color=colours[p["name"]]),
                          theme.formula(f"{p['top']} / {p['bottom']}", size=theme.SMALL_SIZE))
                   for k, p in enumerate(parts)]
        table = VGroup(*rows_of)
        VGroup(*(cell for row in rows_of for cell in row)).arrange_in_grid(
            rows=len(rows_of), cols=4, buff=(0.35, 0.12), col_alignments="rlll")
        # Where each factor comes from in the formulas above.
        sources = {"input": VGroup(w1_result.part("input"), w5_row.part("input")),
                   "error": VGroup(*w1_row.parts("weight"), w1_row.part("second")),
                   "slope": w1_result.part("slope")}
        with self.beat("split"):
            self.play(FadeOut(legend), rows.animate.shift(UP * 0.35), run_time=0.8)
            table.next_to(w1_result, DOWN, buff=0.35).align_to(rows, LEFT).shift(RIGHT * 0.3)
            self.play(ReplacementTransform(ratio, rows_of[0][0]))
            for p, row in zip(parts, rows_of):
                self.play(Indicate(sources[p["name"]], color=colours[p["name"]]),
                          FadeIn(row if row is not rows_of[0] else row[1:], shift=UP * 0.1))

    def deep_chain(self) -> None:
        v = self.values
        depth = v["depth"]
        reach = v["reach"]
        # A bound above 1 (GELU's slope peaks at 1.13) climbs past 10^0: the axes make room for it.
        axes = charts.log_axes(depth, [*reach, *v["bound"]], x_length=8.0, y_length=3.25)
        axes.to_edge(LEFT, buff=1.4).shift(DOWN * 0.72)
        x_label, y_label = charts.axis_labels(axes, self.t("layers_crossed"), self.t("gradient_left"), theme.GRADIENT)
        bars = charts.bars(axes, reach, theme.GRADIENT, log=True)
        chain, segments = self._chain(axes, reach, top=y_label.get_top()[1] + 0.72)
        bound_line = charts.line(axes, range(1, depth + 1), v["bound"], theme.MUTED, dashed=True, width=3)

        counter_title = theme.text(self.t("left_after"), theme.LABEL_SIZE)

        def counter_for(k: int) -> VGroup:
            return VGroup(theme.text(self.t("after_many" if k > 1 else "after_one", k=k), theme.LABEL_SIZE),
                          theme.formula(self.display["reach_tex"][k - 1], size=theme.BODY_SIZE, color=theme.GRADIENT)
                          ).arrange(DOWN, buff=0.2, aligned_edge=LEFT)

        panel_x = axes.get_right()[0] + 0.4
        counter_title.move_to([panel_x, axes.get_top()[1] - 0.3, 0], aligned_edge=LEFT)
        counter = counter_for(1).next_to(counter_title, DOWN, buff=0.2, aligned_edge=LEFT)
        factor_note = theme.text(self.t("each_layer", factor=self.display["typical_factor"]), theme.LABEL_SIZE,
                                 color=theme.ACTIVATION_DERIVATIVE)
        factor_note.next_to(counter, DOWN, buff=0.6, aligned_edge=LEFT)
        # The bound's legend sits in the panel: on the chart it would collide with bars or labels.
        # The bound is the slopes' alone: the weights multiply the gradient too (the bars include them).
        bound_label = VGroup(
            theme.text(self.t("bound"), theme.LABEL_SIZE, color=theme.MUTED),
            VGroup(DashedVMobject(Line(ORIGIN, RIGHT * 0.45, color=theme.MUTED, stroke_width=3), num_dashes=3),
                   theme.formula(self.display["deep_bound"] + "^k", size=theme.LABEL_SIZE, color=theme.MUTED),
                   ).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, buff=0.15, aligned_edge=LEFT).next_to(factor_note, DOWN, buff=0.5, aligned_edge=LEFT)

        with self.beat("deep"):
            self.play(Create(axes), FadeIn(x_label), FadeIn(y_label), FadeIn(chain), run_time=1.5)
            self.play(GrowFromEdge(bars[0], DOWN), Create(segments[0]), FadeIn(counter_title), FadeIn(counter))
            self.play(FadeIn(factor_note))
        with self.beat("product"):
            # Bar and arrow together, layer by layer: the log chart reads the size, the arrow shows it.
            self.grow_bars(bars, counter, counter_for, seconds=5.0, alongside=segments)
            self.play(Create(bound_line), FadeIn(bound_label))
            self.play(Indicate(bars[-1], color=theme.LOSS))

    def _chain(self, axes: Axes, reach, top: float) -> tuple[VGroup, VGroup]:
        """The network stretched into a chain over the chart: the error E, then one node per layer above
        its bar, and the gradient going back along it as an arrow whose width follows the gradient
        arriving (linear, so it visibly thins; the bars beneath give the size on a log scale)."""
        depth = len(reach)
        xs = [axes.c2p(k, 10.0 ** axes.y_range[0])[0] for k in range(depth + 1)]
        y = top - 0.27
        step = xs[1] - xs[0]
        radius = min(0.16, 0.3 * step)
        # E holds its letter while the nodes are far apart (the default 10 layers); in a deeper chain it
        # shrinks with them and its letter stands left of it.
        error_radius = min(0.27, 0.45 * step)
        circle = Circle(radius=error_radius, color=theme.LOSS, stroke_width=3).set_fill(theme.BACKGROUND, 1)
        circle.move_to([xs[0], y, 0])
        letter = theme.formula("E", size=theme.LABEL_SIZE)
        letter.move_to(circle) if error_radius >= 0.27 else letter.next_to(circle, LEFT, buff=0.1)
        error = VGroup(circle, letter)
        nodes = VGroup(*(Circle(radius=radius, color=theme.ACTIVATION, stroke_width=3).set_fill(theme.BACKGROUND, 1)
                         .move_to([x, y, 0]) for x in xs[1:]))
        guide = Line([xs[0], y, 0], [xs[-1], y, 0], color=theme.MUTED, stroke_width=1).set_z_index(-2)
        # What enters layer k's segment: all of it at E, then what each layer passed on. Above 1 (a
        # growing chain) the widths are scaled so the widest stays MAX_WIDTH.
        carried = [1.0, *reach[:-1]]
        # No thicker than the nodes are wide where they crowd (the default 10 layers keep MAX_WIDTH).
        scale = MAX_WIDTH * min(1.0, step / 0.72) / max(1.0, max(carried))
        segments = VGroup(*(Line([a, y, 0], [b, y, 0], color=theme.GRADIENT, stroke_width=scale * c).set_z_index(-1)
                            for a, b, c in zip(xs, xs[1:], carried)))
        note = theme.text(self.t("chain_widths"), theme.LABEL_SIZE, color=theme.GRADIENT)
        note.move_to([axes.get_right()[0] + 0.4, y, 0], aligned_edge=LEFT)  # the panel's column
        return VGroup(guide, error, nodes, note), segments

    def measured(self) -> None:
        trained = self.values["trained"]
        shown = self.display
        runs = ("sigmoid", "relu")
        chart = charts.two_run_chart(
            trained["layers"], [trained["grad_norms_first_step"][run] for run in runs],
            [self.activation_title(run) for run in runs], [shown["ratio_tex"][run] for run in runs],
            self.t("layer_axis"), self.t("norm_axis"), self.t("ratio_title"))
        # How far training moved each net's first layer (after all its steps), in the ratios' place.
        moved_title = theme.text(self.t("moved_title", steps=shown["trained_steps"]), theme.LABEL_SIZE)
        moved = VGroup(*(charts.named(self.activation_title(run), theme.formula(shown["change_tex"][run], color=colour),
                                      colour) for run, colour in zip(runs, (theme.GRADIENT, theme.GRADIENT_ALT))))
        moved.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        VGroup(moved_title, moved).arrange(DOWN, aligned_edge=LEFT, buff=0.25).move_to(
            VGroup(chart.ratio_title, chart.ratios), aligned_edge=UP + LEFT)
        with self.beat("measured"):
            self.draw_two_runs(chart)
        with self.beat("moved"):
            self.play(ReplacementTransform(chart.ratio_title, moved_title), ReplacementTransform(chart.ratios, moved))
            self.play(Indicate(moved[0], color=theme.GRADIENT))

    def on_the_spiral(self) -> None:
        """What the gradients cost on the data: each trained net's answer over the plane, the spiral on it."""
        trained, shown = self.values["trained"], self.display
        spiral = trained["spiral"]
        side = 4.7
        panels = []
        for run in ("sigmoid", "relu"):
            panel = charts.regions(trained["regions"][run], trained["lattice"]["extent"], spiral["points"],
                                   spiral["labels"], side)
            title = theme.text(self.t("regions_title", name=self.activation_title(run),
                                      accuracy=shown[f"{run}_accuracy"]), theme.LABEL_SIZE)
            panels.append((panel, title))
        squares = VGroup(*(panel.whole for panel, _ in panels)).arrange(RIGHT, buff=0.7)
        # Each arm's sample: its point on the ground a net gives that arm, so the legend pairs them.
        samples = [VGroup(Square(0.34, fill_color=theme.ARM_GROUNDS[k], fill_opacity=1, stroke_width=1,
                                 stroke_color=theme.MUTED),
                          Dot(radius=0.09, fill_color=theme.ARM_POINTS[k], fill_opacity=1,
                              stroke_color=theme.ARM_POINTS[1 - k], stroke_width=1.5)) for k in (0, 1)]
        legend = VGroup(*(VGroup(sample, theme.text(self.t(key), theme.LABEL_SIZE)).arrange(RIGHT, buff=0.2)
                          for sample, key in zip(samples, ("arm_white", "arm_black"))),
                        theme.text(self.t("regions_ground"), theme.LABEL_SIZE, color=theme.MUTED))
        legend.arrange(RIGHT, buff=0.7)
        VGroup(squares, legend).arrange(DOWN, buff=0.3).move_to([0, (theme.content_top() + theme.frame_box()[2]) / 2 - 0.25, 0])
        for panel, title in panels:
            title.next_to(panel.ground, UP, buff=0.2)
        with self.beat("regions"):
            self.play(*(FadeIn(panel.points) for panel, _ in panels), FadeIn(legend[:2]), run_time=1.2)
            for k, (panel, title) in enumerate(panels):
                panel.ground.set_z_index(-1)
                self.play(FadeIn(panel.ground), FadeIn(title), *([FadeIn(legend[2])] if k == 0 else []), run_time=1.2)

    def answer(self) -> None:
        d = self.display
        self.conclude(
            self.mixed("answer_bound", theme.BODY_SIZE, peak=d["peak"]),
            self.mixed("answer_weights", theme.BODY_SIZE, factor=r"\times" + d["sigmoid_factor"]),
            self.mixed("answer_left", theme.BODY_SIZE, depth=d["depth"], left=d["sigmoid_reach_tex"]),
            theme.text(self.t("answer_first"), theme.BODY_SIZE))
