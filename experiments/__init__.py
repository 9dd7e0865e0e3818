"""The lecture's claims, shown on real (small) training runs.

Four experiments, each a function of a plain-dict config that returns a JSON-able dict:

- gradient-flow: one deep MLP trained with sigmoid, tanh, relu and leaky_relu; sigmoid's first layer
  gets a gradient orders of magnitude smaller than its last and barely moves.
- exploding: a deep ReLU net with an oversized init; its gradient grows layer by layer on the way
  down and plain SGD diverges to inf/NaN within a few steps, while gradient clipping stays finite and
  a He init trains.
- dead-relu: a too-large learning rate kills ReLU units for good; Leaky ReLU units still get gradient.
- nonlinearity: without an activation a deep net is one affine map, a straight line however it trains.

torch is imported inside functions only: `import mathcore` must not pull it in. Data are generated
here from the seed (no downloads), and every random number (data and initial weights) comes from
numpy's default_rng(seed), so a config gives the same start on any device. Training is full-batch
with no further randomness, and runs under torch.use_deterministic_algorithms, so on one machine
the same config gives a bit-identical result (except wall_time_s).

Non-finite numbers (a diverged loss) are stored as the strings "nan", "inf", "-inf"
(see results.json_float / results.floats_array).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import json
import math
import os
import time
import warnings
from importlib import metadata
from pathlib import Path
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any, Callable, Mapping, Optional

import numpy as np

from . import deadzone, flow
from . import activations as _activations
from .naming import unknown
from .results import ResultsCache, json_float

__all__ = ["EXPERIMENTS", "SIZES", "Experiment", "resolve_device", "run_cached"]

SIZES = ("small", "default", "large")
DEVICES = ("auto", "cpu", "cuda")
Progress = Optional[Callable[[int, int], None]]


# --- device and determinism ----------------------------------------------------------------------

def resolve_device(device: str) -> str:
    """'auto' -> 'cuda' when available, else 'cpu'; 'cuda' without CUDA or anything else: ValueError."""
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}; choose from: {', '.join(DEVICES)}")
    if device == "cpu" or (device == "auto" and not _nvidia_device_present()):
        # No torch import: a scene reading a cached result on a CPU machine needs none (a third of its memory).
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if device == "auto":
        return "cpu"
    build = f"a CUDA {torch.version.cuda} build" if torch.version.cuda else "a CPU-only build"
    raise ValueError(f"--device cuda: CUDA is not available on this machine (torch {torch.__version__}, {build})")


def _nvidia_device_present() -> bool:
    """False only where CUDA cannot be: no NVIDIA device node (native or WSL). True means: ask torch."""
    return any(os.path.exists(node) for node in ("/dev/nvidiactl", "/dev/nvidia0", "/dev/dxg"))


@contextlib.contextmanager
def _deterministic():
    """Deterministic kernels and a single CPU thread while training; the old settings afterwards.

    One thread: these matrices are tiny, so more threads only add synchronisation, and when another
    process holds a core, OpenMP's spin-waiting made runs up to 10x slower (measured on 2 cores).
    """
    import torch

    # cuBLAS is only deterministic with a fixed workspace; it reads this when a handle is created.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    before = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    threads = torch.get_num_threads()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(before[0], warn_only=before[1])


class _Ticker:
    """Counts optimisation steps across all runs of one experiment for the progress callback."""

    def __init__(self, callback: Progress, total: int):
        self.callback, self.total, self.done = callback, total, 0
        if callback:
            callback(0, total)

    def __call__(self) -> None:
        self.done += 1
        if self.callback:
            self.callback(self.done, self.total)


# --- data ----------------------------------------------------------------------------------------

def _spirals(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms in the plane, labels 0 and 1: not separable by any line."""
    label = np.arange(n) % 2
    t = np.sqrt(rng.uniform(0.0, 1.0, n)) * 3.0 * math.pi  # sqrt: points evenly spread along the arm
    angle = t + math.pi * label
    x = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1) / (3.0 * math.pi)
    x += rng.normal(0.0, 0.02, x.shape)
    return x.astype(np.float32), label.astype(np.float32)[:, None]


def _target(x: np.ndarray) -> np.ndarray:
    return np.sin(6.0 * x) + 0.5 * np.cos(3.0 * x)  # about two periods of wiggle on [-1, 1]


def _curve(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A noisy 1-D curve for regression, x uniform on [-1, 1].

    Inputs of unit size matter for plain SGD: on [-3, 3] a 24-layer He-initialised ReLU net diverged
    at lr 0.01 for some seeds; on [-1, 1] it trained for all eight seeds tried, widths 32 and 64.
    """
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    y = _target(x) + rng.normal(0.0, 0.05, n)
    return x.astype(np.float32)[:, None], y.astype(np.float32)[:, None]


def _tensors(device: str, *arrays: np.ndarray):
    import torch

    return [torch.from_numpy(np.ascontiguousarray(a)).to(device) for a in arrays]


# --- models and training -------------------------------------------------------------------------

def _mlp(sizes: list[int], activation: str, init, rng: np.random.Generator, device: str):
    """Linear layers sizes[0] -> ... -> sizes[-1] with `activation` between them.

    Weights N(0, flow.init_variance(init)) drawn from `rng`, biases zero, float32.
    """
    import torch

    act = _activations.get(activation)
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        linear = torch.nn.utils.skip_init(torch.nn.Linear, fan_in, fan_out)  # no draw from torch's RNG
        std = math.sqrt(flow.init_variance(init, fan_in, fan_out))
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(rng.standard_normal((fan_out, fan_in)) * std))
            linear.bias.zero_()
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(act.torch_module())
    return torch.nn.Sequential(*layers).to(device)


def _linears(model) -> list:
    import torch

    return [m for m in model if isinstance(m, torch.nn.Linear)]


def _forward(model, x, keep_grad: bool = False):
    """The output and every Linear layer's output z_l (the pre-activations; the last is the output)."""
    import torch

    zs = []
    h = x
    for module in model:
        h = module(h)
        if isinstance(module, torch.nn.Linear):
            if keep_grad:
                h.retain_grad()
            zs.append(h)
    return h, zs


def _floats(values) -> list[float | str]:
    """A flat JSON-safe list (non-finite values as strings, see results.json_float)."""
    return [json_float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def _grad_norms(model) -> list[float]:
    return _floats([float(m.weight.grad.norm()) for m in _linears(model)])


def _checkpoints(steps: int, count: int) -> list[int]:
    return sorted({round(i * steps / (count - 1)) for i in range(count)})


# --- 1. gradient flow ----------------------------------------------------------------------------

def _run_gradient_flow(cfg: Mapping[str, Any], device: str, tick: _Ticker) -> dict:
    import torch

    data_rng = np.random.default_rng([cfg["seed"], 0])
    x, y = _tensors(device, *_spirals(cfg["points"], data_rng))
    sizes = [2] + [cfg["width"]] * cfg["depth"] + [1]
    checkpoints = _checkpoints(cfg["steps"], cfg["checkpoints"])
    runs = {}
    for activation in cfg["activations"]:
        init = flow.recommended_init(activation)
        # Same seed for every activation: the nets differ only in f and its matching init scale.
        model = _mlp(sizes, activation, init, np.random.default_rng([cfg["seed"], 1]), device)
        start = [m.weight.detach().clone() for m in _linears(model)]
        opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
        losses, grads = [], []
        for step in range(cfg["steps"] + 1):
            opt.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
            loss.backward()
            losses.append(loss.item())
            if step in checkpoints:
                grads.append(_grad_norms(model))
            if step == cfg["steps"]:
                break
            opt.step()
            tick()
        with torch.no_grad():
            logits = model(x)
            accuracy = float(((logits > 0).float() == y).float().mean())
            change = [float((m.weight - w0).norm() / w0.norm()) for m, w0 in zip(_linears(model), start)]
        runs[activation] = {"init": init, "loss": _floats(losses), "grad_norms": grads,
                            "relative_weight_change": _floats(change), "accuracy": accuracy}
    return {"layers": list(range(1, len(sizes))), "checkpoints": checkpoints, "runs": runs}


def _headline_gradient_flow(result: Mapping[str, Any]) -> dict:
    out = {}
    for activation in ("sigmoid", "relu"):
        norms = result["runs"][activation]["grad_norms"][0]
        out[f"{activation} first/last layer grad ratio"] = norms[0] / norms[-1]
    return out


# --- 2. exploding gradients ----------------------------------------------------------------------

def _run_exploding(cfg: Mapping[str, Any], device: str, tick: _Ticker) -> dict:
    import torch

    x, y = _tensors(device, *_curve(cfg["points"], np.random.default_rng([cfg["seed"], 0])))
    sizes = [1] + [cfg["width"]] * cfg["depth"] + [1]
    variants = {  # name: (init, clip max-norm)
        "oversized": (cfg["oversized_init"], None),
        "oversized+clip": (cfg["oversized_init"], cfg["clip"]),
        "he": ("he", None),
    }
    runs = {}
    for name, (init, clip) in variants.items():
        model = _mlp(sizes, "relu", init, np.random.default_rng([cfg["seed"], 1]), device)
        opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"])
        losses = []
        for step in range(cfg["steps"] + 1):
            opt.zero_grad()
            out, zs = _forward(model, x, keep_grad=step == 0)
            loss = torch.nn.functional.mse_loss(out, y)
            loss.backward()
            losses.append(loss.item())
            if step == 0:
                # ||dL/dz_l||: the gradient arriving at layer l, what the chain rule multiplies up.
                signal = _floats([float(z.grad.norm()) for z in zs])
                weight = _grad_norms(model)
            if step == cfg["steps"]:
                break
            if clip is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            opt.step()
            tick()
        bad = [i for i, v in enumerate(losses) if not math.isfinite(v)]
        runs[name] = {"init": init if isinstance(init, str) else f"N(0, {init:g}/fan_in)", "clip": clip,
                      "loss": _floats(losses), "signal_grad_norms": signal, "weight_grad_norms": weight,
                      "first_nonfinite_step": bad[0] if bad else None}
    return {"layers": list(range(1, len(sizes))), "runs": runs}


def _headline_exploding(result: Mapping[str, Any]) -> dict:
    over = result["runs"]["oversized"]
    step = over["first_nonfinite_step"]
    return {"oversized init: input/output layer gradient ratio": over["signal_grad_norms"][0] / over["signal_grad_norms"][-1],
            "unclipped loss non-finite at step": "never" if step is None else step}


# --- 3. dead ReLUs -------------------------------------------------------------------------------

def _run_dead_relu(cfg: Mapping[str, Any], device: str, tick: _Ticker) -> dict:
    import torch

    x, y = _tensors(device, *_spirals(cfg["points"], np.random.default_rng([cfg["seed"], 0])))
    sizes = [2] + list(cfg["hidden"]) + [1]
    checkpoints = _checkpoints(cfg["steps"], cfg["checkpoints"])
    runs, first_layer = {}, {}
    for activation in ("relu", "leaky_relu"):
        model = _mlp(sizes, activation, "he", np.random.default_rng([cfg["seed"], 1]), device)
        opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"])
        dead_share, ever_dead, first_pre = [], None, []
        for step in range(cfg["steps"] + 1):
            opt.zero_grad()
            out, zs = _forward(model, x)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(out, y)
            loss.backward()
            if step in checkpoints:
                # The relu test of "dead" (zero output on every input) applied to the pre-activations
                # means z <= 0 on every input: for leaky_relu, stuck in its negative regime everywhere.
                dead = [deadzone.dead_units(z.detach().cpu().numpy(), "relu") for z in zs[:-1]]
                dead_share.append(_floats([d.mean() for d in dead]))
                ever_dead = dead if ever_dead is None else [e | d for e, d in zip(ever_dead, dead)]
            if step in (0, cfg["steps"]):
                first_pre.append(zs[0].detach().cpu().numpy().ravel())
            if step == cfg["steps"]:
                break
            opt.step()
            tick()
        # A unit gets no gradient at all when every incoming weight's gradient is exactly zero.
        no_grad = [float((m.weight.grad.abs().sum(dim=1) == 0).float().mean()) for m in _linears(model)[:-1]]
        recovered = [int((e & ~d).sum()) for e, d in zip(ever_dead, dead)]
        accuracy = float(((out > 0).float() == y).float().mean())
        runs[activation] = {"dead_share": dead_share, "no_gradient_share": no_grad, "recovered_units": recovered,
                            "final_loss": json_float(loss.item()), "accuracy": accuracy}
        first_layer[activation] = first_pre
    # One set of bin edges for all four histograms, so a scene can morph one into the next.
    everything = np.concatenate([a for pair in first_layer.values() for a in pair])
    finite = everything[np.isfinite(everything)]
    edges = np.histogram_bin_edges(finite, bins=cfg["bins"])
    hist = {act: {when: np.histogram(a[np.isfinite(a)], bins=edges)[0].tolist() for when, a in zip(("before", "after"), pair)}
            for act, pair in first_layer.items()}
    return {"layers": list(range(1, len(sizes) - 1)), "checkpoints": checkpoints, "runs": runs,
            "first_layer_histogram": {"bin_edges": _floats(edges), "counts": hist}}


def _headline_dead_relu(result: Mapping[str, Any]) -> dict:
    relu, leaky = result["runs"]["relu"], result["runs"]["leaky_relu"]
    return {"relu dead share at end": float(np.mean(relu["dead_share"][-1])),
            "leaky_relu share without gradient": float(np.mean(leaky["no_gradient_share"]))}


# --- 4. nonlinearity -----------------------------------------------------------------------------

def _run_nonlinearity(cfg: Mapping[str, Any], device: str, tick: _Ticker) -> dict:
    import torch

    x, y = _tensors(device, *_curve(cfg["points"], np.random.default_rng([cfg["seed"], 0])))
    grid_np = np.linspace(-1.0, 1.0, cfg["grid"], dtype=np.float32)[:, None]
    (grid,) = _tensors(device, grid_np)
    sizes = [1] + list(cfg["hidden"]) + [1]
    checkpoints = _checkpoints(cfg["steps"], cfg["checkpoints"])
    runs = {}
    for activation in cfg["activations"]:
        init = flow.recommended_init(activation)
        model = _mlp(sizes, activation, init, np.random.default_rng([cfg["seed"], 1]), device)
        opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
        predictions = []
        for step in range(cfg["steps"] + 1):
            if step in checkpoints:
                with torch.no_grad():
                    predictions.append(_floats(model(grid).cpu().numpy()))
            if step == cfg["steps"]:
                break
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            tick()
        with torch.no_grad():
            mse = torch.nn.functional.mse_loss(model(x), y).item()
        runs[activation] = {"init": init, "predictions": predictions, "mse": json_float(mse)}
    return {"grid": _floats(grid_np), "target": _floats(_target(grid_np.astype(np.float64))),
            "train_x": _floats(x.cpu().numpy()), "train_y": _floats(y.cpu().numpy()),
            "checkpoints": checkpoints, "runs": runs}


def _headline_nonlinearity(result: Mapping[str, Any]) -> dict:
    mse = {a: float(r["mse"]) for a, r in result["runs"].items()}  # a diverged fit is stored as "nan"
    best = min(v for a, v in mse.items() if a != "identity")
    return {"identity MSE": mse["identity"], "identity/best MSE ratio": mse["identity"] / best}


# --- the registry --------------------------------------------------------------------------------

def _sources(*roots: Callable) -> dict[str, str]:
    """The source of each root and of every function or class in this module they use, directly or not."""
    module = globals()
    found: dict[str, str] = {}
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if obj.__qualname__ in found:
            continue
        found[obj.__qualname__] = inspect.getsource(obj)
        codes = [obj.__code__] if inspect.isfunction(obj) else []
        while codes:  # nested code (comprehensions, lambdas) keeps the globals it reads in its own co_names
            code = codes.pop()
            codes.extend(c for c in code.co_consts if inspect.iscode(c))
            for name in code.co_names:
                used = module.get(name)
                if (inspect.isfunction(used) or inspect.isclass(used)) and used.__module__ == __name__:
                    stack.append(used)
    return found


@dataclass(frozen=True)
class Experiment:
    """One trained example: per-size parameters, the run function and its headline numbers."""

    name: str
    summary: str
    sizes: Mapping[str, Mapping[str, Any]] = field(repr=False)
    _run: Callable[[Mapping[str, Any], str, _Ticker], dict] = field(repr=False)
    _headline: Callable[[Mapping[str, Any]], dict] = field(repr=False)
    _total_steps: Callable[[Mapping[str, Any]], int] = field(repr=False)

    @functools.cached_property
    def code_version(self) -> str:
        """A hash of the code this experiment's results depend on, for the cache key.

        Editing the experiment or a helper it uses changes it; editing another experiment does not.
        The mathcore modules the experiments draw on (activations and their torch twins, inits, the dead-
        unit test) count whole; run_cached adds the torch version to the key itself.
        """
        sources = _sources(self._run, _RUN_AS_DEFINED)
        text = "\n".join(sources[k] for k in sorted(sources))
        text += "".join(inspect.getsource(module) for module in (_activations, flow, deadzone))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def config(self, size: str = "default", seed: int = 0, device: str = "auto") -> dict:
        """The full config: size, seed, the resolved device and the size's parameters."""
        if size not in self.sizes:
            raise ValueError(f"unknown size {size!r}; choose from: {', '.join(self.sizes)}")
        if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
            raise ValueError(f"seed must be a non-negative int, got {seed!r}")
        return {"size": size, "seed": int(seed), "device": resolve_device(device), **_plain(self.sizes[size])}

    def run(self, config: Mapping[str, Any], progress: Progress = None) -> dict:
        """Train as `config` says; the result carries its provenance next to the data."""
        import torch

        expected = {"size", "seed", "device", *self.sizes.get(config.get("size"), {})}
        if set(config) != expected:
            raise ValueError(f"{self.name}: config keys {sorted(config)} do not match {sorted(expected)}")
        device = resolve_device(config["device"])
        tick = _Ticker(progress, self._total_steps(config))
        with _deterministic():
            start = time.perf_counter()
            data = self._run(config, device, tick)
            if device == "cuda":
                torch.cuda.synchronize()
            wall = time.perf_counter() - start
        return {"experiment": self.name, "config": dict(config), "seed": config["seed"], "device": device,
                "torch_version": torch.__version__, "wall_time_s": wall, "code_version": self.code_version,
                **data}

    def headline(self, result: Mapping[str, Any]) -> dict[str, float | str]:
        return self._headline(result)


# The shared run loop as written here: a test that wraps Experiment.run must not change every key.
_RUN_AS_DEFINED = Experiment.run


def _plain(params: Mapping[str, Any]) -> dict:
    # Tuples become lists, as they would after a JSON round trip: a config compares equal to its copy
    # read back from the cache.
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}


EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in (
    Experiment(
        name="gradient-flow",
        summary="one deep MLP trained with sigmoid, tanh, relu and leaky_relu: sigmoid's first layers get "
                "almost no gradient and barely move",
        sizes={
            "small": dict(activations=("sigmoid", "tanh", "relu", "leaky_relu"), depth=12, width=32,
                          points=256, steps=60, lr=0.05, momentum=0.9, checkpoints=3),
            "default": dict(activations=("sigmoid", "tanh", "relu", "leaky_relu"), depth=12, width=48,
                            points=512, steps=400, lr=0.05, momentum=0.9, checkpoints=5),
            "large": dict(activations=("sigmoid", "tanh", "relu", "leaky_relu"), depth=20, width=256,
                          points=8192, steps=3000, lr=0.02, momentum=0.9, checkpoints=7),
        },
        _run=_run_gradient_flow, _headline=_headline_gradient_flow,
        _total_steps=lambda c: len(c["activations"]) * c["steps"],
    ),
    Experiment(
        name="exploding",
        summary="a deep ReLU net with init N(0, 4/fan_in): the gradient doubles every two layers on the way "
                "down and SGD blows up to NaN; with clipping it stays finite, with He init it trains",
        sizes={
            "small": dict(depth=24, width=32, points=128, steps=40, lr=0.01, oversized_init=4.0, clip=1.0),
            "default": dict(depth=24, width=64, points=256, steps=200, lr=0.01, oversized_init=4.0, clip=1.0),
            "large": dict(depth=48, width=256, points=4096, steps=2000, lr=0.005, oversized_init=4.0, clip=1.0),
        },
        _run=_run_exploding, _headline=_headline_exploding,
        _total_steps=lambda c: 3 * c["steps"],
    ),
    Experiment(
        name="dead-relu",
        summary="a too-large learning rate kills ReLU units for good; Leaky ReLU units keep a gradient",
        sizes={
            # lr 2.0 is about ten times what this net trains well with (0.2 with momentum 0.9 kills
            # < 10% of units); with it ReLU's dead share ended at 0.43-0.92 over seeds 0-5. A wider net
            # takes bigger steps at the same lr: at width 256, lr 2.0 killed every ReLU unit and sent
            # Leaky ReLU to NaN, 1.5 kills a third to a half (seeds 0-2, measured on 2048 points).
            "small": dict(hidden=(64, 64, 64), points=256, steps=200, lr=2.0, checkpoints=5, bins=40),
            "default": dict(hidden=(64, 64, 64), points=256, steps=300, lr=2.0, checkpoints=11, bins=40),
            "large": dict(hidden=(256, 256, 256), points=2048, steps=3000, lr=1.5, checkpoints=31, bins=60),
        },
        _run=_run_dead_relu, _headline=_headline_dead_relu,
        _total_steps=lambda c: 2 * c["steps"],
    ),
    Experiment(
        name="nonlinearity",
        summary="identity vs tanh vs relu on a curve: without a nonlinearity the net can only draw a line",
        sizes={
            "small": dict(activations=("identity", "tanh", "relu"), hidden=(32, 32), points=128, grid=100,
                          steps=300, lr=0.01, checkpoints=6),
            "default": dict(activations=("identity", "tanh", "relu"), hidden=(32, 32), points=256, grid=100,
                            steps=1500, lr=0.01, checkpoints=6),
            "large": dict(activations=("identity", "tanh", "relu"), hidden=(256, 256), points=4096, grid=200,
                          steps=10000, lr=0.003, checkpoints=11),
        },
        _run=_run_nonlinearity, _headline=_headline_nonlinearity,
        _total_steps=lambda c: len(c["activations"]) * c["steps"],
    ),
)}


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
    from .results import PUBLISHED_ROOT

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
