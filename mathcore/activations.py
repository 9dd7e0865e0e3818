"""Activation functions: one definition each gives value, derivative, formulas, range and torch twin.

Every function is written in a form that stays finite and silent (no numpy warnings) for any finite
float64 input, and follows torch's conventions at kinks so the two agree to the last digits.
NaN in gives NaN out, for values and derivatives alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np

from .naming import unknown

__all__ = ["Activation", "names", "get", "softmax", "softmax_jacobian", "sigmoid"]

Array = np.ndarray

# torch's SELU constants (Klambauer et al. 2017), as torch defines them.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_KAPPA = 0.044715
# Beyond this |x| tanh's argument in tanh-GELU saturates to exactly ±1 in float64; clipping there keeps
# x**3 from overflowing without changing a single bit of the result.
_GELU_TANH_CLIP = 1e4

_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def sigmoid(x: Array) -> Array:
    """Logistic sigmoid without overflow: exp is only ever taken of a non-positive number."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_derivative(x: Array) -> Array:
    # e/(1+e)^2 equals s(1-s) but keeps full relative precision in the tails.
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2


def _softplus_stable(x: Array) -> Array:
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _normal_cdf(x: Array) -> Array:
    return 0.5 * _erfc(-x * _INV_SQRT_2)


def _normal_pdf(x: Array) -> Array:
    # exp underflows quietly to 0 for |x| > ~38; that is the correct limit.
    return np.exp(-0.5 * np.square(np.clip(x, -1e10, 1e10))) * _INV_SQRT_2PI


# --- the definitions -------------------------------------------------------------------------------

def _identity(x, **_):
    return x.copy()


def _identity_d(x, **_):
    return np.ones_like(x)


def _tanh_d(x, **_):
    t = np.tanh(x)
    return 1.0 - t * t


def _relu(x, **_):
    return np.maximum(x, 0.0)


def _relu_d(x, **_):
    return (x > 0).astype(np.float64)


def _leaky_relu(x, negative_slope):
    return np.where(x > 0, x, negative_slope * x)


def _leaky_relu_d(x, negative_slope):
    return np.where(x > 0, 1.0, negative_slope)


def _elu(x, alpha):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def _elu_d(x, alpha):
    # torch takes the exponential branch at x == 0, so elu'(0) = alpha.
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def _selu(x, **_):
    return SELU_SCALE * _elu(x, SELU_ALPHA)


def _selu_d(x, **_):
    return SELU_SCALE * _elu_d(x, SELU_ALPHA)


def _gelu(x, approximate):
    if approximate == "tanh":
        xc = np.clip(x, -_GELU_TANH_CLIP, _GELU_TANH_CLIP)
        inner = _SQRT_2_OVER_PI * (xc + _GELU_KAPPA * xc**3)
        return 0.5 * x * (1.0 + np.tanh(inner))
    return x * _normal_cdf(x)


def _gelu_d(x, approximate):
    if approximate == "tanh":
        # torch's gelu_backward for approximate="tanh", term by term; in the clipped tails
        # 1 - tanh^2 is exactly 0, so using the clipped x there changes nothing.
        xc = np.clip(x, -_GELU_TANH_CLIP, _GELU_TANH_CLIP)
        inner = _SQRT_2_OVER_PI * (xc + _GELU_KAPPA * xc**3)
        t = np.tanh(inner)
        left_d = 0.5 * (1.0 + t)
        right_d = 0.5 * xc * (1.0 - t * t) * _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_KAPPA * xc * xc)
        return left_d + right_d
    return _normal_cdf(x) + x * _normal_pdf(x)


def _silu(x, **_):
    return x * sigmoid(x)


def _silu_d(x, **_):
    s = sigmoid(x)
    return s * (1.0 + x * sigmoid(-x))


def _softplus_scaled(x, beta, threshold):
    with np.errstate(over="ignore"):  # beta*x may overflow to inf; it then only selects the linear branch
        bx = beta * x
    linear = bx > threshold
    smooth = np.log1p(np.exp(np.minimum(bx, threshold))) / beta
    return bx, linear, smooth


def _softplus(x, beta, threshold):
    _, linear, smooth = _softplus_scaled(x, beta, threshold)
    return np.where(linear, x, smooth)


def _softplus_d(x, beta, threshold):
    bx, linear, _ = _softplus_scaled(x, beta, threshold)
    return np.where(linear, 1.0, sigmoid(np.minimum(bx, threshold)))


def _softsign(x, **_):
    return x / (1.0 + np.abs(x))


def _softsign_d(x, **_):
    # Square the reciprocal, not the denominator: (1+|x|)^2 overflows for |x| > 1e154.
    return np.square(1.0 / (1.0 + np.abs(x)))


def _mish(x, **_):
    return x * np.tanh(_softplus_stable(x))


def _mish_d(x, **_):
    t = np.tanh(_softplus_stable(x))
    # Grouped so that a huge |x| meets an exact 0 before it can meet another huge factor.
    return t + x * (sigmoid(x) * (1.0 - t * t))


# --- the registry ----------------------------------------------------------------------------------

def _check_positive(name: str, value: Any) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def _check_finite(name: str, value: Any) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def _check_approximate(name: str, value: Any) -> str:
    if value not in ("none", "tanh"):
        raise ValueError(f"{name} must be 'none' or 'tanh', got {value!r}")
    return value


@dataclass(frozen=True)
class Activation:
    """One activation function, optionally with its parameters bound.

    Call it for values, `.derivative(x)` for the elementwise derivative (numpy in, numpy out, same
    shape). `formula`, `derivative_formula` and `range_latex` are LaTeX; `torch_name` and `params`
    define the torch twin, which experiments.nets.torch_module builds (mathcore never imports torch).
    """

    name: str
    title: str
    _value: Callable[..., Array] = field(repr=False)
    _derivative: Callable[..., Array] = field(repr=False)
    formula: str
    derivative_formula: str
    _range: Callable[..., tuple[float, float]] = field(repr=False)
    range_latex: str
    torch_name: str
    used_for: str
    defaults: Mapping[str, Any] = field(default_factory=dict)
    checks: Mapping[str, Callable[[str, Any], Any]] = field(default_factory=dict, repr=False)
    params: Mapping[str, Any] = field(default_factory=dict)

    def bind(self, **params: Any) -> "Activation":
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            allowed = ", ".join(sorted(self.defaults)) or "none"
            raise ValueError(f"{self.name} has no parameter {', '.join(unknown)} (parameters: {allowed})")
        merged = dict(self.defaults)
        for key, value in params.items():
            merged[key] = self.checks[key](key, value) if key in self.checks else value
        return Activation(**{**self.__dict__, "params": MappingProxyType(merged)})

    def _apply(self, fn: Callable[..., Array], x: Any) -> Array:
        arr = np.asarray(x)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{self.name} expects real numbers, got an array of dtype {arr.dtype}")
        arr = arr.astype(np.float64, copy=False)
        nan = np.isnan(arr)
        # Compute on a NaN-free copy (no 'invalid value' warnings), then put the NaNs back.
        clean = np.where(nan, 0.0, arr) if nan.any() else arr
        out = np.asarray(fn(clean, **self.params), dtype=np.float64)
        out = np.broadcast_to(out, arr.shape).copy()
        out[nan] = np.nan
        return out[()] if out.ndim == 0 else out

    def __call__(self, x: Any) -> Array:
        return self._apply(self._value, x)

    def derivative(self, x: Any) -> Array:
        return self._apply(self._derivative, x)

    @property
    def range(self) -> tuple[float, float]:
        """(inf, sup) of the values for the bound parameters; an end may be approached, not reached."""
        return self._range(**self.params)


_POS_INF = math.inf
_NEG_INF = -math.inf

_DEFINITIONS: dict[str, Activation] = {}


def _define(**kwargs: Any) -> None:
    act = Activation(**kwargs)
    _DEFINITIONS[act.name] = act.bind()


_define(
    name="identity", title="Identity", _value=_identity, _derivative=_identity_d,
    formula=r"f(x) = x", derivative_formula=r"f'(x) = 1",
    _range=lambda **_: (_NEG_INF, _POS_INF), range_latex=r"(-\infty, \infty)", torch_name="Identity",
    used_for="regression output layer: the output covers the whole real line",
)
_define(
    name="sigmoid", title="Sigmoid", _value=lambda x: sigmoid(x), _derivative=lambda x: _sigmoid_derivative(x),
    formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}", derivative_formula=r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))",
    _range=lambda **_: (0.0, 1.0), range_latex=r"(0, 1)", torch_name="Sigmoid",
    used_for="output layer of a binary classifier; avoid in hidden layers (saturates, derivative at most 0.25)",
)
_define(
    name="tanh", title="Tanh", _value=lambda x: np.tanh(x), _derivative=_tanh_d,
    formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", derivative_formula=r"\tanh'(x) = 1 - \tanh^2(x)",
    _range=lambda **_: (-1.0, 1.0), range_latex=r"(-1, 1)", torch_name="Tanh",
    used_for="hidden layers when zero-centred outputs help; still saturates for large |x|",
)
_define(
    name="relu", title="ReLU", _value=_relu, _derivative=_relu_d,
    formula=r"\mathrm{ReLU}(x) = \max(0, x)",
    derivative_formula=r"\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
    _range=lambda **_: (0.0, _POS_INF), range_latex=r"[0, \infty)", torch_name="ReLU",
    used_for="the default for hidden layers: derivative 1 for x > 0, no saturation there",
)
_define(
    name="leaky_relu", title="Leaky ReLU", _value=_leaky_relu, _derivative=_leaky_relu_d,
    formula=r"f(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}",
    derivative_formula=r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}",
    _range=lambda **_: (_NEG_INF, _POS_INF), range_latex=r"(-\infty, \infty)", torch_name="LeakyReLU",
    used_for="hidden layers when ReLU units die: the small slope a keeps the gradient alive",
    defaults={"negative_slope": 0.01}, checks={"negative_slope": _check_finite},
)
_define(
    name="elu", title="ELU", _value=_elu, _derivative=_elu_d,
    formula=r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
    derivative_formula=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
    _range=lambda alpha: (min(-alpha, 0.0), _POS_INF) if alpha >= 0 else (_NEG_INF, _POS_INF), range_latex=r"(-\alpha, \infty)", torch_name="ELU",
    used_for="hidden layers: smooth negative side pushes mean activations towards zero",
    defaults={"alpha": 1.0}, checks={"alpha": _check_finite},
)
_define(
    name="selu", title="SELU", _value=_selu, _derivative=_selu_d,
    formula=r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
    derivative_formula=r"f'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
    _range=lambda **_: (-SELU_SCALE * SELU_ALPHA, _POS_INF), range_latex=r"(-\lambda\alpha, \infty)", torch_name="SELU",
    used_for="self-normalising networks (with LeCun-normal init)",
)
_define(
    name="gelu", title="GELU", _value=_gelu, _derivative=_gelu_d,
    formula=r"\mathrm{GELU}(x) = x\,\Phi(x)", derivative_formula=r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x)",
    _range=lambda **_: (-0.16997120747990369, _POS_INF), range_latex=r"[\approx -0.17, \infty)", torch_name="GELU",
    used_for="transformers (BERT, GPT): a smooth ReLU",
    defaults={"approximate": "none"}, checks={"approximate": _check_approximate},
)
_define(
    name="silu", title="SiLU (Swish)", _value=_silu, _derivative=_silu_d,
    formula=r"\mathrm{SiLU}(x) = x\,\sigma(x)", derivative_formula=r"\mathrm{SiLU}'(x) = \sigma(x)\,(1 + x\,(1 - \sigma(x)))",
    _range=lambda **_: (-0.27846454276107380, _POS_INF), range_latex=r"[\approx -0.28, \infty)", torch_name="SiLU",
    used_for="modern convolutional nets and LLM feed-forward layers",
)
_define(
    name="softplus", title="Softplus", _value=_softplus, _derivative=_softplus_d,
    formula=r"f(x) = \frac{1}{\beta} \ln(1 + e^{\beta x})", derivative_formula=r"f'(x) = \sigma(\beta x)",
    _range=lambda **_: (0.0, _POS_INF), range_latex=r"(0, \infty)", torch_name="Softplus",
    used_for="a smooth ReLU; outputs that must be positive (variances, rates)",
    defaults={"beta": 1.0, "threshold": 20.0},
    checks={"beta": _check_positive, "threshold": _check_finite},
)
_define(
    name="softsign", title="Softsign", _value=_softsign, _derivative=_softsign_d,
    formula=r"f(x) = \frac{x}{1 + |x|}", derivative_formula=r"f'(x) = \frac{1}{(1 + |x|)^2}",
    _range=lambda **_: (-1.0, 1.0), range_latex=r"(-1, 1)", torch_name="Softsign",
    used_for="a tanh-like squashing with polynomial (slower) saturation",
)
_define(
    name="mish", title="Mish", _value=_mish, _derivative=_mish_d,
    formula=r"f(x) = x \tanh(\ln(1 + e^{x}))",
    derivative_formula=r"f'(x) = \tanh(s) + x\,\sigma(x)\,(1 - \tanh^2(s)),\ s = \ln(1 + e^{x})",
    _range=lambda **_: (-0.30884341301725043, _POS_INF), range_latex=r"[\approx -0.31, \infty)", torch_name="Mish",
    used_for="object detection (YOLOv4): a smooth, non-monotonic ReLU",
)


def names() -> list[str]:
    """Every activation's name, in definition order."""
    return list(_DEFINITIONS)


def get(name: str, **params: Any) -> Activation:
    """The activation `name` with `params` bound (unknown name or parameter: ValueError)."""
    try:
        base = _DEFINITIONS[name]
    except (KeyError, TypeError):
        raise ValueError(unknown("activation", name, names())) from None
    return base.bind(**params) if params else base


def softmax(z: Any, axis: int = -1, temperature: float = 1.0) -> Array:
    """Softmax along `axis` of z / temperature; stable for huge logits (max-shifted)."""
    z = np.asarray(z, dtype=np.float64)
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be positive and finite, got {temperature!r}")
    if z.ndim == 0:
        raise ValueError("softmax needs at least one axis of logits")
    with np.errstate(over="ignore", invalid="ignore"):
        # Subtracting the max keeps exp's argument <= 0; a gap beyond float range is -inf -> weight 0.
        scaled = z / temperature
        shifted = scaled - np.max(scaled, axis=axis, keepdims=True)
        e = np.exp(shifted)
        return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z: Any, temperature: float = 1.0) -> Array:
    """d softmax(z)_i / d z_j for a 1-D z: (diag(p) - p p^T) / temperature."""
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 1:
        raise ValueError(f"softmax_jacobian needs a 1-D vector of logits, got shape {z.shape}")
    p = softmax(z, temperature=temperature)
    return (np.diag(p) - np.outer(p, p)) / temperature
