"""Every number a scene shows comes from mathcore: checked value by value, and no number typed in."""

import ast
import math
import re
from pathlib import Path

import pytest

import scenes
from mathcore.network import ToyNetwork
from scenes.narration import NARRATION
from scenes.values import NUMBERS

SCENES_DIR = Path(scenes.__file__).parent
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


SCENE_CODE = sorted(p for p in SCENES_DIR.glob("*.py") if p.name not in {"values.py", "format.py", "render.py"})


@pytest.mark.parametrize("path", SCENE_CODE, ids=lambda p: p.name)
def test_no_number_is_typed_into_scene_code(path):
    typed = [(line, text) for line, text in _strings_shown(path) if DECIMAL.search(text)]
    assert typed == [], f"numbers typed into {path.name}: {typed}"


def test_narration_takes_every_number_from_the_scene():
    for scene_id, beats in NARRATION.items():
        for key, template in beats.items():
            assert not DECIMAL.search(template), f"{scene_id}.{key} has a typed-in number"
            fields = set(re.findall(r"{(\w+)}", template))
            assert fields <= set(NUMBERS[scene_id](**scenes.get(scene_id).resolve_params())["display"]), key


def test_every_built_scene_has_narration_and_numbers():
    for spec in scenes.built():
        assert spec.id in NARRATION and spec.id in NUMBERS


def test_neuron_and_forward_numbers_are_the_networks():
    net = ToyNetwork.classic()
    fwd = net.forward()
    neuron = NUMBERS["neuron"]()
    assert neuron["net_h1"] == fwd["net_h1"] and neuron["out_h1"] == fwd["out_h1"]
    assert math.fsum(neuron["terms"].values()) == pytest.approx(fwd["net_h1"], rel=1e-15)
    assert neuron["display"]["net_h1"] == "0.3775" and neuron["display"]["w1_i1"] == "0.0075"
    forward = NUMBERS["forward"]()
    for name, value in fwd.items():
        assert forward[name] == value
    assert forward["display"]["E_total"] == "0.2984" and forward["display"]["out_o1"] == "0.7514"


def test_backprop_numbers_are_the_chain_rule_factors():
    net = ToyNetwork.classic()
    values = NUMBERS["backprop"]()
    shown = values["display"]
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

    from mathcore import flow, training
    from mathcore.results import floats_array

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
    from mathcore import training

    trained = NUMBERS["vanishing"](depth=10, activation="sigmoid")["trained"]
    result = training.run_cached("gradient-flow")
    assert trained["grad_norms_first_step"]["sigmoid"] == result["runs"]["sigmoid"]["grad_norms"][0]
    assert trained["first_over_last"]["sigmoid"] < 1e-3 < trained["first_over_last"]["relu"]
    assert trained["first_layer_change"]["sigmoid"] < 1e-4 < trained["first_layer_change"]["relu"]
