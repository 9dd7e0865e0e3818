"""What every experiment shares: the device, deterministic training, progress, and `Experiment` itself.

torch is imported inside functions only. Training is full-batch with no randomness beyond the seed, and
runs under torch.use_deterministic_algorithms on one thread, so on one machine a config gives a
bit-identical result (except wall_time_s).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import os
import time
from dataclasses import dataclass, field
from numbers import Integral
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

import mathcore

SIZES = ("small", "default", "large")
DEVICES = ("auto", "cpu", "cuda")
Progress = Optional[Callable[[int, int], None]]
HERE = Path(__file__).resolve().parent
# The code every experiment's results depend on besides its own module: this one (the run loop, the
# determinism), the data and the nets, and the mathcore modules they use (activations, inits, the dead-unit test).
SHARED_CODE = (HERE / "runner.py", HERE / "data.py", HERE / "nets.py",
               *(Path(mathcore.__file__).parent / f"{name}.py" for name in ("activations", "flow", "deadzone")))


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
def deterministic():
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


class Ticker:
    """Counts optimisation steps across all runs of one experiment for the progress callback."""

    def __init__(self, callback: Progress, total: int):
        self.callback, self.total, self.done = callback, total, 0
        if callback:
            callback(0, total)

    def __call__(self) -> None:
        self.done += 1
        if self.callback:
            self.callback(self.done, self.total)



def code_digest(path: Path) -> str:
    """A hash of a module's code, not of its comments and docstrings: editing what a module says about
    itself does not make its results stale, editing what it does does."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


@dataclass(frozen=True)
class Experiment:
    """One trained example: per-size parameters, the run function and its headline numbers, defined in a
    module of its own (`module`), whose code and the shared code make its results' version."""

    name: str
    summary: str
    module: Path
    sizes: Mapping[str, Mapping[str, Any]] = field(repr=False)
    _run: Callable[[Mapping[str, Any], str, Ticker], dict] = field(repr=False)
    _headline: Callable[[Mapping[str, Any]], dict] = field(repr=False)
    _total_steps: Callable[[Mapping[str, Any]], int] = field(repr=False)

    @functools.cached_property
    def code_version(self) -> str:
        """A hash of the code this experiment's results depend on, for the cache key: its own module and
        SHARED_CODE. Editing another experiment does not change it; run_cached adds torch's version."""
        digests = [code_digest(path) for path in (Path(self.module), *SHARED_CODE)]
        return hashlib.sha256("\n".join(digests).encode()).hexdigest()[:16]

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
        tick = Ticker(progress, self._total_steps(config))
        with deterministic():
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


def _plain(params: Mapping[str, Any]) -> dict:
    # Tuples become lists, as they would after a JSON round trip: a config compares equal to its copy
    # read back from the cache.
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
