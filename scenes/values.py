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
        "deep_title": deep.title,
        "typical_factor": sig(float(np.exp(np.mean(np.log(factors)))), 2),
        "reach_last": sig_text(float(reach[-1])),
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
        "first_loss": sig_text(losses["oversized"][0], 2),
        "nan_step": "never" if nan_step is None else str(nan_step),
        "clip": f"{cfg['clip']:g}", "steps": str(cfg["steps"]),
        "clip_final": sig_text(losses["oversized+clip"][-1], 2), "he_first": sig(losses["he"][0], 2),
        "he_final": sig(losses["he"][-1], 2),
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


# Scene id -> its numbers function. Scenes without an entry show no computed numbers.
NUMBERS: dict[str, Callable[..., dict]] = {
    "vanishing": vanishing,
    "neuron": neuron,
    "forward": forward,
    "backprop": backprop,
    "exploding": exploding,
}
