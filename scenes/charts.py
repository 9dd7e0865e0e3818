"""Charts shared by the gradient scenes: log-scale axes over layers or steps, bars, and labelled lines."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from manim import DOWN, LEFT, RIGHT, UP, Axes, DashedVMobject, Dot, Line, LogBase, Rectangle, Square, Text, VGroup, VMobject

from . import theme


# A log axis labels every power of ten while that makes at most this many labels; beyond, every other one.
MOST_DECADE_LABELS = 9


def tick_numbers(count: int) -> list[int]:
    """Every integer while they fit on an axis, then 1 and every fifth (every 50th past 100)."""
    if count <= 12:
        return list(range(1, count + 1))
    step = 5 if count <= 60 else 50
    return [1, *range(step, count + 1, step)]


def decades(values: Sequence[float]) -> tuple[int, int]:
    """The powers of ten that enclose every positive finite value."""
    positive = [v for v in values if v > 0 and math.isfinite(v)]
    return math.floor(math.log10(min(positive))), max(0, math.ceil(math.log10(max(positive))))


def log_axes(count: int, values: Sequence[float], x_length: float, y_length: float,
             x_numbers: Sequence[int] | None = None) -> Axes:
    """x from 0 to count+1 (room for a bar at each end), y a log axis spanning `values`."""
    low, high = decades(values)
    axes = Axes(
        x_range=[0, count + 1, 1], y_range=[low, high, 1], x_length=x_length, y_length=y_length,
        y_axis_config={"scaling": LogBase(custom_labels=True), "font_size": theme.AXIS_NUMBER_SIZE,
                       "include_numbers": True},
        x_axis_config={"font_size": theme.AXIS_NUMBER_SIZE, "include_numbers": True,
                       "numbers_to_include": list(x_numbers if x_numbers is not None else tick_numbers(count)),
                       # long axes (training steps) get a tick per number only
                       "include_ticks": count <= 60},
        tips=False,
    )
    labels = axes.y_axis.labels  # one per decade, the lowest first
    if len(labels) > MOST_DECADE_LABELS:
        # Every decade labelled crowds the exponents into an unreadable column: keep the even powers.
        for label in [label for k, label in enumerate(labels) if (low + k) % 2]:
            labels.remove(label)
    return axes


def bars(axes: Axes, values: Sequence[float], colour, share: float = 0.6, *, log: bool) -> VGroup:
    """One bar per value at x = 1, 2, ..., rising from the bottom of the y axis (10^low on a `log` one)."""
    base = 10.0 ** axes.y_range[0] if log else axes.y_range[0]
    bottom = axes.c2p(0, base)[1]
    width = share * (axes.c2p(1, base)[0] - axes.c2p(0, base)[0])
    group = VGroup()
    for x, value in enumerate(values, start=1):
        top = axes.c2p(x, value)
        group.add(Rectangle(width=width, height=max(top[1] - bottom, 1e-3), fill_color=colour, fill_opacity=0.85,
                            stroke_width=0).move_to([top[0], (top[1] + bottom) / 2, 0]))
    return group


def shade(axes: Axes, x0: float, x1: float, y0: float, y1: float, colour=theme.SHADE) -> Rectangle:
    """The region x0..x1 by y0..y1 of `axes` in the shade of saturated and dead regions (or `colour`),
    behind the curves."""
    low, high = axes.c2p(x0, y0), axes.c2p(x1, y1)
    return Rectangle(width=high[0] - low[0], height=high[1] - low[1], fill_color=colour,
                     fill_opacity=theme.SHADE_OPACITY, stroke_width=0).move_to((low + high) / 2).set_z_index(-1)


def line(axes: Axes, xs: Sequence[float], ys: Sequence[float], colour, dashed: bool = False, width: float = 4):
    """A polyline through (xs, ys) on `axes`; non-finite points (a loss gone NaN) are left out."""
    points = [(x, y) for x, y in zip(xs, ys) if isinstance(y, (int, float)) and math.isfinite(y) and y > 0]
    graph = axes.plot_line_graph([p[0] for p in points], [p[1] for p in points], add_vertex_dots=False,
                                 line_color=colour, stroke_width=width)["line_graph"]
    return DashedVMobject(graph, num_dashes=max(12, 3 * len(points))) if dashed else graph


def swatch_row(name: str, colour, dashed: bool = False) -> VGroup:
    """A legend entry: a sample of the series' line (solid or dashed), then its name in its colour."""
    sample = Line(LEFT * 0.25, RIGHT * 0.25, color=colour, stroke_width=4)
    if dashed:
        sample = DashedVMobject(sample, num_dashes=3)
    return VGroup(sample, theme.text(name, theme.LABEL_SIZE, color=colour)).arrange(RIGHT, buff=0.15)


def axis_labels(axes: Axes, x_text: str, y_text: str, y_colour=theme.TEXT) -> VGroup:
    x_label = theme.text(x_text, theme.LABEL_SIZE).next_to(axes, DOWN, buff=0.15)
    y_label = theme.text(y_text, theme.LABEL_SIZE, color=y_colour).next_to(axes, UP, buff=0.15)
    y_label.align_to(axes, LEFT)
    return VGroup(x_label, y_label)


def named(name: str, value: VMobject, colour) -> VGroup:
    """A run's value with its name in front: a colour alone (a pale second series) does not say whose it is."""
    return VGroup(theme.text(name + ":", theme.LABEL_SIZE, color=colour), value).arrange(RIGHT, buff=0.15)


@dataclass
class TwoRuns:
    """Two runs measured at each layer on one log chart (the first solid, the second dashed and lighter),
    with a legend and, under it, a panel of each run's first/last ratio, all right of the chart."""

    axes: Axes
    axis_labels: VGroup
    lines: tuple[VMobject, VMobject]
    legend: VGroup
    ratio_title: Text
    ratios: VGroup


def two_run_chart(layers: Sequence[int], runs: Sequence[Sequence[float]], names: Sequence[str],
                  ratios: Sequence[str], x_text: str, y_text: str, ratio_title: str) -> TwoRuns:
    """`runs` (two lists of values per layer) drawn over `layers`, named by `names`, their ratios (LaTeX)
    in the panel under `ratio_title`."""
    first, second = runs
    axes = log_axes(len(layers), [*first, *second], x_length=6.5, y_length=4.2)
    axes.to_edge(LEFT, buff=1.4).shift(DOWN * 0.2)
    colours = (theme.GRADIENT, theme.GRADIENT_ALT)
    legend = VGroup(*(swatch_row(name, colour, dashed) for name, colour, dashed in zip(names, colours, (False, True))))
    legend.arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(axes, RIGHT, buff=0.4).align_to(axes, UP)
    title = theme.text(ratio_title, theme.LABEL_SIZE)
    shown = VGroup(*(named(name, theme.formula(ratio, color=colour), colour)
                     for name, ratio, colour in zip(names, ratios, colours)))
    shown.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
    VGroup(title, shown).arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(legend, DOWN, buff=0.5,
                                                                               aligned_edge=LEFT)
    return TwoRuns(axes=axes, axis_labels=axis_labels(axes, x_text, y_text, theme.GRADIENT),
                   lines=(line(axes, layers, first, colours[0]), line(axes, layers, second, colours[1], dashed=True)),
                   legend=legend, ratio_title=title, ratios=shown)


@dataclass
class Regions:
    """A trained classifier on the plane: the ground it answers each arm (a square), the data over it."""

    ground: VGroup
    points: VGroup

    @property
    def whole(self) -> VGroup:
        return VGroup(self.ground, self.points)


def regions(answers: Sequence[Sequence[int]], extent: float, points: Sequence[Sequence[float]],
            labels: Sequence[int], side: float) -> Regions:
    """A square of `side` over [-extent, extent]^2: `answers[r][c]` (row r from the bottom, column c from
    the left, on an evenly spaced lattice) coloured as its arm's ground, each row's runs of the dark arm one
    rectangle (a few hundred shapes, not a cell each), and the points in their arms' colours on top."""
    size = len(answers)
    cell = side / size
    ground = VGroup(Square(side, fill_color=theme.ARM_GROUNDS[0], fill_opacity=1, stroke_color=theme.MUTED,
                           stroke_width=2))
    for r, row in enumerate(answers):
        c = 0
        while c < size:
            if row[c]:
                end = c
                while end < size and row[end]:
                    end += 1
                # A hair taller than the cell: rows that only touch leave an anti-aliased seam between them.
                ground.add(Rectangle(width=(end - c) * cell, height=cell + 0.02, fill_color=theme.ARM_GROUNDS[1],
                                     fill_opacity=1, stroke_width=0).move_to(
                    [-side / 2 + (c + end) / 2 * cell, -side / 2 + (r + 0.5) * cell, 0]))
                c = end
            else:
                c += 1
    # A lattice point stands for the cell around it: the square reaches half a step past +-extent.
    half = extent * size / (size - 1)
    dots = VGroup(*(Dot([x / half * side / 2, y / half * side / 2, 0], radius=0.045, fill_color=theme.ARM_POINTS[k],
                        fill_opacity=1, stroke_color=theme.ARM_POINTS[1 - k], stroke_width=1.2)
                    for (x, y), k in zip(points, labels)))
    return Regions(ground=ground, points=dots)
