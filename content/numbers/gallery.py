"""The activations gallery: each selected activation straight from the registry (formulas, range, use),
its curve's extent on GALLERY_X, its slope's peak and the tails where the slope fails."""

from __future__ import annotations

import math

import numpy as np

from mathcore import activations, flow, slopes

from ..format import sig, sig_tex, sig_text
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
# ReLU's smooth relatives, overlaid on it; from SMOOTH_FROM on, how far each stays from ReLU.
SMOOTH = ("elu", "gelu", "silu")
SMOOTH_FROM = 3.0


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


def _bound(x: float, digits: int = 3) -> str:
    """An upper bound said in `digits` significant digits: rounded up, so "within 0.143" holds (0.142 would not)."""
    step = 10 ** (math.floor(math.log10(abs(x))) - digits + 1)
    return sig(math.ceil(x / step - 1e-9) * step, digits)


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
            # The middle of where the slope is largest: ReLU's is 1 for every x > 0, and its first grid
            # point, next to the kink, would sit where the formula says the slope is 0.
            "peak_x": float(np.median(xs[np.abs(slope) >= np.abs(slope).max() - 1e-12])),
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

    relation, smooth = _relation(names, xs, gallery), _smooth(names, xs)
    values["relation"], values["smooth"] = relation, smooth
    display = {
        "relation_error": sig_text(relation["error"], 2) if relation else None,
        "relation_error_tex": sig_tex(relation["error"], 2) if relation else None,
        "tanh_peak": f"{relation['tanh_peak']:.3g}" if relation else None,
        "sigmoid_peak": f"{relation['sigmoid_peak']:.3g}" if relation else None,
        "smooth_from": f"{SMOOTH_FROM:g}" if smooth else None,
        "far_gap": _bound(smooth["far_gap"]) if smooth else None,
        "gelu_min": sig(smooth["each"]["gelu"]["min"], 2) if smooth else None,
        "silu_min": sig(smooth["each"]["silu"]["min"], 2) if smooth else None,
        "elu_floor": f"{smooth['elu_floor']:g}" if smooth else None,
        "share": f"{SATURATION_SHARE:.0%}",
        # The slope axis's numbers: every half, 0 left out (the x axis is there).
        "slope_ticks": [(float(t), f"{t:g}") for t in np.arange(math.ceil(shared[0] * 2) / 2, shared[1] + 1e-9, 0.5)
                        if abs(t) > 1e-9],
        "relu_slope": f"{values['relu_positive_slope']:g}",
        "each": {name: shown(name, entry) for name, entry in gallery.items()},
    }
    return Numbers(values, display)


def _relation(names: list[str], xs: np.ndarray, gallery: dict) -> dict | None:
    """tanh(x) = 2 sigmoid(2x) - 1, measured on the plot's grid (None unless both are shown): how far apart
    the two sides are, and the slopes' peaks (4 sigmoid'(2x) peaks at four times sigmoid's)."""
    if not {"sigmoid", "tanh"} <= set(names):
        return None
    sigmoid, tanh = activations.get("sigmoid"), activations.get("tanh")
    return {"error": float(np.max(np.abs(tanh(xs) - (2 * sigmoid(2 * xs) - 1)))),
            "tanh_peak": gallery["tanh"]["peak_slope"], "sigmoid_peak": gallery["sigmoid"]["peak_slope"]}


def _smooth(names: list[str], xs: np.ndarray) -> dict | None:
    """ELU, GELU and SiLU against ReLU on the plot's grid (None unless all four are shown): each one's lowest
    value and where, how far from ReLU it stays from SMOOTH_FROM on, and where ELU tends for x -> -inf."""
    if not {"relu", *SMOOTH} <= set(names):
        return None
    relu = activations.get("relu")(xs)
    each = {}
    for name in SMOOTH:
        value = activations.get(name)(xs)
        lowest = int(np.argmin(value))
        each[name] = {"min": float(value[lowest]), "min_x": float(xs[lowest]),
                      "far_gap": float(np.max(np.abs(value - relu)[xs >= SMOOTH_FROM]))}
    return {"from": SMOOTH_FROM, "each": each, "far_gap": max(e["far_gap"] for e in each.values()),
            "elu_floor": float(activations.get("elu")(-GALLERY_FAR))}

