"""The classic 2-2-2 network drawn once, the same way in every scene that shows it."""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, UP, Circle, Line, VGroup

from mathcore.network import EDGES

from . import theme

# Node centres in a box of width 6 and height 4 (scaled and moved as a whole by the scenes).
_POSITIONS = {
    "i1": (-3.0, 1.3), "i2": (-3.0, -1.3),
    "h1": (0.0, 1.3), "h2": (0.0, -1.3),
    "o1": (3.0, 1.3), "o2": (3.0, -1.3),
    "b1": (-1.5, -2.9), "b2": (1.5, -2.9),
}
_LAYER_COLOUR = {"i": theme.ACTIVATION, "h": theme.ACTIVATION, "o": theme.ACTIVATION, "b": theme.BIAS}
# Where each weight's label sits along its edge (from the source), and on which side. The crossing
# diagonals' labels are turned to run along their own line, between its source and the crossing, in
# the wedge it makes with the horizontal edge from the same node, away from the other diagonal: turned,
# a label reads as its own line's even beside the horizontal one (tests/test_scenes.py measures the gaps).
_LABEL_AT = {"w1": 0.5, "w4": 0.35, "w5": 0.5, "w8": 0.35, "w2": 0.25, "w3": 0.25, "w6": 0.25, "w7": 0.25}
_LABEL_SIDE = {"w1": UP, "w4": DOWN, "w5": UP, "w8": DOWN, "w2": DOWN + RIGHT, "w3": UP + RIGHT,
               "w6": DOWN + RIGHT, "w7": UP + RIGHT}
_ALONG = {"w2", "w3", "w6", "w7"}
_BIAS_EDGES = {"b1": ("h1", "h2"), "b2": ("o1", "o2")}
# The error node, right of the outputs and between them (both outputs' errors add up in it), close and
# small: the formula column beside the diagram needs nearly all the frame's width.
_ERROR_AT = (4.3, 0.0)


def edge_between(start: VGroup, end: VGroup, colour, width: float) -> Line:
    """A line from circle rim to circle rim (each node is a VGroup whose first member is its circle)."""
    a, b = start[0], end[0]
    direction = Line(a.get_center(), b.get_center()).get_unit_vector()
    return Line(a.get_center() + direction * a.width / 2, b.get_center() - direction * b.width / 2,
                color=colour, stroke_width=width)


class NetworkDiagram(VGroup):
    """Nodes (circles named i1..o2, b1, b2), weight edges (w1..w8) and bias edges, with their labels."""

    def __init__(self, spacing: float = 1.0, node_radius: float = 0.42, show_weight_names: bool = True,
                 error: bool = False):
        """`spacing` scales the distances between nodes only: labels keep their readable size, which a
        plain .scale() of the whole diagram would shrink. With `error` the error E is drawn too, a node
        fed by both outputs (`error_wires`)."""
        super().__init__()
        self.nodes: dict[str, VGroup] = {}
        self.edges: dict[str, Line] = {}
        self.weight_labels: dict[str, VGroup] = {}
        self.bias_edges = VGroup()
        self.bias_into: dict[str, Line] = {}  # the bias edge into each node it feeds
        for name, (x, y) in _POSITIONS.items():
            radius = node_radius * (0.75 if name.startswith("b") else 1.0)
            circle = Circle(radius=radius, color=_LAYER_COLOUR[name[0]], stroke_width=4)
            circle.set_fill(theme.BACKGROUND, opacity=1)
            label = theme.formula(f"{name[0]}_{{{name[1]}}}", size=theme.LABEL_SIZE)
            self.nodes[name] = VGroup(circle, label.move_to(circle)).move_to([x * spacing, y * spacing, 0])
        for weight, (src, dst) in EDGES.items():
            self.edges[weight] = self._link(src, dst, theme.WEIGHT, 3)
        for bias, targets in _BIAS_EDGES.items():
            for target in targets:
                self.bias_into[target] = self._link(bias, target, theme.BIAS, 2)
                self.bias_edges.add(self.bias_into[target])
        self.error_wires: dict[str, Line] = {}
        if error:
            circle = Circle(radius=node_radius * 0.75, color=theme.LOSS, stroke_width=4)
            circle.set_fill(theme.BACKGROUND, opacity=1)
            self.nodes["E"] = VGroup(circle, theme.formula("E", size=theme.LABEL_SIZE).move_to(circle)).move_to(
                [_ERROR_AT[0] * spacing, _ERROR_AT[1] * spacing, 0])
            for output in ("o1", "o2"):
                self.error_wires[output] = self._link(output, "E", theme.LOSS, 3)
            self.add(*self.error_wires.values())
        self.add(*self.edges.values(), self.bias_edges, *self.nodes.values())
        if show_weight_names:
            for weight in EDGES:
                self.weight_labels[weight] = self.edge_label(weight, f"w_{{{weight[1]}}}", color=theme.WEIGHT)
            self.add(*self.weight_labels.values())

    def _link(self, src: str, dst: str, colour, width: float) -> Line:
        return edge_between(self.nodes[src], self.nodes[dst], colour, width)

    def at(self, anchor: str) -> VGroup | Line:
        """The node or edge called `anchor`: where a chain-rule factor lives (mathcore's Factor.anchor)."""
        return self.edges[anchor] if anchor in self.edges else self.nodes[anchor]

    def edge_point(self, weight: str) -> np.ndarray:
        return self.edges[weight].point_from_proportion(_LABEL_AT[weight])

    def edge_label(self, weight: str, tex: str, color=theme.TEXT, size: int = theme.LABEL_SIZE) -> VGroup:
        """A formula beside `weight`'s edge, on the side that stays clear of the other edges, its box 0.08
        from the edge along the edge's normal; a crossing diagonal's label is turned to run along it."""
        label = theme.formula(tex, size=size, color=color)
        edge = self.edges[weight]
        direction = edge.get_unit_vector()
        normal = np.array([-direction[1], direction[0], 0.0])
        if np.dot(normal, _LABEL_SIDE[weight]) < 0:
            normal = -normal
        if weight in _ALONG:
            reach = label.height / 2
            label.rotate(np.arctan2(direction[1], direction[0]))
        else:
            reach = abs(normal[0]) * label.width / 2 + abs(normal[1]) * label.height / 2
        return label.move_to(self.edge_point(weight) + normal * (0.08 + reach))

    def node_label(self, node: str, tex: str, color=theme.TEXT, side=UP, size: int = theme.LABEL_SIZE):
        label = theme.formula(tex, size=size, color=color)
        return label.next_to(self.nodes[node], side, buff=0.12)
