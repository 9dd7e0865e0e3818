"""The chain rule made visible: dE/dw5 factor by factor, the update of w5, then dE/dw1 over two paths.

Render: `python cli.py render backprop` or `manim render -ql scenes/backprop.py BackpropScene`.
"""

from __future__ import annotations

from manim import (DOWN, LEFT, RIGHT, Arrow, Circle, Create, FadeIn, FadeOut, Indicate, TransformFromCopy,
                   VGroup, Write)

from scenes import theme
from scenes.base import LectureScene
from scenes.diagram import NetworkDiagram


class BackpropScene(LectureScene):

    scene_id = "backprop"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.diagram = NetworkDiagram(spacing=0.7).to_edge(LEFT, buff=0.6).shift(DOWN * 0.3)
        self.column = VGroup()
        self.introduce_w5()
        self.w5_factors()
        self.w5_product_and_update()
        self.play(FadeOut(self.column), *(FadeOut(m) for m in self.lit))
        self.column = VGroup()
        self.introduce_w1()
        self.w1_paths()
        self.w1_total()
        self.bridge()

    # --- helpers -------------------------------------------------------------------------------------

    def _row(self, *tex: str, colours=(), gap: float = 0.2) -> VGroup:
        """A formula stacked in the right-hand column."""
        row = theme.formula(*tex, size=theme.LABEL_SIZE)
        for index, colour in colours:
            row[index].set_color(colour)
        if len(self.column):
            row.next_to(self.column[-1], DOWN, buff=gap, aligned_edge=LEFT)
        else:
            row.next_to(self.title_strip, DOWN, buff=0.25).set_x(self.diagram.get_right()[0] + 0.4 + row.width / 2)
        self.column.add(row)
        return row

    def _light(self, anchor: str) -> VGroup:
        """Mark where a factor lives: a ring on a node, or an arrow pointing back along an edge."""
        if anchor in self.diagram.edges:
            edge = self.diagram.edges[anchor]
            mark = Arrow(edge.get_end(), edge.get_start(), buff=0, color=theme.GRADIENT, stroke_width=6,
                         max_tip_length_to_length_ratio=0.12)
        else:
            node = self.diagram.nodes[anchor]
            mark = Circle(radius=node.width / 2 + 0.08, color=theme.GRADIENT, stroke_width=6).move_to(node)
        self.lit.append(mark)
        return mark

    # --- beats ---------------------------------------------------------------------------------------

    def introduce_w5(self) -> None:
        self.lit: list = []
        with self.beat("w5"):
            self.play(FadeIn(self.diagram), run_time=1.5)
            self.play(Create(self._light("w5")))

    def w5_factors(self) -> None:
        d = self.display
        rows = [
            self._row(r"\frac{\partial E}{\partial out_{o1}} = out_{o1} - t_1 =", d["w5_f1"],
                      colours=[(1, theme.GRADIENT)]),
            self._row(r"\frac{\partial out_{o1}}{\partial net_{o1}} = out_{o1}(1 - out_{o1}) =", d["w5_f2"],
                      colours=[(1, theme.ACTIVATION_DERIVATIVE)]),
            self._row(r"\frac{\partial net_{o1}}{\partial w_5} = out_{h1} =", d["w5_f3"],
                      colours=[(1, theme.ACTIVATION)]),
        ]
        anchors = ("o1", "o1", "w5")
        for beat, row, anchor in zip(("f1", "f2", "f3"), rows, anchors):
            with self.beat(beat):
                target = self.diagram.edges[anchor] if anchor in self.diagram.edges else self.diagram.nodes[anchor]
                self.play(Write(row), Indicate(target, color=theme.GRADIENT), run_time=1.5)
        self.factor_rows = rows

    def w5_product_and_update(self) -> None:
        d = self.display
        product = self._row(r"\frac{\partial E}{\partial w_5} =", d["w5_f1"], r"\cdot", d["w5_f2"], r"\cdot",
                            d["w5_f3"], "=", d["grad_w5"],
                            colours=[(1, theme.GRADIENT), (3, theme.ACTIVATION_DERIVATIVE), (5, theme.ACTIVATION),
                                     (7, theme.GRADIENT)], gap=0.3)
        rule = self._row(r"w_5^{+} = w_5 - \eta\,\frac{\partial E}{\partial w_5}", gap=0.3)
        update = self._row("=", d["w5"], "-", d["lr"], r"\cdot", d["grad_w5"], "=", d["w5_new"],
                           colours=[(1, theme.WEIGHT), (5, theme.GRADIENT), (7, theme.WEIGHT)], gap=0.2)
        update.shift(RIGHT * 0.55)  # under the rule's right-hand side
        with self.beat("product"):
            self.play(Write(product[0]))
            self.play(*(TransformFromCopy(row[1], product[i]) for row, i in zip(self.factor_rows, (1, 3, 5))),
                      FadeIn(product[2]), FadeIn(product[4]), run_time=1.5)
            self.play(Write(product[6:]))
        with self.beat("update"):
            self.play(Write(rule), run_time=1.5)
            self.play(Write(update), run_time=1.5)
            self.play(Indicate(update[-1], color=theme.WEIGHT), Indicate(self.diagram.weight_labels["w5"]))

    def introduce_w1(self) -> None:
        self.lit = []
        with self.beat("w1"):
            self.play(Create(self._light("w1")))
            self.play(Create(self._light("w5")), Create(self._light("o1")))
            self.play(Create(self._light("w7")), Create(self._light("o2")))

    def w1_paths(self) -> None:
        d = self.display
        via_o1 = self._row(r"o_1\!:\;", d["o1_f1"], r"\cdot", d["o1_f2"], r"\cdot", d["o1_f3"], "=",
                           d["via_o1"], colours=[(3, theme.ACTIVATION_DERIVATIVE), (5, theme.WEIGHT)])
        via_o2 = self._row(r"o_2\!:\;", d["o2_f1"], r"\cdot", d["o2_f2"], r"\cdot", d["o2_f3"], "=",
                           d["via_o2"], colours=[(3, theme.ACTIVATION_DERIVATIVE), (5, theme.WEIGHT)])
        total = self._row(r"\frac{\partial E}{\partial out_{h1}} =", d["via_o1"], "+", f"({d['via_o2']})", "=",
                          d["dE_dout_h1"], colours=[(5, theme.GRADIENT)])
        with self.beat("paths"):
            self.play(Write(via_o1), Indicate(self.diagram.nodes["o1"], color=theme.GRADIENT), run_time=1.5)
            self.play(Write(via_o2), Indicate(self.diagram.nodes["o2"], color=theme.GRADIENT), run_time=1.5)
            self.play(Write(total), run_time=1.5)
        self.slopes = VGroup(via_o1[3], via_o2[3])

    def w1_total(self) -> None:
        d = self.display
        result = self._row(r"\frac{\partial E}{\partial w_1} =", d["dE_dout_h1"], r"\cdot", d["slope_h1"],
                           r"\cdot", d["i1"], "=", d["grad_w1_tex"],
                           colours=[(3, theme.ACTIVATION_DERIVATIVE), (5, theme.ACTIVATION), (7, theme.GRADIENT)],
                           gap=0.4)
        with self.beat("sum"):
            self.play(Create(self._light("h1")), Write(result), run_time=2)
            self.play(Indicate(result[-1], color=theme.GRADIENT))
        self.slopes.add(result[3])

    def bridge(self) -> None:
        note = theme.text(self.t("slopes", bound=self.display["slope_bound"]), theme.LABEL_SIZE,
                          color=theme.ACTIVATION_DERIVATIVE)
        note.next_to(self.column, DOWN, buff=0.4).align_to(self.column, LEFT)
        with self.beat("bridge"):
            self.play(*(Indicate(s, color=theme.ACTIVATION_DERIVATIVE, scale_factor=1.4) for s in self.slopes))
            self.play(FadeIn(note))
        self.wait(1)
