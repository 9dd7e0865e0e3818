"""Every activation against torch autograd (float64, 1e-9) and against finite differences."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments.nets import torch_module
from mathcore import activations

# (name, params): every activation at its defaults plus the parameterised variants worth checking.
CASES = [(name, {}) for name in activations.names()] + [
    ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {"alpha": 0.5}),
    ("gelu", {"approximate": "tanh"}),
    ("softplus", {"beta": 2.0, "threshold": 10.0}),
    ("softplus", {"beta": 0.5, "threshold": 20.0}),
]
IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in p.items())}" if p else n for n, p in CASES]

KINKS = np.array([0.0, -0.0, 1e-12, -1e-12, 1e-300, -1e-300])
HUGE = np.array([-1e308, -1e200, -1e10, -1000.0, -710.0, -40.0, 40.0, 710.0, 1000.0, 1e10, 1e200, 1e308])
GRID = np.linspace(-12, 12, 2001)
# Softplus switches branch at beta*x == threshold: probe both sides.
EDGES = np.array([5.0, 10.0, 20.0, 40.0, 4.999999, 5.000001, 19.99999, 20.00001, 39.9999, 40.0001])
POINTS = np.concatenate([KINKS, HUGE, GRID, EDGES])


def torch_value_and_grad(act, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = torch_module(act)(t)
    (g,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy(), g.numpy()


def assert_close(ours, theirs):
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_matches_torch_autograd(name, params):
    act = activations.get(name, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow or invalid-value warning fails the test
        ours_y, ours_d = act(POINTS), act.derivative(POINTS)
    ref_y, ref_d = torch_value_and_grad(act, POINTS)
    assert np.all(np.isfinite(ours_y)) and np.all(np.isfinite(ours_d))
    # torch's own tanh-GELU backward overflows (x**3) beyond |x| ~ 1e102 and returns NaN. The true
    # derivative is flat out there, so compare with torch at |x| = 1e6, where it is still exact.
    overflowed = ~np.isfinite(ref_d)
    assert name == "gelu" or not overflowed.any()
    ref_d[overflowed] = torch_value_and_grad(act, np.sign(POINTS[overflowed]) * 1e6)[1]
    assert_close(ours_y, ref_y)
    assert_close(ours_d, ref_d)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
@settings(max_examples=60, deadline=None)
@given(x=st.floats(min_value=-50, max_value=50, allow_nan=False))
def test_random_points_match_torch(name, params, x):
    act = activations.get(name, **params)
    ours_y, ours_d = act(np.array([x])), act.derivative(np.array([x]))
    ref_y, ref_d = torch_value_and_grad(act, np.array([x]))
    assert_close(ours_y, ref_y)
    assert_close(ours_d, ref_d)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_derivative_matches_central_differences(name, params):
    act = activations.get(name, **params)
    # Stay off the kinks at 0 and softplus' branch switch, where a difference quotient straddles two pieces.
    x = np.concatenate([np.linspace(-8, -0.05, 300), np.linspace(0.05, 8, 300)])
    if name == "softplus":
        switch = act.params["threshold"] / act.params["beta"]
        x = x[np.abs(x - switch) > 0.05]
    h = 1e-6
    numeric = (act(x + h) - act(x - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(x), numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", activations.names())
def test_shapes_scalars_and_dtypes(name):
    act = activations.get(name)
    for shape in [(), (3,), (2, 3), (2, 0, 4)]:
        x = np.random.default_rng(0).normal(size=shape)
        assert np.shape(act(x)) == shape
        assert np.shape(act.derivative(x)) == shape
    assert isinstance(act(0.5), np.floating)
    assert act(np.array([1, -2])).dtype == np.float64  # integers come in, floats go out


@pytest.mark.parametrize("name", activations.names())
def test_nan_in_nan_out(name):
    act = activations.get(name)
    x = np.array([np.nan, 1.0, -1.0, np.nan])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y, d = act(x), act.derivative(x)
    assert np.isnan(y[[0, 3]]).all() and np.isnan(d[[0, 3]]).all()
    assert np.isfinite(y[1:3]).all() and np.isfinite(d[1:3]).all()


def test_torch_kink_conventions():
    assert activations.get("relu").derivative(0.0) == 0.0
    assert activations.get("leaky_relu").derivative(0.0) == 0.01
    assert activations.get("leaky_relu", negative_slope=0.3).derivative(0.0) == 0.3
    assert activations.get("elu").derivative(0.0) == 1.0
    assert activations.get("sigmoid").derivative(0.0) == 0.25


@pytest.mark.parametrize("name", activations.names())
def test_range_holds_on_a_dense_grid(name):
    act = activations.get(name)
    lo, hi = act.range
    y = act(np.linspace(-60, 60, 240_001))
    assert np.all(y >= lo - 1e-12) and np.all(y <= hi + 1e-12)
    if np.isfinite(lo) and name not in {"sigmoid", "tanh", "softsign", "relu", "softplus", "selu", "elu"}:
        # A finite lower bound that is a minimum (GELU, SiLU, Mish) is attained to grid precision.
        assert y.min() == pytest.approx(lo, abs=1e-7)


def test_elu_range_follows_alpha():
    assert activations.get("elu", alpha=2.5).range[0] == -2.5


def test_every_definition_is_complete():
    for name in activations.names():
        act = activations.get(name)
        assert act.title and act.formula and act.derivative_formula and act.range_latex and act.used_for
        assert isinstance(torch_module(act), torch.nn.Module)


def test_unknown_name_lists_the_names_and_nearest_match():
    with pytest.raises(ValueError) as err:
        activations.get("rellu")
    message = str(err.value)
    assert "'relu'" in message and all(n in message for n in activations.names())


@pytest.mark.parametrize(("name", "params"), [
    ("relu", {"negative_slope": 0.1}),
    ("softplus", {"beta": 0.0}),
    ("softplus", {"beta": float("nan")}),
    ("gelu", {"approximate": "erf"}),
    ("elu", {"alpha": float("inf")}),
])
def test_bad_parameters_are_value_errors(name, params):
    with pytest.raises(ValueError):
        activations.get(name, **params)


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError):
        activations.get("relu")(np.array(["a", "b"]))


def test_softmax_is_stable_and_normalised():
    z = np.array([[1000.0, 1000.0, -1000.0], [1e308, -1e308, 0.0], [1.0, 2.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = activations.softmax(z)
    ref = torch.softmax(torch.tensor(z), dim=-1).numpy()
    assert_close(p, ref)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    np.testing.assert_allclose(activations.softmax(z, axis=0).sum(axis=0), 1.0)


def test_softmax_temperature_and_two_class_sigmoid():
    z = np.array([0.3, -1.2, 2.0])
    assert_close(activations.softmax(z, temperature=2.0), activations.softmax(z / 2.0))
    a, b = 1.7, -0.4
    assert activations.softmax(np.array([a, b]))[0] == pytest.approx(float(activations.sigmoid(np.array(a - b))))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=-30, max_value=30), min_size=1, max_size=6))
def test_softmax_jacobian_matches_autograd(logits):
    z = np.array(logits)
    t = torch.tensor(z, requires_grad=True)
    ref = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), t).numpy()
    assert_close(activations.softmax_jacobian(z), ref)


def test_softmax_jacobian_needs_a_vector():
    with pytest.raises(ValueError):
        activations.softmax_jacobian(np.zeros((2, 2)))


def test_importing_mathcore_imports_neither_torch_nor_manim():
    code = "import sys, mathcore, mathcore.network; print('torch' in sys.modules, 'manim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
