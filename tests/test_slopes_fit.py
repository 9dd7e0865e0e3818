"""mathcore.slopes and mathcore.fit: where a slope fails, stacked linear layers, the best line."""

import numpy as np
import pytest

from mathcore import activations, fit, slopes


def test_the_sigmoid_saturates_where_its_slope_falls_under_a_tenth_of_the_peak():
    x = slopes.falls_below("sigmoid", 0.1)
    sigmoid = activations.get("sigmoid")
    assert sigmoid.derivative(x) < 0.025 <= sigmoid.derivative(x - 1e-4)
    # sigmoid'(x) = s(1 - s) = 0.025 has the closed form x = ln((1 + sqrt(0.9)) / (1 - sqrt(0.9)))
    assert x == pytest.approx(np.log((1 + np.sqrt(0.9)) / (1 - np.sqrt(0.9))), abs=1e-4)
    with pytest.raises(ValueError):
        slopes.falls_below("identity", 0.1)


@pytest.mark.parametrize(("name", "kinds"), [
    ("relu", {("dead", "left")}), ("sigmoid", {("saturated", "left"), ("saturated", "right")}),
    ("leaky_relu", {("small", "left")}), ("identity", set()),
])
def test_slope_regions_tell_dead_saturated_and_small_tails_apart(name, kinds):
    found = slopes.regions(name, (-5.0, 5.0), 20_001, 0.1, 1e6, 1e-3)
    assert {(r["kind"], r["side"]) for r in found} == kinds
    for region in found:
        xs = np.linspace(region["from"], region["to"], 101)
        slope = np.abs(activations.get(name).derivative(xs))
        assert (slope == 0).all() if region["kind"] == "dead" else (slope < 0.1 * slope.max() + 0.1).all()


def test_edge_runs():
    xs = np.arange(5.0)
    assert slopes.edge_runs(xs, np.array([1, 1, 0, 0, 1], bool)) == {"left": 1.0, "right": 4.0}
    assert slopes.edge_runs(xs, np.zeros(5, bool)) == {}


def test_stacked_affine_layers_are_one_and_the_line_is_least_squares():
    rng = np.random.default_rng(0)
    w1, b1, w2, b2 = rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=(1, 3)), rng.normal(size=1)
    w, b = fit.collapse(w1, b1, w2, b2)
    x = rng.normal(size=2)
    assert w @ x + b == pytest.approx(w2 @ (w1 @ x + b1) + b2)
    xs = np.linspace(-1, 1, 50)
    slope, intercept, mse = fit.line(xs, 3 * xs - 1)
    assert (slope, intercept, mse) == pytest.approx((3.0, -1.0, 0.0), abs=1e-12)
    noisy = 3 * xs - 1 + rng.normal(0, 0.1, xs.size)
    _, _, best = fit.line(xs, noisy)
    assert best <= np.mean((3 * xs - 1 - noisy) ** 2)  # no line does better, the true one included


# --- hinges: a curve as a sum of ReLU units -----------------------------------------------------------

def test_hinges_through_points_are_the_piecewise_linear_interpolant_and_a_relu_layer():
    """The sum of hinges equals numpy's interpolation through the points; the same sum is a one-hidden-
    layer ReLU net (input weight 1, bias -t_k, output weight c_k) computed by torch; with fewer units the
    sum follows the curve up to the next knot and goes on straight."""
    import numpy as np
    import torch

    from mathcore import hinges

    f = lambda x: np.sin(6 * x) + 0.5 * np.cos(3 * x)
    points = [-1.0, *hinges.bends(f, -1.0, 1.0), 1.0]
    built = hinges.through(f, points)
    x = np.linspace(-1, 1, 1001)
    assert np.allclose(built(x), np.interp(x, points, f(np.array(points))), atol=1e-12)
    units = len(built.knots)
    layer = torch.nn.Sequential(torch.nn.Linear(1, units, dtype=torch.float64), torch.nn.ReLU(),
                                torch.nn.Linear(units, 1, dtype=torch.float64))
    with torch.no_grad():
        layer[0].weight.fill_(1.0)
        layer[0].bias.copy_(-torch.tensor(built.knots, dtype=torch.float64))
        layer[2].weight.copy_(torch.tensor([built.changes], dtype=torch.float64))
        layer[2].bias.fill_(built.offset)
        net = layer(torch.tensor(x)[:, None]).numpy().ravel()
    assert np.allclose(net, built(x), atol=1e-9)
    for units in range(1, len(built.knots) + 1):
        upto = x <= points[units]
        assert np.allclose(built(x, units)[upto], built(x)[upto], atol=1e-12)
        assert np.allclose(built.unit(units - 1, x)[x <= built.knots[units - 1]], 0)
    # The bends are where the slope changes sign: a local extremum each.
    for bend in points[1:-1]:
        left, here, right = f(np.array([bend - 1e-3, bend, bend + 1e-3]))
        assert (here - left) * (right - here) <= 0


def test_hinges_refuse_points_out_of_order():
    from mathcore import hinges

    with pytest.raises(ValueError):
        hinges.through(lambda x: x, [0.0, 0.0])


def test_hinges_see_no_bend_in_a_flat_stretch_and_refuse_a_count_of_units_they_lack():
    import numpy as np

    from mathcore import hinges

    plateau = lambda x: np.clip(x, -0.2, 0.2)  # rises, stays flat, rises: no turn anywhere
    assert hinges.bends(plateau, -1.0, 1.0) == []
    built = hinges.through(np.sin, [-1.0, 0.0, 1.0])
    with pytest.raises(ValueError):
        built(np.zeros(3), units=-1)
    with pytest.raises(ValueError):
        built(np.zeros(3), units=3)
