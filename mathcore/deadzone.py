"""ReLU's dead zone: units that never fire, and whole networks born dead.

Lu, Shin, Su & Karniadakis, "Dying ReLU and Initialization: Theory and Numerical Examples" (2020),
show that a deep, narrow ReLU net with symmetric random weights is, with high probability, a
constant function the moment it is initialised, and so can never train. `born_dead_probability`
measures that probability by Monte Carlo; `dead_units` finds dead units in a batch of activations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral
from typing import Iterable, Union

import numpy as np

from . import activations
from .activations import Activation

__all__ = [
    "BornDeadRow",
    "born_dead_probability",
    "born_dead_table",
    "single_input_dead_probability",
    "dead_units",
    "dead_fraction",
]

# Enough (trials x width x width) weights per chunk to keep numpy busy, few enough to stay near 64 MB.
_CHUNK_ELEMENTS = 8_000_000


def _check_count(name: str, value: object) -> int:
    # bool is an Integral too, but depth=True is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _count_born_dead(rng: np.random.Generator, trials: int, width: int, depth: int) -> int:
    # With zero biases every layer is positively homogeneous, N(t x) = t N(x) for t > 0, so the net
    # is fixed on the whole line by its values at x = +1 and x = -1. It is constant (born dead) iff
    # the last hidden layer is all zero at both; the linear output layer cannot change that (barring
    # a zero-probability cancellation), so it is never drawn.
    first = rng.standard_normal((trials, width)) * math.sqrt(2.0)  # He: fan_in = 1
    h = np.stack([np.maximum(first, 0.0), np.maximum(-first, 0.0)], axis=-1)  # (trials, width, 2)
    scale = math.sqrt(2.0 / width)
    for _ in range(depth - 1):
        w = rng.standard_normal((trials, width, width)) * scale
        h = np.maximum(w @ h, 0.0)
    return int(np.count_nonzero(~h.any(axis=(1, 2))))


def born_dead_probability(width: int, depth: int, trials: int = 20_000, seed: int = 0) -> float:
    """Share of `trials` random ReLU nets (1-D input, `depth` hidden layers of `width`, zero biases,
    He-normal weights, linear output) that are constant functions of their input."""
    width = _check_count("width", width)
    depth = _check_count("depth", depth)
    trials = _check_count("trials", trials)
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_ELEMENTS // (width * width))
    dead = 0
    for start in range(0, trials, chunk):
        dead += _count_born_dead(rng, min(chunk, trials - start), width, depth)
    return dead / trials


def single_input_dead_probability(width: int, depth: int) -> float:
    """Exact chance that the last hidden layer is all zero at one fixed input x != 0.

    Given a non-zero input, each unit's pre-activation is a symmetric Gaussian, so the whole layer
    of `width` units switches off with probability 2**-width, independently of the layers below.
    Being born dead needs this at both x = +1 and x = -1, so this is an upper bound on it.
    """
    width = _check_count("width", width)
    depth = _check_count("depth", depth)
    return 1.0 - (1.0 - 2.0 ** -width) ** depth


@dataclass(frozen=True)
class BornDeadRow:
    width: int
    depth: int
    trials: int
    probability: float
    standard_error: float  # binomial, for error bars in the scene
    single_input_bound: float


def born_dead_table(
    widths: Iterable[int], depth: int, trials: int = 20_000, seed: int = 0
) -> tuple[BornDeadRow, ...]:
    """One row per width, each from its own stream of the same seed."""
    rows = []
    for width in widths:
        p = born_dead_probability(width, depth, trials, seed)
        rows.append(BornDeadRow(
            width=int(width), depth=int(depth), trials=int(trials), probability=p,
            standard_error=math.sqrt(p * (1.0 - p) / trials),
            single_input_bound=single_input_dead_probability(width, depth),
        ))
    return tuple(rows)


def _check_pre_activations(pre_activations) -> np.ndarray:
    arr = np.asarray(pre_activations)
    if arr.ndim != 2:
        raise ValueError(
            f"pre_activations must be a 2-D (batch, units) array, got {arr.ndim}-D with shape {arr.shape}"
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"pre_activations needs at least one sample and one unit, got shape {arr.shape}")
    return arr


def dead_units(pre_activations, activation: Union[str, Activation] = "relu") -> np.ndarray:
    """Boolean per unit: True when the unit outputs exactly zero on every sample of the batch."""
    arr = _check_pre_activations(pre_activations)
    act = activation if isinstance(activation, Activation) else activations.get(activation)
    return np.all(act(arr) == 0.0, axis=0)


def dead_fraction(pre_activations, activation: Union[str, Activation] = "relu") -> float:
    """Share of the units that are dead on this batch."""
    return float(np.mean(dead_units(pre_activations, activation)))
