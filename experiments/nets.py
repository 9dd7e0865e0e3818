"""The torch side of the experiments: each activation's torch twin, MLPs with numpy-drawn weights,
the forward pass with every layer's output, and JSON-safe lists of numbers."""

from __future__ import annotations

import math

import numpy as np

from mathcore import activations, flow

from .cache import json_float


def torch_module(activation: activations.Activation):
    """The torch.nn module computing the same function with the same parameters (the activation's own
    definition names it: torch_name and params)."""
    import torch.nn

    return getattr(torch.nn, activation.torch_name)(**activation.params)


def mlp(sizes: list[int], activation: str, init, rng: np.random.Generator, device: str):
    """Linear layers sizes[0] -> ... -> sizes[-1] with `activation` between them.

    Weights N(0, flow.init_variance(init)) drawn from `rng`, biases zero, float32.
    """
    import torch

    act = activations.get(activation)
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        linear = torch.nn.utils.skip_init(torch.nn.Linear, fan_in, fan_out)  # no draw from torch's RNG
        std = math.sqrt(flow.init_variance(init, fan_in, fan_out))
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(rng.standard_normal((fan_out, fan_in)) * std))
            linear.bias.zero_()
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(torch_module(act))
    return torch.nn.Sequential(*layers).to(device)


def linears(model) -> list:
    import torch

    return [m for m in model if isinstance(m, torch.nn.Linear)]


def forward(model, x, keep_grad: bool = False):
    """The output and every Linear layer's output z_l (the pre-activations; the last is the output)."""
    import torch

    zs = []
    h = x
    for module in model:
        h = module(h)
        if isinstance(module, torch.nn.Linear):
            if keep_grad:
                h.retain_grad()
            zs.append(h)
    return h, zs


def floats(values) -> list[float | str]:
    """A flat JSON-safe list (non-finite values as strings, see cache.json_float)."""
    return [json_float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def grad_norms(model) -> list[float]:
    return floats([float(m.weight.grad.norm()) for m in linears(model)])


def checkpoints(steps: int, count: int) -> list[int]:
    return sorted({round(i * steps / (count - 1)) for i in range(count)})

