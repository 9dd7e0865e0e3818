"""The dead-relu scene: ReLU and its slope, the `dead-relu` training run, and how often deep narrow ReLU
nets are born dead (Lu et al. 2020)."""

from __future__ import annotations

import numpy as np

from mathcore import activations

from ..format import percent, sig
from . import Numbers

# ReLU's dead zone: the born-dead Monte Carlo (Lu et al. 2020) at a size that runs in well under a second.
BORN_DEAD_WIDTHS = (2, 3, 5, 10)
BORN_DEAD_DEPTH = 10
BORN_DEAD_TRIALS = 10_000
BORN_DEAD_SEED = 0
# The ablation's share of units removed that the narration names for the Leaky ReLU net.
ABLATION_SAID = 0.75
# Where the dead unit's pre-activations sit on the x axis in the scene: all below zero (positions only).
DEAD_UNIT_Z = (-2.6, -2.1, -1.7, -1.2, -0.8, -0.4)


def numbers() -> Numbers:
    """ReLU and its slope, the `dead-relu` training run, and how often deep narrow ReLU nets are born dead."""
    import experiments
    from experiments.cache import floats_array
    from mathcore import deadzone

    relu, leaky = activations.get("relu"), activations.get("leaky_relu")
    result = experiments.run_cached("dead-relu")
    cfg, runs = result["config"], result["runs"]
    # Every hidden layer has the same width, so the share of all units is the mean over layers.
    share = {a: [float(np.mean(floats_array(s))) for s in runs[a]["dead_share"]] for a in ("relu", "leaky_relu")}
    no_grad = {a: float(np.mean(runs[a]["no_gradient_share"])) for a in ("relu", "leaky_relu")}
    recovered = {a: list(runs[a]["recovered_units"]) for a in ("relu", "leaky_relu")}
    accuracy = {a: runs[a]["accuracy"] for a in ("relu", "leaky_relu")}
    ablation = {a: runs[a]["ablation"] for a in ("relu", "leaky_relu")}
    shares = ablation["relu"]["shares"]
    histogram = result["first_layer_histogram"]
    rows = deadzone.born_dead_table(BORN_DEAD_WIDTHS, BORN_DEAD_DEPTH, BORN_DEAD_TRIALS, BORN_DEAD_SEED)
    values = {
        "relu_formula": relu.formula, "relu_derivative_formula": relu.derivative_formula,
        "leaky_slope": leaky.params["negative_slope"], "dead_unit_z": list(DEAD_UNIT_Z),
        "relu_slope_negative": float(relu.derivative(DEAD_UNIT_Z[0])),
        "relu_slope_positive": float(relu.derivative(-DEAD_UNIT_Z[0])),
        "hidden_sizes": list(cfg["hidden"]), "steps": cfg["steps"], "lr": cfg["lr"],
        "checkpoints": list(result["checkpoints"]), "dead_share": share, "no_gradient_share": no_grad,
        "recovered_units": recovered, "accuracy": accuracy, "ablation": ablation, "ablation_said": ABLATION_SAID,
        "final_loss": {a: float(runs[a]["final_loss"]) for a in ("relu", "leaky_relu")},
        "histogram_edges": floats_array(histogram["bin_edges"]).tolist(), "histogram": histogram["counts"],
        "below_zero": histogram["below_zero"],
        "born_dead": [{"width": r.width, "probability": r.probability, "standard_error": r.standard_error}
                      for r in rows],
        "born_dead_depth": BORN_DEAD_DEPTH, "born_dead_trials": BORN_DEAD_TRIALS,
        "headline": experiments.EXPERIMENTS["dead-relu"].headline(result),
    }
    display = {
        "leaky_slope": f"{values['leaky_slope']:g}",
        "layers": str(len(cfg["hidden"])), "width": str(cfg["hidden"][0]), "steps": str(cfg["steps"]),
        "lr": f"{cfg['lr']:g}",
        "start_dead": percent(share["relu"][0]), "relu_dead": percent(share["relu"][-1]),
        "leaky_negative": percent(share["leaky_relu"][-1]),
        "relu_dead_series": [percent(s) for s in share["relu"]],
        "leaky_negative_series": [percent(s) for s in share["leaky_relu"]],
        "relu_no_grad": percent(no_grad["relu"]), "leaky_no_grad": percent(no_grad["leaky_relu"]),
        # Said by layer, as the table shows them (the total is not on screen).
        **{f"leaky_back_{k}": str(n) for k, n in enumerate(recovered["leaky_relu"], start=1)},
        **{f"relu_back_{k}": str(n) for k, n in enumerate(recovered["relu"], start=1)},
        "back_by_layer": {a: ", ".join(str(n) for n in recovered[a]) for a in ("relu", "leaky_relu")},
        "relu_accuracy": f"{accuracy['relu']:.0%}", "leaky_accuracy": f"{accuracy['leaky_relu']:.0%}",
        "removed": percent(ABLATION_SAID), "most_removed": percent(shares[-1]),
        "leaky_kept": f"{ablation['leaky_relu']['accuracy'][shares.index(ABLATION_SAID)]:.0%}",
        "relu_kept": f"{ablation['relu']['accuracy'][-1]:.0%}",
        "relu_silent_by_layer": ", ".join(percent(share) for share in ablation["relu"]["silent_share"]),
        "ablation_shares": [percent(share) for share in shares],
        "ablation_accuracy": {a: [f"{acc:.0%}" for acc in ablation[a]["accuracy"]] for a in ("relu", "leaky_relu")},
        "below_before": percent(histogram["below_zero"]["relu"]["before"]),
        "relu_below_after": percent(histogram["below_zero"]["relu"]["after"]),
        "leaky_below_after": percent(histogram["below_zero"]["leaky_relu"]["after"]),
        # The histograms' lowest edge: the lowest net of all four (ReLU's after training holds it).
        "lowest_net": sig(floats_array(histogram["bin_edges"])[0], 2).replace("-", "−"),
        "born_depth": str(BORN_DEAD_DEPTH), "born_trials": f"{BORN_DEAD_TRIALS:,}",
        "born_widths": [str(r.width) for r in rows], "born_percent": [percent(r.probability) for r in rows],
        "born_narrow": str(rows[0].width), "p_narrow": percent(rows[0].probability),
        "born_three": str(rows[1].width), "p_three": percent(rows[1].probability),
        "born_wide": str(rows[-1].width), "p_wide": percent(rows[-1].probability),
    }
    return Numbers(values, display)
