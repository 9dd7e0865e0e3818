"""The `exploding` experiment: a deep ReLU net with an oversized init; its gradient grows layer by layer on the way
down and plain SGD diverges to inf/NaN within a few steps, while gradient clipping stays finite and
a He init trains.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from . import data, nets
from .runner import Experiment, Ticker


def run(cfg: Mapping[str, Any], device: str, tick: Ticker) -> dict:
    import torch

    x, y = data.tensors(device, *data.curve(cfg["points"], np.random.default_rng([cfg["seed"], 0])))
    sizes = [1] + [cfg["width"]] * cfg["depth"] + [1]
    variants = {  # name: (init, clip max-norm)
        "oversized": (cfg["oversized_init"], None),
        "oversized+clip": (cfg["oversized_init"], cfg["clip"]),
        "he": ("he", None),
    }
    runs = {}
    for name, (init, clip) in variants.items():
        model = nets.mlp(sizes, "relu", init, np.random.default_rng([cfg["seed"], 1]), device)
        opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"])
        losses = []
        for step in range(cfg["steps"] + 1):
            opt.zero_grad()
            out, zs = nets.forward(model, x, keep_grad=step == 0)
            loss = torch.nn.functional.mse_loss(out, y)
            loss.backward()
            losses.append(loss.item())
            if step == 0:
                # ||dL/dz_l||: the gradient arriving at layer l, what the chain rule multiplies up.
                signal = nets.floats([float(z.grad.norm()) for z in zs])
                weight = nets.grad_norms(model)
            if step == cfg["steps"]:
                break
            if clip is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            opt.step()
            tick()
        bad = [i for i, v in enumerate(losses) if not math.isfinite(v)]
        runs[name] = {"init": init if isinstance(init, str) else f"N(0, {init:g}/fan_in)", "clip": clip,
                      "loss": nets.floats(losses), "signal_grad_norms": signal, "weight_grad_norms": weight,
                      "first_nonfinite_step": bad[0] if bad else None}
    return {"layers": list(range(1, len(sizes))), "runs": runs}


def headline(result: Mapping[str, Any]) -> dict:
    over = result["runs"]["oversized"]
    step = over["first_nonfinite_step"]
    return {"oversized init: input/output layer gradient ratio": over["signal_grad_norms"][0] / over["signal_grad_norms"][-1],
            "unclipped loss non-finite at step": "never" if step is None else step}


EXPERIMENT = Experiment(
    name="exploding",
    summary="a deep ReLU net with init N(0, 4/fan_in): the gradient doubles every two layers on the way "
            "down and SGD blows up to NaN; with clipping it stays finite, with He init it trains",
    module=Path(__file__),
    sizes={
        "small": dict(depth=24, width=32, points=128, steps=40, lr=0.01, oversized_init=4.0, clip=1.0),
        "default": dict(depth=24, width=64, points=256, steps=200, lr=0.01, oversized_init=4.0, clip=1.0),
        "large": dict(depth=48, width=256, points=4096, steps=2000, lr=0.005, oversized_init=4.0, clip=1.0),
    },
    _run=run, _headline=headline,
    _total_steps=lambda c: 3 * c["steps"],
)
