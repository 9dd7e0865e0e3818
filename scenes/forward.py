"""Forward pass: every value of the classic network, layer by layer, up to E_total.

Render: `python cli.py render forward` or `manim render -ql scenes/forward.py ForwardScene`.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, FadeIn, Indicate, LaggedStart, TransformFromCopy, VGroup, Write

from scenes import theme
from scenes.base import LectureScene
from scenes.diagram import NetworkDiagram

# Tags go above the top row of nodes and below the bottom row, away from the crossing edges.
_TAG_SIDE = {"h1": UP, "o1": UP, "h2": DOWN, "o2": DOWN}


class ForwardScene(LectureScene):

    scene_id = "forward"
    def construct(self) -> None:
        self.show_title()
        self.ask()
        self.diagram = NetworkDiagram(spacing=0.8, show_weight_names=False).to_edge(LEFT, buff=1.0).shift(DOWN * 0.2)
        self.ledger = VGroup()
        self.inputs()
        self.layer(("h1", "h2"), "hidden")
        self.layer(("o1", "o2"), "output")
        self.errors()
        self.total()
        self.clear_stage()
        self.answer()

    def _row(self, *tex: str, colours=()) -> VGroup:
        """One line of the ledger on the right, stacked under the previous one."""
        row = theme.formula(*tex, size=theme.LABEL_SIZE)
        for index, colour in colours:
            row[index].set_color(colour)
        anchor = self.ledger[-1] if len(self.ledger) else None
        if anchor is None:
            row.next_to(self.title_strip, DOWN, buff=0.35)
            row.set_x(self.diagram.get_right()[0] + 0.7 + row.width / 2)
        else:
            row.next_to(anchor, DOWN, buff=0.22, aligned_edge=LEFT)
        self.ledger.add(row)
        return row

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
            rows.append(self._row(f"net_{{{node}}} =", d[f"net_{node}"], r"\;\Rightarrow\;",
                                  f"out_{{{node}}} =", d[f"out_{node}"],
                                  colours=[(1, theme.NET), (4, theme.ACTIVATION)]))
            tags.append(self.diagram.node_label(node, d[f"out_{node}"], color=theme.ACTIVATION,
                                                side=_TAG_SIDE[node]))
        with self.beat(beat):
            for node, row, tag in zip(nodes, rows, tags):
                self.play(Indicate(self.diagram.nodes[node]), Write(row), run_time=1.5)
                self.play(TransformFromCopy(row[4], tag))

    def errors(self) -> None:
        d = self.display
        rows = []
        for node, target in (("o1", "t1"), ("o2", "t2")):
            rows.append(self._row(f"E_{{{node}}} = \\tfrac12(", d[target], "-", d[f"out_{node}"], ")^2 =",
                                  d[f"E_{node}"],
                                  colours=[(1, theme.LOSS), (3, theme.ACTIVATION), (5, theme.LOSS)]))
        with self.beat("errors"):
            for row in rows:
                self.play(Write(row), run_time=1.5)

    def total(self) -> None:
        d = self.display
        row = self._row(r"E_{total} = E_{o1} + E_{o2} =", d["E_total"], colours=[(1, theme.LOSS)])
        with self.beat("total"):
            self.play(Write(row), run_time=1.5)
            self.play(Indicate(row[1], color=theme.LOSS))

    def answer(self) -> None:
        self.conclude(theme.formula(r"x \;\to\; net \;\to\; out \;\to\; \dots \;\to\; E_{total}",
                                    size=theme.BODY_SIZE + 6),
                      theme.text(self.t("answer"), theme.BODY_SIZE))
