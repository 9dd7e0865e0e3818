"""The ledger of a worked example: formulas stacked in a column beside a drawing, each under the one before.

The forward and backprop scenes keep their arithmetic this way, on the right of the network, so that a
student reads every step top to bottom with its left edge in line with the others."""

from __future__ import annotations

from manim import DOWN, LEFT, UP, VGroup

from . import theme


class FormulaColumn(VGroup):
    """Formulas at label size, the first with its top-left corner at (left, top), each next one `gap`
    below the last. A row is placed as it is added, so a scene can build the rows of a beat just before
    it plays them; the scene writes the rows one by one, and fades the column out as a whole."""

    def __init__(self, left: float, top: float, gap: float):
        super().__init__()
        self.corner = [left, top, 0]
        self.gap = gap

    def add_row(self, *parts, gap: float | None = None) -> theme.Formula:
        """A formula of theme.formula's parts under the last row, `gap` below it (the column's own if
        not given: a wider one sets a new step of the argument apart)."""
        row = theme.formula(*parts, size=theme.LABEL_SIZE)
        if len(self):
            row.next_to(self[-1], DOWN, buff=self.gap if gap is None else gap, aligned_edge=LEFT)
        else:
            row.move_to(self.corner, aligned_edge=UP + LEFT)
        self.add(row)
        return row
