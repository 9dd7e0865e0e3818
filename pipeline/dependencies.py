"""The build cache: a rendered clip is reused when nothing it depends on has changed.

What a clip depends on follows from where code lives (one layer per folder):
- scenes/: its own module and every module there that is not a scene (base, theme, charts, diagram ...);
- content/numbers/: its own numbers module and the shared ones (`_*.py`, `__init__.py`); the other
  modules directly in content/ (format, i18n, subtitles, fonts, narration, registry);
- its own words, as data: its sections of every catalogue (title, words, narration) plus the shared ones
  ("common" words, terms), not the catalogue files: one scene's sentence re-renders that scene only;
- all of mathcore/, and the result files of its declared experiments as a render would read them now
  (not the experiments' code: a code change shows as a new result);
- the pipeline modules that drive manim or write the clip (settings, render, manim_assets, encoding, muxing),
  not the joiner, the course pack, the doctor or the CLI;
- all of voice/ (how speech is made, trimmed, normalised and laid), and who says each beat: the synthetic
  voice with its version and the spoken text, or a recorded take by its bytes (the clip's VoicePlan);
- its parameters, the render settings, the font files and the versions of manim, PyAV, torch and numpy.
The key is checked before anything is constructed (and before manim is even imported).

The record of a build sits beside its outputs (`<out>/.build/<id>.<format>.json`): the key and the size,
mtime and sha256 of every output. A record that is missing, unreadable, or whose outputs were deleted or
changed since, means: render again. A clip and its sidecar files are placed as one unit with their
record (`place`).
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

import atomic
from content import i18n
from content.registry import SCENES, SceneSpec

REPO = Path(__file__).resolve().parent.parent
SCENES_DIR, CONTENT_DIR, MATHCORE_DIR = REPO / "scenes", REPO / "content", REPO / "mathcore"
NUMBERS_DIR = CONTENT_DIR / "numbers"
# The pipeline modules whose code shapes a frame (the manim options, the asset folders).
RENDERING = tuple(REPO / "pipeline" / name
                  for name in ("settings.py", "render.py", "manim_assets.py", "encoding.py", "muxing.py"))
VOICE_DIR = REPO / "voice"
RECORD_DIR = ".build"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _module_name(spec: SceneSpec) -> str:
    return spec.module.rsplit(".", 1)[-1] + ".py"


def source_files(spec: SceneSpec) -> list[Path]:
    """The code a scene's frames depend on, by the folder rules above."""
    scene_modules = {_module_name(s) for s in SCENES}
    own = _module_name(spec)
    views = [p for p in sorted(SCENES_DIR.glob("*.py")) if p.name == own or p.name not in scene_modules]
    numbers = [p for p in sorted(NUMBERS_DIR.glob("*.py"))
               if p.name == own or p.name.startswith("_") and p.name != "__pycache__"]
    content = sorted(CONTENT_DIR.glob("*.py"))
    return [*views, *numbers, *content, *sorted(MATHCORE_DIR.rglob("*.py")), *sorted(VOICE_DIR.glob("*.py")),
            *RENDERING]


def catalogue_sections(scene_id: str) -> dict[str, Any]:
    """The scene's own words and the shared ones, in every language, as data."""
    sections = {}
    for lang in i18n.LANGS:
        catalogue = i18n.catalogue(lang)
        sections[lang] = {"title": catalogue.TITLES[scene_id], "words": catalogue.WORDS.get(scene_id, {}),
                          "common": catalogue.WORDS["common"], "terms": catalogue.TERMS,
                          "narration": catalogue.NARRATION[scene_id]}
    return sections


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
    import experiments

    return {name: experiments.served_file(name) for name in spec.experiments}


def build_key(spec: SceneSpec, params: Mapping[str, Any], settings, voice=None) -> str:
    """One hash of everything the clip of `spec` with `params` under `settings` (RenderSettings) and with
    `voice` (a voice.Voice: the synthetic voice, the takes by their bytes; None: silent) depends on."""
    from .preflight import font_files_key

    # Relative names: the key must not depend on where the repository was cloned.
    payload = {
        "scene": spec.id, "params": dict(params), "settings": settings.key_fields(), "tools": tool_versions(),
        "sources": {os.path.relpath(p, REPO): file_digest(p) for p in source_files(spec)},
        "words": catalogue_sections(spec.id),
        "results": {name: None if path is None else file_digest(path) for name, path in result_files(spec).items()},
        "fonts": font_files_key(),
        "voice": None if voice is None else voice.key(spec.id),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def record_path(out_dir: Path, scene_id: str, fmt: str) -> Path:
    return out_dir / RECORD_DIR / f"{scene_id}.{fmt}.json"


def _stat(path: Path) -> dict[str, int]:
    info = path.stat()
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _described(path: Path) -> dict[str, Any]:
    # The hash, not only size and mtime: a garbled file whose mtime was put back is still another file.
    return {**_stat(path), "sha256": file_digest(path)}


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
            outputs = [out_dir / name for name in record["outputs"]]
            for path, name in zip(outputs, record["outputs"]):
                if _stat(path) != {k: record["outputs"][name][k] for k in ("size", "mtime_ns")}:
                    return None
                if file_digest(path) != record["outputs"][name]["sha256"]:
                    return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # no record, a corrupt one, or a file gone: build again
    return outputs


def _record_text(key: str, outputs: Mapping[str, Path], seconds: float | None) -> str:
    return json.dumps({
        "key": key,
        "outputs": {name: _described(path) for name, path in outputs.items()},
        "seconds": seconds,  # how long the build took: the longest scenes are started first next time
    }, indent=1)


def place(out_dir: Path, scene_id: str, fmt: str, key: str, files: Mapping[Path, Path | str | bytes],
          seconds: float | None = None) -> list[Path]:
    """Put a build's outputs in place as one unit, with their record: `files` maps each target in
    out_dir to a file to move there, or to the text or bytes to write (what a cluster's worker sent).

    Everything is first written under temporary names in out_dir (where a full disk shows), then
    renamed into place under the output's lock, the old record dropped first: a fault leaves the old
    set whole, and a half-placed set is never taken for a build."""
    staged: dict[Path, Path] = {}
    record = record_path(out_dir, scene_id, fmt)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for target, source in files.items():
            staged[target] = atomic.temporary(target)
            if isinstance(source, Path):
                shutil.move(str(source), staged[target])
            elif isinstance(source, bytes):
                staged[target].write_bytes(source)
            else:
                staged[target].write_text(source, encoding="utf-8")
        record.parent.mkdir(parents=True, exist_ok=True)
        staged[record] = atomic.temporary(record)
        outputs = {target.name: staged[target] for target in files}
        staged[record].write_text(_record_text(key, outputs, seconds), encoding="utf-8")
        with _locked(out_dir, scene_id, fmt, exclusive=True):
            record.unlink(missing_ok=True)
            for target in files:
                os.replace(staged.pop(target), target)
            os.replace(staged.pop(record), record)
    finally:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
    return list(files)


def remember(out_dir: Path, scene_id: str, fmt: str, key: str, outputs: list[Path]) -> None:
    """Record a finished build whose outputs are already in place (the joined lecture)."""
    target = record_path(out_dir, scene_id, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir, scene_id, fmt, exclusive=True):
        atomic.write_text(target, _record_text(key, {p.name: p for p in outputs}, None))


def remove_stale(out_dir: Path) -> None:
    """What killed renders left in an output folder and its record folder under temporary names."""
    atomic.remove_stale(out_dir)
    atomic.remove_stale(Path(out_dir) / RECORD_DIR)


def last_seconds(out_dir: Path, scene_id: str, fmt: str) -> float:
    """How long the last build of this scene took (0 when unknown), whatever its key."""
    try:
        return float(json.loads(record_path(out_dir, scene_id, fmt).read_text(encoding="utf-8"))["seconds"] or 0)
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def join_key(clips) -> str:
    """The key of a joined lecture (clips: join.Clip): its clips' titles and files as they are now (size
    and mtime stand for the content: every clip file is written whole under a new name), the joiner's
    code and the tool versions."""
    def stat(path: Path | None) -> dict[str, int] | None:
        return None if path is None else _stat(Path(path))

    payload = [{"id": clip.scene_id, "title": clip.title, "video": stat(clip.video), "subtitles": stat(clip.subtitles),
                "tracks": {lang: stat(p) for lang, p in sorted(clip.tracks.items())}} for clip in clips]
    material = json.dumps({"clips": payload, "tools": tool_versions(),
                           "joiner": file_digest(REPO / "pipeline" / "join.py")}, sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()
