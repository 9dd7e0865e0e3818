"""The CLI run as a user runs it: a subprocess, its output and its exit code."""

import json

import pytest
from helpers import cli

from content import registry
from mathcore.network import ToyNetwork


def test_list_shows_every_storyboard_scene_in_order():
    run = cli("list")
    assert run.returncode == 0
    lines = run.stdout.strip().splitlines()
    assert [line.split()[0] for line in lines] == registry.ids()
    for line, spec in zip(lines, registry.SCENES):
        assert spec.title in line


def test_explain_backprop_json_carries_the_forward_values_under_the_article_names():
    run = cli("explain", "backprop", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    forward = ToyNetwork.classic().forward()
    for name, value in forward.items():
        assert data["numbers"][name] == value
    assert data["numbers"]["gradients"]["w5"] == ToyNetwork.classic().gradients()["w5"]
    assert data["numbers"]["chains"]["w1"]["value"] == ToyNetwork.classic().gradients()["w1"]
    # The beat timeline of the clip, found without rendering: every beat in order, back to back.
    beats = data["timeline"]["beats"]
    assert [beat["key"] for beat in beats] == [item["beat"] for item in data["narration"]]
    assert all(a["end"] <= b["start"] + 1e-9 for a, b in zip(beats, beats[1:]))
    assert beats[-1]["end"] <= data["timeline"]["duration"] and beats[0]["narration"]["zh"]


def test_explain_vanishing_prints_numbers_and_narration():
    run = cli("explain", "vanishing", "--depth", "6")
    assert run.returncode == 0, run.stderr
    assert "sigmoid_peak = 0.25" in run.stdout
    assert "narration:" in run.stdout and "[answer]" in run.stdout
    data = json.loads(cli("explain", "vanishing", "--json", "--no-timeline", "--activation", "tanh", "--depth",
                          "6").stdout)
    assert data["params"] == {"depth": 6, "activation": "tanh"} and len(data["numbers"]["reach"]) == 6


def test_help_lists_scene_parameters_with_an_example():
    run = cli("render", "--help")
    assert run.returncode == 0
    assert "--depth" in run.stdout and "--activation" in run.stdout and "Example:" in run.stdout


@pytest.mark.parametrize(("args", "expected"), [
    (["render", "vanishng"], "did you mean 'vanishing'"),
    (["render", "nope"], "choose from: neuron"),
    (["render", "vanishing", "--dpeth", "3"], "Did you mean '--depth'"),
    (["render", "vanishing", "--depth", "0"], "--depth must be between 2 and 30"),
    (["render", "vanishing", "--depth", "x"], "'x' is not a valid integer"),
    (["render", "vanishing", "--activation", "relux"], "relux"),
    (["render", "vanishing", "-q", "z"], "'z' is not one of"),
    (["render"], "Missing argument"),
    (["explain", "vanishng"], "did you mean 'vanishing'"),
    (["explain", "backprop", "--depth", "4"], "--depth does not apply to backprop"),
    (["frobnicate"], "No such command"),
    (["train", "explodin"], "did you mean 'exploding'"),
    (["train", "--device", "cuda"], "CUDA is not available"),
    (["train", "--device", "tpu"], "'tpu' is not one of"),
    (["train", "--seed", "-1"], "-1 is not in the range"),
    (["train", "--size", "huge"], "'huge' is not one of"),
])
def test_bad_input_is_one_line_and_exit_2(args, expected):
    run = cli(*args)
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: ") and expected in lines[0]
    assert "Traceback" not in run.stderr


def test_output_folder_that_is_a_file_is_refused_and_left_alone(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me")
    run = cli("render", "vanishing", "-o", str(blocker / "sub"))
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1
    assert "is not a folder" in run.stderr
    assert blocker.read_text() == "keep me"


def test_train_runs_caches_and_summarises():
    run = cli("train", "exploding", "dead-relu", "--size", "small")
    assert run.returncode == 0, run.stderr
    assert "[1/2] exploding" in run.stderr and "[2/2] dead-relu" in run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["experiment", "device", "time"]
    assert lines[1].split()[:2] == ["exploding", "cpu"] and "oversized nan" in lines[2]
    assert "unclipped loss non-finite at step = " in lines[3]
    assert any(line.split()[:2] == ["dead-relu", "cpu"] for line in lines)
