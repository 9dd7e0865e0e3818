"""The `nonlinearity` experiment: without an activation a deep net is one affine map, a straight line however it trains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np

from mathcore import flow

from . import data, nets
from .cache import json_float
from .runner import Experiment, Ticker


def run(cfg: Mapping[str, Any], device: str, tick: Ticker) -> dict:
    import torch

    x, y = data.tensors(device, *data.curve(cfg["points"], np.random.default_rng([cfg["seed"], 0])))
    grid_np = np.linspace(-1.0, 1.0, cfg["grid"], dtype=np.float32)[:, None]
    (grid,) = data.tensors(device, grid_np)
    sizes = [1] + list(cfg["hidden"]) + [1]
    checkpoints = nets.checkpoints(cfg["steps"], cfg["checkpoints"])
    runs = {}
    for activation in cfg["activations"]:
        init = flow.recommended_init(activation)
        model = nets.mlp(sizes, activation, init, np.random.default_rng([cfg["seed"], 1]), device)
        opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
        predictions = []
        for step in range(cfg["steps"] + 1):
            if step in checkpoints:
                with torch.no_grad():
                    predictions.append(nets.floats(model(grid).cpu().numpy()))
            if step == cfg["steps"]:
                break
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            tick()
        with torch.no_grad():
            mse = torch.nn.functional.mse_loss(model(x), y).item()
        runs[activation] = {"init": init, "predictions": predictions, "mse": json_float(mse)}
    return {"grid": nets.floats(grid_np), "target": nets.floats(data.target(grid_np.astype(np.float64))),
            "train_x": nets.floats(x.cpu().numpy()), "train_y": nets.floats(y.cpu().numpy()),
            "checkpoints": checkpoints, "runs": runs}


def headline(result: Mapping[str, Any]) -> dict:
    mse = {a: float(r["mse"]) for a, r in result["runs"].items()}  # a diverged fit is stored as "nan"
    best = min(v for a, v in mse.items() if a != "identity")
    return {"identity MSE": mse["identity"], "identity/best MSE ratio": mse["identity"] / best}


EXPERIMENT = Experiment(
    name="nonlinearity",
    summary="identity vs tanh vs relu on a curve: without a nonlinearity the net can only draw a line",
    module=Path(__file__),
    sizes={
        "small": dict(activations=("identity", "tanh", "relu"), hidden=(32, 32), points=128, grid=100,
                      steps=300, lr=0.01, checkpoints=6),
        "default": dict(activations=("identity", "tanh", "relu"), hidden=(32, 32), points=256, grid=100,
                        steps=1500, lr=0.01, checkpoints=6),
        "large": dict(activations=("identity", "tanh", "relu"), hidden=(256, 256), points=4096, grid=200,
                      steps=10000, lr=0.003, checkpoints=11),
    },
    _run=run, _headline=headline,
    _total_steps=lambda c: len(c["activations"]) * c["steps"],
)
