"""Where an activation's slope fails: the point past which it stays under a share of its peak, and the
tails of a plotted range where it is dead (exactly 0), saturated (small and fading further out) or small
(small but constant, as Leaky ReLU's)."""

from __future__ import annotations

import numpy as np

from . import activations, flow


def falls_below(name: str, share: float, stop: float = 20.0, grid: int = 200_001) -> float:
    """The first x >= 0 (on a grid of [0, stop]) where |f'(x)| is under `share` of f's peak slope: for the
    sigmoid, where it counts as saturated."""
    xs = np.linspace(0.0, stop, grid)
    below = np.abs(activations.get(name).derivative(xs)) < share * flow.derivative_bound(name)
    if not below.any():
        raise ValueError(f"the slope of {name} stays above {share:g} of its peak on [0, {stop:g}]")
    return float(xs[np.argmax(below)])


def edge_runs(xs: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    """Where the run of True touching each end of the grid ends: {"left": x, "right": x} (ends not in
    mask left out)."""
    ends = {}
    if mask.all():
        return {"left": float(xs[-1]), "right": float(xs[0])}
    if mask[0]:
        ends["left"] = float(xs[int(np.argmin(mask)) - 1])
    if mask[-1]:
        ends["right"] = float(xs[len(xs) - int(np.argmin(mask[::-1]))])
    return ends


def regions(name: str, x_range: tuple[float, float], grid: int, share: float, far: float,
            vanished: float) -> list[dict]:
    """The tails of `name` on `x_range` where the slope fails: dead (exactly 0), saturated (under `share`
    of the peak out to the edge and fading: |f'| at +-`far` under `vanished` of the peak), or small (under
    the share but not fading, as Leaky ReLU's)."""
    act = activations.get(name)
    xs = np.linspace(*x_range, grid)
    slope = act.derivative(xs)
    peak = flow.derivative_bound(name)
    dead = edge_runs(xs, slope == 0)
    low = edge_runs(xs, np.abs(slope) < share * peak)
    step = xs[1] - xs[0]
    found = []
    for side, edge, far_x in (("left", x_range[0], -far), ("right", x_range[1], far)):
        inner = edge
        if side in dead:
            inner = dead[side]
            found.append({"kind": "dead", "side": side, "from": min(edge, inner), "to": max(edge, inner)})
        if side in low and abs(low[side] - edge) > abs(inner - edge) + step:
            fading = abs(float(act.derivative(far_x))) < vanished * peak
            found.append({"kind": "saturated" if fading else "small", "side": side,
                          "from": min(inner, low[side]), "to": max(inner, low[side]),
                          "slope": float(act.derivative(edge))})
    return found
