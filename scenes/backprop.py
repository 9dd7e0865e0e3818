"""The chain rule made visible: dE/dw5 factor by factor, the update of w5, then dE/dw1 over two paths.

Render: `python cli.py render backprop` or `manim render -ql scenes/backprop.py BackpropScene`.
"""

from __future__ import annotations

from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Circle, Create, FadeIn, FadeOut, Indicate, Mobject,
                   ReplacementTransform, TransformFromCopy, VGroup, Write)

from scenes import theme
from scenes.base import LectureScene
from scenes.diagram import NetworkDiagram
from scenes.ledger import FormulaColumn
from scenes.theme import Formula, Part


# The factors of dE/dw5 in the order mathcore gives them, each in the colour of what it measures: the
# loss's slope, the sigmoid's slope, the activation coming in.
W5_FACTOR_COLOURS = (theme.GRADIENT, theme.ACTIVATION_DERIVATIVE, theme.ACTIVATION)
# The width of w1's larger path's gradient arrow; the other arrows are drawn to its scale.
MAX_WIDTH = 16


class BackpropScene(LectureScene):

    scene_id = "backprop"
    picture_beat = "sum"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.diagram = NetworkDiagram(spacing=0.62, error=True).to_edge(LEFT, buff=0.6).shift(DOWN * 0.3)
        self.column = self._column()
        self.w5_rows()
        self.introduce_w5()
        self.w5_factors()
        self.w5_product_and_update()
        self.play(FadeOut(self.column), *(FadeOut(m) for m in [*self.lit.values(), *self.badges[1:]]))
        self.column = self._column()
        self.w1_rows()
        self.introduce_w1()
        self.w1_paths()
        self.w1_total()
        self.bridge()
        self.clear_stage()
        self.answer()

    # --- helpers -------------------------------------------------------------------------------------

    def _column(self) -> FormulaColumn:
        """The formulas' column, right of the network, under the title."""
        return FormulaColumn(left=self.diagram.get_right()[0] + 0.2, top=self.title_strip.get_bottom()[1] - 0.25,
                             gap=0.2)

    def _light(self, anchor: str, width: float = 6) -> VGroup:
        """Mark where a factor lives: a ring on a node, or an arrow pointing back along an edge (an
        output's wire to the error is "E:o1")."""
        edges = {**self.diagram.edges, **{f"E:{o}": wire for o, wire in self.diagram.error_wires.items()}}
        if anchor in edges:
            edge = edges[anchor]
            # A tip of about 0.2 whatever the edge's length: o1's wire to E is short, and a tip in
            # proportion to it (manim's default) would vanish.
            length = edge.get_length()
            mark = Arrow(edge.get_end(), edge.get_start(), buff=0, color=theme.GRADIENT, stroke_width=width,
                         max_tip_length_to_length_ratio=min(0.5, 0.2 / length),
                         max_stroke_width_to_length_ratio=max(width, 6) / length)
        else:
            node = self.diagram.nodes[anchor]
            mark = Circle(radius=node.width / 2 + 0.08, color=theme.GRADIENT, stroke_width=6).move_to(node)
        self.lit[anchor] = mark  # a later light of the same anchor (a sized arrow) takes its place
        return mark

    # --- beats ---------------------------------------------------------------------------------------

    def w5_rows(self) -> None:
        """Every row of w5's gradient and update, laid out in the column before any is shown: the
        question asked first stands where its answer will be."""
        d = self.display
        self.factor_rows = [self.column.add_row(rf"{factor['symbol']} = {factor['rule']} =",
                                                Part(factor["value"], colour, name="value"))
                            for factor, colour in zip(d["w5_rows"], W5_FACTOR_COLOURS)]
        factors = []
        for factor, colour in zip(d["w5_rows"], W5_FACTOR_COLOURS):
            if factors:
                factors.append(Part(r"\cdot", name="times"))
            factors.append(Part(factor["value"], colour, name="factor"))
        self.product = self.column.add_row(Part(r"\frac{\partial E}{\partial w_5} =", name="lhs"), *factors,
                                           Part("=", name="equals"),
                                           Part(d["grad_w5"], theme.GRADIENT, name="gradient"), gap=0.3)
        self.rule = self.column.add_row("w_5^{+}", Part("=", name="equals"),
                                        r"w_5 - \eta\,\frac{\partial E}{\partial w_5}", gap=0.3)
        self.update = self.column.add_row("=", (d["w5"], theme.WEIGHT), "-", d["lr"], r"\cdot",
                                          (d["grad_w5"], theme.GRADIENT), "=",
                                          Part(d["w5_new"], theme.WEIGHT, name="new"))
        # Its = under the rule's =: the numbers stand under the right-hand side they evaluate.
        self.update.align_to(self.rule.part("equals"), LEFT)
        self.question = theme.formula(r"\frac{\partial E}{\partial w_5} = \;?", color=theme.GRADIENT)
        self.question.move_to(self.product.part("lhs"), aligned_edge=LEFT)

    def introduce_w5(self) -> None:
        self.lit: dict = {}
        with self.beat("w5"):
            self.play(FadeIn(self.diagram), run_time=1.5)
            self.play(Create(self._light("w5")), Write(self.question))

    def _on_diagram(self, k: int, value: Mobject) -> Mobject | None:
        """Where w5's k-th factor is written on the drawing: the sigmoid's slope as a badge over o1 (named:
        a bare number over a node is its output, as in the forward pass), the input w5 carries, out_h1,
        over h1, where it comes from. The error's slope is not written: o1's wire to E is too short for a
        number beside it and the formula column leaves no room right of E; the arrow back along that wire
        marks it."""
        if k == 0:
            return None
        if k == 1:
            badge = theme.formula(r"\sigma' =", size=theme.LABEL_SIZE, color=theme.ACTIVATION_DERIVATIVE)
            number = value.copy()
            return VGroup(badge, number).arrange(RIGHT, buff=0.12).next_to(self.diagram.nodes["o1"], UP, buff=0.1)
        return value.copy().next_to(self.diagram.nodes["h1"], UP, buff=0.1)

    def w5_factors(self) -> None:
        factors = self.display["w5_rows"]
        rows = self.factor_rows
        self.written: list = []
        self.badges: list = []
        for k, (row, factor) in enumerate(zip(rows, factors)):
            # The error's slope lives on the wire from o1 to E; mathcore anchors it at o1, whose output it is.
            where = self.diagram.error_wires["o1"] if k == 0 else self.diagram.at(factor["anchor"])
            label = self._on_diagram(k, row.part("value"))
            # What the product takes its factor from: the number on the drawing (the badge's number for the slope).
            self.written.append(row.part("value") if label is None else label[-1] if k == 1 else label)
            self.badges.append(label)
            with self.beat(f"f{k + 1}"):
                self.play(Write(row), Indicate(where, color=theme.GRADIENT), run_time=1.5)
                if k == 0:
                    self.play(Create(self._light("E:o1")), run_time=0.8)
                else:
                    self.play(TransformFromCopy(row.part("value"), self.written[-1]),
                              *([FadeIn(label[0])] if k == 1 else []), run_time=0.8)

    def w5_product_and_update(self) -> None:
        product, rule, update = self.product, self.rule, self.update
        with self.beat("product"):
            self.play(ReplacementTransform(self.question, product.part("lhs")))
            # The numbers come off the drawing into the product.
            self.play(*(TransformFromCopy(label, factor) for label, factor in zip(self.written, product.parts("factor"))),
                      FadeIn(product.parts("times")), run_time=1.5)
            self.play(Write(product.parts("equals", "gradient")))
        with self.beat("update"):
            self.play(Write(rule), run_time=1.5)
            self.play(Write(update), run_time=1.5)
            self.play(Indicate(update.part("new"), color=theme.WEIGHT), Indicate(self.diagram.weight_labels["w5"]))

    def introduce_w1(self) -> None:
        self.lit = {}
        with self.beat("w1"):
            self.play(Create(self._light("w1")), Write(self.question))
            self.play(Create(self._light("w5")), Create(self._light("o1")))
            self.play(Create(self._light("w7")), Create(self._light("o2")))

    def _path_row(self, output: str) -> Formula:
        """dE/dout_h1 through one output: its three factors (the output's sigmoid slope named), their product."""
        d = self.display
        return self.column.add_row(rf"{output[0]}_{output[1]}\!:\;", d[f"{output}_f1"], r"\cdot",
                                   Part(d[f"{output}_f2"], theme.ACTIVATION_DERIVATIVE, name="slope"), r"\cdot",
                                   (d[f"{output}_f3"], theme.WEIGHT), "=", d[f"via_{output}"])

    def w1_rows(self) -> None:
        """w1's rows laid out before any is shown, and its question where the answer will stand."""
        d = self.display
        self.via = (self._path_row("o1"), self._path_row("o2"))
        self.total = self.column.add_row(r"\frac{\partial E}{\partial out_{h1}} =", d["via_o1"], "+",
                                         f"({d['via_o2']})", "=", (d["dE_dout_h1"], theme.GRADIENT))
        self.result = self.column.add_row(Part(r"\frac{\partial E}{\partial w_1} =", name="lhs"), d["dE_dout_h1"],
                                          r"\cdot", Part(d["slope_h1"], theme.ACTIVATION_DERIVATIVE, name="slope"),
                                          r"\cdot", (d["i1"], theme.ACTIVATION), gap=0.4)
        # The value on a line of its own, its = under the row's: on one line it would leave the safe area.
        self.value = self.column.add_row("=", Part(d["grad_w1_tex"], theme.GRADIENT, name="gradient"), gap=0.15)
        self.value.shift(RIGHT * (self.result[0].get_right()[0] - self.value[0].get_right()[0]))
        self.question = theme.formula(r"\frac{\partial E}{\partial w_1} = \;?", color=theme.GRADIENT)
        self.question.move_to(self.result.part("lhs"), aligned_edge=LEFT)

    def _sized(self, edge: str, value: float) -> Arrow:
        """The gradient arriving back along `edge`, its width following its size (the largest of w1's
        paths drawn MAX_WIDTH wide); a hairline is the narrowest a student can still see."""
        return self._light(edge, width=max(1.0, MAX_WIDTH * abs(value) / self.widest))

    def w1_paths(self) -> None:
        (via_o1, via_o2), total = self.via, self.total
        into = self.values["into_h1"]
        self.widest = max(abs(v) for v in into)
        lit = dict(self.lit)
        sized = {edge: self._sized(edge, value) for edge, value in zip(("w5", "w7"), into)}
        self.width_note = theme.text(self.t("widths"), theme.LABEL_SIZE, color=theme.GRADIENT).next_to(
            self.diagram, DOWN, buff=0.35).align_to(self.diagram, LEFT)
        with self.beat("paths"):
            self.play(Write(via_o1), Indicate(self.diagram.nodes["o1"], color=theme.GRADIENT),
                      ReplacementTransform(lit["w5"], sized["w5"]), run_time=1.5)
            self.play(Write(via_o2), Indicate(self.diagram.nodes["o2"], color=theme.GRADIENT),
                      ReplacementTransform(lit["w7"], sized["w7"]), FadeIn(self.width_note), run_time=1.5)
            self.play(Write(total), run_time=1.5)
        self.slopes = VGroup(via_o1.part("slope"), via_o2.part("slope"))

    def w1_total(self) -> None:
        result, value = self.result, self.value
        lit_w1 = self.lit["w1"]
        sized_w1 = self._sized("w1", self.values["chains"]["w1"]["value"])
        with self.beat("sum"):
            self.play(Create(self._light("h1")), ReplacementTransform(self.question, result.part("lhs")),
                      Write(VGroup(*(m for m in result if m is not result.part("lhs")))), run_time=2)
            self.play(Write(value), ReplacementTransform(lit_w1, sized_w1), run_time=0.8)
            self.play(Indicate(value.part("gradient"), color=theme.GRADIENT))
        self.slopes.add(result.part("slope"))

    def bridge(self) -> None:
        note = theme.text(self.t("slopes", bound=self.display["slope_bound"]), theme.LABEL_SIZE,
                          color=theme.ACTIVATION_DERIVATIVE)
        note.next_to(self.column, DOWN, buff=0.4).align_to(self.column, LEFT)
        with self.beat("bridge"):
            self.play(*(Indicate(s, color=theme.ACTIVATION_DERIVATIVE, scale_factor=1.4) for s in self.slopes))
            self.play(FadeIn(note))

    def answer(self) -> None:
        self.conclude(theme.text(self.t("answer_product"), theme.BODY_SIZE),
                      theme.text(self.t("answer_sum"), theme.BODY_SIZE),
                      theme.text(self.t("answer_step"), theme.BODY_SIZE, color=theme.GRADIENT))
