"""The scene-level build cache: a rendered clip is reused when nothing it depends on has changed.

A clip depends on its scene's code and the scene infrastructure it shares with the others, on mathcore,
on the experiment results its numbers were read from, on its parameters and output settings, and on
the versions of manim, PyAV and torch. All of that goes into one key. The key is checked before
anything is constructed (and before manim is even imported), so a warm rebuild costs a few file hashes.

The record of a build sits beside its outputs (`<out>/.build/<id>.<format>.json`): the key, the
result files the render read (with their hashes), and the size and mtime of every output. A record
that is missing, unreadable, or whose outputs were deleted or changed since, means: render again.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

from . import SCENES, SceneSpec

SCENES_DIR = Path(__file__).resolve().parent
MATHCORE_DIR = SCENES_DIR.parent / "mathcore"
# Modules of the scenes package that no clip is drawn from: joining and exporting happen after a render.
_NOT_A_DEPENDENCY = {"build.py", "lecture.py", "export.py"}
RECORD_DIR = ".build"


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


def build_key(spec: SceneSpec, settings: Mapping[str, Any]) -> str:
    """One hash of everything the clip depends on except the experiment results (checked separately,
    from the record, because which of them a scene reads is only known once it has run)."""
    # Relative names: the key must not depend on where the repository was cloned.
    sources = {os.path.relpath(p, SCENES_DIR.parent): _file_digest(p) for p in source_files(spec)}
    payload = {"scene": spec.id, "settings": dict(settings), "tools": tool_versions(), "sources": sources}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def record_path(out_dir: Path, scene_id: str, fmt: str) -> Path:
    return out_dir / RECORD_DIR / f"{scene_id}.{fmt}.json"


def _stat(path: Path) -> dict[str, int]:
    info = path.stat()
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def lookup(out_dir: Path, scene_id: str, fmt: str, key: str) -> list[Path] | None:
    """The outputs of an earlier build with this key, still as that build left them; else None."""
    try:
        record = json.loads(record_path(out_dir, scene_id, fmt).read_text(encoding="utf-8"))
        if record["key"] != key:
            return None
        for dependency, digest in record["reads"].items():
            if _file_digest(Path(dependency)) != digest:
                return None
        outputs = [out_dir / name for name in record["outputs"]]
        for path, name in zip(outputs, record["outputs"]):
            if _stat(path) != record["outputs"][name]:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, a corrupt one, or a file gone: build again
    return outputs


def remember(out_dir: Path, scene_id: str, fmt: str, key: str, outputs: list[Path], reads: list[Path],
             seconds: float | None = None) -> None:
    """Record a finished build, under a temporary name moved into place like every output: a reader sees
    the old record or the new one, never half of one."""
    record = {
        "key": key,
        "reads": {str(Path(p).resolve()): _file_digest(Path(p)) for p in sorted(set(reads))},
        "outputs": {p.name: _stat(p) for p in outputs},
        "seconds": seconds,  # how long the build took: the longest scenes are started first next time
    }
    target = record_path(out_dir, scene_id, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(record, indent=1), encoding="utf-8")
    os.replace(temporary, target)


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
