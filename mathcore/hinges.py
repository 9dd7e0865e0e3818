"""A curve built from ReLU hinges: the piecewise-linear function through a curve's values at a few knots
is a constant plus one ReLU unit per knot, c_k * relu(x - t_k), c_k the change of slope at t_k. On
x >= t_0 that is exactly what one hidden layer of ReLU units computes (input weight 1, bias -t_k, output
weight c_k): how a ReLU net bends a line into a curve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np


@dataclass(frozen=True)
class Hinges:
    """offset + sum_k changes[k] * relu(x - knots[k]), valid for x >= knots[0]."""

    offset: float
    knots: tuple[float, ...]
    changes: tuple[float, ...]

    def __call__(self, x, units: int | None = None) -> np.ndarray:
        """The sum of the first `units` hinges (all by default) at x: with fewer, the curve is followed up
        to the next knot and goes on straight beyond it."""
        x = np.asarray(x, dtype=float)
        kept = len(self.knots) if units is None else units
        if not 0 <= kept <= len(self.knots):
            raise ValueError(f"units must be 0 to {len(self.knots)}, not {units}")
        return self.offset + sum((c * np.maximum(x - t, 0.0) for t, c in zip(self.knots[:kept], self.changes[:kept])),
                                 np.zeros_like(x))

    def unit(self, k: int, x) -> np.ndarray:
        """Hinge k alone: zero left of its knot, a ramp of slope changes[k] right of it."""
        return self.changes[k] * np.maximum(np.asarray(x, dtype=float) - self.knots[k], 0.0)


def through(f: Callable[[np.ndarray], np.ndarray], points: Sequence[float]) -> Hinges:
    """The hinges whose sum passes through (p, f(p)) for every p of `points` (increasing) and is straight
    between them; a hinge sits at every point but the last."""
    xs = np.asarray(points, dtype=float)
    if len(xs) < 2 or np.any(np.diff(xs) <= 0):
        raise ValueError("points must be at least two, increasing")
    ys = np.asarray(f(xs), dtype=float)
    slopes = np.diff(ys) / np.diff(xs)
    changes = np.diff(slopes, prepend=0.0)
    return Hinges(offset=float(ys[0]), knots=tuple(float(x) for x in xs[:-1]),
                  changes=tuple(float(c) for c in changes))


def bends(f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, samples: int = 20001) -> list[float]:
    """Where f turns (its slope changes sign) strictly inside (lo, hi), to the sampling's resolution."""
    x = np.linspace(lo, hi, samples)
    step = np.diff(f(x))
    moving = np.flatnonzero(step != 0)  # a flat stretch is no turn: compare the steps around it
    signs = np.sign(step[moving])
    turns = moving[1:][signs[1:] != signs[:-1]]
    return [float(x[i]) for i in turns]
