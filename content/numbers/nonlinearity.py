"""The nonlinearity scene: two linear layers multiplied out into one, and the `nonlinearity` training run
(the fits per checkpoint)."""

from __future__ import annotations

import math

import numpy as np

from mathcore import fit, hinges

from ..format import bmatrix, integer, sig
from ..i18n import Term
from . import Numbers

# The two linear layers the nonlinearity scene multiplies out: small integers, so every product reads
# at a glance. y = W2 (W1 x + b1) + b2 with x in the plane; the scene checks the collapse on COLLAPSE_X.
COLLAPSE_W1 = ((2, 1), (-1, 3))
COLLAPSE_B1 = (1, 2)
COLLAPSE_W2 = ((3, 2),)
COLLAPSE_B2 = (-1,)
COLLAPSE_X = (1, 2)


def numbers() -> Numbers:
    """Two linear layers multiplied out into one, and the `nonlinearity` training run (fits per checkpoint)."""
    import experiments
    from experiments import data
    from experiments.cache import floats_array

    w1, w2 = np.array(COLLAPSE_W1, dtype=float), np.array(COLLAPSE_W2, dtype=float)
    b1, b2 = np.array(COLLAPSE_B1, dtype=float), np.array(COLLAPSE_B2, dtype=float)
    x = np.array(COLLAPSE_X, dtype=float)
    w, b = fit.collapse(w1, b1, w2, b2)
    hidden = w1 @ x + b1
    two_layers, one_layer = w2 @ hidden + b2, w @ x + b

    result = experiments.run_cached("nonlinearity")
    cfg, runs = result["config"], result["runs"]
    names = list(cfg["activations"])
    predictions = {a: [floats_array(p).tolist() for p in runs[a]["predictions"]] for a in names}
    mse = {a: float(runs[a]["mse"]) for a in names}
    best = min(v for a, v in mse.items() if a != "identity")
    train_x, train_y = floats_array(result["train_x"]), floats_array(result["train_y"])
    # The best any straight line can do on the training points.
    _, _, line_mse = fit.line(train_x, train_y)
    every = np.concatenate([train_y, *(np.ravel(p) for p in predictions.values())])
    # The curve the nets learn, rebuilt from ReLU hinges: a knot at its left end and at each of its bends,
    # straight between them. Measured against the curve itself on the experiment's grid, beside the best
    # straight line against the same curve.
    grid, target = floats_array(result["grid"]), floats_array(result["target"])
    built = hinges.through(data.target, [-1.0, *hinges.bends(data.target, -1.0, 1.0), 1.0])
    hinge_mse = float(np.mean((built(grid) - target) ** 2))
    _, _, curve_line_mse = fit.line(grid, target)
    values = {
        "W1": w1.tolist(), "b1": b1.tolist(), "W2": w2.tolist(), "b2": b2.tolist(),
        "W": w.tolist(), "b": b.tolist(), "x": x.tolist(), "hidden": hidden.tolist(),
        "y_two_layers": two_layers.tolist(), "y_one_layer": one_layer.tolist(),
        "activations": names, "grid": floats_array(result["grid"]).tolist(),
        "target": floats_array(result["target"]).tolist(), "train_x": train_x.tolist(),
        "train_y": train_y.tolist(), "checkpoints": list(result["checkpoints"]), "predictions": predictions,
        "mse": mse, "line_mse": line_mse, "mse_ratio": mse["identity"] / best, "steps": cfg["steps"],
        "hidden_sizes": list(cfg["hidden"]),
        "y_limits": [math.floor(float(every.min())), math.ceil(float(every.max()))],
        "headline": experiments.EXPERIMENTS["nonlinearity"].headline(result),
        "hinges": {"offset": built.offset, "knots": list(built.knots), "changes": list(built.changes),
                   "mse": hinge_mse, "line_mse": curve_line_mse},
    }
    display = {
        "W1": bmatrix(w1), "b1": bmatrix(b1[:, None]), "W2": bmatrix(w2), "b2": bmatrix(b2),
        "W": bmatrix(w), "b": bmatrix(b), "x": bmatrix(x[:, None]), "hidden": bmatrix(hidden[:, None]),
        "W_text": "(" + ", ".join(integer(v) for v in w.ravel()) + ")", "b_text": integer(float(b[0])),
        "x_text": "(" + ", ".join(integer(v) for v in x) + ")",
        "hidden_text": "(" + ", ".join(integer(v) for v in hidden) + ")",
        "y_two": integer(float(two_layers[0])), "y_one": integer(float(one_layer[0])),
        "layers": str(len(cfg["hidden"])), "width": str(cfg["hidden"][0]), "steps": str(cfg["steps"]),
        "points": str(cfg["points"]),
        **{f"mse_{a}": sig(mse[a]) for a in names}, "line_mse": sig(line_mse),
        **{f"title_{a}": Term(f"title.{a}") for a in names},
        "checkpoints": [str(c) for c in result["checkpoints"]],
        "ratio": f"{values['mse_ratio']:.0f}",
        "units": str(len(built.knots)), "hinge_mse": sig(hinge_mse), "curve_line_mse": sig(curve_line_mse),
    }
    return Numbers(values, display)
