"""The build cache: a hit when nothing changed, a miss on each kind of change that matters and on none that
does not (the folder rules of pipeline/dependencies.py), and a corrupt or outdated record rebuilt, never
trusted."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO
from helpers import TINY_SETTINGS as TINY

from content import registry
from content.catalogue import en, zh
from pipeline import dependencies
from pipeline.render import Job, render
from pipeline.settings import RenderSettings
from pipeline.cluster import render_many


def key(scene_id="forward", params=None, **settings):
    spec = registry.get(scene_id)
    return dependencies.build_key(spec, spec.resolve_params(params), RenderSettings(**settings))


def all_keys():
    return {spec.id: key(spec.id) for spec in registry.SCENES}


@pytest.mark.parametrize("change", [{"quality": "h"}, {"fmt": "webm"}, {"lang": "zh"}, {"resolution": (320, 180)},
                                    {"frame_rate": 30}, {"check_layout": True}])
def test_each_setting_is_part_of_the_key(change):
    assert key(**change) != key()


def test_parameters_are_part_of_the_key_and_where_the_clip_goes_is_not(tmp_path):
    assert key("vanishing", {"depth": 5}) != key("vanishing")
    assert key(out_dir=tmp_path) == key() == key(force=True)


def test_tool_versions_are_part_of_the_key(monkeypatch):
    before = key()
    monkeypatch.setattr(dependencies, "tool_versions", lambda: {"manim": "0.23.0", "av": None, "torch": None,
                                                                "numpy": None})
    assert key() != before


def test_a_scene_depends_on_its_own_code_and_the_shared_code_but_not_on_other_scenes():
    files = {os.path.relpath(path, REPO) for path in dependencies.source_files(registry.get("forward"))}
    assert {"scenes/forward.py", "scenes/base.py", "scenes/theme.py", "content/numbers/forward.py",
            "content/numbers/_network.py", "content/i18n.py", "mathcore/activations.py", "pipeline/render.py"} <= files
    assert not files & {"scenes/backprop.py", "content/numbers/backprop.py", "pipeline/join.py", "pipeline/pack.py",
                        "pipeline/doctor.py", "cli.py", "experiments/exploding.py"}
    assert not any(path.startswith("content/catalogue/") for path in files)  # words count as data, by scene


@pytest.mark.parametrize("edit", [
    lambda: en.NARRATION["softmax"].__setitem__("answer", en.NARRATION["softmax"]["answer"] + " Really."),
    lambda: zh.NARRATION["softmax"].__setitem__("answer", zh.NARRATION["softmax"]["answer"] + "真的。"),
    lambda: en.TITLES.__setitem__("softmax", "Softmax, again"),
    lambda: en.WORDS["softmax"].__setitem__("question", "Another question?"),
])
def test_editing_one_scenes_words_changes_that_scenes_key_only(edit, monkeypatch):
    before = all_keys()
    for catalogue in (en, zh):  # undone after the test, whatever the edit touched
        for name in ("NARRATION", "TITLES", "WORDS"):
            monkeypatch.setattr(catalogue, name, json.loads(json.dumps(getattr(catalogue, name))))
    edit()
    after = all_keys()
    assert [scene for scene in before if before[scene] != after[scene]] == ["softmax"]


def _keys_in(copy: Path) -> dict:
    """Every scene's default key, computed by the code in `copy` (a clone of the repository)."""
    script = ("import json; from content import registry; from pipeline import dependencies; "
              "from pipeline.settings import RenderSettings; "
              "print(json.dumps({s.id: dependencies.build_key(s, s.resolve_params({}), RenderSettings()) "
              "for s in registry.SCENES}))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=copy, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(copy)})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_editing_the_tools_around_the_render_re_renders_nothing_and_a_scene_re_renders_itself(tmp_path):
    """Real edits, in a copy of the repository: the doctor, the course pack, the joiner, the CLI and an
    experiment's code change no clip's key; a scene's view module or its numbers change that scene's."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".venv", "media", ".git", "__pycache__", "tests"))
    before = _keys_in(copy)
    for name in ("pipeline/doctor.py", "pipeline/pack.py", "pipeline/join.py", "cli.py", "experiments/exploding.py",
                 "experiments/runner.py"):
        with open(copy / name, "a", encoding="utf-8") as f:
            f.write("\n# an edit\n")
    assert _keys_in(copy) == before
    for name in ("scenes/softmax.py", "content/numbers/softmax.py"):
        with open(copy / name, "a", encoding="utf-8") as f:
            f.write("\n# an edit\n")
        after = _keys_in(copy)
        assert [scene for scene in before if before[scene] != after[scene]] == ["softmax"], name
        before = after
    with open(copy / "scenes" / "theme.py", "a", encoding="utf-8") as f:  # shared drawing code: every scene
        f.write("\n# an edit\n")
    after = _keys_in(copy)
    assert all(before[scene] != after[scene] for scene in before)


@pytest.fixture
def rendered(tmp_path):
    spec = registry.get("forward")
    first = render(spec, {}, RenderSettings(out_dir=tmp_path, **TINY))
    return spec, tmp_path, first


def _mtimes(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}


def test_an_unchanged_scene_is_reused_without_rendering(rendered, monkeypatch):
    spec, folder, first = rendered
    assert not first.cached and first.tracks and first.subtitles.exists() and first.beats.exists()
    before = _mtimes(folder)
    monkeypatch.setattr(spec.__class__, "load", lambda self: pytest.fail("a cache hit must not build the scene"))
    again = render(spec, {}, RenderSettings(out_dir=folder, **TINY))
    assert again.cached and again == type(first)(**{**first.__dict__, "cached": True})
    assert _mtimes(folder) == before


@pytest.mark.parametrize("damage", ["corrupt record", "deleted video", "changed video", "other key",
                                    "deleted timeline"])
def test_a_damaged_or_outdated_build_is_rendered_again(rendered, damage):
    spec, folder, first = rendered
    record = dependencies.record_path(folder, spec.id, "mp4")
    if damage == "corrupt record":
        record.write_text('{"key": ')
    elif damage == "deleted video":
        first.video.unlink()
    elif damage == "changed video":
        time.sleep(0.01)
        first.video.write_bytes(first.video.read_bytes()[:-10])
    elif damage == "deleted timeline":
        first.beats.unlink()
    else:
        data = json.loads(record.read_text())
        data["key"] = "0" * 64
        record.write_text(json.dumps(data))
    again = render(spec, {}, RenderSettings(out_dir=folder, **TINY))
    assert not again.cached and again.video.stat().st_size > 1000 and again.beats.exists()


def test_force_renders_again(rendered):
    spec, folder, _ = rendered
    assert not render(spec, {}, RenderSettings(out_dir=folder, force=True, **TINY)).cached


def test_the_key_follows_the_result_file_of_each_declared_experiment(tmp_path, monkeypatch):
    spec = registry.get("exploding")
    assert spec.experiments == ("exploding",)
    before = key("exploding")
    local = tmp_path / "local.json"
    local.write_text("{}")
    monkeypatch.setattr(dependencies, "result_files", lambda s: {"exploding": local} if s.id == "exploding" else {})
    assert key("exploding") != before and key("forward") == key("forward")


def test_the_declared_experiments_are_the_ones_each_scene_reads(monkeypatch):
    import experiments

    real, read = experiments.run_cached, []
    monkeypatch.setattr(experiments, "run_cached", lambda name, *args, **kwargs: read.append(name) or real(name, *args,
                                                                                                        **kwargs))
    for spec in registry.SCENES:
        read.clear()
        spec.numbers()
        assert sorted(set(read)) == sorted(spec.experiments), spec.id


def test_the_beat_timeline_is_the_clips_own(rendered):
    from content.narration import scene_data

    spec, folder, first = rendered
    timeline = json.loads(first.beats.read_text(encoding="utf-8"))
    data = scene_data("forward")
    assert [beat["key"] for beat in timeline["beats"]] == [beat.key for beat in data.beats]
    assert all(beat["narration"] == dict(data.beat(beat["key"]).text) for beat in timeline["beats"])
    ends = [0.0] + [beat["end"] for beat in timeline["beats"]]
    frame = 1 / TINY["frame_rate"]  # a wait lasts whole frames
    for beat, end_before in zip(timeline["beats"], ends):
        assert beat["start"] >= end_before - 1e-9
        assert beat["end"] - beat["start"] >= data.beat(beat["key"]).reading_time - frame - 1e-9, beat
    import av

    with av.open(str(first.video)) as container:
        assert float(container.duration / 1e6) == pytest.approx(timeline["duration"], abs=0.25)


def test_parallel_jobs_report_a_failing_scene_and_keep_the_others(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    events = []
    jobs = [Job("forward", {}, RenderSettings(out_dir=tmp_path / "good", **TINY)),
            Job("choosing", {}, RenderSettings(out_dir=blocker / "sub", **TINY))]
    outcome = render_many(jobs, workers=2, report=lambda event, job, detail: events.append((event, job.scene_id)))
    assert outcome.rendered[0].video.exists() and 1 not in outcome.rendered
    assert "Error" in outcome.failed[1] and "\n" not in outcome.failed[1]
    assert ("failed", "choosing") in events and ("done", "forward") in events


def test_a_scene_that_fails_on_a_worker_is_one_line_and_the_others_are_placed(tmp_path):
    """The failure happens in the worker's process (the scene refuses its parameters as it builds): it
    comes back as one line, nothing of it is placed, and the other clip is."""
    events = []
    jobs = [Job("vanishing", {"depth": 0, "activation": "sigmoid"}, RenderSettings(out_dir=tmp_path, **TINY)),
            Job("forward", {}, RenderSettings(out_dir=tmp_path, **TINY))]
    outcome = render_many(jobs, workers=2, report=lambda event, job, detail: events.append((event, job.scene_id, detail)))
    assert outcome.failed == {0: "ValueError: --depth must be between 2 and 30 (got 0)"}
    assert outcome.rendered[1].video == tmp_path / "forward.mp4" and outcome.rendered[1].video.stat().st_size > 0
    assert not list(tmp_path.glob("vanishing*")) and not (tmp_path / ".build" / "vanishing.mp4.json").exists()
    running = [detail["worker"] for event, _, detail in events if event == "running"]
    assert running and all("/" in where for where in running)
