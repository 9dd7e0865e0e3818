"""The scene-level build cache: a rendered clip is reused when nothing it depends on has changed.

A clip depends on its scene's code and the scene infrastructure it shares with the others, on mathcore,
on the experiment results its numbers were read from, on its parameters and output settings, and on
the versions of manim, PyAV and torch. All of that goes into one key. The key is checked before
anything is constructed (and before manim is even imported), so a warm rebuild costs a few file hashes.

The record of a build sits beside its outputs (`<out>/.build/<id>.<format>.json`): the key, the
result files the render read (with their hashes), and the size, mtime and sha256 of every output. A
record that is missing, unreadable, or whose outputs were deleted or changed since, means: render again.
A clip and its sidecar files are placed as one unit with their record (`place`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator, Mapping

from . import SCENES, SceneSpec

SCENES_DIR = Path(__file__).resolve().parent
MATHCORE_DIR = SCENES_DIR.parent / "mathcore"
# Modules of the scenes package that no clip is drawn from: joining and exporting happen after a render.
_NOT_A_DEPENDENCY = {"build.py", "lecture.py", "export.py"}
RECORD_DIR = ".build"


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_files(spec: SceneSpec) -> list[Path]:
    """The files a scene's frames can depend on: its own module, every shared module of `scenes`
    (base, theme, values, narration, catalogues, render ...), and all of mathcore. Other scenes'
    modules are left out, so editing one scene re-renders that scene only."""
    other_scenes = {SCENES_DIR / (s.module.split(".")[-1] + ".py") for s in SCENES if s.id != spec.id}
    files = [p for p in sorted(SCENES_DIR.rglob("*.py"))
             if p not in other_scenes and p.name not in _NOT_A_DEPENDENCY and "__pycache__" not in p.parts]
    return files + sorted(MATHCORE_DIR.rglob("*.py"))


@cache
def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def tool_versions() -> dict[str, str | None]:
    # torch counts: a new torch can change the last digits of every trained example.
    return {name: _version(name) for name in ("manim", "av", "torch", "numpy")}


def result_files(spec: SceneSpec) -> dict[str, Path | None]:
    """Each declared experiment's result file as a render would read it now: a local result that
    differs from the published one is another input, so another clip."""
    if not spec.experiments:
        return {}
    from mathcore import training

    return {name: training.served_file(name) for name in spec.experiments}


def build_key(spec: SceneSpec, settings: Mapping[str, Any]) -> str:
    """One hash of everything the clip depends on: sources, settings, tool versions, and the result
    files its experiments would be read from now."""
    # Relative names: the key must not depend on where the repository was cloned.
    sources = {os.path.relpath(p, SCENES_DIR.parent): _file_digest(p) for p in source_files(spec)}
    results = {name: None if path is None else _file_digest(path) for name, path in result_files(spec).items()}
    payload = {"scene": spec.id, "settings": dict(settings), "tools": tool_versions(), "sources": sources,
               "results": results}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def record_path(out_dir: Path, scene_id: str, fmt: str) -> Path:
    return out_dir / RECORD_DIR / f"{scene_id}.{fmt}.json"


def _stat(path: Path) -> dict[str, int]:
    info = path.stat()
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _described(path: Path) -> dict[str, Any]:
    # The hash, not only size and mtime: a garbled file whose mtime was put back is still another file.
    return {**_stat(path), "sha256": _file_digest(path)}


@contextmanager
def _locked(out_dir: Path, scene_id: str, fmt: str, exclusive: bool) -> Iterator[None]:
    """One lock per output name: a clip and its sidecar files change together (exclusive) while a
    reader checks them (shared), so a reader never pairs one render's clip with another's subtitles."""
    lock = record_path(out_dir, scene_id, fmt).with_suffix(".lock")
    if exclusive:
        lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = open(lock, "a")
    except OSError:  # no record folder (nothing to reuse yet) or a read-only one: nothing to wait for
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield


def lookup(out_dir: Path, scene_id: str, fmt: str, key: str) -> list[Path] | None:
    """The outputs of an earlier build with this key, still as that build left them; else None."""
    if not record_path(out_dir, scene_id, fmt).parent.is_dir():
        return None
    with _locked(out_dir, scene_id, fmt, exclusive=False):
        try:
            record = json.loads(record_path(out_dir, scene_id, fmt).read_text(encoding="utf-8"))
            if record["key"] != key:
                return None
            for dependency, digest in record["reads"].items():
                if _file_digest(Path(dependency)) != digest:
                    return None
            outputs = [out_dir / name for name in record["outputs"]]
            for path, name in zip(outputs, record["outputs"]):
                if _stat(path) != {k: record["outputs"][name][k] for k in ("size", "mtime_ns")}:
                    return None
                if _file_digest(path) != record["outputs"][name]["sha256"]:
                    return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # no record, a corrupt one, or a file gone: build again
    return outputs


def _record_text(key: str, outputs: Mapping[str, Path], reads: list[Path], seconds: float | None) -> str:
    return json.dumps({
        "key": key,
        "reads": {str(Path(p).resolve()): _file_digest(Path(p)) for p in sorted(set(reads))},
        "outputs": {name: _described(path) for name, path in outputs.items()},
        "seconds": seconds,  # how long the build took: the longest scenes are started first next time
    }, indent=1)


def temporary(target: Path) -> Path:
    """Where `target` is written before it is moved into place (same folder: os.replace is atomic only
    within one file system); the pid lets a later run clean up after a killed one."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def place(out_dir: Path, scene_id: str, fmt: str, key: str, files: Mapping[Path, Path | str],
          reads: list[Path], seconds: float | None = None) -> list[Path]:
    """Put a build's outputs in place as one unit, with their record: `files` maps each target in
    out_dir to a file to move there, or to the text to write.

    Everything is first written under temporary names in out_dir (where a full disk shows), then
    renamed into place under the output's lock, the old record dropped first: a fault leaves the old
    set whole, and a half-placed set is never taken for a build."""
    staged: dict[Path, Path] = {}
    record = record_path(out_dir, scene_id, fmt)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for target, source in files.items():
            staged[target] = temporary(target)
            if isinstance(source, Path):
                shutil.move(str(source), staged[target])
            else:
                staged[target].write_text(source, encoding="utf-8")
        record.parent.mkdir(parents=True, exist_ok=True)
        staged[record] = temporary(record)
        outputs = {target.name: staged[target] for target in files}
        staged[record].write_text(_record_text(key, outputs, reads, seconds), encoding="utf-8")
        with _locked(out_dir, scene_id, fmt, exclusive=True):
            record.unlink(missing_ok=True)
            for target in files:
                os.replace(staged.pop(target), target)
            os.replace(staged.pop(record), record)
    finally:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
    return list(files)


def remember(out_dir: Path, scene_id: str, fmt: str, key: str, outputs: list[Path], reads: list[Path],
             seconds: float | None = None) -> None:
    """Record a finished build whose outputs are already in place (the joined lecture), under a
    temporary name moved into place like every output: a reader sees the old record or the new one."""
    target = record_path(out_dir, scene_id, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = temporary(target)
    try:
        temp.write_text(_record_text(key, {p.name: p for p in outputs}, reads, seconds), encoding="utf-8")
        with _locked(out_dir, scene_id, fmt, exclusive=True):
            os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def last_seconds(out_dir: Path, scene_id: str, fmt: str) -> float:
    """How long the last build of this scene took (0 when unknown), whatever its key."""
    try:
        return float(json.loads(record_path(out_dir, scene_id, fmt).read_text(encoding="utf-8"))["seconds"] or 0)
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def join_key(clips: list[tuple[str, str, Path, Path | None, Mapping[str, Path]]]) -> str:
    """The key of a joined lecture: its clips' titles and files as they are now (size and mtime stand
    for the content: every clip file is written whole under a new name, so a new clip is a new mtime)."""
    def stat(path: Path | None) -> dict[str, int] | None:
        return None if path is None else _stat(Path(path))

    payload = [{"id": scene_id, "title": title, "video": stat(video), "subtitles": stat(subtitles),
                "tracks": {lang: stat(p) for lang, p in sorted(tracks.items())}}
               for scene_id, title, video, subtitles, tracks in clips]
    material = json.dumps({"clips": payload, "tools": tool_versions(),
                           "joiner": _file_digest(SCENES_DIR / "lecture.py")}, sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()
