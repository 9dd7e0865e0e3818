"""The `gradient-flow` experiment: one deep MLP trained with sigmoid, tanh, relu and leaky_relu; sigmoid's first layer
gets a gradient orders of magnitude smaller than its last and barely moves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np

from mathcore import flow

from . import data, nets
from .runner import Experiment, Ticker

# Where each trained net puts the boundary between the spiral's two classes: its predicted class on a
# GRID x GRID lattice over the square [-EXTENT, EXTENT]^2 (the arms reach about 1.06 from the centre).
GRID = 48
EXTENT = 1.2


def run(cfg: Mapping[str, Any], device: str, tick: Ticker) -> dict:
    import torch

    data_rng = np.random.default_rng([cfg["seed"], 0])
    x, y = data.tensors(device, *data.spirals(cfg["points"], data_rng))
    sizes = [2] + [cfg["width"]] * cfg["depth"] + [1]
    checkpoints = nets.checkpoints(cfg["steps"], cfg["checkpoints"])
    # Row r, column c of the lattice: y = ticks[r] (bottom row first), x = ticks[c].
    ticks = np.linspace(-EXTENT, EXTENT, GRID, dtype=np.float32)
    (lattice,) = data.tensors(device, np.stack(np.meshgrid(ticks, ticks), axis=-1).reshape(-1, 2))
    runs = {}
    for activation in cfg["activations"]:
        init = flow.recommended_init(activation)
        # Same seed for every activation: the nets differ only in f and its matching init scale.
        model = nets.mlp(sizes, activation, init, np.random.default_rng([cfg["seed"], 1]), device)
        start = [m.weight.detach().clone() for m in nets.linears(model)]
        opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
        losses, grads = [], []
        for step in range(cfg["steps"] + 1):
            opt.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
            loss.backward()
            losses.append(loss.item())
            if step in checkpoints:
                grads.append(nets.grad_norms(model))
            if step == cfg["steps"]:
                break
            opt.step()
            tick()
        with torch.no_grad():
            logits = model(x)
            accuracy = float(((logits > 0).float() == y).float().mean())
            change = [float((m.weight - w0).norm() / w0.norm()) for m, w0 in zip(nets.linears(model), start)]
            regions = (model(lattice) > 0).reshape(GRID, GRID).int().tolist()
        runs[activation] = {"init": init, "loss": nets.floats(losses), "grad_norms": grads,
                            "relative_weight_change": nets.floats(change), "accuracy": accuracy,
                            "regions": regions}
    return {"layers": list(range(1, len(sizes))), "checkpoints": checkpoints, "runs": runs,
            "lattice": {"extent": EXTENT, "size": GRID}}


def headline(result: Mapping[str, Any]) -> dict:
    out = {}
    for activation in ("sigmoid", "relu"):
        norms = result["runs"][activation]["grad_norms"][0]
        out[f"{activation} first/last layer grad ratio"] = norms[0] / norms[-1]
    return out


EXPERIMENT = Experiment(
    name="gradient-flow",
    summary="one deep MLP trained with sigmoid, tanh, relu and leaky_relu: sigmoid's first layers get "
            "almost no gradient and barely move",
    module=Path(__file__),
    sizes={
        "small": dict(activations=("sigmoid", "tanh", "relu", "leaky_relu"), depth=12, width=32,
                      points=256, steps=60, lr=0.05, momentum=0.9, checkpoints=3),
        "default": dict(activations=("sigmoid", "tanh", "relu", "leaky_relu"), depth=12, width=48,
                        points=512, steps=400, lr=0.05, momentum=0.9, checkpoints=5),
        "large": dict(activations=("sigmoid", "tanh", "relu", "leaky_relu"), depth=20, width=256,
                      points=8192, steps=3000, lr=0.02, momentum=0.9, checkpoints=7),
    },
    _run=run, _headline=headline,
    _total_steps=lambda c: len(c["activations"]) * c["steps"],
)
