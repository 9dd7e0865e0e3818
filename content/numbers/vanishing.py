"""The vanishing scene: the sigmoid's slope, dE/dw5 and dE/dw1 of the classic network, the gradient through
a deep random net (mathcore's simulation), and the `gradient-flow` training run."""

from __future__ import annotations

from mathcore import flow, slopes

from ..format import sig, sig_tex, sig_text
from ..i18n import Term
from . import Numbers
from ._common import SATURATION_SHARE, SIM_BATCH, SIM_SEED, SIM_WIDTH
from ._network import classic, factor_shown, factor_shown_value, shown, shown_tex, shown_text

# The three factors of w5's gradient over w1's: enough digits that their product reads as the ratio.
SPLIT_DIGITS = 3


def numbers(depth: int, activation: str) -> Numbers:
    """Every number the scene shows, from mathcore; `display` holds them formatted for screen and subtitles."""
    peak = flow.derivative_bound("sigmoid")
    saturation_x = slopes.falls_below("sigmoid", SATURATION_SHARE)

    net = classic()
    w5, w1 = net.chain("w5"), net.chain("w1")
    split = net.gradient_ratio("w5", "w1")
    part = {p.name: p for p in split.parts}

    init = flow.recommended_init(activation)
    run = flow.gradient_flow(activation, depth, SIM_WIDTH, init, batch=SIM_BATCH, seed=SIM_SEED)
    reach, factors = run.reach(), run.layer_factors()
    # The answer is about sigmoid nets whatever the deep chain shows: their typical factor per layer.
    sigmoid_run = run if activation == "sigmoid" else flow.gradient_flow(
        "sigmoid", depth, SIM_WIDTH, flow.recommended_init("sigmoid"), batch=SIM_BATCH, seed=SIM_SEED)
    sigmoid_factor = flow.typical_factor(sigmoid_run.layer_factors())
    sigmoid_reach = float(sigmoid_run.reach()[-1])
    deep_bound = flow.derivative_bound(activation)
    bound = flow.bound_products(activation, depth)

    values = {
        "sigmoid_peak": peak,
        "saturation_x": saturation_x,
        "w5_factors": [f.value for f in w5.paths[0]],
        "w5_factor_names": [f.name for f in w5.paths[0]],
        "grad_w5": w5.value,
        "w1_paths": [[f.value for f in path] for path in w1.paths],
        "w1_factor_names": [[f.name for f in path] for path in w1.paths],
        "grad_w1": w1.value,
        "ratio_w5_w1": w5.value / w1.value,
        # Why w1's gradient is smaller: the ratio as input x weights-and-paths x slope (they multiply to it).
        "ratio_split": {p.name: {"top": p.top, "bottom": p.bottom, "factor": p.value} for p in split.parts},
        "deep_activation": activation,
        "deep_init": init,
        "depth": depth,
        "layer_factors": factors.tolist(),
        "reach": reach.tolist(),
        "deep_bound": deep_bound,
        "sigmoid_layer_factor": sigmoid_factor,
        "sigmoid_reach": sigmoid_reach,
        "bound": bound.tolist(),
        "simulation": {"width": SIM_WIDTH, "batch": SIM_BATCH, "seed": SIM_SEED, "init": init},
    }
    trained = _trained_gradient_flow()
    values["trained"] = trained.values
    display = {
        **trained.display,
        "peak": sig(peak, 2),
        "saturation_x": sig(saturation_x, 2),
        "slope_o1": shown(w5.paths[0][1].value),
        "grad_w5": shown(w5.value),
        "grad_w1": shown_text(w1.value),
        "ratio": f"{w5.value / w1.value:.0f}",
        **{f"split_{p.name}": sig(p.value, SPLIT_DIGITS) for p in split.parts},
        "split_tex": [{"name": p.name, "factor": sig(p.value, SPLIT_DIGITS),
                       "top": "1" if p.top == 1 else factor_shown_value(p.top), "bottom": factor_shown_value(p.bottom)}
                      for p in split.parts],
        "dE_dnet_o1": shown(part["error"].top), "dE_dout_h1": shown(part["error"].bottom),
        "out_h1": shown(part["input"].top), "i1": factor_shown_value(part["input"].bottom),
        "depth": str(depth),
        "deep_title": Term(f"title.{activation}"),
        "typical_factor": sig(flow.typical_factor(factors), 2),
        "sigmoid_factor": sig(sigmoid_factor, 2),
        "sigmoid_reach_tex": sig_tex(sigmoid_reach),
        "reach_last": sig_text(float(reach[-1])),
        # The same numbers as they appear in the scene's formulas and chart.
        "w5_factors": [factor_shown(f) for f in w5.paths[0]],
        "w1_paths": [[factor_shown(f) for f in path] for path in w1.paths],
        "grad_w1_tex": shown_tex(w1.value),
        "reach_tex": [sig_tex(float(r)) for r in reach],
        "deep_bound": sig(deep_bound, 2),
    }
    return Numbers(values, display)


def _trained_gradient_flow() -> Numbers:
    """The measured side of the vanishing story: the `gradient-flow` training run (cached, or trained now)."""
    import experiments

    import numpy as np

    from experiments import data

    result = experiments.run_cached("gradient-flow")
    runs, cfg = result["runs"], result["config"]
    # The spiral the nets learned, drawn again from the run's seed (experiments.gradient_flow.run's data).
    points, labels = data.spirals(cfg["points"], np.random.default_rng([cfg["seed"], 0]))
    regions = {act: runs[act]["regions"] for act in ("sigmoid", "relu")}
    # How much of the plane each net gives to the arm it answers most: the sigmoid net's one flat answer.
    plane = {act: max(float(np.mean(r)), 1 - float(np.mean(r))) for act, r in regions.items()}
    first_step = {act: runs[act]["grad_norms"][0] for act in ("sigmoid", "relu")}
    ratio = {act: norms[0] / norms[-1] for act, norms in first_step.items()}
    change = {act: runs[act]["relative_weight_change"][0] for act in ("sigmoid", "relu")}
    values = {
        "layers": result["layers"], "grad_norms_first_step": first_step, "first_over_last": ratio,
        "first_layer_change": change, "accuracy": {act: runs[act]["accuracy"] for act in ("sigmoid", "relu")},
        "steps": result["config"]["steps"], "hidden_layers": result["config"]["depth"],
        "headline": experiments.EXPERIMENTS["gradient-flow"].headline(result),
        "regions": regions, "lattice": result["lattice"], "plane_one_arm": plane,
        "spiral": {"points": points.tolist(), "labels": labels[:, 0].astype(int).tolist()},
    }
    return Numbers(values, {
        "trained_depth": str(result["config"]["depth"]), "trained_steps": str(result["config"]["steps"]),
        "sigmoid_ratio": sig_text(ratio["sigmoid"], 2), "relu_ratio": sig(ratio["relu"], 2),
        "sigmoid_change": sig_text(change["sigmoid"], 2), "relu_change": sig(change["relu"], 2),
        "sigmoid_accuracy": f"{runs['sigmoid']['accuracy']:.0%}", "relu_accuracy": f"{runs['relu']['accuracy']:.0%}",
        "sigmoid_plane": f"{plane['sigmoid']:.1%}",
        "ratio_tex": {act: sig_tex(r, 2) for act, r in ratio.items()},
        "change_tex": {act: sig_tex(c, 2) for act, c in change.items()},
    })
