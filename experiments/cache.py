"""A disk cache for training results: one JSON file per (experiment, config, code version).

No torch here, so scenes and `cli.py explain` can read results without importing it. Floats that
are not finite (a diverged loss) cannot go into strict JSON; `json_float` writes them as the strings
"nan", "inf" and "-inf", and `floats_array` reads such a list back into a float array.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import warnings
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np

import atomic

__all__ = ["ResultsCache", "DEFAULT_ROOT", "canonical_json", "json_float", "floats_array"]

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "media" / ".cache" / "results"
# The lecture's own results, committed: training on another CPU (another BLAS code path) changes the
# last bits of every step, and the too-hot runs amplify those into different outcomes. The published
# results make every fresh clone show the same numbers; `cli.py train --force` measures them anew locally.
PUBLISHED_ROOT = Path(__file__).resolve().parent / "published"
# Where the local cache lives instead of DEFAULT_ROOT (the tests point it at a temporary folder).
ROOT_VARIABLE = "ACTLECTURE_RESULTS_DIR"
SCHEMA = 1
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]+")
def canonical_json(obj: Any) -> str:
    """One spelling per value (sorted keys, no spaces, strict floats), so equal configs hash equally."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def json_float(x: float) -> float | str:
    """x as a JSON-safe value: a float when finite, else "nan", "inf" or "-inf"."""
    x = float(x)
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def floats_array(values: Iterable[float | str]) -> np.ndarray:
    """The inverse of json_float over a list: strings "nan"/"inf"/"-inf" become the float values."""
    return np.array([float(v) for v in values], dtype=np.float64)


class ResultsCache:
    """Results stored under `root` as <experiment>-<hash>.json, written atomically.

    The hash covers the full config (device included: cuda and cpu results differ in the last bits)
    and the code version, so a changed config or changed experiment code is simply a miss.
    """

    def __init__(self, root: Path | str | None = None,
                 check: Callable[[str, Mapping[str, Any]], str | None] | None = None):
        # check(name, result): what is wrong with a well-formed entry's result (None: nothing), so that a
        # result that is not one is dropped like a corrupt file.
        self.check = check
        if root is None:
            root = Path(os.environ.get(ROOT_VARIABLE) or DEFAULT_ROOT).absolute()
            # Only the default cache falls back on the published results: a cache given explicitly is
            # exactly that folder.
            self.fallback: Path | None = PUBLISHED_ROOT
        else:
            self.fallback = None
        self.root = Path(root)

    def key(self, name: str, config: Mapping[str, Any], code_version: str) -> str:
        if not _SAFE_NAME.fullmatch(name):
            raise ValueError(f"experiment name {name!r} is not usable in a file name")
        material = canonical_json({"experiment": name, "config": config, "code_version": code_version})
        return f"{name}-{hashlib.sha256(material.encode()).hexdigest()[:20]}"

    def path(self, name: str, config: Mapping[str, Any], code_version: str) -> Path:
        return self.root / f"{self.key(name, config, code_version)}.json"

    def get(self, name: str, config: Mapping[str, Any], code_version: str) -> dict | None:
        """The stored result (local first, then published), or None when there is none or the entry
        is unreadable (with a warning)."""
        found = self._read(self.path(name, config, code_version), name, config, code_version)
        if found is None and self.fallback is not None:
            found = self._read(self.fallback / self.path(name, config, code_version).name, name, config, code_version)
        return found

    def served(self, name: str, config: Mapping[str, Any], code_version: str) -> Path | None:
        """The file `get` would read its result from now (None: it would train). A clip built from a
        result depends on exactly this file, so the build cache keys on it."""
        for path in (self.path(name, config, code_version),
                     *([self.fallback / self.path(name, config, code_version).name] if self.fallback else [])):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # get() warns when it meets the corrupt entry
                if self._entry(path, name, config, code_version) is not None:
                    return path
        return None

    def published(self, name: str, config: Mapping[str, Any], code_version: str) -> dict | None:
        """The committed result alone (None when it is missing or stale)."""
        return self._read(PUBLISHED_ROOT / self.path(name, config, code_version).name, name, config, code_version)

    def _read(self, path: Path, name: str, config: Mapping[str, Any], code_version: str) -> dict | None:
        entry = self._entry(path, name, config, code_version)
        if entry is None:
            return None
        return entry["result"]

    def _entry(self, path: Path, name: str, config: Mapping[str, Any], code_version: str) -> dict | None:
        """The valid entry at `path`, or None (with a warning when it exists but is unusable)."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError as exc:  # bytes that are not UTF-8: as corrupt as bad JSON
            text, problem = None, f"not UTF-8 ({exc.reason})"
        except OSError as exc:
            warnings.warn(f"results cache: cannot read {path} ({exc}); recomputing", stacklevel=3)
            return None
        if text is not None:
            try:
                entry = json.loads(text)
                problem = (self._problem(entry, path.stem, name, config, code_version)
                           or self._result_problem(entry, name))
            except (ValueError, TypeError) as exc:  # bad JSON, or a config that cannot be compared
                problem = f"not valid JSON ({exc})"
        if problem:
            warnings.warn(f"results cache: ignoring corrupt entry {path}: {problem}; recomputing", stacklevel=4)
            if path.parent == self.root:  # our own cache heals (the published results are never touched)
                path.unlink(missing_ok=True)
            return None
        return entry

    @staticmethod
    def _problem(entry: Any, key: str, name: str, config: Mapping[str, Any], code_version: str) -> str | None:
        if not isinstance(entry, dict):
            return "not a JSON object"
        if entry.get("schema") != SCHEMA:
            return f"schema {entry.get('schema')!r}, expected {SCHEMA}"
        if entry.get("key") != key:
            return f"its key {entry.get('key')!r} does not match its file name"
        if (entry.get("experiment"), entry.get("code_version")) != (name, code_version):
            return "experiment or code version does not match"
        if canonical_json(entry.get("config")) != canonical_json(config):
            return "config does not match"
        if not isinstance(entry.get("result"), dict):
            return "no result object"
        return None

    def _result_problem(self, entry: dict, name: str) -> str | None:
        return self.check(name, entry["result"]) if self.check is not None else None

    def put(self, name: str, config: Mapping[str, Any], code_version: str, result: Mapping[str, Any]) -> Path:
        """Store `result`; a reader sees either the old file or the complete new one, never half."""
        path = self.path(name, config, code_version)
        entry = {"schema": SCHEMA, "key": path.stem, "experiment": name, "code_version": code_version,
                 "config": config, "result": result}
        text = json.dumps(entry, sort_keys=True, allow_nan=False, indent=1)  # fails before touching disk
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, text, sync=True)  # other processes read it; a crash must not leave it half
        return path
