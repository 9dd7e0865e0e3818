"""How signals and gradients grow or fade through a deep stack of identical layers.

`gradient_flow` runs one forward and one backward pass through a random bias-free MLP and records,
layer by layer, what the scenes plot: the size of the pre-activations going up, the size of the
gradient coming down, the typical derivative factor, and the weight-gradient norm. The helpers below
it give the analytic side of the story: products of per-layer factors and the worst-case bound
sup|f'|^k that makes sigmoid nets forget their gradient.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Union

import numpy as np

from . import activations
from .activations import Activation

__all__ = [
    "GradientFlow",
    "INITS",
    "gradient_flow",
    "init_variance",
    "chain_products",
    "derivative_bound",
    "bound_products",
    "recommended_init",
]

# Named weight initialisations; a plain number c is also accepted and means N(0, c / fan_in).
INITS = ("he", "xavier", "standard", "lecun")

# The initialisation each activation is usually paired with: He for the rectifier family (it halves
# the signal), LeCun for SELU (its self-normalising fixed point needs it), Glorot/Xavier otherwise.
_RECOMMENDED_INIT = {"relu": "he", "leaky_relu": "he", "elu": "he", "gelu": "he", "silu": "he",
                     "mish": "he", "softplus": "he", "selu": "lecun"}

ActivationLike = Union[str, Activation]
InitLike = Union[str, float]


# eq=False: an == over numpy arrays has no single truth value, so compare the fields themselves.
@dataclass(frozen=True, eq=False)
class GradientFlow:
    """Per-layer statistics of one forward/backward pass: one entry per layer, layer 1 first."""

    activation: str
    depth: int
    width: int
    init: InitLike
    batch: int
    seed: int
    forward_second_moment: np.ndarray   # mean of z_l**2
    backward_second_moment: np.ndarray  # mean of (dL/dz_l)**2
    mean_derivative: np.ndarray         # mean of f'(z_l)
    weight_grad_norm: np.ndarray        # ||dL/dW_l||_F

    @property
    def layers(self) -> np.ndarray:
        """Layer numbers 1..depth, the x axis of every per-layer plot."""
        return np.arange(1, self.depth + 1)

    def reach(self) -> np.ndarray:
        """The rms of dL/dz at each layer against the unit gradient injected at the top, top layer first:
        element k-1 is what is left of the gradient once it has crossed k layers."""
        return np.sqrt(self.backward_second_moment)[::-1]

    def layer_factors(self) -> np.ndarray:
        """What each layer multiplies the gradient by on its way down, top layer first: reach()'s ratios."""
        reach = self.reach()
        return reach / np.concatenate([[1.0], reach[:-1]])


def _check_count(name: str, value: object) -> int:
    # bool is an Integral too, but depth=True is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _resolve(activation: ActivationLike) -> Activation:
    return activation if isinstance(activation, Activation) else activations.get(activation)


def init_variance(init: InitLike, fan_in: int, fan_out: int) -> float:
    """Variance of one weight under `init`; a number c means N(0, c / fan_in)."""
    if isinstance(init, str):
        variances = {
            "he": 2.0 / fan_in,  # He et al. 2015: keeps ReLU signals at constant size
            "xavier": 2.0 / (fan_in + fan_out),  # Glorot & Bengio's "normalized" init, drawn normal
            "standard": 1.0 / (3.0 * fan_in),  # the variance of U[-1/sqrt(n), 1/sqrt(n)]
            "lecun": 1.0 / fan_in,
        }
        if init not in variances:
            raise ValueError(
                f"unknown init {init!r}; choose from: {', '.join(INITS)}, or a number c for N(0, c/fan_in)"
            )
        return variances[init]
    if isinstance(init, bool) or not isinstance(init, Real) or not (math.isfinite(init) and init > 0):
        raise ValueError(f"init must be one of {', '.join(INITS)} or a positive finite number, got {init!r}")
    return float(init) / fan_in


def _draw_weights(rng: np.random.Generator, init: InitLike, width: int) -> np.ndarray:
    if init == "standard":
        # Uniform, as Glorot & Bengio drew it; only its variance 1/(3n) enters their analysis.
        limit = 1.0 / math.sqrt(width)
        return rng.uniform(-limit, limit, size=(width, width))
    return rng.standard_normal((width, width)) * math.sqrt(init_variance(init, width, width))


def gradient_flow(
    activation: ActivationLike,
    depth: int,
    width: int,
    init: InitLike,
    batch: int = 256,
    seed: int = 0,
) -> GradientFlow:
    """Push N(0,1) inputs up a random `depth`-layer MLP and a N(0,1) gradient back down it.

    Layer l computes z_l = h_{l-1} @ W_l.T and h_l = f(z_l); the gradient injected at the top is
    dL/dh_depth. Everything random is drawn up front from default_rng(seed), so equal arguments give
    equal arrays.
    """
    depth = _check_count("depth", depth)
    width = _check_count("width", width)
    batch = _check_count("batch", batch)
    act = _resolve(activation)
    init_variance(init, width, width)  # fail on a bad init before drawing anything

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, width))
    weights = [_draw_weights(rng, init, width) for _ in range(depth)]
    top_gradient = rng.standard_normal((batch, width))

    stats = _propagate(act, x, weights, top_gradient)
    for arr in stats.values():
        arr.setflags(write=False)  # the dataclass is frozen; its arrays should be too
    return GradientFlow(activation=act.name, depth=depth, width=width, init=init, batch=batch, seed=seed, **stats)


def _propagate(
    act: Activation, x: np.ndarray, weights: list[np.ndarray], top_gradient: np.ndarray
) -> dict[str, np.ndarray]:
    """The forward and backward pass for given inputs, weights and top gradient dL/dh_depth."""
    depth = len(weights)
    inputs, slopes = [], []  # h_{l-1} and f'(z_l): all the backward pass needs to keep
    forward = np.empty(depth)
    mean_slope = np.empty(depth)
    h = x
    for layer, w in enumerate(weights):
        z = h @ w.T
        inputs.append(h)
        slopes.append(act.derivative(z))
        forward[layer] = np.mean(z * z)
        mean_slope[layer] = np.mean(slopes[-1])
        h = act(z)

    backward = np.empty(depth)
    grad_norm = np.empty(depth)
    grad_h = top_gradient
    for layer in reversed(range(depth)):
        grad_z = grad_h * slopes[layer]
        backward[layer] = np.mean(grad_z * grad_z)
        grad_norm[layer] = np.linalg.norm(grad_z.T @ inputs[layer])
        grad_h = grad_z @ weights[layer]

    return {
        "forward_second_moment": forward,
        "backward_second_moment": backward,
        "mean_derivative": mean_slope,
        "weight_grad_norm": grad_norm,
    }


def typical_factor(factors) -> float:
    """The one factor that, applied at every layer, gives the same product: the geometric mean."""
    factors = np.asarray(factors, dtype=np.float64)
    if factors.size == 0 or np.any(factors <= 0):
        raise ValueError("typical_factor needs positive factors")
    return float(np.exp(np.mean(np.log(factors))))


def chain_products(factors) -> np.ndarray:
    """For factors listed layer 1 first, entry l is the product of the factors of layers l..depth.

    That is the share of the top gradient that survives down to layer l when each layer scales it by
    its factor: the last entry is the top factor alone, the first is the product of all of them.
    """
    factors = np.asarray(factors, dtype=np.float64)
    if factors.ndim != 1 or factors.size == 0:
        raise ValueError(f"factors must be a non-empty 1-D sequence, got shape {factors.shape}")
    return np.cumprod(factors[::-1])[::-1].copy()


# Wide enough that every derivative here has flattened out, fine enough (step 5e-4, 0 on the grid)
# that the refinement step below only has to polish the maximum, not find it.
_GRID = np.linspace(-60.0, 60.0, 240_001)
# A supremum may sit at a kink (ELU's alpha at 0-) or be approached only far out (softplus with a
# small beta); these points catch both.
_SPECIAL_POINTS = np.array([0.0, -1e-12, 1e-12, -1e3, 1e3, -1e6, 1e6, -1e12, 1e12])


def derivative_bound(activation: ActivationLike) -> float:
    """sup |f'(x)| over the real line, found numerically (0.25 for sigmoid, 1 for tanh and ReLU)."""
    act = _resolve(activation)
    slope = np.abs(act.derivative(_GRID))
    best = max(float(slope.max()), float(np.abs(act.derivative(_SPECIAL_POINTS)).max()))
    # A smooth maximum between grid points (GELU's at sqrt(2)) is missed by at most f''*step^2; a
    # second, much finer grid around the best grid point closes that gap.
    centre = _GRID[int(np.argmax(slope))]
    step = _GRID[1] - _GRID[0]
    fine = np.linspace(centre - step, centre + step, 2001)
    return max(best, float(np.abs(act.derivative(fine)).max()))


def bound_products(activation: ActivationLike, depth: int) -> np.ndarray:
    """bound**k for k = 1..depth: the most k activation slopes alone can pass on. The weights multiply the
    gradient too (a layer applies W^T diag(f')), so a layer's own factor can exceed the bound."""
    depth = _check_count("depth", depth)
    return derivative_bound(activation) ** np.arange(1, depth + 1, dtype=np.float64)


def recommended_init(activation: ActivationLike) -> str:
    """The initialisation usually paired with `activation` (see _RECOMMENDED_INIT)."""
    return _RECOMMENDED_INIT.get(_resolve(activation).name, "xavier")
