"""ReLU's dead zone: Lu, Shin, Su & Karniadakis's born-dead probabilities, re-measured, and dead units."""

import math

import numpy as np
import pytest

from mathcore import activations, deadzone

# --- Lu et al. 2020, "Dying ReLU and Initialization: Theory and Numerical Examples" -----------------

TRIALS = 20_000  # binomial standard error at most 0.0035: far inside every tolerance below


def test_ten_layers_of_width_3_are_born_dead_more_often_than_not():
    p = deadzone.born_dead_probability(3, 10, trials=TRIALS, seed=0)
    assert 0.5 < p < 0.7  # the paper: about 60%
    # Dead at x = +1 alone is a weaker event with an exact probability; both at once must be rarer.
    assert p < deadzone.single_input_dead_probability(3, 10)


def test_width_5_still_dies_often():
    assert deadzone.born_dead_probability(5, 10, trials=TRIALS, seed=0) > 0.10


def test_width_10_almost_never_dies():
    assert deadzone.born_dead_probability(10, 10, trials=TRIALS, seed=0) < 0.01


def exact_two_layer_death(width):
    # Layer 1 sends x = +1 and x = -1 to relu(w) and relu(-w): disjoint sets of live units. If w has
    # mixed signs (probability 1 - 2^(1-N)) both are alive and reach layer 2 through disjoint columns
    # of W2, so each dies there independently with probability 2^-N: 4^-N. If all of w has one sign
    # (2^(1-N)) one input is dead already and the other dies at layer 2 with probability 2^-N.
    n = width
    return (1 - 2.0 ** (1 - n)) * 4.0**-n + 2.0 ** (1 - n) * 2.0**-n


@pytest.mark.parametrize("width", [1, 2, 3])
def test_two_layers_match_the_exact_probability(width):
    # Checks the +1/-1 shortcut itself: propagating only one input, or forgetting the first layer's
    # sign symmetry, gives a clearly different number (e.g. 0.23 instead of 0.043 at width 3).
    trials = 50_000
    exact = exact_two_layer_death(width)
    p = deadzone.born_dead_probability(width, 2, trials=trials, seed=1)
    assert p == pytest.approx(exact, abs=4.5 * math.sqrt(exact * (1 - exact) / trials))


def test_one_hidden_layer_is_never_born_dead():
    # relu(w) and relu(-w) cannot both vanish unless w == 0.
    assert deadzone.born_dead_probability(3, 1, trials=5000) == 0.0


def test_chunking_does_not_bias_the_estimate(monkeypatch):
    # Force many small chunks, with a ragged last one: the estimate must still match the exact value.
    monkeypatch.setattr(deadzone, "_CHUNK_ELEMENTS", 7 * 9)
    trials, exact = 20_001, exact_two_layer_death(3)
    p = deadzone.born_dead_probability(3, 2, trials=trials, seed=2)
    assert p == pytest.approx(exact, abs=4.5 * math.sqrt(exact * (1 - exact) / trials))


def test_table_rows_fall_with_width_and_stay_under_the_single_input_bound():
    rows = deadzone.born_dead_table([2, 3, 4, 5, 10], depth=10, trials=4000, seed=0)
    assert [r.width for r in rows] == [2, 3, 4, 5, 10]
    probs = [r.probability for r in rows]
    assert probs == sorted(probs, reverse=True)
    for row in rows:
        assert row.depth == 10 and row.trials == 4000
        assert row.probability <= row.single_input_bound
        assert row.standard_error == pytest.approx(math.sqrt(row.probability * (1 - row.probability) / 4000))


def test_same_seed_same_answer():
    assert deadzone.born_dead_probability(4, 6, 3000, seed=5) == deadzone.born_dead_probability(4, 6, 3000, seed=5)


@pytest.mark.parametrize("kwargs", [dict(width=0), dict(depth=0), dict(trials=0), dict(width=2.0), dict(trials=-1)])
def test_bad_sizes(kwargs):
    args = dict(width=3, depth=10, trials=100) | kwargs
    with pytest.raises(ValueError):
        deadzone.born_dead_probability(**args)


# --- dead units in a batch ---------------------------------------------------------------------------

PRE = np.array([
    # never > 0, fires, fires once, exactly 0 throughout
    [-1.0, 2.0, -4.0, 0.0],
    [-3.0, 0.5, 1e-300, 0.0],
    [-0.5, 1.0, -2.0, 0.0],
])


def test_dead_units_for_relu():
    assert deadzone.dead_units(PRE).tolist() == [True, False, False, True]
    assert deadzone.dead_fraction(PRE) == 0.5


def test_dead_units_for_other_activations():
    # Leaky ReLU's negative side is small but not zero: only the unit stuck at exactly 0 is dead.
    assert deadzone.dead_units(PRE, "leaky_relu").tolist() == [False, False, False, True]
    assert deadzone.dead_units(PRE, activations.get("elu")).tolist() == [False, False, False, True]
    assert deadzone.dead_fraction(PRE, "sigmoid") == 0.0


def test_dead_units_on_a_real_layer():
    # A He-initialised layer on 256 N(0,1) samples: every unit fires for about half of them, so none
    # is dead; push one unit's pre-activations below zero (a large negative bias) and only it is.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 64))
    z = x @ (rng.standard_normal((128, 64)) * math.sqrt(2 / 64)).T
    assert not deadzone.dead_units(z).any()
    z[:, 5] = -np.abs(z[:, 5]) - 1.0
    assert np.flatnonzero(deadzone.dead_units(z)).tolist() == [5]
    assert deadzone.dead_fraction(z) == 1 / 128


@pytest.mark.parametrize("bad", [np.zeros(4), np.zeros((2, 3, 4)), np.zeros((0, 3)), np.zeros((3, 0))])
def test_dead_units_rejects_bad_shapes(bad):
    with pytest.raises(ValueError, match="pre_activations"):
        deadzone.dead_units(bad)
    with pytest.raises(ValueError, match="pre_activations"):
        deadzone.dead_fraction(bad)
