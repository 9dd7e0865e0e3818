"""Two facts about linear maps the nonlinearity scene shows: stacked affine layers are one affine map, and
the best straight line through some points (least squares)."""

from __future__ import annotations

import numpy as np


def collapse(w1, b1, w2, b2) -> tuple[np.ndarray, np.ndarray]:
    """W2 (W1 x + b1) + b2 as one layer W x + b: (W, b) = (W2 W1, W2 b1 + b2)."""
    w1, b1, w2, b2 = (np.asarray(a, dtype=np.float64) for a in (w1, b1, w2, b2))
    return w2 @ w1, w2 @ b1 + b2


def line(x, y) -> tuple[float, float, float]:
    """The least-squares line through (x, y), in float64: its slope, its intercept and its mean squared error."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    design = np.stack([x, np.ones_like(x)], axis=1)
    slope, intercept = np.linalg.lstsq(design, y, rcond=None)[0]
    return float(slope), float(intercept), float(np.mean((design @ np.array([slope, intercept]) - y) ** 2))
