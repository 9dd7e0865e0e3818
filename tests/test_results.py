"""The results cache: hits, misses, corrupt entries, atomic writes, and no torch on import."""

import dataclasses
import json
import subprocess
import sys
import warnings

import numpy as np
import pytest

import experiments as training
from experiments import cache as results
from experiments.cache import ResultsCache

NAME = "dead-relu"  # the quickest experiment at size small


@pytest.fixture
def cache(tmp_path):
    return ResultsCache(tmp_path / "results")


@pytest.fixture
def runs(monkeypatch):
    """Records every real Experiment.run call, letting it through."""
    calls = []
    real = training.Experiment.run

    def spy(self, config, progress=None):
        calls.append((self.name, dict(config)))
        return real(self, config, progress)

    monkeypatch.setattr(training.Experiment, "run", spy)
    return calls


def entries(cache):
    return sorted(p.name for p in cache.root.iterdir())


def test_second_call_is_a_hit(cache, runs):
    first = training.run_cached(NAME, "small", device="cpu", cache=cache)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        second = training.run_cached(NAME, "small", device="cpu", cache=cache)
    assert len(runs) == 1
    assert second == first  # every float survives the JSON round trip exactly
    assert len(entries(cache)) == 1 and entries(cache)[0].startswith(f"{NAME}-")


def test_force_reruns(cache, runs):
    training.run_cached(NAME, "small", device="cpu", cache=cache)
    training.run_cached(NAME, "small", device="cpu", cache=cache, force=True)
    assert len(runs) == 2 and len(entries(cache)) == 1


def test_other_seed_or_size_is_a_miss_with_its_own_entry(cache, runs, monkeypatch):
    training.run_cached(NAME, "small", seed=0, device="cpu", cache=cache)
    training.run_cached(NAME, "small", seed=1, device="cpu", cache=cache)
    # The default size, with its steps cut so the test stays quick: only the key matters here.
    exp = training.EXPERIMENTS[NAME]
    quick = dataclasses.replace(exp, sizes={**exp.sizes, "default": {**exp.sizes["default"], "steps": 10}})
    monkeypatch.setitem(training.EXPERIMENTS, NAME, quick)
    training.run_cached(NAME, "default", seed=0, device="cpu", cache=cache)
    assert [c["seed"] for _, c in runs] == [0, 1, 0] and runs[2][1]["size"] == "default"
    assert len(entries(cache)) == 3


def test_key_covers_device_config_and_code_version(cache):
    cfg = {"size": "small", "seed": 0, "device": "cpu", "lr": 0.1}
    key = cache.key(NAME, cfg, "v1")
    assert cache.key(NAME, dict(reversed(list(cfg.items()))), "v1") == key  # key order is irrelevant
    assert cache.key(NAME, {**cfg, "device": "cuda"}, "v1") != key
    assert cache.key(NAME, {**cfg, "lr": 0.2}, "v1") != key
    assert cache.key(NAME, cfg, "v2") != key
    assert cache.key("exploding", cfg, "v1") != key
    with pytest.raises(ValueError):
        cache.key("../evil", cfg, "v1")


@pytest.mark.parametrize("garbage", [
    "{not json",
    "",
    "[1, 2, 3]",
    json.dumps({"schema": 999}),
])
def test_corrupt_entry_warns_is_recomputed_and_repaired(cache, runs, garbage):
    first = training.run_cached(NAME, "small", device="cpu", cache=cache)
    (path,) = cache.root.iterdir()
    path.write_text(garbage)
    with pytest.warns(UserWarning, match=path.name):
        again = training.run_cached(NAME, "small", device="cpu", cache=cache)
    assert len(runs) == 2
    assert {k: v for k, v in again.items() if k != "wall_time_s"} == \
        {k: v for k, v in first.items() if k != "wall_time_s"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert training.run_cached(NAME, "small", device="cpu", cache=cache) == again  # repaired
    assert len(runs) == 2


def test_entry_filed_under_another_key_is_rejected(cache):
    cfg_a = {"size": "small", "seed": 0, "device": "cpu"}
    cfg_b = {**cfg_a, "seed": 1}
    cache.put(NAME, cfg_a, "v1", {"x": 1})
    # Copy a's entry into b's file name: valid JSON, but it answers a different question.
    cache.path(NAME, cfg_b, "v1").write_bytes(cache.path(NAME, cfg_a, "v1").read_bytes())
    with pytest.warns(UserWarning, match="does not match"):
        assert cache.get(NAME, cfg_b, "v1") is None
    assert cache.get(NAME, cfg_a, "v1") == {"x": 1}


def test_missing_entry_is_a_silent_miss(cache):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cache.get(NAME, {"seed": 0}, "v1") is None


def test_write_is_atomic_and_leaves_no_temporary_files(cache, monkeypatch):
    cfg = {"size": "small", "seed": 0, "device": "cpu"}
    path = cache.put(NAME, cfg, "v1", {"loss": [1.0, results.json_float(float("nan"))]})
    assert entries(cache) == [path.name]
    assert cache.get(NAME, cfg, "v1") == {"loss": [1.0, "nan"]}

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(results.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        cache.put(NAME, cfg, "v1", {"loss": [2.0]})
    assert entries(cache) == [path.name]  # the temporary file is gone ...
    assert cache.get(NAME, cfg, "v1") == {"loss": [1.0, "nan"]}  # ... and the old entry intact


def test_non_finite_floats_are_refused_before_touching_disk(cache):
    with pytest.raises(ValueError):
        cache.put(NAME, {"seed": 0}, "v1", {"loss": [float("nan")]})
    assert not cache.root.exists() or entries(cache) == []


def test_json_float_round_trip():
    values = [0.5, -2.0, float("nan"), float("inf"), float("-inf")]
    encoded = [results.json_float(v) for v in values]
    assert encoded == [0.5, -2.0, "nan", "inf", "-inf"]
    back = results.floats_array(json.loads(json.dumps(encoded, allow_nan=False)))
    np.testing.assert_array_equal(back, np.array(values))


def test_default_root_is_the_media_cache(monkeypatch):
    monkeypatch.delenv(results.ROOT_VARIABLE, raising=False)
    assert ResultsCache().root == results.DEFAULT_ROOT
    assert results.DEFAULT_ROOT.parts[-3:] == ("media", ".cache", "results")
    assert (results.DEFAULT_ROOT.parents[2] / "experiments" / "cache.py").exists()


def test_unknown_experiment():
    with pytest.raises(ValueError, match="unknown experiment"):
        training.run_cached("vanishing")


@pytest.mark.parametrize("module", ["experiments.cache", "experiments"])
def test_importing_does_not_import_torch(module):
    code = f"import sys, {module}; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False"]


def test_the_published_results_are_current():
    """The lecture's numbers come from experiments/published: when an experiment or a mathcore module it uses
    changes, this fails until `python cli.py train --force --publish` measures them again."""
    import experiments as training

    cache = ResultsCache()
    for name, experiment in training.EXPERIMENTS.items():
        config = experiment.config("default", 0, "cpu")
        assert cache.published(name, config, training.result_version(name)) is not None, (
            f"{name}: the published result is missing or stale; run `python cli.py train --force --publish`")
    names = sorted(p.name.rsplit("-", 1)[0] for p in results.PUBLISHED_ROOT.glob("*.json"))
    assert names == sorted(training.EXPERIMENTS), "experiments/published holds a result no experiment reads"
