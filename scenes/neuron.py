"""A neuron: weighted sum + activation, shown on h1 of the classic network.

Render: `python cli.py render neuron` or `manim render -ql scenes/neuron.py NeuronScene`.
"""

from __future__ import annotations

from manim import (DOWN, LEFT, RIGHT, UP, Axes, Create, DashedLine, Dot, FadeIn, FadeOut, Indicate,
                   LaggedStart, TransformFromCopy, VGroup, Write)

from mathcore import activations
from scenes import theme
from scenes.base import LectureScene
from scenes.diagram import NetworkDiagram, edge_between
from scenes.theme import Part


class NeuronScene(LectureScene):

    scene_id = "neuron"
    picture_beat = "activation"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.layers()
        self.weights()
        products = self.products()
        net_formula = self.weighted_sum(products)
        self.activation(net_formula)
        self.clear_stage()
        self.answer()

    def layers(self) -> None:
        diagram = NetworkDiagram(spacing=0.85).move_to(DOWN * 0.35)
        nodes = diagram.nodes
        no_activation = theme.text(self.t("no_activation"), theme.LABEL_SIZE, color=theme.MUTED)
        no_activation.next_to(VGroup(nodes["i1"], nodes["i2"]), LEFT, buff=0.3)
        with_activation = theme.text(self.t("with_activation"), theme.LABEL_SIZE, color=theme.ACTIVATION)
        with_activation.next_to(VGroup(nodes["h1"], nodes["o1"]), UP, buff=0.25)
        with self.beat("layers"):
            self.play(FadeIn(diagram), run_time=1.5)
            self.play(FadeIn(no_activation), Indicate(VGroup(nodes["i1"], nodes["i2"]), color=theme.MUTED))
            self.play(FadeIn(with_activation),
                      Indicate(VGroup(*(nodes[n] for n in ("h1", "h2", "o1", "o2")))))
        # Keep what feeds h1 and spread it over the left half, roomy enough for every label; the right
        # half is for the arithmetic.
        parts = {name: nodes[name] for name in ("i1", "i2", "b1", "h1")}
        old_edges = [diagram.edges["w1"], diagram.edges["w2"], diagram.bias_edges[0]]
        keep = [*parts.values(), *old_edges]
        rest = [m for m in diagram.get_family() if not m.submobjects
                and not any(m in k.get_family() for k in keep)]
        self.play(*(FadeOut(m) for m in rest), FadeOut(no_activation), FadeOut(with_activation))
        targets = {"i1": (-5.0, 1.9), "i2": (-5.0, -0.4), "b1": (-5.0, -2.7), "h1": (-1.7, -0.4)}
        self.play(*(parts[name].animate.scale(1.15).move_to([x, y, 0]) for name, (x, y) in targets.items()),
                  *(FadeOut(edge) for edge in old_edges))
        self.edges = {
            "w1": edge_between(parts["i1"], parts["h1"], theme.WEIGHT, 3),
            "w2": edge_between(parts["i2"], parts["h1"], theme.WEIGHT, 3),
            "b1": edge_between(parts["b1"], parts["h1"], theme.BIAS, 2),
        }
        self.play(*(Create(edge) for edge in self.edges.values()))
        self.neuron_parts = parts

    def weights(self) -> None:
        d, parts = self.display, self.neuron_parts
        inputs = VGroup(
            theme.formula(d["i1"], color=theme.ACTIVATION).next_to(parts["i1"], LEFT, buff=0.2),
            theme.formula(d["i2"], color=theme.ACTIVATION).next_to(parts["i2"], LEFT, buff=0.2),
            theme.formula(d["b1"], color=theme.BIAS).next_to(parts["b1"], LEFT, buff=0.2),
        )
        weight_values = VGroup(
            theme.formula("w_1 =", d["w1"], color=theme.WEIGHT).next_to(
                self.edges["w1"].point_from_proportion(0.45), UP + RIGHT, buff=0.05),
            theme.formula("w_2 =", d["w2"], color=theme.WEIGHT).next_to(
                self.edges["w2"].point_from_proportion(0.45), UP, buff=0.22),  # its subscript clear of the edge
        )
        # What the neuron will compute, in symbols, as its inputs, weights and bias are named.
        self.net_formula = self._net_formula()
        with self.beat("weights"):
            self.play(LaggedStart(*(FadeIn(m, shift=RIGHT * 0.2) for m in inputs[:2]), lag_ratio=0.4))
            self.play(*(FadeIn(w) for w in weight_values), *(Indicate(self.edges[w], color=theme.WEIGHT)
                                                             for w in ("w1", "w2")))
            self.play(FadeIn(inputs[2]))
            self.play(Write(self.net_formula[0]))

    def products(self) -> VGroup:
        d = self.display
        first = theme.formula(d["w1_i1"], color=theme.ACTIVATION)
        first.next_to(self.edges["w1"].point_from_proportion(0.45), DOWN + LEFT, buff=0.05)
        second = theme.formula(d["w2_i2"], color=theme.ACTIVATION)
        second.next_to(self.edges["w2"].point_from_proportion(0.45), DOWN, buff=0.12)
        with self.beat("products"):
            self.play(FadeIn(first, shift=RIGHT * 0.3), Indicate(self.edges["w1"], color=theme.WEIGHT))
            self.play(FadeIn(second, shift=RIGHT * 0.3), Indicate(self.edges["w2"], color=theme.WEIGHT))
        return VGroup(first, second)

    def _net_formula(self) -> VGroup:
        """net_h1 in symbols, then with the products and the bias, then its value (the sum beat fills in
        the last two)."""
        d = self.display
        symbolic = theme.formula((r"net_{h1}", theme.NET), Part("=", name="equals"), "w_1 i_1", "+", "w_2 i_2", "+",
                                 "b_1")
        # The products arrive from the edges into their places; the rest of the line fades in around them.
        numeric = theme.formula(Part("=", name="around"), Part(d["w1_i1"], name="w1_i1"), Part("+", name="around"),
                                Part(d["w2_i2"], name="w2_i2"), Part("+", name="around"), Part(d["b1"], name="around"))
        result = theme.formula("=", Part(d["net_h1"], name="net"), color=theme.NET)
        formula = VGroup(symbolic, numeric, result).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        numeric.align_to(symbolic.part("equals"), LEFT)
        result.align_to(symbolic.part("equals"), LEFT)
        formula.next_to(self.title_strip, DOWN, buff=0.3).to_edge(RIGHT, buff=0.7)
        return formula

    def weighted_sum(self, products: VGroup) -> VGroup:
        formula = self.net_formula
        numeric, result = formula[1], formula[2]
        with self.beat("sum"):
            self.play(TransformFromCopy(products[0], numeric.part("w1_i1")),
                      TransformFromCopy(products[1], numeric.part("w2_i2")), FadeIn(numeric.parts("around")))
            self.play(Write(result))
            self.play(Indicate(result.part("net"), color=theme.NET))
        return formula

    def activation(self, net_formula: VGroup) -> None:
        v, d = self.values, self.display
        sigmoid = activations.get("sigmoid")
        axes = Axes(x_range=[-4, 4, 2], y_range=[0, 1, 0.5], x_length=5.2, y_length=2.2,
                    axis_config={"font_size": theme.AXIS_NUMBER_SIZE, "include_numbers": True},
                    y_axis_config={"numbers_to_include": [1]}, tips=False)
        axes.next_to(net_formula, DOWN, buff=0.45).align_to(net_formula, LEFT)
        curve = axes.plot(lambda x: float(sigmoid(x)), color=theme.ACTIVATION, stroke_width=5)
        point = axes.c2p(v["net_h1"], v["out_h1"])
        riser = DashedLine(axes.c2p(v["net_h1"], 0), point, color=theme.NET)
        dot = Dot(axes.c2p(v["net_h1"], 0), color=theme.NET, radius=0.08)
        out = theme.formula(r"out_{h1} = \sigma(", (d["net_h1"], theme.NET), ") =",
                            Part(d["out_h1"], theme.ACTIVATION, name="out"))
        out.next_to(axes, DOWN, buff=0.25).align_to(axes, LEFT)
        node_value = theme.formula(d["out_h1"], color=theme.ACTIVATION).next_to(self.neuron_parts["h1"], UP, buff=0.15)
        with self.beat("activation"):
            self.play(Create(axes), Create(curve), run_time=1.5)
            self.play(FadeIn(dot))
            self.play(Create(riser), dot.animate.move_to(point), run_time=1.5)
            self.play(Write(out))
            self.play(TransformFromCopy(out.part("out"), node_value))

    def answer(self) -> None:
        self.conclude(theme.formula(r"out = f\Bigl(\sum_i w_i x_i + b\Bigr)", size=theme.BODY_SIZE + 8),
                      theme.text(self.t("answer"), theme.BODY_SIZE))
