"""Why activations exist: stacked linear layers multiply out into one, and only a nonlinear net bends to
a curve (the `nonlinearity` training run, checkpoint by checkpoint).

Render: `python cli.py render nonlinearity` or `manim render -ql scenes/nonlinearity.py NonlinearityScene`.
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Axes, Create, Dot, FadeIn, Indicate, Line, Mobject,
                   ReplacementTransform, RoundedRectangle, Transform, VGroup, VMobject, Write)

from mathcore import hinges
from scenes import theme
from scenes.base import LectureScene
from scenes.theme import Part

# Every 4th training point is drawn: enough to see the curve, few enough to see the fit through them.
POINT_STRIDE = 4
# The identity is no activation at all: its panel says so (the scene's words under this key).
SUBTITLES = {"identity": "no_activation"}


class NonlinearityScene(LectureScene):

    scene_id = "nonlinearity"
    picture_beat = "hinges"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.two_layers()
        self.clear_stage()
        self.stacked()
        self.clear_stage()
        self.house()
        self.clear_stage()
        self.fits()
        self.clear_stage()
        self.hinges()
        self.clear_stage()
        self.answer()

    # --- beats ---------------------------------------------------------------------------------------

    def two_layers(self) -> None:
        d = self.display
        w, b, x = theme.WEIGHT, theme.BIAS, theme.ACTIVATION
        # y = W2 (W1 x + b1) + b2, in symbols and in numbers; then multiplied out, in symbols and numbers.
        layered = theme.formula(("y", x), Part("=", name="equals"), ("W_2", w), r"\bigl(", ("W_1", w), ("x", x), "+",
                                ("b_1", b), r"\bigr)", "+", ("b_2", b))
        layered_numbers = theme.formula("=", (d["W2"], w), r"\biggl(", (d["W1"], w), ("x", x), "+", (d["b1"], b),
                                        r"\biggr)", "+", ("(" + d["b2"] + ")", b))
        collapsed = theme.formula("=", "(", ("W_2", w), ("W_1", w), ")", ("x", x), "+", "(", ("W_2", w), ("b_1", b),
                                  "+", ("b_2", b), ")")
        collapsed_numbers = theme.formula("=", Part(d["W"], w, name="weight"), ("x", x), "+",
                                          Part(d["b"], b, name="bias"))
        rows = VGroup(layered, layered_numbers, collapsed, collapsed_numbers).arrange(DOWN, buff=0.4)
        for row in rows[1:]:
            row.align_to(layered.part("equals"), LEFT)
        rows.to_edge(LEFT, buff=0.8).set_y(theme.content_top() - 0.2 - rows.height / 2)

        legend = VGroup(*(theme.text(label, theme.LABEL_SIZE, color=colour) for label, colour in
                          ((self.t("legend_input"), x), (self.t("legend_weights"), w), (self.t("legend_biases"), b))))
        legend.arrange(RIGHT, buff=0.8).to_edge(DOWN, buff=0.6).align_to(rows, LEFT)

        # The check on one input, on the right: both forms give the same output.
        check_title = theme.text(self.t("check", x=d["x_text"]), theme.LABEL_SIZE)
        first = theme.formula(("W_1", w), ("x", x), "+", ("b_1", b), "=", (d["hidden"], x))
        second = theme.formula(("W_2", w), (d["hidden"], x), "+", ("b_2", b), "=", Part(d["y_two"], x, name="y"))
        single = theme.formula((d["W"], w), (d["x"], x), "+", (d["b"], b), "=", Part(d["y_one"], x, name="y"))
        labels = VGroup(theme.text(self.t("two_layers"), theme.LABEL_SIZE, color=theme.MUTED),
                        theme.text(self.t("one_layer"), theme.LABEL_SIZE, color=theme.MUTED))
        check = VGroup(check_title, labels[0], first, second, labels[1], single)
        check.arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        for label in labels:
            label.shift(DOWN * 0.15)
        check.next_to(rows, RIGHT, buff=0.9).align_to(rows, UP)

        with self.beat("layers"):
            self.play(Write(layered), FadeIn(legend), run_time=2)
            self.play(Write(layered_numbers), run_time=2.5)
        with self.beat("collapse"):
            self.play(Write(collapsed), run_time=2)
            self.play(Write(collapsed_numbers), run_time=1.5)
            self.play(Indicate(collapsed_numbers.part("weight"), color=w),
                      Indicate(collapsed_numbers.part("bias"), color=b))
        with self.beat("check"):
            self.play(FadeIn(check_title))
            self.play(FadeIn(labels[0]), Write(first), run_time=1.2)
            self.play(Write(second), run_time=1.2)
            self.play(FadeIn(labels[1]), Write(single), run_time=1.2)
            self.play(Indicate(second.part("y"), color=x), Indicate(single.part("y"), color=x))

    def stacked(self) -> None:
        count = 4  # boxes drawn before the collapse: W1..W3, a gap, and W_L

        def box(weight: str, bias: str) -> VGroup:
            label = theme.formula((weight, theme.WEIGHT), ",", (bias, theme.BIAS))
            frame = RoundedRectangle(width=label.width + 0.5, height=1.0, corner_radius=0.15,
                                     color=theme.MUTED, stroke_width=2)
            return VGroup(frame, label)

        layers = VGroup(*(box(f"W_{k}", f"b_{k}") for k in range(1, count)), theme.formula(r"\cdots"),
                        box("W_L", "b_L"))
        x_in = theme.formula("x", color=theme.ACTIVATION)
        y_out = theme.formula("y", color=theme.ACTIVATION)
        chain = VGroup(x_in, *layers, y_out).arrange(RIGHT, buff=0.55).move_to(UP * 1.0)
        arrows = VGroup(*(Arrow(a.get_right(), b.get_left(), buff=0.08, stroke_width=3, color=theme.MUTED,
                                max_tip_length_to_length_ratio=0.35)
                          for a, b in zip(chain[:-1], chain[1:])))

        single = box("W", "b")
        short_chain = VGroup(x_in.copy(), single, y_out.copy()).arrange(RIGHT, buff=1.2).move_to(chain)
        short_arrows = VGroup(*(Arrow(a.get_right(), b.get_left(), buff=0.08, stroke_width=3, color=theme.MUTED)
                                for a, b in zip(short_chain[:-1], short_chain[1:])))

        product = theme.formula(("W", theme.WEIGHT), "=", (r"W_L \cdots W_2 W_1", theme.WEIGHT))
        result = theme.formula(("y", theme.ACTIVATION), "=", ("W", theme.WEIGHT), ("x", theme.ACTIVATION), "+",
                               ("b", theme.BIAS))
        note = theme.text(self.t("collapsed"), theme.BODY_SIZE)
        VGroup(product, result, note).arrange(DOWN, buff=0.45).next_to(chain, DOWN, buff=0.9)

        with self.beat("stack"):
            self.play(FadeIn(chain[0]), run_time=0.5)
            for k in range(1, len(chain)):
                self.play(Create(arrows[k - 1]), FadeIn(chain[k]), run_time=0.45)
            self.wait(1)
            self.play(ReplacementTransform(VGroup(*chain[1:-1], *arrows), VGroup(single, *short_arrows)),
                      ReplacementTransform(chain[0], short_chain[0]), ReplacementTransform(chain[-1], short_chain[-1]),
                      run_time=1.5)
            self.play(Write(product), run_time=1.2)
            self.play(Write(result), FadeIn(note), run_time=1.2)

    def fits(self) -> None:
        v, d = self.values, self.display
        low, high = v["y_limits"]
        grid, checkpoints = v["grid"], v["checkpoints"]
        xs, ys = v["train_x"][::POINT_STRIDE], v["train_y"][::POINT_STRIDE]
        plots = VGroup(*(Axes(x_range=[-1, 1, 1], y_range=[low, high, 1], x_length=3.8, y_length=3.2, tips=False,
                              axis_config={"stroke_width": 2, "color": theme.MUTED})
                         for _ in v["activations"]))
        plots.arrange(RIGHT, buff=0.6).set_y(theme.content_top() - 1.15 - plots.height / 2)
        panels, mse_labels = VGroup(), VGroup()
        for axes, name in zip(plots, v["activations"]):
            dots = VGroup(*(Dot(axes.c2p(x, y), radius=0.035, color=theme.LOSS) for x, y in zip(xs, ys)))
            title = VGroup(theme.text(d[f"title_{name}"], theme.LABEL_SIZE))
            if name in SUBTITLES:
                title.add(theme.text(self.t(SUBTITLES[name]), theme.LABEL_SIZE, color=theme.MUTED))
            title.arrange(DOWN, buff=0.12).next_to(axes, UP, buff=0.15)
            panels.add(VGroup(axes, dots, title))
            mse_labels.add(theme.formula(r"\text{MSE} = " + d[f"mse_{name}"], size=theme.LABEL_SIZE,
                                         color=theme.LOSS).next_to(axes, DOWN, buff=0.25))
        # One fit per checkpoint, plotted on the axes in their final place.
        lines = [[panel[0].plot_line_graph(grid, p, add_vertex_dots=False, line_color=theme.ACTIVATION,
                                           stroke_width=4)["line_graph"] for p in v["predictions"][name]]
                 for panel, name in zip(panels, v["activations"])]

        legend = VGroup(
            VGroup(Dot(radius=0.06, color=theme.LOSS), theme.text(self.t("points"), theme.LABEL_SIZE, color=theme.LOSS)).arrange(RIGHT, buff=0.15),
            VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=theme.ACTIVATION, stroke_width=4),
                   theme.text(self.t("fit"), theme.LABEL_SIZE, color=theme.ACTIVATION)).arrange(RIGHT, buff=0.15),
        ).arrange(RIGHT, buff=0.8)
        counter = self._counter(d["checkpoints"][0])
        VGroup(legend, counter).arrange(RIGHT, buff=1.2).to_edge(DOWN, buff=0.6)

        current = [line_set[0] for line_set in lines]
        with self.beat("fit"):
            self.play(*(FadeIn(panel) for panel in panels), FadeIn(legend), run_time=1.5)
            self.play(*(Create(line) for line in current), FadeIn(counter), run_time=1.5)
        with self.beat("train"):
            for k in range(1, len(checkpoints)):
                new_counter = self._counter(d["checkpoints"][k]).move_to(counter, aligned_edge=LEFT)
                self.play(*(Transform(current[i], lines[i][k]) for i in range(len(lines))),
                          ReplacementTransform(counter, new_counter), run_time=1.2)
                counter = new_counter
            self.play(Indicate(current[0], color=theme.ACTIVATION))
        with self.beat("mse"):
            self.play(*(FadeIn(label, shift=UP * 0.2) for label in mse_labels))
            self.play(Indicate(mse_labels[0], color=theme.LOSS))

    def house(self) -> None:
        """The article's example, as two sketches without numbers: price against one feature, a line; the
        relation with many features together, a curve (the one the nets will learn)."""
        v = self.values
        low, high = v["y_limits"]
        sketches = VGroup(*(Axes(x_range=[0, 1, 1], y_range=[0, 1, 1], x_length=4.6, y_length=3.3, tips=True,
                                 axis_config={"stroke_width": 2, "color": theme.MUTED, "include_ticks": False})
                            for _ in range(2)))
        sketches.arrange(RIGHT, buff=1.7).shift(DOWN * 0.6)
        line = sketches[0].plot(lambda x: 0.15 + 0.7 * x, x_range=[0.05, 0.95], color=theme.ACTIVATION, stroke_width=5)
        # The curve the nets will learn, moved into the sketch's square (a shape, not a price).
        xs, ys = np.array(v["grid"]), np.array(v["target"])
        curve = sketches[1].plot_line_graph(0.05 + 0.9 * (xs + 1) / 2, 0.15 + 0.7 * (ys - low) / (high - low),
                                            add_vertex_dots=False, line_color=theme.ACTIVATION,
                                            stroke_width=5)["line_graph"]
        names = VGroup(*(theme.wrap(self.t(key), theme.LABEL_SIZE, sketch.width).next_to(sketch, UP, buff=0.7)
                         for key, sketch in (("one_feature", sketches[0]), ("many_features", sketches[1]))))
        axis_names = VGroup(*(VGroup(theme.text(self.t(x_key), theme.LABEL_SIZE, color=theme.MUTED).next_to(sketch, DOWN, buff=0.2),
                                     theme.text(self.t("price"), theme.LABEL_SIZE, color=theme.MUTED).next_to(
                                         sketch.y_axis.get_top(), RIGHT, buff=0.2))
                              for x_key, sketch in (("rooms", sketches[0]), ("features", sketches[1]))))
        with self.beat("house"):
            self.play(Create(sketches[0]), FadeIn(names[0]), FadeIn(axis_names[0]), run_time=1.0)
            self.play(Create(line), run_time=1.0)
            self.play(Create(sketches[1]), FadeIn(names[1]), FadeIn(axis_names[1]), run_time=1.0)
            self.play(Create(curve), run_time=1.5)

    def hinges(self) -> None:
        """The curve rebuilt from ReLU units: one ramp, then a hinge at each bend of the curve, the sum
        bending into it unit by unit; one unit's shape and the error beside."""
        v, d = self.values, self.display
        built = hinges.Hinges(v["hinges"]["offset"], tuple(v["hinges"]["knots"]), tuple(v["hinges"]["changes"]))
        low, high = v["y_limits"]
        axes = Axes(x_range=[-1, 1, 0.5], y_range=[low, high, 1], x_length=7.2, y_length=4.6, tips=False,
                    axis_config={"stroke_width": 2, "color": theme.MUTED, "include_numbers": True,
                                 "font_size": theme.AXIS_NUMBER_SIZE}, x_axis_config={"numbers_to_include": [-1, 1], "decimal_number_config": {"num_decimal_places": 0}},
                    y_axis_config={"numbers_to_include": [n for n in range(low, high + 1) if n]})
        axes.to_edge(LEFT, buff=0.9).shift(DOWN * 0.35)
        curve = axes.plot_line_graph(v["grid"], v["target"], add_vertex_dots=False, line_color=theme.LOSS,
                                     stroke_width=3)["line_graph"]

        def partial(units: int) -> VMobject:
            # Beyond its last knot a partial sum goes on straight, out of the chart: drawn up to where it leaves.
            xs = np.linspace(-1, 1, 401)
            ys = built(xs, units)
            inside = (ys >= low) & (ys <= high)
            end = len(xs) if inside.all() else max(int(np.argmin(inside)), 2)
            return axes.plot_line_graph(xs[:end], ys[:end], add_vertex_dots=False, line_color=theme.ACTIVATION,
                                        stroke_width=5)["line_graph"]

        sums = [partial(k) for k in range(1, len(built.knots) + 1)]
        kinks = VGroup(*(Dot(axes.c2p(t, float(built(t))), radius=0.08, color=theme.TEXT) for t in built.knots))
        # One unit, drawn small: zero, then a ramp from its knot.
        icon = Axes(x_range=[-1, 1, 1], y_range=[0, 1, 1], x_length=2.0, y_length=1.1, tips=False,
                    axis_config={"stroke_width": 2, "color": theme.MUTED, "include_ticks": False})
        icon_line = icon.plot_line_graph([-1, -0.2, 1], [0, 0, 1], add_vertex_dots=False, line_color=theme.ACTIVATION,
                                         stroke_width=4)["line_graph"]
        unit = VGroup(theme.text(self.t("one_unit"), theme.LABEL_SIZE), VGroup(icon, icon_line),
                      theme.formula(r"c_k \cdot \mathrm{ReLU}(x - t_k)", size=theme.LABEL_SIZE, color=theme.ACTIVATION))
        unit.arrange(DOWN, buff=0.2, aligned_edge=LEFT)

        def counter_for(k: int) -> Mobject:
            return theme.text(self.t("units_added", k=k), theme.LABEL_SIZE)

        counter = counter_for(1)
        error = VGroup(theme.formula(r"\text{MSE} = " + d["hinge_mse"], size=theme.LABEL_SIZE, color=theme.ACTIVATION),
                       theme.text(self.t("best_line", mse=d["curve_line_mse"]), theme.LABEL_SIZE, color=theme.MUTED))
        error.arrange(DOWN, buff=0.15, aligned_edge=LEFT)
        panel = VGroup(unit, counter, error).arrange(DOWN, buff=0.45, aligned_edge=LEFT)
        panel.next_to(axes, RIGHT, buff=0.7).align_to(axes, UP)
        curve_name = theme.text(self.t("the_curve"), theme.LABEL_SIZE, color=theme.LOSS).next_to(axes, UP, buff=0.15)
        curve_name.align_to(axes, LEFT)
        with self.beat("hinges"):
            self.play(Create(axes), Create(curve), FadeIn(curve_name), FadeIn(unit), run_time=1.5)
            self.play(Create(sums[0]), FadeIn(kinks[0]), FadeIn(counter))
            current = sums[0]
            for k in range(1, len(sums)):
                new_counter = counter_for(k + 1).move_to(counter, aligned_edge=LEFT)
                self.play(Transform(current, sums[k]), FadeIn(kinks[k], scale=0.5),
                          ReplacementTransform(counter, new_counter), run_time=1.0)
                counter = new_counter
            self.play(FadeIn(error, shift=UP * 0.2))

    def _counter(self, step: str):
        return theme.text(self.t("step", step=step), theme.LABEL_SIZE)

    def answer(self) -> None:
        self.conclude(theme.text(self.t("answer_linear"), theme.BODY_SIZE),
                      theme.text(self.t("answer_curves"), theme.BODY_SIZE, color=theme.ACTIVATION))
