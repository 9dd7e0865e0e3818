"""The `dead-relu` experiment: a too-large learning rate kills ReLU units for good; Leaky ReLU units still get gradient.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np

from mathcore import deadzone

from . import data, nets
from .cache import json_float
from .runner import Experiment, Ticker


# Shares of each hidden layer's units removed from the trained net, the weakest first.
ABLATION_SHARES = (0.0, 0.25, 0.5, 0.75, 0.9)


def ablation(model, x, y, shares) -> dict:
    """The trained net's accuracy with a share of each hidden layer's units removed (their outputs set to
    zero), the weakest first. A unit weighs its mean |output| over the data times the length of its
    outgoing weights: what it can add to the next layer. A dead unit weighs zero, so the dead go first."""
    import torch

    with torch.no_grad():
        hidden, h = [], x
        for module in model:
            h = module(h)
            if not isinstance(module, torch.nn.Linear):
                hidden.append(h)
        after = nets.linears(model)[1:]
        weights = [out.abs().mean(dim=0) * nxt.weight.norm(dim=0) for out, nxt in zip(hidden, after)]
        accuracy, weakest_kept = [], []
        for share in shares:
            masks = []
            for weight in weights:
                mask = torch.ones_like(weight)
                mask[torch.argsort(weight, stable=True)[:round(share * len(weight))]] = 0
                masks.append(mask)
            h, layer = x, 0
            for module in model:
                h = module(h)
                if not isinstance(module, torch.nn.Linear):
                    h, layer = h * masks[layer], layer + 1
            accuracy.append(float(((h > 0).float() == y).float().mean()))
        silent = [float((weight == 0).float().mean()) for weight in weights]
    return {"shares": list(shares), "accuracy": accuracy, "silent_share": silent}


def run(cfg: Mapping[str, Any], device: str, tick: Ticker) -> dict:
    import torch

    x, y = data.tensors(device, *data.spirals(cfg["points"], np.random.default_rng([cfg["seed"], 0])))
    sizes = [2] + list(cfg["hidden"]) + [1]
    checkpoints = nets.checkpoints(cfg["steps"], cfg["checkpoints"])
    runs, first_layer = {}, {}
    for activation in ("relu", "leaky_relu"):
        model = nets.mlp(sizes, activation, "he", np.random.default_rng([cfg["seed"], 1]), device)
        opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"])
        dead_share, ever_dead, first_pre = [], None, []
        for step in range(cfg["steps"] + 1):
            opt.zero_grad()
            out, zs = nets.forward(model, x)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(out, y)
            loss.backward()
            if step in checkpoints:
                # The relu test of "dead" (zero output on every input) applied to the pre-activations
                # means z <= 0 on every input: for leaky_relu, stuck in its negative regime everywhere.
                dead = [deadzone.dead_units(z.detach().cpu().numpy(), "relu") for z in zs[:-1]]
                dead_share.append(nets.floats([d.mean() for d in dead]))
                ever_dead = dead if ever_dead is None else [e | d for e, d in zip(ever_dead, dead)]
            if step in (0, cfg["steps"]):
                first_pre.append(zs[0].detach().cpu().numpy().ravel())
            if step == cfg["steps"]:
                break
            opt.step()
            tick()
        # A unit gets no gradient at all when every incoming weight's gradient is exactly zero.
        no_grad = [float((m.weight.grad.abs().sum(dim=1) == 0).float().mean()) for m in nets.linears(model)[:-1]]
        recovered = [int((e & ~d).sum()) for e, d in zip(ever_dead, dead)]
        accuracy = float(((out > 0).float() == y).float().mean())
        runs[activation] = {"dead_share": dead_share, "no_gradient_share": no_grad, "recovered_units": recovered,
                            "final_loss": json_float(loss.item()), "accuracy": accuracy,
                            "ablation": ablation(model, x, y, ABLATION_SHARES)}
        first_layer[activation] = first_pre
    # One set of bin edges for all four histograms, so a scene can morph one into the next.
    everything = np.concatenate([a for pair in first_layer.values() for a in pair])
    finite = everything[np.isfinite(everything)]
    edges = np.histogram_bin_edges(finite, bins=cfg["bins"])
    hist = {act: {when: np.histogram(a[np.isfinite(a)], bins=edges)[0].tolist() for when, a in zip(("before", "after"), pair)}
            for act, pair in first_layer.items()}
    # Where ReLU's slope is zero (z <= 0, the test of "dead" above), exactly: a bin of the histogram
    # straddles zero.
    below = {act: {when: float(np.mean(a[np.isfinite(a)] <= 0)) for when, a in zip(("before", "after"), pair)}
             for act, pair in first_layer.items()}
    return {"layers": list(range(1, len(sizes) - 1)), "checkpoints": checkpoints, "runs": runs,
            "first_layer_histogram": {"bin_edges": nets.floats(edges), "counts": hist, "below_zero": below}}


def headline(result: Mapping[str, Any]) -> dict:
    relu, leaky = result["runs"]["relu"], result["runs"]["leaky_relu"]
    return {"relu dead share at end": float(np.mean(relu["dead_share"][-1])),
            "leaky_relu share without gradient": float(np.mean(leaky["no_gradient_share"]))}


EXPERIMENT = Experiment(
    name="dead-relu",
    summary="a too-large learning rate kills ReLU units for good; Leaky ReLU units keep a gradient",
    module=Path(__file__),
    sizes={
        # lr 2.0 is about ten times what this net trains well with (0.2 with momentum 0.9 kills
        # < 10% of units); with it ReLU's dead share ended at 0.43-0.92 over seeds 0-5. A wider net
        # takes bigger steps at the same lr: at width 256, lr 2.0 killed every ReLU unit and sent
        # Leaky ReLU to NaN, 1.5 kills a third to a half (seeds 0-2, measured on 2048 points).
        "small": dict(hidden=(64, 64, 64), points=256, steps=200, lr=2.0, checkpoints=5, bins=40),
        "default": dict(hidden=(64, 64, 64), points=256, steps=300, lr=2.0, checkpoints=11, bins=40),
        "large": dict(hidden=(256, 256, 256), points=2048, steps=3000, lr=1.5, checkpoints=31, bins=60),
    },
    _run=run, _headline=headline,
    _total_steps=lambda c: 2 * c["steps"],
)
