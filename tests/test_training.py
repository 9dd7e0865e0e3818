"""The trained examples at size "small": the lecture's claims hold on real training, reproducibly."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

import experiments as training
from experiments.cache import floats_array
from mathcore import flow

NAMES = ["gradient-flow", "exploding", "dead-relu", "nonlinearity"]
PROVENANCE = {"experiment", "config", "seed", "device", "torch_version", "wall_time_s", "code_version"}


@pytest.fixture(scope="module")
def results():
    """Each experiment once at size small, seed 0, on the CPU (about 2 s for all four)."""
    return {name: training.EXPERIMENTS[name].run(training.EXPERIMENTS[name].config("small", 0, "cpu"))
            for name in NAMES}


def without_wall_time(result):
    return {k: v for k, v in result.items() if k != "wall_time_s"}


# --- the registry ---------------------------------------------------------------------------------

def test_experiments_in_lecture_order():
    assert list(training.EXPERIMENTS) == NAMES
    for name, exp in training.EXPERIMENTS.items():
        assert exp.name == name and exp.summary
        assert set(exp.sizes) == set(training.SIZES)


@pytest.mark.parametrize("name", NAMES)
def test_result_has_provenance_and_is_strict_json(results, name):
    result = results[name]
    assert PROVENANCE <= set(result)
    assert result["experiment"] == name and result["device"] == "cpu" and result["seed"] == 0
    assert result["torch_version"] == torch.__version__
    assert result["code_version"] == training.EXPERIMENTS[name].code_version
    assert result["config"] == training.EXPERIMENTS[name].config("small", 0, "cpu")
    assert json.loads(json.dumps(result, allow_nan=False)) == result  # no NaN/inf, survives a round trip


@pytest.mark.parametrize("name", NAMES)
def test_headline_is_one_or_two_plain_numbers(results, name):
    headline = training.EXPERIMENTS[name].headline(results[name])
    assert 1 <= len(headline) <= 2
    assert all(isinstance(k, str) and isinstance(v, (int, float, str)) for k, v in headline.items())


# --- the lecture's claims -------------------------------------------------------------------------

def test_sigmoid_first_layer_gets_orders_of_magnitude_less_gradient(results):
    result = results["gradient-flow"]
    cfg = result["config"]
    assert result["checkpoints"][0] == 0 and result["checkpoints"][-1] == cfg["steps"]
    assert len(result["layers"]) == cfg["depth"] + 1  # hidden layers and the output layer
    for activation, run in result["runs"].items():
        assert run["init"] == flow.recommended_init(activation)
        assert len(run["loss"]) == cfg["steps"] + 1
        assert len(run["grad_norms"]) == len(result["checkpoints"])
    sigmoid, relu = result["runs"]["sigmoid"], result["runs"]["relu"]
    first, last = sigmoid["grad_norms"][0][0], sigmoid["grad_norms"][0][-1]
    assert first < last / 100
    assert first / last < 1e-3 * relu["grad_norms"][0][0] / relu["grad_norms"][0][-1]
    # ... and so sigmoid's first layer barely moves while relu's does.
    assert sigmoid["relative_weight_change"][0] < 1e-4 < relu["relative_weight_change"][0]
    headline = training.EXPERIMENTS["gradient-flow"].headline(result)
    assert headline["sigmoid first/last layer grad ratio"] == pytest.approx(first / last)


def test_oversized_init_explodes_clipping_and_he_do_not(results):
    result = results["exploding"]
    over, clipped, he = (result["runs"][k] for k in ("oversized", "oversized+clip", "he"))
    # The gradient arriving at each layer grows on the way down: output layer last, input layer first.
    signal = np.log(over["signal_grad_norms"])
    assert signal[0] - signal[-1] > math.log(100)
    assert np.polyfit(result["layers"], signal, 1)[0] < 0
    assert np.mean(np.diff(signal) < 0) > 0.8  # nearly every layer down multiplies it up
    # Unclipped SGD goes non-finite within a few steps, and the curve says so in JSON-safe strings.
    step = over["first_nonfinite_step"]
    assert step is not None and 1 <= step <= 5
    assert over["loss"][step] in ("nan", "inf") and all(isinstance(v, float) for v in over["loss"][:step])
    assert not np.isfinite(floats_array(over["loss"])[step])
    for run in (clipped, he):
        assert run["first_nonfinite_step"] is None and np.all(np.isfinite(floats_array(run["loss"])))
    assert he["loss"][-1] < he["loss"][0] / 2  # the sane init learns
    assert clipped["loss"][-1] < clipped["loss"][0]
    assert training.EXPERIMENTS["exploding"].headline(result)["unclipped loss non-finite at step"] == step


def test_too_large_learning_rate_kills_relu_units_but_leaky_units_keep_a_gradient(results):
    result = results["dead-relu"]
    relu, leaky = result["runs"]["relu"], result["runs"]["leaky_relu"]
    start, end = np.mean(relu["dead_share"][0]), np.mean(relu["dead_share"][-1])
    assert end > 0.3 and end > start + 0.2
    # A dead ReLU unit gets exactly zero gradient; a leaky one in its negative regime still gets some.
    assert all(g >= d for g, d in zip(relu["no_gradient_share"], relu["dead_share"][-1]))
    assert leaky["no_gradient_share"] == [0.0] * len(result["layers"])
    # With plain SGD a first-layer ReLU unit, once dead, never changes again: its input is fixed data.
    assert relu["recovered_units"][0] == 0
    assert sum(leaky["recovered_units"]) > 0
    hist = result["first_layer_histogram"]
    assert len(hist["bin_edges"]) == result["config"]["bins"] + 1
    n = result["config"]["points"] * result["config"]["hidden"][0]
    for counts in hist["counts"].values():
        assert set(counts) == {"before", "after"}
        assert all(len(c) == result["config"]["bins"] and sum(c) == n for c in counts.values())


def test_without_an_activation_the_fit_stays_a_straight_line(results):
    result = results["nonlinearity"]
    grid = np.array(result["grid"])
    assert len(grid) == 100 and result["checkpoints"][0] == 0 and len(result["checkpoints"]) == 6
    for activation, run in result["runs"].items():
        assert len(run["predictions"]) == 6 and all(len(p) == 100 for p in run["predictions"])
    for pred in result["runs"]["identity"]["predictions"]:
        pred = np.array(pred)
        residual = pred - np.polyval(np.polyfit(grid, pred, 1), grid)
        assert np.max(np.abs(residual)) <= 1e-5 * np.max(np.abs(pred))
    final = np.array(result["runs"]["relu"]["predictions"][-1])
    assert np.max(np.abs(final - np.polyval(np.polyfit(grid, final, 1), grid))) > 0.3  # relu does bend
    mse = {a: r["mse"] for a, r in result["runs"].items()}
    assert mse["identity"] > 5 * mse["tanh"] and mse["identity"] > 5 * mse["relu"]


# --- determinism ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_bits_other_seed_other_result(results, name):
    exp = training.EXPERIMENTS[name]
    again = exp.run(exp.config("small", 0, "cpu"))
    assert without_wall_time(again) == without_wall_time(results[name])
    other = exp.run(exp.config("small", 1, "cpu"))
    assert other["runs"] != results[name]["runs"]


def test_run_restores_torch_settings():
    threads = torch.get_num_threads()
    torch.use_deterministic_algorithms(False)
    exp = training.EXPERIMENTS["dead-relu"]
    cfg = exp.config("small", 0, "cpu")
    cfg["steps"] = 2
    exp.run(cfg)
    assert not torch.are_deterministic_algorithms_enabled()
    assert torch.get_num_threads() == threads


def test_progress_counts_every_step_up_to_the_total():
    exp = training.EXPERIMENTS["nonlinearity"]
    cfg = exp.config("small", 0, "cpu")
    cfg["steps"] = 5
    calls = []
    exp.run(cfg, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, 15) for i in range(16)]  # three activations, five steps each


# --- devices and configs --------------------------------------------------------------------------

def test_auto_and_cpu_devices():
    assert training.resolve_device("cpu") == "cpu"
    assert training.resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_cuda_is_a_one_line_error():
    with pytest.raises(ValueError, match=r"^--device cuda: CUDA is not available on this machine \(torch ") as err:
        training.resolve_device("cuda")
    assert "\n" not in str(err.value) and torch.__version__ in str(err.value)
    with pytest.raises(ValueError, match="CUDA is not available"):
        training.EXPERIMENTS["exploding"].config("small", 0, "cuda")


@pytest.mark.parametrize("device", ["tpu", "CPU", "", "cuda:0", None])
def test_unknown_device(device):
    with pytest.raises(ValueError, match="unknown device"):
        training.resolve_device(device)


def test_bad_size_seed_or_config():
    exp = training.EXPERIMENTS["nonlinearity"]
    with pytest.raises(ValueError, match="unknown size"):
        exp.config("huge")
    for seed in (-1, 1.5, True, "0"):
        with pytest.raises(ValueError, match="seed"):
            exp.config("small", seed)
    cfg = exp.config("small", 0, "cpu")
    del cfg["lr"]
    with pytest.raises(ValueError, match="config keys"):
        exp.run(cfg)


def test_code_version_follows_the_code_each_experiment_uses(tmp_path):
    import dataclasses

    versions = {name: exp.code_version for name, exp in training.EXPERIMENTS.items()}
    assert len(set(versions.values())) == 4
    exploding = training.EXPERIMENTS["exploding"]
    source = Path(exploding.module).read_text(encoding="utf-8")

    def version_of(text: str) -> str:
        copy = tmp_path / "exploding.py"
        copy.write_text(text, encoding="utf-8")
        return dataclasses.replace(exploding, module=copy).code_version

    # What a module says about itself does not make results stale; what it does, does.
    assert version_of(source + "\n# a note\n") == versions["exploding"]
    assert version_of(source.replace('"""The `exploding` experiment', '"""The exploding gradients experiment', 1)) \
        == versions["exploding"]
    assert version_of(source.replace("lr=cfg[\"lr\"]", "lr=2 * cfg[\"lr\"]")) != versions["exploding"]
    from experiments import runner

    assert {path.name for path in runner.SHARED_CODE} == {"runner.py", "data.py", "nets.py", "activations.py",
                                                          "flow.py", "deadzone.py"}