"""Every causal or comparative sentence of the narration against the quantity behind it: each test fails
when the sentence and the number disagree (in both languages, the sentence carries the number shown)."""

import math

import pytest

from content import i18n
from content.narration import scene_data
from mathcore.network import ToyNetwork


def narration(scene_id, beat, params=None):
    data = scene_data(scene_id, params)
    return data.numbers.values, data.numbers.display, data.beat(beat).text


@pytest.fixture(scope="module")
def vanishing():
    return narration("vanishing", "split")


def test_the_gap_between_w5_and_w1_is_said_as_its_three_factors(vanishing):
    values, display, text = vanishing
    split = values["ratio_split"]
    factors = {name: part["factor"] for name, part in split.items()}
    assert math.prod(factors.values()) == pytest.approx(values["ratio_w5_w1"], rel=1e-12)
    # As shown: the rounded factors multiply back to the rounded ratio.
    shown = [float(display[f"split_{name}"]) for name in ("input", "error", "slope")]
    assert round(math.prod(shown)) == pytest.approx(float(display["ratio"]), abs=1)
    for lang in i18n.LANGS:
        for field in ("ratio", "split_input", "split_error", "split_slope", "out_h1", "i1", "dE_dout_h1",
                      "dE_dnet_o1"):
            assert display[field] in text[lang], (lang, field)


def test_only_a_small_part_of_the_gap_is_the_slope(vanishing):
    """"Only 4.14 times is the extra sigmoid slope": the slope's share of the gap (on the log scale that
    multiplies) is under a third, less than an even share of three, and smaller than the input's."""
    values, _, _ = vanishing
    split = values["ratio_split"]
    assert math.log(split["slope"]["factor"]) / math.log(values["ratio_w5_w1"]) < 1 / 3
    assert split["input"]["factor"] > split["slope"]["factor"]


def test_the_input_and_the_weights_say_what_they_compute(vanishing):
    values, _, _ = vanishing
    split = values["ratio_split"]
    net = ToyNetwork.classic()
    # "w5 multiplies out h1, but w1 multiplies i1, only 0.05": the input is the smaller.
    assert split["input"]["bottom"] == net.inputs[0] < split["input"]["top"] == net.forward()["out_h1"]
    # "the error goes back to h1 through w5 and w7, and the two paths partly cancel, leaving less":
    # the paths have opposite signs, their sum is smaller than either, and the error left is smaller.
    via_o1, via_o2 = (math.prod(f.value for f in path[:3]) for path in net.chain("w1").paths)
    assert via_o1 * via_o2 < 0 and abs(via_o1 + via_o2) < max(abs(via_o1), abs(via_o2))
    assert [path[2].anchor for path in net.chain("w1").paths] == ["w5", "w7"]
    assert split["error"]["bottom"] == pytest.approx(via_o1 + via_o2, rel=1e-14)
    assert split["error"]["bottom"] < split["error"]["top"]


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_the_answer_bounds_the_slope_not_the_layer(activation):
    """"The sigmoid's slope is at most 0.25, so a layer shrinks the gradient unless its weights make up for
    it. Initialised as usual, they do not: each layer passes on about x": x is the sigmoid chain's own
    factor (also when the deep chain shows another activation), under 1, and the bound is the slope's."""
    values, display, text = narration("vanishing", "answer", {"activation": activation})
    assert values["sigmoid_peak"] == pytest.approx(0.25, abs=1e-12)
    assert values["sigmoid_layer_factor"] < 1
    if activation == "sigmoid":
        assert values["sigmoid_layer_factor"] == pytest.approx(
            math.exp(sum(map(math.log, values["layer_factors"])) / values["depth"]), rel=1e-12)
        assert values["sigmoid_reach"] == pytest.approx(values["reach"][-1], rel=1e-12)
    for lang in i18n.LANGS:
        assert display["sigmoid_factor"] in text[lang] and display["peak"] in text[lang]


@pytest.fixture(scope="module")
def exploding():
    data = scene_data("exploding")
    return data.numbers.values, data.numbers.display, {beat.key: beat.text for beat in data.beats}


def test_the_per_layer_factor_is_said_as_the_first_crossing_then_the_inits(exploding):
    """"The first crossing is the ReLU alone, which keeps 0.68; each layer after it multiplies by about
    1.41": the ReLU alone halves the second moment (x 1/sqrt 2), a weight layer of variance 4/n with a ReLU
    doubles it (x sqrt(4/2)); the two factors give the product shown after all the layers."""
    values, display, text = exploding
    assert values["first_factor"] == pytest.approx(math.sqrt(0.5), abs=0.05)
    assert values["later_factor"] == pytest.approx(math.sqrt(values["oversized_variance"] / 2), abs=0.03)
    assert values["first_factor"] * values["later_factor"] ** (values["depth"] - 1) == pytest.approx(
        values["reach"][-1], rel=1e-9)
    for lang in i18n.LANGS:
        assert display["first_factor"] in text["factor"][lang] and display["later_factor"] in text["factor"][lang]


def test_the_trained_net_is_said_to_be_another_net_of_the_same_depth_and_init(exploding):
    import experiments

    values, display, text = exploding
    config = experiments.run_cached("exploding")["config"]
    assert config["depth"] == values["depth"] and config["oversized_init"] == values["oversized_variance"]
    assert config["width"] != values["simulation"]["width"]  # another net: so the sentence says its width
    # "the first of its 25 weight layers": 24 hidden layers and the output layer, one bar each.
    assert int(display["weight_layers"]) == len(values["layers"]) == values["depth"] + 1
    for lang in i18n.LANGS:
        assert display["trained_width"] in text["measured"][lang] and display["weight_layers"] in text["measured"][lang]


def test_the_loss_is_already_huge_before_the_first_step_and_nan_after_it(exploding):
    values, display, text = exploding
    losses = values["losses"]["oversized"]
    assert len(losses) == values["steps"] + 1  # step 0 is before any update
    assert math.isfinite(losses[0]) and losses[0] > 1e6
    assert values["first_nonfinite_step"] == 1 and not math.isfinite(losses[1])
    for lang in i18n.LANGS:
        assert display["first_loss"] in text["blowup"][lang] and display["nan_step"] in text["blowup"][lang]


@pytest.mark.parametrize("stop", [0, 1])
def test_the_dial_is_the_same_net_with_its_weights_scaled(exploding, stop):
    """"Multiply every weight by the same number and each layer's factor is multiplied by exactly that
    number, since the same units stay live": the dial's bars, got by scaling the 4/n run, are what a
    simulation of the same draw at that variance gives."""
    from content.numbers._common import SIM_BATCH, SIM_SEED, SIM_WIDTH
    from mathcore import flow

    values, _, _ = exploding
    dial = values["dial"]
    run = flow.gradient_flow("relu", values["depth"], SIM_WIDTH, dial["variances"][stop], batch=SIM_BATCH,
                             seed=SIM_SEED)
    assert run.reach().tolist() == pytest.approx(dial["reach"][stop], rel=1e-9)
    assert flow.typical_factor(run.layer_factors()[1:]) == pytest.approx(dial["factors"][stop], rel=1e-9)


def test_the_dial_turns_from_vanishing_through_flat_to_exploding(exploding):
    values, display, text = exploding
    dial = values["dial"]
    low, he, high = dial["variances"]
    assert low < he == values["he_variance"] < high == values["oversized_variance"]
    assert dial["factors"][0] < 1 < dial["factors"][2] and dial["factors"][1] == pytest.approx(1, abs=0.01)
    # At the low end it vanishes (below a millionth), at He's it keeps most of its size, at the top it is
    # the compounding beat's product.
    assert dial["reach"][0][-1] < 1e-6 and 0.5 < dial["reach"][1][-1] < 1
    assert dial["reach"][2] == pytest.approx(values["reach"], rel=1e-12)
    assert dial["factors"][2] == pytest.approx(values["later_factor"], rel=1e-12)
    for lang in i18n.LANGS:
        for beat, fields in (("dial", ("dial_low", "dial_low_factor", "dial_low_reach", "depth")),
                             ("dial_flat", ("he", "dial_he_factor", "dial_he_reach")),
                             ("dial_up", ("oversized", "later_factor", "reach_last"))):
            for field in fields:
                assert display[field] in text[beat][lang], (lang, beat, field)


def test_the_jacobians_columns_and_rows_say_what_they_mean():
    """"Each column sums to zero: raising one logit only moves probability between the classes" (column j
    is dp/dz_j); "each row does too: adding one number to every logit changes nothing" (row i is dp_i/dz)."""
    import numpy as np

    from mathcore import activations

    values, _, _ = narration("softmax", "jacobian")
    z = np.array(values["logits"])
    np.testing.assert_allclose(values["jacobian_column_sums"], 0, atol=1e-15)
    np.testing.assert_allclose(values["jacobian_row_sums"], 0, atol=1e-15)
    h = 1e-6
    for j in range(len(z)):  # column j, by raising logit j: the change sums to zero
        raised = activations.softmax(z + h * np.eye(len(z))[j])
        np.testing.assert_allclose((raised - activations.softmax(z)) / h, np.array(values["jacobian"])[:, j], atol=1e-5)
        assert raised.sum() == pytest.approx(1, abs=1e-15)
    np.testing.assert_allclose(activations.softmax(z + 3.7), activations.softmax(z), atol=1e-15)


def test_dead_units_stay_dead_in_the_first_layer_and_come_back_only_deeper():
    """"In the first layer, whose inputs are the fixed data, it stays dead for good; in a deeper layer it can
    come back": in the ReLU run the first layer's dead share never falls and none of its units came back,
    while deeper layers' shares fall at times and units there did come back (shown by layer)."""
    import experiments

    values, display, text = narration("dead-relu", "rising")
    runs = experiments.run_cached("dead-relu")["runs"]["relu"]
    first_layer = [shares[0] for shares in runs["dead_share"]]
    assert all(b >= a for a, b in zip(first_layer, first_layer[1:]))
    back = values["recovered_units"]["relu"]
    assert back[0] == 0 and all(n > 0 for n in back[1:])
    deeper = [[shares[k] for shares in runs["dead_share"]] for k in (1, 2)]
    assert all(any(b < a for a, b in zip(layer, layer[1:])) for layer in deeper)
    for lang in i18n.LANGS:
        assert all(display[f"relu_back_{k}"] in text[lang] for k in (1, 2, 3))
    assert display["back_by_layer"]["relu"] == ", ".join(map(str, back))


def test_dead_units_are_said_to_carry_nothing_and_many_signals_to_be_redundant_by_an_ablation():
    """"With 75% of every layer gone, the Leaky ReLU net is still right on 91%, against 92% with all of
    them: many signals are redundant. The ReLU net stays at 70% even with 90% removed: its dead units
    carried nothing": the trained nets' accuracy with units removed, the weakest first."""
    values, display, text = narration("dead-relu", "redundant")
    relu, leaky = values["ablation"]["relu"], values["ablation"]["leaky_relu"]
    said = relu["shares"].index(values["ablation_said"])
    assert relu["accuracy"][0] == values["accuracy"]["relu"] and leaky["accuracy"][0] == values["accuracy"]["leaky_relu"]
    # Redundant: three quarters of every layer removed costs the healthy net under a point.
    assert values["ablation_said"] >= 0.5 and leaky["accuracy"][0] - leaky["accuracy"][said] < 0.01
    # Nothing: ReLU's accuracy does not move however many are removed, and what adds nothing (zero output
    # on every example, or zero weights onward) is at least its dead share, layer by layer.
    assert len(set(relu["accuracy"])) == 1
    import experiments
    from experiments.cache import floats_array

    dead_at_end = floats_array(experiments.run_cached("dead-relu")["runs"]["relu"]["dead_share"][-1])
    assert all(silent >= dead - 1e-12 for silent, dead in zip(relu["silent_share"], dead_at_end))
    for lang in i18n.LANGS:
        assert all(display[key] in text[lang] for key in ("removed", "leaky_kept", "leaky_accuracy", "relu_kept",
                                                          "most_removed"))
    # "harmless" no longer claims what it does not show: it points to this measurement.
    assert "measure" in narration("dead-relu", "harmless")[2]["en"]


def test_the_gallerys_slopes_share_one_axis_so_their_heights_compare():
    """"Sigmoid: its slope is at most 0.25 ... Tanh: at most 1": on screen the two bumps stand in that
    ratio, because every activation shown is drawn on one slope axis."""
    values, display, _ = narration("activations", "curve:sigmoid")
    axes = {entry["slope_axis"] for entry in values["gallery"].values()}
    assert axes == {tuple(values["slope_axis"])}
    peaks = {name: values["gallery"][name]["peak_slope"] for name in ("sigmoid", "tanh")}
    assert peaks["sigmoid"] / peaks["tanh"] == pytest.approx(0.25, abs=1e-9)
    low, high = values["slope_axis"]
    assert low <= 0 and high >= max(entry["peak_slope"] for entry in values["gallery"].values())
    assert [text for _, text in display["slope_ticks"]] == ["0.5", "1"]


def test_tanh_is_the_sigmoid_stretched_and_shifted_so_its_slope_peaks_four_times_higher():
    """"tanh(x) = 2 sigma(2x) - 1, equal up to rounding (at most 3.3e-16 apart here). So its slope,
    4 sigma'(2x), peaks at 1: four times the sigmoid's 0.25": both sides on the plot's grid, and the chain
    rule's 4 sigma'(2x) against tanh's own derivative."""
    import numpy as np

    from mathcore import activations

    values, display, text = narration("activations", "relation")
    sigmoid, tanh = activations.get("sigmoid"), activations.get("tanh")
    xs = np.linspace(*values["x_range"], 20_001)
    assert values["relation"]["error"] == pytest.approx(np.max(np.abs(tanh(xs) - (2 * sigmoid(2 * xs) - 1))), abs=0)
    assert values["relation"]["error"] < 1e-15  # rounding, nothing more
    np.testing.assert_allclose(tanh.derivative(xs), 4 * sigmoid.derivative(2 * xs), atol=1e-15)
    assert values["relation"]["tanh_peak"] == pytest.approx(4 * values["relation"]["sigmoid_peak"], abs=1e-12)
    for lang in i18n.LANGS:
        assert all(display[key] in text[lang] for key in ("relation_error", "tanh_peak", "sigmoid_peak"))
    # Shown only where both are: without the sigmoid the beat is not there.
    assert "relation" not in [beat.key for beat in scene_data("activations", {"only": "tanh,relu"}).beats]


def test_elu_gelu_and_silu_are_said_to_be_relu_rounded_off_by_their_own_numbers():
    """"For x >= 3 each stays within 0.143 of ReLU; for negative x they go below zero: GELU down to -0.17,
    SiLU to -0.28, and ELU towards -1": each one's gap and lowest value, measured on the grid."""
    import numpy as np

    from mathcore import activations

    values, display, text = narration("activations", "smooth")
    smooth = values["smooth"]
    xs = np.linspace(*values["x_range"], 20_001)
    relu = activations.get("relu")(xs)
    gaps = {name: float(np.max(np.abs(activations.get(name)(xs) - relu)[xs >= smooth["from"]])) for name in smooth["each"]}
    # "within": the number said is a bound, rounded up, not down.
    assert max(gaps.values()) == smooth["far_gap"] and max(gaps.values()) <= float(display["far_gap"]) < 1.01 * max(gaps.values())
    for name in ("gelu", "silu"):
        low = smooth["each"][name]
        assert low["min"] < 0 and low["min"] == pytest.approx(float(np.min(activations.get(name)(xs))), abs=0)
        assert float(display[f"{name}_min"]) == pytest.approx(low["min"], abs=0.005)
    assert smooth["each"]["elu"]["min"] > smooth["elu_floor"] == -1.0  # approached, not reached
    for lang in i18n.LANGS:
        assert all(display[key] in text[lang] for key in ("smooth_from", "far_gap", "gelu_min", "silu_min", "elu_floor"))


def test_exponentiating_turns_a_logit_difference_into_a_ratio():
    """"z1 is 1.0 above z2, so its exponential is 2.72 times as large" (not "the largest pulls ahead": the
    largest-to-smallest ratio falls from 20 to 6.7 here)."""
    values, display, text = narration("softmax", "exp")
    assert values["exp_ratio"] == pytest.approx(math.exp(values["logit_gap"]), rel=1e-12)
    assert values["exp_ratio"] == pytest.approx(values["exps"][0] / values["exps"][1], rel=1e-12)
    for lang in i18n.LANGS:
        assert display["logit_gap"] in text[lang] and display["exp_ratio"] in text[lang]


def test_a_sigmoid_output_cannot_reach_the_regression_target_and_the_identity_does():
    """"A sigmoid output stays between zero and one: far to the left it only comes near 0, still more than
    3 short. The identity gives -3 exactly": the sigmoid's values on the whole drawn range and beyond stay
    above its floor, so every one is more than the gap away; the identity hits the target."""
    import numpy as np

    from mathcore import activations

    values, display, text = narration("choosing", "reach")
    case = values["regression"]
    sigmoid = activations.get("sigmoid")
    far = sigmoid(np.linspace(-40, 40, 100001))
    assert far.min() >= case["sigmoid_floor"] == 0.0 and far.max() <= 1.0
    assert case["gap"] == case["sigmoid_floor"] - case["target"] == 3.0
    assert np.all(np.abs(far - case["target"]) >= case["gap"])
    assert case["gap"] < case["sigmoid_nearest_drawn"] < case["gap"] + 0.01  # near it at the drawing's edge
    assert case["identity_at_target"] == case["target"]
    for lang in i18n.LANGS:
        for field in ("target", "gap", "sigmoid_floor"):
            assert display[field] in text[lang], (lang, field)


def test_on_the_spiral_the_sigmoid_net_gives_the_plane_to_one_arm_and_the_relu_net_traces_both():
    """"The sigmoid net gives 99.9% of the plane to one arm, so it gets half of the points right. The ReLU
    net traces both arms": the shares of the drawn answers, the accuracies, and each net's answer at the
    spiral's own points (the lattice cell each point falls in) agreeing with its accuracy."""
    import numpy as np

    values, display, text = narration("vanishing", "regions")
    trained = values["trained"]
    points = np.array(trained["spiral"]["points"])
    labels = np.array(trained["spiral"]["labels"])
    size, extent = trained["lattice"]["size"], trained["lattice"]["extent"]
    cells = np.clip(np.rint((points + extent) / (2 * extent) * (size - 1)).astype(int), 0, size - 1)
    for run in ("sigmoid", "relu"):
        answers = np.array(trained["regions"][run])
        at_points = answers[cells[:, 1], cells[:, 0]]
        # The lattice is coarser than the net: near the boundary a cell's answer may differ from the point's.
        assert abs(np.mean(at_points == labels) - trained["accuracy"][run]) < 0.05, run
    assert trained["plane_one_arm"]["sigmoid"] > 0.99 and trained["accuracy"]["sigmoid"] == 0.5
    assert trained["accuracy"]["relu"] == 1.0 and trained["plane_one_arm"]["relu"] < 0.6
    assert display["sigmoid_plane"] == f"{trained['plane_one_arm']['sigmoid']:.1%}"
    for lang in i18n.LANGS:
        assert display["sigmoid_plane"] in text[lang], lang


def test_the_first_layers_nets_are_pushed_below_zero_and_reach_the_lowest_edge():
    """"At the start 50% are at or below zero. After 300 steps 96% of the ReLU net's are, some as low as
    −7.8 ... the Leaky ReLU net's too, 95%": the exact shares (not the histogram's bins, one of which
    straddles zero), rising in both nets, and the lowest edge a net of ReLU's trained first layer."""
    values, display, text = narration("dead-relu", "below")
    below, counts, edges = values["below_zero"], values["histogram"], values["histogram_edges"]
    for run in ("relu", "leaky_relu"):
        assert below[run]["after"] > below[run]["before"]
        # The bins agree with the exact share to within the one bin that straddles zero.
        total = sum(counts[run]["after"])
        straddle = next(k for k, (lo, hi) in enumerate(zip(edges, edges[1:])) if lo <= 0 < hi)
        left = sum(counts[run]["after"][:straddle]) / total
        assert left <= below[run]["after"] <= left + counts[run]["after"][straddle] / total
    assert below["relu"]["before"] == below["leaky_relu"]["before"]  # the same start
    assert counts["relu"]["after"][0] > 0 and display["lowest_net"] == f"{edges[0]:.1f}".replace("-", "−")
    for lang in i18n.LANGS:
        for field in ("below_before", "relu_below_after", "leaky_below_after", "lowest_net", "leaky_slope"):
            assert display[field] in text[lang], (lang, field)


def test_a_few_relu_hinges_already_follow_the_curve_a_line_cannot():
    """"Start with one ramp, and at each bend of the curve add a unit ... 5 units already follow the curve:
    0.0243 against 0.554 for the best straight line": a unit per knot (the left end and each bend), their
    sum through the curve at every knot, its error and the best line's on the same grid."""
    import numpy as np

    from experiments import data
    from mathcore import fit, hinges

    values, display, text = narration("nonlinearity", "hinges")
    built = values["hinges"]
    assert built["knots"][0] == -1.0 and built["knots"][1:] == hinges.bends(data.target, -1.0, 1.0)
    assert display["units"] == str(len(built["knots"]))
    rebuilt = hinges.Hinges(built["offset"], tuple(built["knots"]), tuple(built["changes"]))
    assert np.allclose(rebuilt(np.array(built["knots"])), data.target(np.array(built["knots"])), atol=1e-12)
    grid, target = np.array(values["grid"]), np.array(values["target"])
    assert built["mse"] == pytest.approx(float(np.mean((rebuilt(grid) - target) ** 2)), rel=1e-12)
    assert built["line_mse"] == pytest.approx(fit.line(grid, target)[2], rel=1e-12)
    assert built["mse"] < built["line_mse"] / 10
    for lang in i18n.LANGS:
        for field in ("units", "hinge_mse", "curve_line_mse"):
            assert display[field] in text[lang], (lang, field)


def test_leaky_units_all_keep_a_gradient_and_come_back_by_layer_as_the_table_shows():
    """"Their slope there is 0.01, not zero: every unit still gets a gradient, 1, 24 and 34 come back by
    layer": no Leaky ReLU unit is left without a gradient, the per-layer counts are the run's and the
    verdict table's, and its slope below zero is the activation's own."""
    from mathcore import activations

    values, display, text = narration("dead-relu", "leaky")
    back = values["recovered_units"]["leaky_relu"]
    assert values["no_gradient_share"]["leaky_relu"] == 0.0 and min(back) > 0
    assert display["back_by_layer"]["leaky_relu"] == ", ".join(map(str, back))
    assert float(activations.get("leaky_relu").derivative(-1.0)) == float(display["leaky_slope"])
    for lang in i18n.LANGS:
        for k, n in enumerate(back, start=1):
            assert display[f"leaky_back_{k}"] == str(n) and str(n) in text[lang], (lang, k)
