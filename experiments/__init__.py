"""The lecture's claims, shown on real (small) training runs, with PyTorch (CUDA where there is one).

Four experiments, one module each (gradient_flow, exploding, dead_relu, nonlinearity): a function of a
plain-dict config that returns a JSON-able dict, its sizes and its headline numbers. Results are cached
(cache.py) under a key of the experiment, its config and its code version; the lecture's own results are
committed in published/. torch is imported inside functions only: importing this package, to read a
cached result, loads no torch.

Non-finite numbers (a diverged loss) are stored as the strings "nan", "inf", "-inf"
(see cache.json_float / cache.floats_array).
"""

from __future__ import annotations

import functools
import json
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

from mathcore.naming import unknown

from . import dead_relu, exploding, gradient_flow, nonlinearity
from .cache import ResultsCache
from .runner import DEVICES, SIZES, Experiment, Progress, resolve_device

__all__ = ["EXPERIMENTS", "SIZES", "DEVICES", "Experiment", "resolve_device", "run_cached", "served_file",
           "result_version", "final_losses"]

EXPERIMENTS: dict[str, Experiment] = {module.EXPERIMENT.name: module.EXPERIMENT
                                      for module in (gradient_flow, exploding, dead_relu, nonlinearity)}


def result_version(name: str) -> str:
    """The version a cached result of `name` is stored under: its code, and torch's version (an upgrade
    can change the last bits of every result), read from the installed package, without importing torch."""
    return f"{EXPERIMENTS[name].code_version}+torch-{metadata.version('torch')}"


def run_cached(name: str, size: str = "default", seed: int = 0, device: str = "auto", force: bool = False,
               progress: Progress = None, cache: ResultsCache | None = None) -> dict:
    """The experiment's result from the cache, or run now and store it (always run when `force`)."""
    if name not in EXPERIMENTS:
        raise ValueError(unknown("experiment", name, EXPERIMENTS))
    experiment = EXPERIMENTS[name]
    cache = cache if cache is not None else _checked_cache()
    config = experiment.config(size, seed, device)
    version = result_version(name)
    if not force:
        hit = cache.get(name, config, version)
        problem = None if hit is None else _shape_problem(hit, _template(name))
        if hit is not None and problem is None:
            return hit
        if problem is not None:
            warnings.warn(f"results cache: ignoring corrupt entry for {name}: {problem}; recomputing", stacklevel=2)
    result = experiment.run(config, progress)
    cache.put(name, config, version, result)
    return result


@functools.cache
def _template(name: str) -> dict | None:
    """A published result of `name`, whatever its config: every result of an experiment has its shape."""
    from .cache import PUBLISHED_ROOT

    for path in sorted(PUBLISHED_ROOT.glob(f"{name}-*.json")):
        try:
            return json.loads(path.read_text(encoding="utf-8"))["result"]
        except (OSError, ValueError, KeyError):
            continue
    return None


def _shape_problem(result: Any, template: Any, where: str = "result") -> str | None:
    """Where `result` lacks a key of `template` or holds another kind of value there (None: same shape).
    A well-formed entry whose result is not one (hand-edited, another program's) would otherwise fail
    deep inside a scene with a KeyError."""
    if template is None:
        return None
    if isinstance(template, dict):
        if not isinstance(result, dict):
            return f"{where} is not an object"
        for key, inner in template.items():
            if key not in result:
                return f"{where} has no {key!r}"
            problem = _shape_problem(result[key], inner, f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(template, list):
        if not isinstance(result, list) or (template and not result):
            return f"{where} is not a list of values"
        return _shape_problem(result[0], template[0], f"{where}[0]") if template else None
    if isinstance(template, bool) or isinstance(template, str) and template not in ("nan", "inf", "-inf"):
        return None if type(result) is type(template) else f"{where} is not a {type(template).__name__}"
    # a number, stored as a float or as "nan"/"inf"/"-inf"
    if isinstance(result, bool) or not (isinstance(result, (int, float)) or result in ("nan", "inf", "-inf")):
        return f"{where} is not a number"
    return None


def served_file(name: str, size: str = "default", seed: int = 0, device: str = "auto",
                cache: ResultsCache | None = None) -> Path | None:
    """The result file `run_cached` would read now with these arguments (None: it would train)."""
    cache = cache if cache is not None else _checked_cache()
    return cache.served(name, EXPERIMENTS[name].config(size, seed, device), result_version(name))


def _checked_cache() -> ResultsCache:
    """The default cache, which takes a result only when it has the shape of a published one."""
    return ResultsCache(check=lambda name, result: _shape_problem(result, _template(name)))


def final_losses(result: Mapping[str, Any]) -> dict[str, float | str]:
    """Each run's last training loss (the fit's MSE for `nonlinearity`), as stored: NaN stays "nan"."""
    out = {}
    for name, run in result["runs"].items():
        if "loss" in run:
            out[name] = run["loss"][-1]
        else:
            out[name] = run.get("final_loss", run.get("mse"))
    return out
