"""The scene-level build cache: a hit when nothing changed, a miss on each kind of change, and a
corrupt or outdated record rebuilt, never trusted."""

import json
import os
import time

import pytest

import scenes
from scenes import build
from scenes.render import Job, render, render_many

TINY = {"resolution": (192, 108), "frame_rate": 5}
SETTINGS = {"params": {}, "quality": "l", "resolution": None, "frame_rate": None, "format": "mp4", "lang": "en",
            "check_layout": False}


def key(scene_id="forward", **changes):
    return build.build_key(scenes.get(scene_id), {**SETTINGS, **changes})


@pytest.mark.parametrize("change", [{"params": {"depth": 5}}, {"quality": "h"}, {"format": "webm"},
                                    {"lang": "zh"}, {"resolution": (320, 180)}, {"frame_rate": 30}])
def test_each_setting_is_part_of_the_key(change):
    assert key(**change) != key()


def test_the_key_is_stable():
    assert key() == key()


def test_tool_versions_are_part_of_the_key(monkeypatch):
    before = key()
    monkeypatch.setattr(build, "tool_versions", lambda: {"manim": "0.23.0", "av": None, "torch": None, "numpy": None})
    assert key() != before


def test_a_scene_depends_on_its_own_code_and_the_shared_code_but_not_on_other_scenes():
    files = {path.name for path in build.source_files(scenes.get("forward"))}
    assert {"forward.py", "base.py", "theme.py", "values.py", "render.py", "activations.py", "network.py"} <= files
    assert not files & {"backprop.py", "vanishing.py", "lecture.py", "build.py"}


def test_editing_a_source_file_changes_the_key(monkeypatch, tmp_path):
    extra = tmp_path / "edited.py"
    extra.write_text("X = 1\n")
    real = build.source_files
    monkeypatch.setattr(build, "source_files", lambda spec: real(spec) + [extra])
    before = key()
    extra.write_text("X = 2\n")
    assert key() != before


@pytest.fixture
def rendered(tmp_path):
    spec = scenes.get("forward")
    first = render(spec, {}, "l", tmp_path, progress=False, **TINY)
    return spec, tmp_path, first


def _mtimes(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}


def test_an_unchanged_scene_is_reused_without_rendering(rendered, monkeypatch):
    spec, folder, first = rendered
    assert not first.cached and first.tracks and first.subtitles.exists()
    before = _mtimes(folder)
    monkeypatch.setattr(spec.__class__, "load", lambda self: pytest.fail("a cache hit must not build the scene"))
    again = render(spec, {}, "l", folder, progress=False, **TINY)
    assert again.cached and again == type(first)(**{**first.__dict__, "cached": True})
    assert _mtimes(folder) == before


@pytest.mark.parametrize("damage", ["corrupt record", "deleted video", "changed video", "other key"])
def test_a_damaged_or_outdated_build_is_rendered_again(rendered, damage):
    spec, folder, first = rendered
    record = build.record_path(folder, spec.id, "mp4")
    if damage == "corrupt record":
        record.write_text('{"key": ')
    elif damage == "deleted video":
        first.video.unlink()
    elif damage == "changed video":
        time.sleep(0.01)
        first.video.write_bytes(first.video.read_bytes()[:-10])
    else:
        data = json.loads(record.read_text())
        data["key"] = "0" * 64
        record.write_text(json.dumps(data))
    again = render(spec, {}, "l", folder, progress=False, **TINY)
    assert not again.cached and again.video.stat().st_size > 1000


def test_force_renders_again(rendered):
    spec, folder, _ = rendered
    assert not render(spec, {}, "l", folder, progress=False, force=True, **TINY).cached


def test_a_changed_training_result_renders_the_scene_again(tmp_path):
    """The record lists the result files the render read; editing one is a miss."""
    results = tmp_path / "results.json"
    results.write_text("{}")
    record_dir = tmp_path / "out"
    record_dir.mkdir()
    output = record_dir / "x.mp4"
    output.write_bytes(b"clip")
    build.remember(record_dir, "x", "mp4", "k", [output], [results])
    assert build.lookup(record_dir, "x", "mp4", "k") == [output]
    results.write_text('{"changed": true}')
    assert build.lookup(record_dir, "x", "mp4", "k") is None
    results.unlink()
    assert build.lookup(record_dir, "x", "mp4", "k") is None


def test_a_scene_records_the_training_results_it_reads(tmp_path):
    spec = scenes.get("exploding")
    render(spec, {}, "l", tmp_path, progress=False, fmt="png", **TINY)
    reads = json.loads(build.record_path(tmp_path, spec.id, "png").read_text())["reads"]
    assert [os.path.basename(path).split("-")[0] for path in reads] == ["exploding"]


def test_parallel_jobs_report_a_failing_scene_and_keep_the_others(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    events = []
    outcome = render_many([Job("forward", {}, out_dir=tmp_path / "good", **TINY),
                           Job("choosing", {}, out_dir=blocker / "sub", **TINY),
                           Job("vanishing", {"depth": 0}, out_dir=tmp_path / "good", **TINY)],
                          workers=2, report=lambda event, job, detail: events.append((event, job.scene_id)))
    assert outcome["forward"].video.exists()
    assert "is not a folder" in outcome["choosing"] and "--depth must be between" in outcome["vanishing"]
    assert ("failed", "choosing") in events and ("failed", "vanishing") in events and ("done", "forward") in events

