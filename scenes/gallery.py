"""The common activations, one after another: formula, curve, slope on matching axes, the regions where
the slope fades (saturated) or is exactly zero (dead), range and use. Generated from the activation
registry: `--only` picks which, and an activation added to mathcore can be shown without a line here.

Render: `python cli.py render activations` (or `--only relu,gelu`), or
`manim render -ql scenes/activations_gallery.py ActivationsScene`.
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import (DOWN, LEFT, RIGHT, UP, UR, Axes, Create, DashedLine, DashedVMobject, Dot, FadeIn, FadeOut,
                   Line, MathTex, Rectangle, Square, Text, Transform, ValueTracker, VGroup, VMobject, Write,
                   always_redraw, linear)

from mathcore import activations
from scenes import charts, theme
from scenes.base import LectureScene

AXES_LEFT = -5.9  # the left edge of both plots (their numbers sit left of it); the panel starts at PANEL_LEFT
AXES_WIDTH = 5.8
VALUE_HEIGHT = 2.2
SLOPE_HEIGHT = 1.8
AXES_GAP = 0.6
PANEL_LEFT = 0.3
REGION_WORDS = {"dead": "region_dead", "saturated": "region_saturated", "small": "region_small"}  # keys
# A legend's sample of the shade is small: more opaque than the shaded regions, it still reads as their grey.
SWATCH_OPACITY = theme.SHADE_OPACITY + 0.3


@dataclass
class Plot:
    """One of an activation's two plots: its axes, the numbers on them, its curve and the curve's name."""

    axes: Axes
    ticks: VGroup
    curve: VMobject
    label: MathTex


@dataclass
class Panel:
    """The column right of the plots, in the order it is shown: formula and slope, then each kind of
    region's swatch (by kind, in the order the kinds are shown), then range and use."""

    formula: VGroup
    derivative: VGroup
    swatches: dict[str, VGroup]
    range_row: VGroup
    use: Text


class ActivationsScene(LectureScene):

    scene_id = "activations"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.legend()
        for name in self.values["names"]:
            self.present(name)
            self.clear_stage(run_time=0.5)
        if self.values["relation"] is not None:
            self.relation()
            self.clear_stage(run_time=0.5)
        if self.values["smooth"] is not None:
            self.smooth()
            self.clear_stage(run_time=0.5)
        self.answer()

    # --- helpers -------------------------------------------------------------------------------------

    def _swatch(self, words: str, colour=theme.SHADE) -> VGroup:
        return VGroup(Square(0.32, fill_color=colour, fill_opacity=SWATCH_OPACITY, stroke_width=0),
                      theme.text(words, theme.LABEL_SIZE, color=theme.MUTED)).arrange(RIGHT, buff=0.2)

    def _formula(self, latex: str, colour, width: float) -> VGroup:
        """A registry formula in the panel: one too wide for it breaks at its top-level ",\\ " (Mish's
        "..., s = ...") and, if a line is still too wide, shrinks to fit."""
        parts = latex.split(r",\ ")
        if len(parts) > 1 and theme.formula(latex, size=theme.LABEL_SIZE).width > width:
            texts = [part + "," for part in parts[:-1]] + [parts[-1]]
        else:
            texts = [latex]
        lines = [theme.formula(text, size=theme.LABEL_SIZE, color=colour) for text in texts]
        for line in lines:
            if line.width > width:
                line.scale_to_fit_width(width)
        return VGroup(*lines).arrange(DOWN, buff=0.2, aligned_edge=LEFT)

    def _heading(self, shown: dict) -> Text:
        heading = theme.text(shown["title"], theme.BODY_SIZE + 4)
        return heading.move_to([AXES_LEFT, theme.content_top() - 0.1, 0], aligned_edge=UP + LEFT)

    def _plots(self, entry: dict, shown: dict, act, heading: Text) -> tuple[Plot, Plot]:
        """The curve above, its slope below, under the heading on one x range. Numbers on the axes: the
        curve's whole-number extent by its y axis (0 is the x axis itself), and x under the lower plot
        only, as both plots share it (the slope's peak is marked by _peak)."""
        x_lo, x_hi = self.values["x_range"]
        v_lo, v_hi = entry["value_axis"]
        s_lo, s_hi = entry["slope_axis"]
        values_axes = Axes(x_range=[x_lo, x_hi, 1], y_range=[v_lo, v_hi, 1], x_length=AXES_WIDTH,
                           y_length=VALUE_HEIGHT, tips=False)
        values_axes.move_to([AXES_LEFT, heading.get_bottom()[1] - 0.25, 0], aligned_edge=UP + LEFT)
        slope_axes = Axes(x_range=[x_lo, x_hi, 1], y_range=[s_lo, s_hi, 0.25], x_length=AXES_WIDTH,
                          y_length=SLOPE_HEIGHT, tips=False)
        slope_axes.move_to([AXES_LEFT, values_axes.get_bottom()[1] - AXES_GAP, 0], aligned_edge=UP + LEFT)

        value_ticks = VGroup(*(theme.formula(text, size=theme.LABEL_SIZE).next_to(values_axes.c2p(0, v), LEFT, 0.2)
                               for v, text in zip((v_lo, v_hi), shown["value_ticks"]) if v != 0))
        x_ticks = VGroup(*(theme.formula(f"{x:g}", size=theme.LABEL_SIZE).next_to(
            slope_axes.c2p(x, s_lo), DOWN, buff=0.15) for x in range(int(x_lo) + 1, int(x_hi), 2)))
        # The slope axis is shared by every activation shown: its numbers make the heights comparable.
        x_ticks.add(*(theme.formula(text, size=theme.LABEL_SIZE).next_to(slope_axes.c2p(x_lo, float(t)), LEFT, 0.2)
                      for t, text in self.display["slope_ticks"]))
        curve = values_axes.plot(lambda x: float(act(x)), color=theme.ACTIVATION, stroke_width=5)
        slope_curve = slope_axes.plot(lambda x: float(act.derivative(x)), color=theme.ACTIVATION_DERIVATIVE,
                                      stroke_width=5, discontinuities=entry["slope_jumps"], dt=1e-3)
        f_label = theme.formula("f(x)", size=theme.LABEL_SIZE, color=theme.ACTIVATION).next_to(
            values_axes.c2p(x_lo, v_hi), RIGHT + DOWN, buff=0.1)
        d_label = theme.formula("f'(x)", size=theme.LABEL_SIZE, color=theme.ACTIVATION_DERIVATIVE).next_to(
            slope_axes.c2p(x_lo, s_hi), RIGHT + DOWN, buff=0.1)
        return (Plot(values_axes, value_ticks, curve, f_label),
                Plot(slope_axes, x_ticks, DashedVMobject(slope_curve, num_dashes=60), d_label))

    def _peak(self, entry: dict, shown: dict, slope: Plot) -> tuple[Dot, MathTex]:
        """The slope's peak: a dot, and its value beside it."""
        dot = Dot(slope.axes.c2p(entry["peak_x"], entry["peak_slope"]), color=theme.GRADIENT, radius=0.08)
        label = theme.formula(shown["peak"], size=theme.LABEL_SIZE, color=theme.GRADIENT).next_to(dot, UR, buff=0.08)
        return dot, label

    def _panel(self, entry: dict, shown: dict) -> Panel:
        """The panel right of the plots, from the title's foot to the bottom of the safe area: spaced
        tighter for the registry's tallest entries, and shrunk if even that does not fit."""
        top = theme.content_top()
        width = theme.frame_box()[1] - PANEL_LEFT
        kinds = dict.fromkeys(region["kind"] for region in entry["regions"])
        panel = Panel(
            formula=self._formula(entry["formula"], theme.ACTIVATION, width),
            derivative=self._formula(entry["derivative_formula"], theme.ACTIVATION_DERIVATIVE, width),
            swatches={kind: self._swatch(self.t(REGION_WORDS[kind]), theme.SHADE_SMALL if kind == "small" else theme.SHADE)
                      for kind in kinds},
            range_row=VGroup(theme.text(self.t("range"), theme.LABEL_SIZE, color=theme.MUTED),
                             theme.formula(entry["range_latex"], size=theme.LABEL_SIZE)).arrange(RIGHT, buff=0.3),
            use=theme.wrap(self.t("use", use=shown["use"]), theme.LABEL_SIZE, width, line_spacing=1.1))
        swatches = VGroup(*panel.swatches.values()).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        column = VGroup(panel.formula, panel.derivative, panel.range_row, panel.use, swatches)
        room = top - 0.15 - theme.frame_box()[2]
        for buff in (0.4, 0.25):
            column.arrange(DOWN, buff=buff, aligned_edge=LEFT)
            if column.height <= room:
                break
        if column.height > room:
            column.scale_to_fit_height(room)
        column.move_to([PANEL_LEFT, top - 0.15, 0], aligned_edge=UP + LEFT)
        return panel

    def _regions(self, name: str, kind: str, plots: tuple[Plot, Plot]) -> VGroup:
        """Every region of `kind` shaded on both plots, over each plot's whole height; a small but living
        slope (Leaky ReLU's) in its own tint, not the grey of dead and saturated, with its value on it."""
        entry = self.values["gallery"][name]
        colour = theme.SHADE_SMALL if kind == "small" else theme.SHADE
        shades = VGroup(*(charts.shade(plot.axes, region["from"], region["to"], *plot.axes.y_range[:2], colour)
                          for region in entry["regions"] if region["kind"] == kind for plot in plots))
        if kind == "small":
            slope = plots[1]
            for region in (r for r in entry["regions"] if r["kind"] == kind):
                middle = (region["from"] + region["to"]) / 2
                shades.add(theme.formula("f' = " + self.display["each"][name]["small_slope"],
                                         size=theme.LABEL_SIZE, color=theme.ACTIVATION_DERIVATIVE).next_to(
                    slope.axes.c2p(middle, region["slope"]), UP, buff=0.25))
        return shades

    def _sweeper(self, act, plots: tuple[Plot, Plot]):
        """A dot on the curve and one on the slope, tied by a dashed line, that sweep x once from left to
        right: the returned function plays the sweep the first time it is called, and nothing after."""
        values, slope = plots
        x_lo, x_hi = self.values["x_range"]
        tracker = ValueTracker(x_lo)
        dot = always_redraw(lambda: Dot(values.axes.c2p(tracker.get_value(), float(act(tracker.get_value()))),
                                        color=theme.ACTIVATION, radius=0.09))
        slope_dot = always_redraw(lambda: Dot(
            slope.axes.c2p(tracker.get_value(), float(act.derivative(tracker.get_value()))),
            color=theme.ACTIVATION_DERIVATIVE, radius=0.09))
        link = always_redraw(lambda: DashedLine(dot.get_center(), slope_dot.get_center(), color=theme.MUTED,
                                                stroke_width=2, dash_length=0.08))
        moving = (dot, slope_dot, link)
        swept = False

        def sweep_once() -> None:
            nonlocal swept
            if swept:
                return
            swept = True
            self.play(FadeIn(*moving), run_time=0.3)
            self.play(tracker.animate.set_value(x_hi), run_time=2.5, rate_func=linear)
            for mob in moving:
                mob.clear_updaters()

        return sweep_once

    # --- beats ---------------------------------------------------------------------------------------

    def legend(self) -> None:
        solid = Line(LEFT * 0.5, RIGHT * 0.5, color=theme.ACTIVATION, stroke_width=6)
        dashed = DashedLine(LEFT * 0.5, RIGHT * 0.5, color=theme.ACTIVATION_DERIVATIVE, stroke_width=6,
                            dash_length=0.12)
        box = Rectangle(width=1.0, height=0.45, fill_color=theme.SHADE, fill_opacity=SWATCH_OPACITY, stroke_width=0)
        rows = VGroup(*(VGroup(sample, theme.text(words, theme.BODY_SIZE, color=colour)).arrange(RIGHT, buff=0.4)
                        for sample, words, colour in (
                            (solid, self.t("legend_function"), theme.ACTIVATION),
                            (dashed, self.t("legend_slope"), theme.ACTIVATION_DERIVATIVE),
                            (box, self.t("legend_shade"), theme.MUTED))))
        rows.arrange(DOWN, buff=0.5, aligned_edge=LEFT).move_to(DOWN * 0.4)
        with self.beat("legend"):
            for row in rows:
                self.play(FadeIn(row, shift=RIGHT * 0.2), run_time=0.8)
        self.play(FadeOut(rows), run_time=0.5)

    def present(self, name: str) -> None:
        """One activation: its curve and slope with their formulas, each kind of region where the slope
        fails (the dots sweep x in the first), then its range and use (the sweep, if it had no region)."""
        entry, shown = self.values["gallery"][name], self.display["each"][name]
        act = activations.get(name)
        heading = self._heading(shown)
        plots = self._plots(entry, shown, act, heading)
        values, slope = plots
        peak_dot, peak_label = self._peak(entry, shown, slope)
        panel = self._panel(entry, shown)
        sweep_once = self._sweeper(act, plots)

        with self.beat(f"curve:{name}"):
            self.play(FadeIn(heading), Create(values.axes), FadeIn(values.ticks), Write(panel.formula), run_time=0.8)
            self.play(Create(values.curve), FadeIn(values.label), run_time=0.7)
            self.play(Create(slope.axes), FadeIn(slope.ticks), Write(panel.derivative), run_time=0.8)
            self.play(Create(slope.curve), FadeIn(slope.label), run_time=0.7)
            self.play(FadeIn(peak_dot, scale=0.5), FadeIn(peak_label), run_time=0.4)
        for kind, swatch in panel.swatches.items():
            with self.beat(f"{kind}:{name}"):
                self.play(FadeIn(self._regions(name, kind, plots)), FadeIn(swatch), run_time=0.8)
                sweep_once()
        with self.beat(f"use:{name}"):
            self.play(FadeIn(panel.range_row), run_time=0.6)
            self.play(FadeIn(panel.use), run_time=0.6)
            sweep_once()

    def relation(self) -> None:
        """tanh drawn, then the sigmoid turned into it a step at a time: squeezed (2x), stretched (x2) and
        shifted (-1); it lands on tanh, and the slopes follow: 4 sigma'(2x) peaks at four times 0.25."""
        sigmoid, tanh = activations.get("sigmoid"), activations.get("tanh")
        top, (left, right, bottom, _) = theme.content_top(), theme.frame_box()
        # Up to 2: the stretched sigmoid, 2 sigma(2x), reaches it before the shift brings it down.
        axes = Axes(x_range=[-4, 4, 1], y_range=[-1, 2, 1], x_length=5.6, y_length=4.6, tips=False)
        axes.move_to([left + 0.7, top - 0.3, 0], aligned_edge=UP + LEFT)
        ticks = VGroup(*(theme.formula(f"{v:g}", size=theme.LABEL_SIZE).next_to(axes.c2p(0, v), LEFT, 0.15)
                         for v in (-1, 1, 2)),
                       # under the plot's floor, clear of ELU's floor label at y = -1
                       *(theme.formula(f"{x:g}", size=theme.LABEL_SIZE).next_to(axes.c2p(x, -1.2), DOWN, 0.15)
                         for x in (-4, -2, 2, 4)))
        target = axes.plot(lambda x: float(tanh(x)), color=theme.MUTED, stroke_width=12, stroke_opacity=0.55)
        steps = [(lambda x: float(sigmoid(x)), r"\sigma(x)"), (lambda x: float(sigmoid(2 * x)), r"\sigma(2x)"),
                 (lambda x: 2 * float(sigmoid(2 * x)), r"2\sigma(2x)"),
                 (lambda x: 2 * float(sigmoid(2 * x)) - 1, r"2\sigma(2x) - 1")]
        curves = [axes.plot(f, color=theme.ACTIVATION, stroke_width=5) for f, _ in steps]
        column_left = axes.get_right()[0] + 0.5
        width = right - column_left
        tanh_name = VGroup(Line(LEFT * 0.3, RIGHT * 0.3, color=theme.MUTED, stroke_width=12, stroke_opacity=0.55),
                           theme.formula(r"\tanh(x)", size=theme.FORMULA_SIZE, color=theme.MUTED)).arrange(RIGHT, buff=0.2)
        sample = Line(LEFT * 0.3, RIGHT * 0.3, color=theme.ACTIVATION, stroke_width=5)
        names = [theme.formula(tex, size=theme.FORMULA_SIZE, color=theme.ACTIVATION) for _, tex in steps]
        identity = theme.formula(r"\tanh(x) = 2\sigma(2x) - 1", size=theme.FORMULA_SIZE)
        gap = self.mixed("relation_gap", theme.LABEL_SIZE, theme.MUTED, gap=self.display["relation_error_tex"])
        slope = VGroup(theme.formula(r"\tanh'(x) = 4\sigma'(2x)", size=theme.FORMULA_SIZE, color=theme.ACTIVATION_DERIVATIVE),
                       theme.formula(rf"\le 4 \cdot {self.display['sigmoid_peak']} = {self.display['tanh_peak']}",
                                     size=theme.FORMULA_SIZE, color=theme.ACTIVATION_DERIVATIVE))
        slope.arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        slope[1].shift(RIGHT * 0.6)  # the bound reads as the continuation of the line above
        steps_words = theme.text(self.t("relation_steps"), theme.LABEL_SIZE, color=theme.MUTED)
        legend = VGroup(tanh_name, VGroup(sample, names[0]).arrange(RIGHT, buff=0.2))
        column = VGroup(legend.arrange(DOWN, buff=0.3, aligned_edge=LEFT), steps_words, identity, gap, slope)
        column.arrange(DOWN, buff=0.4, aligned_edge=LEFT)
        if column.width > width:
            column.scale_to_fit_width(width)
        column.move_to([column_left, top - 0.35, 0], aligned_edge=UP + LEFT)
        for name in names[1:]:
            name.match_height(names[0]).move_to(names[0], aligned_edge=LEFT)
        with self.beat("relation"):
            self.play(Create(axes), FadeIn(ticks), run_time=0.8)
            self.play(Create(target), FadeIn(tanh_name), run_time=0.8)
            self.play(Create(curves[0]), FadeIn(sample), FadeIn(names[0]), run_time=0.8)
            self.play(FadeIn(steps_words), run_time=0.4)
            for k in range(1, len(steps)):
                self.play(Transform(curves[0], curves[k]), Transform(names[0], names[k]), run_time=1.0)
            self.play(FadeIn(identity), FadeIn(gap), run_time=0.6)
            self.play(Write(slope), run_time=1.0)

    def smooth(self) -> None:
        """ReLU and its smooth relatives on one plot, one colour each with its legend sample: how far each
        stays from ReLU for large x, and where it bottoms out (ELU's floor at -1)."""
        smooth = self.values["smooth"]
        names = tuple(smooth["each"])  # ELU, GELU, SiLU
        top, (left, right, bottom, _) = theme.content_top(), theme.frame_box()
        # Grey axes: ReLU is the white curve.
        axes = Axes(x_range=[-4, 4, 1], y_range=[-1.2, 4, 1], x_length=6.0, y_length=5.1, tips=False,
                    axis_config={"color": theme.MUTED})
        axes.move_to([left + 0.7, top - 0.25, 0], aligned_edge=UP + LEFT)
        ticks = VGroup(*(theme.formula(f"{v:g}", size=theme.LABEL_SIZE).next_to(axes.c2p(0, v), LEFT, 0.15)
                         for v in (2, 4)),
                       # under the plot's floor, clear of ELU's floor label at y = -1
                       *(theme.formula(f"{x:g}", size=theme.LABEL_SIZE).next_to(axes.c2p(x, -1.2), DOWN, 0.15)
                         for x in (-4, -2, 2, 4)))
        relu = activations.get("relu")
        # ReLU dashed and on top: its relatives lie almost on it for x > 0, and would hide a solid line.
        curves = {"relu": DashedVMobject(axes.plot(lambda x: float(relu(x)), color=theme.TEXT, stroke_width=4,
                                                   discontinuities=[0.0], use_smoothing=False),
                                         num_dashes=40).set_z_index(2)}
        for name, colour in zip(names, theme.COMPARED):
            act = activations.get(name)
            curves[name] = axes.plot(lambda x, act=act: float(act(x)), color=colour, stroke_width=5)
        colours = {"relu": theme.TEXT, **dict(zip(names, theme.COMPARED))}
        legend = VGroup(*(charts.swatch_row(self.activation_title(name), colours[name], dashed=name == "relu")
                          for name in colours))
        legend.arrange(DOWN, buff=0.22, aligned_edge=LEFT)
        floor = DashedLine(axes.c2p(-4, smooth["elu_floor"]), axes.c2p(0, smooth["elu_floor"]),
                           color=theme.COMPARED[0], stroke_width=2, dash_length=0.1)
        # ELU's floor named left of the plot, where nothing is drawn. The lowest points crowd near zero:
        # a dot on each curve, its value in the column, beside a dot of its colour.
        floor_label = theme.formula(self.display["elu_floor"], size=theme.LABEL_SIZE, color=theme.COMPARED[0]).next_to(
            floor, LEFT, buff=0.15)
        minima, lowest = VGroup(), VGroup()
        for name, colour, key in (("gelu", theme.COMPARED[1], "gelu_min"), ("silu", theme.COMPARED[2], "silu_min")):
            low = smooth["each"][name]
            minima.add(Dot(axes.c2p(low["min_x"], low["min"]), color=colour, radius=0.09))
            words = self.t("smooth_lowest", name=self.activation_title(name), value="{value}")  # the name is words
            lowest.add(VGroup(Dot(color=colour, radius=0.09), theme.mixed(words, theme.LABEL_SIZE, colour,
                                                                          value=self.display[key])).arrange(RIGHT, buff=0.2))
        lowest.add(VGroup(DashedLine(LEFT * 0.25, RIGHT * 0.25, color=theme.COMPARED[0], stroke_width=2, dash_length=0.1),
                          self.mixed("smooth_floor", theme.LABEL_SIZE, theme.COMPARED[0],
                                     value=self.display["elu_floor"])).arrange(RIGHT, buff=0.2))
        lowest.arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        column_left = axes.get_right()[0] + 0.5
        far = VGroup(self.mixed("smooth_far", theme.LABEL_SIZE, theme.MUTED, start=self.display["smooth_from"]),
                     self.mixed("smooth_within", theme.LABEL_SIZE, theme.MUTED, gap=self.display["far_gap"]))
        far.arrange(DOWN, buff=0.15, aligned_edge=LEFT)
        # Where they stay close to ReLU: from a dashed line on (not a grey band: grey is a dead or
        # saturated region everywhere else in this scene).
        band = DashedLine(axes.c2p(smooth["from"], -1.2), axes.c2p(smooth["from"], 4), color=theme.MUTED,
                          stroke_width=2, dash_length=0.12)
        column = VGroup(legend, far, lowest).arrange(DOWN, buff=0.5, aligned_edge=LEFT)
        if column.width > right - column_left:
            column.scale_to_fit_width(right - column_left)
        column.move_to([column_left, top - 0.35, 0], aligned_edge=UP + LEFT)
        with self.beat("smooth"):
            self.play(Create(axes), FadeIn(ticks), run_time=0.8)
            self.play(Create(curves["relu"]), FadeIn(legend[0]), run_time=0.8)
            for row, name in zip(legend[1:], names):
                self.play(Create(curves[name]), FadeIn(row), run_time=0.9)
            self.play(FadeIn(band), FadeIn(far), run_time=0.6)
            self.play(FadeIn(minima), FadeIn(lowest[:2]), run_time=0.8)
            self.play(Create(floor), FadeIn(floor_label), FadeIn(lowest[2]), run_time=0.8)

    def answer(self) -> None:
        header = [theme.text(self.t(key), theme.LABEL_SIZE, color=theme.MUTED)
                  for key in ("column_activation", "column_range", "column_slope")]
        rows = [header]
        for name in self.values["names"]:
            entry, shown = self.values["gallery"][name], self.display["each"][name]
            rows.append([theme.text(shown["title"], theme.LABEL_SIZE, color=theme.ACTIVATION),
                         theme.formula(entry["range_latex"], size=theme.LABEL_SIZE),
                         theme.formula(shown["peak"], size=theme.LABEL_SIZE, color=theme.GRADIENT)])
        columns = (-5.2, -1.2, 2.8)
        y = theme.content_top() - 0.45
        step = min(0.62, 4.9 / len(rows))
        table = VGroup()
        for row in rows:
            for column, cell in zip(columns, row):
                cell.move_to([column, y, 0], aligned_edge=LEFT)
            table.add(VGroup(*row))
            y -= step
        rule = Line([columns[0], 0, 0], [theme.frame_box()[1] - 0.6, 0, 0], color=theme.MUTED, stroke_width=2)
        rule.set_y((rows[0][0].get_bottom()[1] + rows[1][0].get_top()[1]) / 2)
        closing = theme.text(self.t("closing"), theme.BODY_SIZE)
        closing.next_to(table, DOWN, buff=0.45).set_x(0)
        with self.beat("answer"):
            self.play(FadeIn(table[0]), Create(rule), run_time=0.6)
            self.play(*(FadeIn(row, shift=UP * 0.1) for row in table[1:]), run_time=1.2)
            self.play(FadeIn(closing))
        self.wait(1)
