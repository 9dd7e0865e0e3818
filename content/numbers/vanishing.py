"""Every number each scene shows, computed from mathcore (no manim: `explain` and the tests use it alone).

One function per scene id, taking that scene's parameters. Each returns the raw values plus a
`display` mapping of the same numbers formatted for screen and subtitles, so a scene never rounds or
recomputes anything itself.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from mathcore import activations, flow
from mathcore.network import CLASSIC_LEARNING_RATE, ToyNetwork

from .format import fixed, sig, sig_tex, sig_text
from .i18n import Term

# The simulated deep net whose per-layer gradient the bars show (fixed so the lecture is reproducible).
SIM_WIDTH = 256
SIM_BATCH = 256
SIM_SEED = 0
# Where the sigmoid counts as saturated: its slope below this share of the peak.
SATURATION_SHARE = 0.1


def vanishing(depth: int, activation: str) -> dict:
    """Every number the scene shows, from mathcore; `display` holds them formatted for screen and subtitles."""
    sigmoid = activations.get("sigmoid")
    deep = activations.get(activation)
    peak = flow.derivative_bound("sigmoid")
    # Solve sigmoid'(x) = share * peak on the positive side: sigmoid'(x) is decreasing there.
    xs = np.linspace(0, 20, 200_001)
    saturation_x = float(xs[np.argmax(sigmoid.derivative(xs) < SATURATION_SHARE * peak)])

    net = ToyNetwork.classic()
    w5, w1 = net.chain("w5"), net.chain("w1")

    init = flow.recommended_init(activation)
    run = flow.gradient_flow(activation, depth, SIM_WIDTH, init, batch=SIM_BATCH, seed=SIM_SEED)
    # rms of dL/dz at each layer relative to the unit gradient injected at the top, top layer first:
    # element k-1 is what is left after the gradient has crossed k layers.
    reach = np.sqrt(run.backward_second_moment)[::-1]
    factors = reach / np.concatenate([[1.0], reach[:-1]])
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
        "sigmoid_bound_at_depth": peak**depth,
        "deep_activation": activation,
        "deep_init": init,
        "depth": depth,
        "layer_factors": factors.tolist(),
        "reach": reach.tolist(),
        "deep_bound": deep_bound,
        "bound": bound.tolist(),
        "simulation": {"width": SIM_WIDTH, "batch": SIM_BATCH, "seed": SIM_SEED, "init": init},
    }
    values["trained"] = _trained_gradient_flow()
    values["display"] = {
        **values["trained"]["display"],
        "peak": sig(peak, 2),
        "saturation_x": sig(saturation_x, 2),
        "slope_o1": sig(w5.paths[0][1].value),
        "grad_w5": sig(w5.value),
        "grad_w1": sig_text(w1.value),
        "ratio": f"{w5.value / w1.value:.0f}",
        "depth": str(depth),
        "deep_title": Term(f"title.{activation}"),
        "typical_factor": sig(float(np.exp(np.mean(np.log(factors)))), 2),
        "reach_last": sig_text(float(reach[-1])),
        # The same numbers as they appear in the scene's formulas and chart.
        "w5_factors": [sig(f.value) for f in w5.paths[0]],
        "w1_paths": [[sig(f.value) for f in path] for path in w1.paths],
        "grad_w1_tex": sig_tex(w1.value),
        "reach_tex": [sig_tex(float(r)) for r in reach],
        "deep_bound": sig(deep_bound, 2),
        "sigmoid_bound_at_depth_tex": sig_tex(peak**depth),
    }
    return values




def _trained_gradient_flow() -> dict:
    """The measured side of the vanishing story: the `gradient-flow` training run (cached, or trained now)."""
    from mathcore import training

    result = training.run_cached("gradient-flow")
    runs = result["runs"]
    first_step = {act: runs[act]["grad_norms"][0] for act in ("sigmoid", "relu")}
    ratio = {act: norms[0] / norms[-1] for act, norms in first_step.items()}
    change = {act: runs[act]["relative_weight_change"][0] for act in ("sigmoid", "relu")}
    return {
        "layers": result["layers"], "grad_norms_first_step": first_step, "first_over_last": ratio,
        "first_layer_change": change, "accuracy": {act: runs[act]["accuracy"] for act in ("sigmoid", "relu")},
        "steps": result["config"]["steps"], "hidden_layers": result["config"]["depth"],
        "headline": training.EXPERIMENTS["gradient-flow"].headline(result),
        "display": {
            "trained_depth": str(result["config"]["depth"]), "trained_steps": str(result["config"]["steps"]),
            "sigmoid_ratio": sig_text(ratio["sigmoid"], 2), "relu_ratio": sig(ratio["relu"], 2),
            "sigmoid_change": sig_text(change["sigmoid"], 2), "relu_change": sig(change["relu"], 2),
            "sigmoid_accuracy": f"{runs['sigmoid']['accuracy']:.0%}", "relu_accuracy": f"{runs['relu']['accuracy']:.0%}",
            "ratio_tex": {act: sig_tex(r, 2) for act, r in ratio.items()},
            "change_tex": {act: sig_tex(c, 2) for act, c in change.items()},
        },
    }


def exploding() -> dict:
    """The analytic growth of the gradient under an oversized init, and the `exploding` training run."""
    from mathcore import training
    from mathcore.results import floats_array

    result = training.run_cached("exploding")
    cfg, runs = result["config"], result["runs"]
    depth, oversized = cfg["depth"], cfg["oversized_init"]
    he = flow.init_variance("he", 1, 1)  # He's variance times fan_in: 2
    # The same net as trained, in mathcore's simulation: what the chain rule does to the gradient.
    run = flow.gradient_flow("relu", depth, SIM_WIDTH, oversized, batch=SIM_BATCH, seed=SIM_SEED)
    reach = np.sqrt(run.backward_second_moment)[::-1]
    factors = reach / np.concatenate([[1.0], reach[:-1]])
    typical = float(np.exp(np.mean(np.log(factors))))
    signal = {name: runs[name]["signal_grad_norms"] for name in ("oversized", "he")}
    ratio = {name: norms[0] / norms[-1] for name, norms in signal.items()}
    losses = {name: floats_array(run_["loss"]).tolist() for name, run_ in runs.items()}
    nan_step = runs["oversized"]["first_nonfinite_step"]
    values = {
        "depth": depth, "oversized_variance": oversized, "he_variance": he, "reach": reach.tolist(),
        "layer_factors": factors.tolist(), "typical_factor": typical,
        "layers": result["layers"], "signal_grad_norms": signal, "first_over_last": ratio,
        "steps": cfg["steps"], "losses": losses, "first_nonfinite_step": nan_step, "clip": cfg["clip"],
        "headline": training.EXPERIMENTS["exploding"].headline(result),
        "simulation": {"width": SIM_WIDTH, "batch": SIM_BATCH, "seed": SIM_SEED},
    }
    values["display"] = {
        "depth": str(depth), "oversized": f"{oversized:g}", "he": f"{he:g}",
        "typical_factor": sig(typical, 2), "reach_last": sig_text(float(reach[-1]), 2),
        "trained_ratio": sig_text(ratio["oversized"], 2), "he_ratio": sig(ratio["he"], 2),
        "trained_ratio_tex": sig_tex(ratio["oversized"], 2), "reach_tex": [sig_tex(float(r), 3) for r in reach],
        "first_loss": sig_text(losses["oversized"][0], 2),
        "nan_step": Term("never") if nan_step is None else str(nan_step),
        "clip": f"{cfg['clip']:g}", "steps": str(cfg["steps"]),
        "clip_final": sig_text(losses["oversized+clip"][-1], 2), "he_first": sig(losses["he"][0], 2),
        "he_final": sig(losses["he"][-1], 2),
    }
    return values


def choosing() -> dict:
    """The facts behind each choice of the decision guide, from the activation registry."""
    chosen = {name: activations.get(name) for name in ("relu", "sigmoid", "tanh", "identity")}
    values = {
        "sigmoid_slope_bound": flow.derivative_bound("sigmoid"),
        "relu_slope_positive": float(chosen["relu"].derivative(1.0)),
        "ranges": {name: act.range_latex for name, act in chosen.items()},
    }
    values["display"] = {
        "sigmoid_bound": sig(values["sigmoid_slope_bound"], 2),
        "relu_slope": f"{values['relu_slope_positive']:g}",
        "sigmoid_range": chosen["sigmoid"].range_latex, "tanh_range": chosen["tanh"].range_latex,
        "identity_range": chosen["identity"].range_latex,
    }
    return values


def _forward_values() -> dict:
    """The classic network's set-up and every forward value under the article's names (net_h1, ...)."""
    net = ToyNetwork.classic()
    return {"weights": dict(net.weights), "inputs": list(net.inputs), "targets": list(net.targets),
            **net.forward()}


def _setup_display(values: dict) -> dict:
    """The classic network's inputs, weights and targets as the article prints them (two decimals)."""
    shown = {name: fixed(value) for name, value in values["weights"].items()}
    shown.update(i1=fixed(values["inputs"][0]), i2=fixed(values["inputs"][1]),
                 t1=fixed(values["targets"][0]), t2=fixed(values["targets"][1]))
    return shown


def neuron() -> dict:
    values = _forward_values()
    w, (i1, i2) = values["weights"], values["inputs"]
    values["terms"] = {"w1*i1": w["w1"] * i1, "w2*i2": w["w2"] * i2, "b1": w["b1"]}
    values["display"] = {
        **_setup_display(values),
        "w1_i1": fixed(values["terms"]["w1*i1"], 4), "w2_i2": fixed(values["terms"]["w2*i2"], 4),
        "net_h1": fixed(values["net_h1"], 4), "out_h1": sig(values["out_h1"], 4),
    }
    return values


def forward() -> dict:
    values = _forward_values()
    values["display"] = {**_setup_display(values),
                         **{name: sig(value, 4) for name, value in ToyNetwork.classic().forward().items()}}
    return values


def backprop() -> dict:
    net = ToyNetwork.classic()
    values = _forward_values()
    chains = {w: net.chain(w) for w in ("w5", "w1")}
    values["chains"] = {
        w: {"paths": [[{"name": f.name, "value": f.value, "anchor": f.anchor} for f in path] for path in chain.paths],
            "path_values": list(chain.path_values), "value": chain.value}
        for w, chain in chains.items()
    }
    values["gradients"] = dict(net.gradients())
    values["learning_rate"] = CLASSIC_LEARNING_RATE
    values["updated_weights"] = {w: v for w, v in net.step(CLASSIC_LEARNING_RATE).weights.items()
                                 if w in values["gradients"]}
    (w5_path,) = chains["w5"].paths
    via_o1, via_o2 = chains["w1"].paths
    # The three links every w1 path shares with nothing else: up to dE/dout_h1 through one output.
    into_h1 = [math.prod(f.value for f in path[:3]) for path in (via_o1, via_o2)]
    values["dE_dout_h1"] = math.fsum(into_h1)
    shown = _setup_display(values)
    shown.update(
        {f"w5_f{i}": sig(f.value, 4) for i, f in enumerate(w5_path, start=1)},
        grad_w5=sig(chains["w5"].value, 4), lr=f"{CLASSIC_LEARNING_RATE:g}",
        w5_new=sig(values["updated_weights"]["w5"], 4),
        **{f"o1_f{i}": sig(f.value, 4) for i, f in enumerate(via_o1[:2], start=1)},
        **{f"o2_f{i}": sig(f.value, 4) for i, f in enumerate(via_o2[:2], start=1)},
        o1_f3=fixed(via_o1[2].value), o2_f3=fixed(via_o2[2].value),  # these links are weights: w5, w7
        via_o1=sig(into_h1[0], 4), via_o2=sig(into_h1[1], 4), dE_dout_h1=sig(values["dE_dout_h1"], 4),
        slope_h1=sig(via_o1[3].value, 4), grad_w1=sig_text(chains["w1"].value),
        grad_w1_tex=sig_tex(chains["w1"].value), slope_bound=sig(flow.derivative_bound("sigmoid"), 2),
    )
    values["display"] = shown
    return values


# The two linear layers the nonlinearity scene multiplies out: small integers, so every product reads
# at a glance. y = W2 (W1 x + b1) + b2 with x in the plane; the scene checks the collapse on COLLAPSE_X.
COLLAPSE_W1 = ((2, 1), (-1, 3))
COLLAPSE_B1 = (1, 2)
COLLAPSE_W2 = ((3, 2),)
COLLAPSE_B2 = (-1,)
COLLAPSE_X = (1, 2)


def _integer(x: float) -> str:
    return f"{x:g}"


def _bmatrix(matrix) -> str:
    """A column vector or matrix as LaTeX; a 1x1 one as a plain number."""
    rows = np.atleast_2d(matrix)
    if rows.size == 1:
        return _integer(float(rows[0, 0]))
    return r"\begin{bmatrix}" + r"\\".join(" & ".join(_integer(float(v)) for v in row) for row in rows) \
        + r"\end{bmatrix}"


def nonlinearity() -> dict:
    """Two linear layers multiplied out into one, and the `nonlinearity` training run (fits per checkpoint)."""
    from mathcore import training
    from mathcore.results import floats_array

    w1, w2 = np.array(COLLAPSE_W1, dtype=float), np.array(COLLAPSE_W2, dtype=float)
    b1, b2 = np.array(COLLAPSE_B1, dtype=float), np.array(COLLAPSE_B2, dtype=float)
    x = np.array(COLLAPSE_X, dtype=float)
    w, b = w2 @ w1, w2 @ b1 + b2
    hidden = w1 @ x + b1
    two_layers, one_layer = w2 @ hidden + b2, w @ x + b

    result = training.run_cached("nonlinearity")
    cfg, runs = result["config"], result["runs"]
    names = list(cfg["activations"])
    predictions = {a: [floats_array(p).tolist() for p in runs[a]["predictions"]] for a in names}
    mse = {a: float(runs[a]["mse"]) for a in names}
    best = min(v for a, v in mse.items() if a != "identity")
    train_x, train_y = floats_array(result["train_x"]), floats_array(result["train_y"])
    # The best any straight line can do on the training points (least squares, float64).
    design = np.stack([train_x, np.ones_like(train_x)], axis=1)
    line = np.linalg.lstsq(design, train_y, rcond=None)[0]
    line_mse = float(np.mean((design @ line - train_y) ** 2))
    every = np.concatenate([train_y, *(np.ravel(p) for p in predictions.values())])
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
        "headline": training.EXPERIMENTS["nonlinearity"].headline(result),
    }
    values["display"] = {
        "W1": _bmatrix(w1), "b1": _bmatrix(b1[:, None]), "W2": _bmatrix(w2), "b2": _bmatrix(b2),
        "W": _bmatrix(w), "b": _bmatrix(b), "x": _bmatrix(x[:, None]), "hidden": _bmatrix(hidden[:, None]),
        "W_text": "(" + ", ".join(_integer(v) for v in w.ravel()) + ")", "b_text": _integer(float(b[0])),
        "x_text": "(" + ", ".join(_integer(v) for v in x) + ")",
        "hidden_text": "(" + ", ".join(_integer(v) for v in hidden) + ")",
        "y_two": _integer(float(two_layers[0])), "y_one": _integer(float(one_layer[0])),
        "layers": str(len(cfg["hidden"])), "width": str(cfg["hidden"][0]), "steps": str(cfg["steps"]),
        "points": str(cfg["points"]),
        **{f"mse_{a}": sig(mse[a]) for a in names}, "line_mse": sig(line_mse),
        **{f"title_{a}": Term(f"title.{a}") for a in names},
        "checkpoints": [str(c) for c in result["checkpoints"]],
        "ratio": f"{values['mse_ratio']:.0f}",
    }
    return values


# ReLU's dead zone: the born-dead Monte Carlo (Lu et al. 2020) at a size that runs in well under a second.
BORN_DEAD_WIDTHS = (2, 3, 5, 10)
BORN_DEAD_DEPTH = 10
BORN_DEAD_TRIALS = 10_000
BORN_DEAD_SEED = 0
# Where the dead unit's pre-activations sit on the x axis in the scene: all below zero (positions only).
DEAD_UNIT_Z = (-2.6, -2.1, -1.7, -1.2, -0.8, -0.4)


def _percent(p: float) -> str:
    """A share as a percentage: whole percents, or one significant digit below 1%."""
    return f"{p:.0%}" if p == 0 or p >= 0.01 else f"{sig(100 * p, 1)}%"


def dead_relu() -> dict:
    """ReLU and its slope, the `dead-relu` training run, and how often deep narrow ReLU nets are born dead."""
    from mathcore import deadzone, training
    from mathcore.results import floats_array

    relu, leaky = activations.get("relu"), activations.get("leaky_relu")
    result = training.run_cached("dead-relu")
    cfg, runs = result["config"], result["runs"]
    # Every hidden layer has the same width, so the share of all units is the mean over layers.
    share = {a: [float(np.mean(floats_array(s))) for s in runs[a]["dead_share"]] for a in ("relu", "leaky_relu")}
    no_grad = {a: float(np.mean(runs[a]["no_gradient_share"])) for a in ("relu", "leaky_relu")}
    recovered = {a: list(runs[a]["recovered_units"]) for a in ("relu", "leaky_relu")}
    accuracy = {a: runs[a]["accuracy"] for a in ("relu", "leaky_relu")}
    histogram = result["first_layer_histogram"]
    rows = deadzone.born_dead_table(BORN_DEAD_WIDTHS, BORN_DEAD_DEPTH, BORN_DEAD_TRIALS, BORN_DEAD_SEED)
    values = {
        "relu_formula": relu.formula, "relu_derivative_formula": relu.derivative_formula,
        "leaky_slope": leaky.params["negative_slope"], "dead_unit_z": list(DEAD_UNIT_Z),
        "relu_slope_negative": float(relu.derivative(DEAD_UNIT_Z[0])),
        "relu_slope_positive": float(relu.derivative(-DEAD_UNIT_Z[0])),
        "hidden_sizes": list(cfg["hidden"]), "steps": cfg["steps"], "lr": cfg["lr"],
        "checkpoints": list(result["checkpoints"]), "dead_share": share, "no_gradient_share": no_grad,
        "recovered_units": recovered, "accuracy": accuracy,
        "final_loss": {a: float(runs[a]["final_loss"]) for a in ("relu", "leaky_relu")},
        "histogram_edges": floats_array(histogram["bin_edges"]).tolist(), "histogram": histogram["counts"],
        "born_dead": [{"width": r.width, "probability": r.probability, "standard_error": r.standard_error}
                      for r in rows],
        "born_dead_depth": BORN_DEAD_DEPTH, "born_dead_trials": BORN_DEAD_TRIALS,
        "headline": training.EXPERIMENTS["dead-relu"].headline(result),
    }
    values["display"] = {
        "leaky_slope": f"{values['leaky_slope']:g}",
        "layers": str(len(cfg["hidden"])), "width": str(cfg["hidden"][0]), "steps": str(cfg["steps"]),
        "lr": f"{cfg['lr']:g}",
        "start_dead": _percent(share["relu"][0]), "relu_dead": _percent(share["relu"][-1]),
        "leaky_negative": _percent(share["leaky_relu"][-1]),
        "relu_dead_series": [_percent(s) for s in share["relu"]],
        "leaky_negative_series": [_percent(s) for s in share["leaky_relu"]],
        "relu_no_grad": _percent(no_grad["relu"]), "leaky_no_grad": _percent(no_grad["leaky_relu"]),
        "leaky_recovered": str(sum(recovered["leaky_relu"])),
        "relu_accuracy": f"{accuracy['relu']:.0%}", "leaky_accuracy": f"{accuracy['leaky_relu']:.0%}",
        "born_depth": str(BORN_DEAD_DEPTH), "born_trials": f"{BORN_DEAD_TRIALS:,}",
        "born_widths": [str(r.width) for r in rows], "born_percent": [_percent(r.probability) for r in rows],
        "born_narrow": str(rows[0].width), "p_narrow": _percent(rows[0].probability),
        "born_three": str(rows[1].width), "p_three": _percent(rows[1].probability),
        "born_wide": str(rows[-1].width), "p_wide": _percent(rows[-1].probability),
    }
    return values


# The activations gallery: every curve on x in GALLERY_X; a tail of the curve counts as saturated when its
# slope stays under SATURATION_SHARE of the peak out to the edge and keeps shrinking (|f'| at
# GALLERY_FAR is under GALLERY_VANISHED of the peak); a constant small slope (Leaky ReLU's) does not.
GALLERY_X = (-5.0, 5.0)
GALLERY_GRID = 20_001
GALLERY_FAR = 1e6
GALLERY_VANISHED = 1e-3
GALLERY_JUMP = 0.5  # a change of the slope between neighbouring grid points beyond this share of the peak
def _edge_runs(xs: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    """Where the run of True touching each end of the grid ends: {"left": x, "right": x} (ends not in mask left out)."""
    ends = {}
    if mask.all():
        return {"left": float(xs[-1]), "right": float(xs[0])}
    if mask[0]:
        ends["left"] = float(xs[int(np.argmin(mask)) - 1])
    if mask[-1]:
        ends["right"] = float(xs[len(xs) - int(np.argmin(mask[::-1]))])
    return ends


def slope_regions(name: str) -> list[dict]:
    """The tails of `name` on GALLERY_X where the slope fails: dead (exactly 0), saturated (under the share of
    the peak and fading further out), or small (under the share but constant, as Leaky ReLU's)."""
    act = activations.get(name)
    xs = np.linspace(*GALLERY_X, GALLERY_GRID)
    slope = act.derivative(xs)
    peak = flow.derivative_bound(name)
    dead = _edge_runs(xs, slope == 0)
    low = _edge_runs(xs, np.abs(slope) < SATURATION_SHARE * peak)
    step = xs[1] - xs[0]
    regions = []
    for side, edge, far in (("left", GALLERY_X[0], -GALLERY_FAR), ("right", GALLERY_X[1], GALLERY_FAR)):
        inner = edge
        if side in dead:
            inner = dead[side]
            regions.append({"kind": "dead", "side": side, "from": min(edge, inner), "to": max(edge, inner)})
        if side in low and abs(low[side] - edge) > abs(inner - edge) + step:
            fading = abs(float(act.derivative(far))) < GALLERY_VANISHED * peak
            regions.append({"kind": "saturated" if fading else "small", "side": side,
                            "from": min(inner, low[side]), "to": max(inner, low[side]),
                            "slope": float(act.derivative(edge))})
    return regions


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


def activations_gallery(only: str) -> dict:
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
    relu = activations.get("relu")
    values = {"names": names, "x_range": GALLERY_X, "saturation_share": SATURATION_SHARE, "gallery": gallery,
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

    values["display"] = {
        "share": f"{SATURATION_SHARE:.0%}",
        "relu_slope": f"{values['relu_positive_slope']:g}",
        "each": {name: shown(name, entry) for name, entry in gallery.items()},
    }
    return values


# Softmax: the example logits of a three-class output layer (inputs, not results), the temperatures the
# knob stops at, the knob's range, and a two-class pair for the sigmoid identity.
SOFTMAX_LOGITS = (2.0, 1.0, 0.1)
SOFTMAX_TEMPERATURES = {"low": 0.5, "base": 1.0, "high": 5.0}
SOFTMAX_KNOB = (0.0, 6.0)
SOFTMAX_PAIR = (2.0, 0.5)


def softmax() -> dict:
    """Logits to exponentials to probabilities, at a few temperatures; two classes against a sigmoid; the
    Jacobian, all from mathcore's softmax."""
    z = np.array(SOFTMAX_LOGITS)
    exps = np.exp(z)
    probs = activations.softmax(z)
    at = {key: activations.softmax(z, temperature=t) for key, t in SOFTMAX_TEMPERATURES.items()}
    a, b = SOFTMAX_PAIR
    pair = activations.softmax(np.array(SOFTMAX_PAIR))
    pair_sigmoid = float(activations.get("sigmoid")(a - b))
    jacobian = activations.softmax_jacobian(z)
    values = {
        "logits": z.tolist(), "exps": exps.tolist(), "exp_sum": float(exps.sum()), "probs": probs.tolist(),
        "prob_sum": float(probs.sum()),
        "temperatures": dict(SOFTMAX_TEMPERATURES), "knob": SOFTMAX_KNOB,
        "probs_at": {key: p.tolist() for key, p in at.items()},
        "pair": list(SOFTMAX_PAIR), "pair_probs": pair.tolist(), "pair_difference": a - b,
        "pair_sigmoid": pair_sigmoid,
        "jacobian": jacobian.tolist(), "jacobian_row_sums": jacobian.sum(axis=1).tolist(),
    }
    values["display"] = {
        **{f"z{i}": fixed(v, 1) for i, v in enumerate(z, start=1)},
        **{f"e{i}": sig(v) for i, v in enumerate(exps, start=1)},
        **{f"p{i}": sig(v) for i, v in enumerate(probs, start=1)},
        "exp_sum": sig(values["exp_sum"]), "p_sum": f"{values['prob_sum']:.3g}",
        **{f"t_{key}": f"{t:g}" for key, t in SOFTMAX_TEMPERATURES.items()},
        **{f"top_{key}": sig(float(p[0])) for key, p in at.items()},
        "probs_at": {key: [sig(float(v)) for v in p] for key, p in at.items()},
        "a": fixed(a, 1), "b": fixed(b, 1), "diff": fixed(a - b, 1),
        "two_p": sig(float(pair[0])), "two_sigmoid": sig(pair_sigmoid),
        "jacobian": [[sig(float(v)) for v in row] for row in jacobian],
    }
    return values


# Scene id -> its numbers function. Scenes without an entry show no computed numbers.
NUMBERS: dict[str, Callable[..., dict]] = {
    "vanishing": vanishing,
    "neuron": neuron,
    "forward": forward,
    "backprop": backprop,
    "exploding": exploding,
    "nonlinearity": nonlinearity,
    "dead-relu": dead_relu,
    "choosing": choosing,
    "activations": activations_gallery,
    "softmax": softmax,
}
