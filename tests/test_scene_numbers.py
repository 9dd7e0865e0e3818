"""Every number a scene shows comes from mathcore: checked value by value, and no number typed in."""

import ast
import math
import re
from pathlib import Path

import pytest

from content import i18n, registry
from content.numbers import NUMBERS
from content.numbers._common import SATURATION_SHARE
from mathcore.network import ToyNetwork

REPO = Path(__file__).resolve().parent.parent
SCENES_DIR = REPO / "scenes"
DECIMAL = re.compile(r"\d\.\d")


def _strings_shown(path: Path):
    """String constants of a module that can reach the screen (docstrings excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


# The code that draws: every module of scenes/ (the pipeline beside it prints what it likes).
SCENE_CODE = sorted(SCENES_DIR.glob("*.py"))


@pytest.mark.parametrize("path", SCENE_CODE, ids=lambda p: p.name)
def test_no_number_is_typed_into_scene_code(path):
    typed = [(line, text) for line, text in _strings_shown(path) if DECIMAL.search(text)]
    assert typed == [], f"numbers typed into {path.name}: {typed}"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_narration_takes_every_number_from_the_scene(lang):
    for spec in registry.SCENES:
        display = NUMBERS[spec.id](**spec.resolve_params()).display
        for key, template in i18n.narration(spec.id, lang).items():
            for beat, text in (template.items() if isinstance(template, dict) else [(key, template)]):
                assert not DECIMAL.search(text), f"{spec.id}.{beat} has a typed-in number"
                fields = set(re.findall(r"{(\w+)}", text))
                assert fields <= set(display), beat


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_no_number_is_typed_into_the_words_on_screen(lang):
    for section, words in i18n._CATALOGUES[lang].WORDS.items():
        typed = {key: text for key, text in words.items() if DECIMAL.search(text)}
        assert typed == {}, f"numbers typed into the {lang} words of {section}"


def test_every_built_scene_has_narration_and_numbers():
    for spec in list(registry.SCENES):
        assert all(i18n.narration(spec.id, lang) for lang in i18n.LANGS) and spec.id in NUMBERS


def test_neuron_and_forward_numbers_are_the_networks():
    net = ToyNetwork.classic()
    fwd = net.forward()
    neuron = NUMBERS["neuron"]()
    assert neuron["net_h1"] == fwd["net_h1"] and neuron["out_h1"] == fwd["out_h1"]
    assert math.fsum(neuron["terms"].values()) == pytest.approx(fwd["net_h1"], rel=1e-15)
    assert neuron.display["net_h1"] == "0.3775" and neuron.display["w1_i1"] == "0.0075"
    forward = NUMBERS["forward"]()
    for name, value in fwd.items():
        assert forward[name] == value
    assert forward.display["E_total"] == "0.2984" and forward.display["out_o1"] == "0.7514"


def test_backprop_numbers_are_the_chain_rule_factors():
    net = ToyNetwork.classic()
    values = NUMBERS["backprop"]()
    shown = values.display
    (w5_path,) = net.chain("w5").paths
    assert [shown[f"w5_f{i}"] for i in (1, 2, 3)] == ["0.7414", "0.1868", "0.5933"]
    assert [f.value for f in w5_path] == [f["value"] for f in values["chains"]["w5"]["paths"][0]]
    assert values["gradients"] == dict(net.gradients())
    assert values["updated_weights"]["w5"] == net.step().weights["w5"] and shown["w5_new"] == "0.3589"
    via_o1, via_o2 = net.chain("w1").paths
    assert values["dE_dout_h1"] == pytest.approx(0.036350306, abs=5e-10)  # Mazur's dE_total/dout_h1
    assert shown["via_o1"] == "0.05540" and shown["via_o2"] == "-0.01905" and shown["slope_h1"] == "0.2413"
    assert values["dE_dout_h1"] * via_o1[3].value * via_o1[4].value == pytest.approx(net.gradients()["w1"])


def test_exploding_numbers_come_from_mathcore_and_the_training_run():
    import numpy as np

    import experiments as training
    from experiments.cache import floats_array
    from mathcore import flow

    values = NUMBERS["exploding"]()
    result = training.run_cached("exploding")
    run = flow.gradient_flow("relu", values["depth"], values["simulation"]["width"], values["oversized_variance"],
                             batch=values["simulation"]["batch"], seed=values["simulation"]["seed"])
    np.testing.assert_array_equal(values["reach"], np.sqrt(run.backward_second_moment)[::-1])
    # The lecture's claims, measured: factors above 1 compound, the unclipped loss goes NaN within a few
    # steps, clipping keeps it finite, He's init learns.
    assert values["typical_factor"] > 1 and values["reach"][-1] > 100
    assert values["first_nonfinite_step"] is not None and values["first_nonfinite_step"] <= 5
    assert np.isfinite(values["losses"]["oversized+clip"]).all()
    assert values["losses"]["he"][-1] < values["losses"]["he"][0]
    assert values["losses"]["he"] == floats_array(result["runs"]["he"]["loss"]).tolist()
    assert values["first_over_last"]["oversized"] > 100 * values["first_over_last"]["he"]


def test_vanishing_shows_the_gradient_flow_training_run():
    import experiments as training

    trained = NUMBERS["vanishing"](depth=10, activation="sigmoid")["trained"]
    result = training.run_cached("gradient-flow")
    assert trained["grad_norms_first_step"]["sigmoid"] == result["runs"]["sigmoid"]["grad_norms"][0]
    assert trained["first_over_last"]["sigmoid"] < 1e-3 < trained["first_over_last"]["relu"]
    assert trained["first_layer_change"]["sigmoid"] < 1e-4 < trained["first_layer_change"]["relu"]


def test_choosing_states_the_registrys_facts():
    from mathcore import activations, flow

    values = NUMBERS["choosing"]()
    assert values["sigmoid_slope_bound"] == flow.derivative_bound("sigmoid")
    assert values["relu_slope_positive"] == float(activations.get("relu").derivative(1.0)) == 1.0
    assert values["ranges"]["sigmoid"] == activations.get("sigmoid").range_latex
    assert activations.get("identity").range == (-math.inf, math.inf)


def test_nonlinearity_multiplies_out_the_layers_and_shows_the_training_run():
    import numpy as np

    import experiments as training
    from content.numbers import nonlinearity as values_module
    from experiments.cache import floats_array

    values = NUMBERS["nonlinearity"]()
    w1, b1 = np.array(values_module.COLLAPSE_W1), np.array(values_module.COLLAPSE_B1)
    w2, b2 = np.array(values_module.COLLAPSE_W2), np.array(values_module.COLLAPSE_B2)
    assert values["W"] == (w2 @ w1).tolist() and values["b"] == (w2 @ b1 + b2).tolist()
    # The lecture's claim: two linear layers are one, on the shown input and on any other.
    assert values["y_two_layers"] == values["y_one_layer"]
    for x in np.random.default_rng(0).normal(size=(20, 2)):
        np.testing.assert_allclose(w2 @ (w1 @ x + b1) + b2, np.array(values["W"]) @ x + values["b"], rtol=1e-12)
    shown = values.display
    assert shown["W_text"] == "(4, 9)" and shown["b_text"] == "6" and shown["y_one"] == shown["y_two"] == "28"

    result = training.run_cached("nonlinearity")
    for name, run in result["runs"].items():
        assert values["mse"][name] == run["mse"]
        assert values["predictions"][name] == [floats_array(p).tolist() for p in run["predictions"]]
    assert values["checkpoints"] == result["checkpoints"] and values["train_y"] == floats_array(result["train_y"]).tolist()
    # Without an activation the fit is a straight line at every checkpoint, and no better than the best
    # line through the points; tanh and ReLU bend and fit far better.
    for prediction in values["predictions"]["identity"]:
        assert np.abs(np.diff(prediction, 2)).max() < 1e-5
    assert values["mse"]["identity"] == pytest.approx(values["line_mse"], rel=1e-4)
    for name in ("tanh", "relu"):
        assert np.abs(np.diff(values["predictions"][name][-1], 2)).max() > 1e-2
        assert values["mse"][name] < values["mse"]["identity"] / 100
    assert shown["mse_identity"] == shown["line_mse"] == "0.573" and shown["ratio"] == "233"
    low, high = values["y_limits"]
    assert all(low <= y <= high for p in values["predictions"].values() for y in np.ravel(p))


def test_dead_relu_numbers_come_from_mathcore_and_the_training_run():
    import numpy as np

    import experiments as training
    from content.numbers import dead_relu as values_module
    from mathcore import activations, deadzone

    values = NUMBERS["dead-relu"]()
    relu = activations.get("relu")
    assert values["relu_formula"] == relu.formula
    # ReLU: output 0 and slope 0 where the dead unit's pre-activations lie, slope 1 on the other side.
    z = np.array(values["dead_unit_z"])
    assert (z < 0).all() and (relu(z) == 0).all() and (relu.derivative(z) == 0).all()
    assert values["relu_slope_negative"] == 0.0 and values["relu_slope_positive"] == 1.0
    assert values["leaky_slope"] == activations.get("leaky_relu").params["negative_slope"] > 0

    result = training.run_cached("dead-relu")
    runs = result["runs"]
    for name in ("relu", "leaky_relu"):
        assert values["dead_share"][name] == [float(np.mean(s)) for s in runs[name]["dead_share"]]
        assert values["accuracy"][name] == runs[name]["accuracy"]
    relu_share = values["dead_share"]["relu"]
    # The lecture's claims, measured on the published run: few dead units at the start; the too-hot run
    # kills most ReLU units and most get no gradient at all; a first-layer unit (fixed data as input)
    # never comes back. Leaky ReLU units all keep a gradient, some come back, and the Leaky net does better.
    # (How many die and how well the ReLU net does varies with the seed and the CPU: the narration says
    # only what these checks hold.)
    assert relu_share[0] < 0.1 and relu_share[-1] > 0.8
    assert values["no_gradient_share"]["relu"] > 0.8 and values["no_gradient_share"]["leaky_relu"] == 0.0
    assert values["recovered_units"]["relu"][0] == 0 and sum(values["recovered_units"]["leaky_relu"]) > 0
    assert values["accuracy"]["relu"] < values["accuracy"]["leaky_relu"]
    shown = values.display
    assert shown["relu_dead"] == f"{relu_share[-1]:.0%}" and shown["start_dead"] == f"{relu_share[0]:.0%}"

    for row in values["born_dead"]:
        assert row["probability"] == deadzone.born_dead_probability(
            row["width"], values_module.BORN_DEAD_DEPTH, values_module.BORN_DEAD_TRIALS, values_module.BORN_DEAD_SEED)
    probabilities = [row["probability"] for row in values["born_dead"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert probabilities[0] > 0.5 and probabilities[-1] < 0.01


# --- the activations gallery and softmax -----------------------------------------------------------

def test_gallery_shows_exactly_the_selected_registry_activations():
    from mathcore import activations, flow

    spec = registry.get("activations")
    default = spec.resolve_params()["only"]
    for only in (default, "relu,gelu", ",".join(activations.names())):
        values = spec.numbers(only=only)
        assert values["names"] == only.split(",") == list(values["gallery"]) == list(values.display["each"])
        for name, entry in values["gallery"].items():
            act = activations.get(name)
            assert (entry["title"], entry["formula"], entry["derivative_formula"], entry["range_latex"],
                    entry["used_for"]) == (act.title, act.formula, act.derivative_formula, act.range_latex,
                                           act.used_for)
            assert entry["peak_slope"] == flow.derivative_bound(name)
    # One curve, one use and one slope-region beat per shown activation, in order; a one-line answer.
    beats = [key for key, _ in spec.narration(only="relu,gelu")]
    assert beats == ["question", "legend", "curve:relu", "dead:relu", "use:relu",
                     "curve:gelu", "saturated:gelu", "use:gelu", "answer"]


def test_gallery_regions_are_the_registry_slopes():
    import numpy as np

    from content.numbers import gallery as values_module
    from mathcore import activations, flow

    values = NUMBERS["activations"](only="sigmoid,tanh,relu,leaky_relu,elu,gelu,silu")
    kinds = {name: {r["kind"] for r in entry["regions"]} for name, entry in values["gallery"].items()}
    assert kinds == {"sigmoid": {"saturated"}, "tanh": {"saturated"}, "relu": {"dead"}, "leaky_relu": {"small"},
                     "elu": {"saturated"}, "gelu": {"saturated"}, "silu": {"saturated"}}
    for name, entry in values["gallery"].items():
        act, peak = activations.get(name), flow.derivative_bound(name)
        for region in entry["regions"]:
            xs = np.linspace(region["from"], region["to"], 501)
            slope = np.abs(act.derivative(xs))
            if region["kind"] == "dead":
                assert (slope == 0).all(), name
            else:
                assert (slope < SATURATION_SHARE * peak).all() and (slope > 0).all(), name
    # ReLU is dead exactly on x <= 0; sigmoid saturates symmetrically where vanishing says it does.
    (dead,) = values["gallery"]["relu"]["regions"]
    assert (dead["from"], dead["to"]) == (values_module.GALLERY_X[0], 0.0)
    sigmoid_edge = values["gallery"]["sigmoid"]["regions"][1]["from"]
    assert sigmoid_edge == pytest.approx(NUMBERS["vanishing"](depth=2, activation="sigmoid")["saturation_x"],
                                         abs=1e-3)
    shown = values.display["each"]
    assert shown["sigmoid"]["peak"] == "0.25" and shown["sigmoid"]["saturated_where"] == "|x| > 3.6"
    assert shown["relu"]["dead_where"] == "x < 0" and shown["leaky_relu"]["small_slope"] == "0.01"


@pytest.mark.parametrize(("raw", "expected"), [
    ("relux", "--only has an unknown activation 'relux' (did you mean 'relu'?); choose from: identity"),
    ("relu,,", None), (" , ", "--only needs at least one activation"), ("relu, gelu,relu", None),
])
def test_only_is_validated(raw, expected):
    spec = registry.get("activations")
    if expected is None:
        assert spec.resolve_params({"only": raw})["only"] in ("relu", "relu,gelu")
        return
    with pytest.raises(ValueError) as err:
        spec.resolve_params({"only": raw})
    assert str(err.value).startswith(expected) and "\n" not in str(err.value)


def test_only_reaches_the_cli():
    import subprocess
    import sys

    cli = [sys.executable, str(REPO / "cli.py")]
    run = subprocess.run([*cli, "render", "--help"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "--only" in run.stdout
    run = subprocess.run([*cli, "explain", "activations", "--only", "relu,gelu"], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert "parameters: only=relu,gelu" in run.stdout and "[dead:relu]" in run.stdout
    run = subprocess.run([*cli, "render", "activations", "--only", "relu,nope"], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2 and run.stderr.strip().splitlines() == [
        f"error: --only has an unknown activation 'nope'; choose from: {', '.join(registry.activations.names())}"]


def test_softmax_numbers_are_mathcores_and_keep_their_promises():
    import numpy as np

    from content.numbers import softmax as values_module
    from mathcore import activations

    values = NUMBERS["softmax"]()
    z = np.array(values_module.SOFTMAX_LOGITS)
    assert values["probs"] == activations.softmax(z).tolist()
    np.testing.assert_allclose(np.array(values["exps"]) / values["exp_sum"], values["probs"], rtol=1e-15)
    assert values["prob_sum"] == pytest.approx(1.0, abs=1e-15)
    for key, t in values_module.SOFTMAX_TEMPERATURES.items():
        assert values["probs_at"][key] == activations.softmax(z, temperature=t).tolist()
        assert sum(values["probs_at"][key]) == pytest.approx(1.0, abs=1e-15)
    # A low temperature sharpens, a high one flattens; the order of the classes never changes.
    at = values["probs_at"]
    assert at["low"][0] > at["base"][0] > at["high"][0] > 1 / len(z)
    assert all(np.argsort(p).tolist() == np.argsort(z).tolist() for p in at.values())
    # Two classes: softmax([a, b])[0] is the sigmoid of a - b.
    a, b = values_module.SOFTMAX_PAIR
    assert values["pair_probs"][0] == pytest.approx(float(activations.get("sigmoid")(a - b)), rel=1e-14)
    assert values.display["two_p"] == values.display["two_sigmoid"]
    # The Jacobian is diag(p) - p p^T: symmetric, every row summing to zero.
    jacobian = np.array(values["jacobian"])
    np.testing.assert_array_equal(jacobian, activations.softmax_jacobian(z))
    p = np.array(values["probs"])
    np.testing.assert_allclose(jacobian, np.diag(p) - np.outer(p, p), atol=1e-16)
    np.testing.assert_allclose(jacobian, jacobian.T)
    np.testing.assert_allclose(values["jacobian_row_sums"], 0, atol=1e-15)
    shown = values.display
    assert (shown["p1"], shown["p_sum"], shown["top_low"], shown["top_high"]) == ("0.659", "1", "0.864", "0.400")
    assert len(shown["jacobian"]) == 3 and all(len(row) == 3 for row in shown["jacobian"])


def _numbers_shown(value):
    """Every display string that is a plain number (decimal, or m × 10ⁿ as text or LaTeX), as (string, float)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers_shown(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _numbers_shown(item)
    elif isinstance(value, str):
        plain = value.replace("−", "-").replace(r" \times 10^{", "e").replace("}", "").replace(" × 10", "e")
        plain = plain.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))
        if re.fullmatch(r"-?\d+\.\d+(e-?\d+)?", plain):
            yield value, float(plain)


def _raw_floats(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _raw_floats(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _raw_floats(item)
    elif isinstance(value, float) and math.isfinite(value) and value != 0 and not value.is_integer():
        yield value


def test_a_quantity_shows_the_same_digits_in_every_scene():
    """One precision per quantity: dE/dw5 may not read 0.0822 in one scene and 0.08217 in another."""
    shown, raw = set(), set()
    for spec in registry.SCENES:
        numbers = spec.numbers()
        shown |= set(_numbers_shown(numbers.display))
        raw |= set(_raw_floats(numbers.values))
    by_quantity = {}
    for string, number in shown:
        mantissa = re.split(r"e|×|\\times", string.replace("−", "-"))[0]
        digits = len(re.sub(r"[^0-9]", "", mantissa).lstrip("0"))
        if digits < 3:
            continue
        half_step = 0.5 * 10 ** (math.floor(math.log10(abs(number))) - digits + 1) * (1 + 1e-9)
        candidates = {q for q in raw if abs(q - number) <= half_step}
        if len(candidates) == 1:  # a string that could be the rounding of two quantities proves nothing
            by_quantity.setdefault(candidates.pop(), set()).add(digits)
    clashes = {q: sorted(digits) for q, digits in by_quantity.items() if len(digits) > 1}
    assert not clashes, f"quantities shown with several numbers of digits: {clashes}"
