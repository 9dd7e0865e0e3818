"""Forward pass: every value of the classic network, layer by layer, up to E_total.

Render: `python cli.py render forward` or `manim render -ql scenes/forward.py ForwardScene`.
"""

from __future__ import annotations

from manim import (DOWN, LEFT, RIGHT, UP, Dot, FadeIn, FadeOut, Indicate, LaggedStart, MoveAlongPath, Succession,
                   TransformFromCopy, VGroup, Write)

from mathcore.network import EDGES

from scenes import theme
from scenes.base import LectureScene
from scenes.diagram import NetworkDiagram
from scenes.ledger import FormulaColumn
from scenes.theme import Part

# Tags go above the top row of nodes and below the bottom row, away from the crossing edges.
_TAG_SIDE = {"h1": UP, "o1": UP, "h2": DOWN, "o2": DOWN}


class ForwardScene(LectureScene):

    scene_id = "forward"
    picture_beat = "total"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.diagram = NetworkDiagram(spacing=0.82, show_weight_names=False).to_edge(LEFT, buff=1.37).shift(DOWN * 0.2)
        # The arithmetic, right of the network, under the title.
        self.ledger = FormulaColumn(left=self.diagram.get_right()[0] + 0.27, top=self.title_strip.get_bottom()[1] - 0.35,
                                    gap=0.22)
        self.inputs()
        self.layer(("h1", "h2"), "hidden")
        self.layer(("o1", "o2"), "output")
        self.errors()
        self.total()
        self.clear_stage()
        self.answer()

    def inputs(self) -> None:
        d = self.display
        weights = VGroup(*(self.diagram.edge_label(w, d[w], color=theme.WEIGHT) for w in self.diagram.edges))
        biases = VGroup(*(self.diagram.node_label(b, d[b], color=theme.BIAS, side=LEFT) for b in ("b1", "b2")))
        values = VGroup(*(self.diagram.node_label(i, d[i], color=theme.ACTIVATION, side=LEFT)
                          for i in ("i1", "i2")))
        with self.beat("inputs"):
            self.play(FadeIn(self.diagram), FadeIn(weights), FadeIn(biases), run_time=1.5)
            self.play(LaggedStart(*(FadeIn(v, shift=RIGHT * 0.2) for v in values), lag_ratio=0.4))

    def layer(self, nodes: tuple[str, str], beat: str) -> None:
        d = self.display
        rows, tags = [], []
        for node in nodes:
            # net goes through sigma to out: the activation applied, not an implication (no "=>").
            rows.append(self.ledger.add_row(f"net_{{{node}}} =", (d[f"net_{node}"], theme.NET),
                                            r"\,\xrightarrow{\sigma}\,", f"out_{{{node}}} =",
                                            Part(d[f"out_{node}"], theme.ACTIVATION, name="out")))
            tag = self.diagram.node_label(node, d[f"out_{node}"], color=theme.ACTIVATION, side=_TAG_SIDE[node])
            if node.startswith("o"):  # flush with the node's right: clear of the ledger beside the diagram
                tag.align_to(self.diagram.nodes[node], RIGHT)
            tags.append(tag)
        with self.beat(beat):
            for node, row, tag in zip(nodes, rows, tags):
                self.play(*self._flow_into(node), run_time=1.2)
                self.play(Indicate(self.diagram.nodes[node]), Write(row), run_time=1.5)
                self.play(TransformFromCopy(row.part("out"), tag))

    def _flow_into(self, node: str) -> list:
        """The values feeding `node` travel along its edges: one dot per weighted input (in the colour of
        values), one for the bias; each is gone as it arrives, where the weighted sum is formed."""
        paths = [(self.diagram.edges[w], theme.ACTIVATION) for w, (_, dst) in EDGES.items() if dst == node]
        paths.append((self.diagram.bias_into[node], theme.BIAS))
        moves = []
        for path, colour in paths:
            dot = Dot(path.get_start(), radius=0.09, color=colour)
            moves.append(Succession(MoveAlongPath(dot, path, run_time=1.0), FadeOut(dot, run_time=0.2)))
        return moves

    def errors(self) -> None:
        d = self.display
        rows = []
        for node, target in (("o1", "t1"), ("o2", "t2")):
            rows.append(self.ledger.add_row(f"E_{{{node}}} = \\tfrac12(", (d[target], theme.LOSS), "-",
                                            (d[f"out_{node}"], theme.ACTIVATION), ")^2 =",
                                            (d[f"E_{node}"], theme.LOSS)))
        with self.beat("errors"):
            for row in rows:
                self.play(Write(row), run_time=1.5)

    def total(self) -> None:
        d = self.display
        row = self.ledger.add_row(r"E_{total} = E_{o1} + E_{o2} =", Part(d["E_total"], theme.LOSS, name="total"))
        with self.beat("total"):
            self.play(Write(row), run_time=1.5)
            self.play(Indicate(row.part("total"), color=theme.LOSS))

    def answer(self) -> None:
        self.conclude(theme.formula(r"x \;\to\; net \;\to\; out \;\to\; \dots \;\to\; E_{total}",
                                    size=theme.BODY_SIZE + 6),
                      theme.text(self.t("answer"), theme.BODY_SIZE))
