"""The experiments' data, generated from the seed (no downloads): every random number comes from numpy's
default_rng, so a config gives the same start on any device."""

from __future__ import annotations

import math

import numpy as np


def spirals(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms in the plane, labels 0 and 1: not separable by any line."""
    label = np.arange(n) % 2
    t = np.sqrt(rng.uniform(0.0, 1.0, n)) * 3.0 * math.pi  # sqrt: points evenly spread along the arm
    angle = t + math.pi * label
    x = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1) / (3.0 * math.pi)
    x += rng.normal(0.0, 0.02, x.shape)
    return x.astype(np.float32), label.astype(np.float32)[:, None]


def target(x: np.ndarray) -> np.ndarray:
    return np.sin(6.0 * x) + 0.5 * np.cos(3.0 * x)  # about two periods of wiggle on [-1, 1]


def curve(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A noisy 1-D curve for regression, x uniform on [-1, 1].

    Inputs of unit size matter for plain SGD: on [-3, 3] a 24-layer He-initialised ReLU net diverged
    at lr 0.01 for some seeds; on [-1, 1] it trained for all eight seeds tried, widths 32 and 64.
    """
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    y = target(x) + rng.normal(0.0, 0.05, n)
    return x.astype(np.float32)[:, None], y.astype(np.float32)[:, None]


def tensors(device: str, *arrays: np.ndarray):
    import torch

    return [torch.from_numpy(np.ascontiguousarray(a)).to(device) for a in arrays]

