"""The activations gallery: each selected activation straight from the registry (formulas, range, use),
its curve's extent on GALLERY_X, its slope's peak and the tails where the slope fails."""

from __future__ import annotations

import math

import numpy as np

from mathcore import activations, flow, slopes

from ..i18n import Term
from . import Numbers
from ._common import SATURATION_SHARE

# The activations gallery: every curve on x in GALLERY_X; a tail of the curve counts as saturated when its
# slope stays under SATURATION_SHARE of the peak out to the edge and keeps shrinking (|f'| at
# GALLERY_FAR is under GALLERY_VANISHED of the peak); a constant small slope (Leaky ReLU's) does not.
GALLERY_X = (-5.0, 5.0)
GALLERY_GRID = 20_001
GALLERY_FAR = 1e6
GALLERY_VANISHED = 1e-3
GALLERY_JUMP = 0.5  # a change of the slope between neighbouring grid points beyond this share of the peak


def slope_regions(name: str) -> list[dict]:
    """The tails of `name` on GALLERY_X where the slope fails (mathcore.slopes.regions)."""
    return slopes.regions(name, GALLERY_X, GALLERY_GRID, SATURATION_SHARE, GALLERY_FAR, GALLERY_VANISHED)


def _where(regions: list[dict]) -> str | None:
    """The x of some regions as the subtitles say it: x < -2.3, |x| > 3.6, x < -1 or x > 2."""
    if not regions:
        return None
    bound = {r["side"]: (r["to"] if r["side"] == "left" else r["from"]) + 0.0 for r in regions}
    if set(bound) == {"left", "right"} and math.isclose(-bound["left"], bound["right"], rel_tol=1e-6):
        return f"|x| > {bound['right']:.2g}"
    parts = [f"x < {bound['left']:.2g}" if side == "left" else f"x > {bound['right']:.2g}" for side in bound]
    return Term("either", left=parts[0], right=parts[1]) if len(parts) == 2 else parts[0]


def _nice_ceiling(x: float, step: float = 0.25) -> float:
    return math.ceil(x / step - 1e-9) * step


def numbers(only: str) -> Numbers:
    """Each selected activation straight from the registry: formulas, range, use, its curve's extent on
    GALLERY_X, its slope's peak and the tails where the slope fails."""
    xs = np.linspace(*GALLERY_X, GALLERY_GRID)
    names = only.split(",")
    gallery = {}
    for name in names:
        act = activations.get(name)
        value, slope = act(xs), act.derivative(xs)
        peak = flow.derivative_bound(name)
        regions = slope_regions(name)
        gallery[name] = {
            "title": act.title, "formula": act.formula, "derivative_formula": act.derivative_formula,
            "range": act.range, "range_latex": act.range_latex, "used_for": act.used_for,
            "peak_slope": peak,
            "peak_x": float(xs[int(np.argmax(np.abs(slope)))]),
            # Axis extents: whole numbers around the curve, quarters around the slope.
            "value_axis": (math.floor(float(value.min())), math.ceil(float(value.max()))),
            "slope_axis": (min(0.0, -_nice_ceiling(-float(slope.min()))), _nice_ceiling(peak)),
            "regions": regions,
            # Where the slope jumps (ReLU's kink at 0): the plot breaks its dashed curve there.
            "slope_jumps": [float(xs[i] + xs[i + 1]) / 2
                            for i in np.flatnonzero(np.abs(np.diff(slope)) > GALLERY_JUMP * peak)],
        }
    # One slope axis for every activation shown: a slope of 0.25 must look a quarter as tall as one of 1
    # (each scaled to its own peak, sigmoid's would look as tall as tanh's).
    shared = (min(entry["slope_axis"][0] for entry in gallery.values()),
              max(entry["slope_axis"][1] for entry in gallery.values()))
    for entry in gallery.values():
        entry["slope_axis"] = shared
    relu = activations.get("relu")
    values = {"names": names, "slope_axis": shared, "x_range": GALLERY_X, "saturation_share": SATURATION_SHARE, "gallery": gallery,
              "relu_positive_slope": float(relu.derivative(1.0))}

    def shown(name: str, entry: dict) -> dict:
        kinds = {kind: [r for r in entry["regions"] if r["kind"] == kind] for kind in ("dead", "saturated", "small")}
        small = kinds["small"]
        return {
            # Words, in the scene's language: the registry's `used_for` retold short in the catalogues.
            "title": Term(f"title.{name}"), "use": Term(f"use.{name}"), "peak": f"{entry['peak_slope']:.3g}",
            "value_ticks": [f"{v:g}" for v in entry["value_axis"]], "dead_where": _where(kinds["dead"]),
            "saturated_where": _where(kinds["saturated"]), "small_where": _where(small),
            "small_slope": f"{abs(small[0]['slope']):.2g}" if small else None,
        }

    display = {
        "share": f"{SATURATION_SHARE:.0%}",
        # The slope axis's numbers: every half, 0 left out (the x axis is there).
        "slope_ticks": [(float(t), f"{t:g}") for t in np.arange(math.ceil(shared[0] * 2) / 2, shared[1] + 1e-9, 0.5)
                        if abs(t) > 1e-9],
        "relu_slope": f"{values['relu_positive_slope']:g}",
        "each": {name: shown(name, entry) for name, entry in gallery.items()},
    }
    return Numbers(values, display)
