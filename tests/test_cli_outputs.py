"""What the CLI writes, run as a user runs it: formats, reuse, parallel jobs, and the faults a user
meets (Ctrl-C, two renders at once, a machine without LaTeX) — nothing good is ever lost."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest
import srt
from helpers import REPO, TINY, cli


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if ".tmp" in p.name]


@pytest.mark.parametrize(("fmt", "codec"), [("webm", "vp9"), ("gif", "gif"), ("mp4", "h264")])
def test_each_video_format_is_a_real_clip_with_subtitles(tmp_path, fmt, codec):
    run = cli("render", "forward", "-f", fmt, "-o", str(tmp_path), *TINY)
    assert run.returncode == 0, run.stderr
    clip = tmp_path / f"forward.{fmt}"
    assert run.stdout.splitlines()[0] == str(clip)
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == codec
        assert (stream.codec_context.width, stream.codec_context.height) == (192, 108)
        assert sum(1 for _ in container.decode(stream)) > 50
    assert list(srt.parse((tmp_path / "forward.srt").read_text(encoding="utf-8")))
    assert not leftovers(tmp_path)


def test_png_is_the_last_frame_and_fast(tmp_path):
    run = cli("render", "forward", "choosing", "-f", "png", "-o", str(tmp_path), "--resolution", "320x180")
    assert run.returncode == 0, run.stderr
    for scene_id in ("forward", "choosing"):
        with av.open(str(tmp_path / f"{scene_id}.png")) as image:
            frame = next(image.decode(video=0)).to_ndarray(format="rgb24")
        assert frame.shape == (180, 320, 3) and frame.max() > 100  # something is drawn on the black
    assert not list(tmp_path.glob("*.srt"))


def test_a_second_render_reuses_the_first_and_force_renders_again(tmp_path):
    first = cli("render", "forward", "-o", str(tmp_path), *TINY, "-j", "1")
    assert first.returncode == 0, first.stderr
    stamp = (tmp_path / "forward.mp4").stat().st_mtime_ns
    again = cli("render", "forward", "-o", str(tmp_path), *TINY)
    assert again.returncode == 0 and "unchanged, reused" in again.stderr
    assert again.stdout == first.stdout and (tmp_path / "forward.mp4").stat().st_mtime_ns == stamp
    forced = cli("render", "forward", "-o", str(tmp_path), *TINY, "--force")
    assert forced.returncode == 0 and "reused" not in forced.stderr
    assert (tmp_path / "forward.mp4").stat().st_mtime_ns != stamp


def test_default_folder_follows_quality_size_and_language(tmp_path):
    env = {**os.environ, "ACTLECTURE_MEDIA": str(tmp_path / "media")}
    run = cli("render", "forward", "-f", "png", "--resolution", "192x108", env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(tmp_path / "media" / "108p15" / "forward.png")


def test_two_renders_of_one_scene_into_one_folder_do_not_corrupt_each_other(tmp_path):
    command = [sys.executable, str(REPO / "cli.py"), "render", "forward", "-o", str(tmp_path), *TINY, "--force"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    with av.open(str(tmp_path / "forward.mp4")) as container:
        assert sum(1 for _ in container.decode(video=0)) > 50
    assert list(srt.parse((tmp_path / "forward.srt").read_text(encoding="utf-8")))
    assert not leftovers(tmp_path)


def test_a_render_rewriting_its_cached_texts_leaves_the_shared_cache_whole(tmp_path, monkeypatch):
    """The race above, made certain: manim rewrites a cached text SVG in place each time it builds the
    Text (truncate, then write); a render reading the shared cache at that moment must still see it whole."""
    from xml.etree import ElementTree

    from pipeline import manim_assets

    monkeypatch.setattr(manim_assets, "WORK_DIR", tmp_path)
    from pipeline.preflight import font_files_key

    shared = {"text_dir": tmp_path / "texts" / f"192x108-{font_files_key()}" / "a.svg", "tex_dir": tmp_path / "Tex" / "b.svg"}
    for svg in shared.values():
        svg.parent.mkdir(parents=True)
        svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M 0 0 Z"/></svg>')
    with manim_assets.private_assets("forward-1", 192, 108) as private:
        own = Path(private["text_dir"]) / "a.svg"
        assert own.read_text() == shared["text_dir"].read_text()
        with open(own, "w") as rewriting:  # as manimpango's remove_last_M does
            for svg in shared.values():
                ElementTree.parse(svg)
            rewriting.write(shared["text_dir"].read_text())
    assert all(ElementTree.parse(svg) for svg in shared.values())
    assert not (tmp_path / "private" / "forward-1").exists()


def workers_of(pid: int) -> list[int]:
    """The local cluster's worker processes (spawned interpreters) still running for the command `pid`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes()
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and b"multiprocessing.spawn" in argv:
            found.append(int(proc.name))
    return found


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(("signum", "code", "said"), [(signal.SIGINT, 130, "interrupted"),
                                                      (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_or_kill_stops_in_one_line_keeps_the_previous_clip_and_leaves_nothing(tmp_path, jobs, signum, code,
                                                                                     said):
    previous = b"the previous good clip"
    (tmp_path / "forward.mp4").write_bytes(previous)
    (tmp_path / "choosing.mp4").write_bytes(previous)
    # As from a terminal: a test run started in the background (CI may do that) inherits SIGINT ignored,
    # and Python then leaves it ignored.
    run = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "render", "forward", "choosing", "-o", str(tmp_path),
                            "-j", jobs, "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), start_new_session=True)
    # Wait until rendering has begun (the first progress line), then give manim time to write frames.
    started = time.monotonic()
    line = run.stderr.readline()
    assert "rendering" in line, line
    time.sleep(4)
    assert run.poll() is None, "the render finished before it could be interrupted"
    workers = workers_of(run.pid)
    assert len(workers) == (2 if jobs == "2" else 0)
    if signum == signal.SIGINT:  # Ctrl-C at a terminal reaches the whole process group, workers too
        os.killpg(run.pid, signum)
    else:
        run.send_signal(signum)
    rest = run.stderr.read()
    run.wait(timeout=60)
    assert run.returncode == code
    assert rest.strip().splitlines()[-1] == said and "Traceback" not in rest
    assert time.monotonic() - started < 60
    assert (tmp_path / "forward.mp4").read_bytes() == previous == (tmp_path / "choosing.mp4").read_bytes()
    assert not leftovers(tmp_path)
    assert not workers_of(run.pid) and not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    work = REPO / "media" / ".work"
    assert not [p for pid in [run.pid, *workers] for p in work.glob(f"*/*-{pid}")], "working folders left behind"


def test_workers_die_with_a_killed_command_and_write_nothing(tmp_path):
    """SIGKILL leaves the command no chance to stop its workers: they see their parent gone and end
    (distributed watches it) instead of rendering on for a command that is gone; only the command
    writes to the output folder, so nothing arrives there."""
    previous = b"the previous good clip"
    (tmp_path / "forward.mp4").write_bytes(previous)
    run = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "render", "forward", "choosing", "-o", str(tmp_path),
                            "-j", "2", "--force", *TINY], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert "rendering" in run.stderr.readline()
    time.sleep(2)
    workers = workers_of(run.pid)
    assert len(workers) == 2
    run.kill()
    run.wait(timeout=30)
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "workers outlived their command"
    time.sleep(2)
    assert (tmp_path / "forward.mp4").read_bytes() == previous and not (tmp_path / "choosing.mp4").exists()


def test_without_latex_render_stops_in_one_line_naming_the_fix_and_writes_nothing(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path / "empty-bin")}
    run = cli("render", "forward", "-o", str(tmp_path / "out"), *TINY, env=env)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "error: latex and dvisvgm not found: formulas need LaTeX; run `bash scripts/setup.sh` or "
        "`apt-get install texlive-latex-base texlive-latex-extra dvisvgm`")
    assert "Traceback" not in run.stderr and not (tmp_path / "out").exists()


def test_doctor_reports_each_part_and_fails_without_latex(tmp_path):
    ok = cli("doctor")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    names = [line[8:30].strip() for line in ok.stdout.splitlines() if not line.startswith(" ")]
    assert {"manim", "latex", "dvisvgm", "CJK font", "encoder libx264", "encoder libvpx-vp9", "torch",
            "disk space"} <= set(names)
    broken = cli("doctor", env={**os.environ, "PATH": str(tmp_path)})
    assert broken.returncode == 1
    lines = broken.stdout.splitlines()
    latex = next(i for i, line in enumerate(lines) if line.split()[:2] == ["MISSING", "latex"])
    assert "apt-get install texlive-latex-base" in lines[latex + 1]
    assert broken.stderr.strip() == "error: a required part is missing (see fix: above)"


@pytest.mark.parametrize(("args", "expected"), [
    (["render", "forward", "-f", "avi"], "'avi' is not one of"),
    (["render", "forward", "--lang", "fr"], "'fr' is not one of"),
    (["render", "forward", "--jobs", "0"], "0 is not in the range"),
    (["render", "forward", "--fps", "0"], "0 is not in the range"),
    (["render", "forward", "--resolution", "wide"], "must be WIDTHxHEIGHT"),
    (["render", "forward", "--resolution", "-6x4"], "even numbers from 36"),
    (["render", "forward", "--resolution", "100x51"], "even numbers"),
    (["render", "forward", "--resolution", "16x16"], "even numbers from 36"),
    (["render", "forward", "--resolution", "32x18"], "even numbers from 36"),
    (["render", "vanishing", "--depth", "nan"], "'nan' is not a valid integer"),
    (["render", "vanishing", "--depth", "31"], "--depth must be between 2 and 30"),
    (["render", "activations", "--only", "relu,nope"], "unknown activation 'nope'"),
    (["render", "forward", "-o", "/proc/no-such-folder"], "is not writable"),
    (["export"], "Missing option '-o'"),
    (["export", "-o", "/proc/course-pack"], "is not writable"),
])
def test_bad_output_settings_are_one_line_exit_2_and_write_nothing(tmp_path, args, expected):
    run = cli(*args, env={**os.environ, "ACTLECTURE_MEDIA": str(tmp_path / "media")})
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], run.stderr
    assert not (tmp_path / "media").exists()


# --- the whole lecture and the course pack, end to end (tiny frames: the plumbing, not the pixels) -----

@pytest.fixture(scope="module")
def media(tmp_path_factory):
    """One media folder for the module: the lecture's clips are rendered once and reused after."""
    return tmp_path_factory.mktemp("media")


def test_lecture_renders_every_scene_then_a_warm_rebuild_reuses_everything(media):
    from content import registry

    env = {**os.environ, "ACTLECTURE_MEDIA": str(media)}
    # A relative -o, from another folder: the workers' clips and the joined lecture land in the caller's.
    cold = subprocess.run([sys.executable, str(REPO / "cli.py"), "lecture", *TINY, "-j", "2", "-o", "108p5"],
                          capture_output=True, text=True, timeout=900, env=env, cwd=media)
    assert cold.returncode == 0, cold.stderr
    folder = media / "108p5"
    assert cold.stdout.splitlines()[0] == str(folder / "lecture.mp4")
    chapters = (folder / "lecture-chapters.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split(" ", 1)[1] for line in chapters] == [spec.title for spec in list(registry.SCENES)]
    for lang in ("en", "zh"):
        assert list(srt.parse((folder / f"lecture.{lang}.srt").read_text(encoding="utf-8")))
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}
    started = time.monotonic()
    warm = cli("lecture", *TINY, env=env)
    assert warm.returncode == 0, warm.stderr
    assert warm.stderr.count("unchanged, reused") == len(list(registry.SCENES)) + 1 and "lecture unchanged" in warm.stderr
    assert time.monotonic() - started < 10
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_writes_a_course_pack_from_the_lecture(media, tmp_path, lang):
    import json

    env = {**os.environ, "ACTLECTURE_MEDIA": str(media)}
    run = cli("export", "-o", str(tmp_path / "pack"), *TINY, "--lang", lang, env=env, timeout=900)
    assert run.returncode == 0, run.stderr
    manifest = json.loads((tmp_path / "pack" / "manifest.json").read_text(encoding="utf-8"))
    assert run.stdout.strip() == str(tmp_path / "pack" / "manifest.json")
    page = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in page
    from content import registry

    assert [clip["id"] for clip in manifest["clips"]] == [spec.id for spec in list(registry.SCENES)]
    # The live presenter and the deck come with the pack, linked from its page.
    assert manifest["slides"]["presenter"]["path"] == "slides/index.html"
    assert 'href="slides/index.html"' in page and 'href="slides/slides.pptx"' in page
    slides = json.loads((tmp_path / "pack" / "slides" / "slides.json").read_text(encoding="utf-8"))
    assert slides["language"] == lang
    if lang == "zh":  # every title Chinese, and the joined lecture's chapters follow
        from content import i18n

        with av.open(str(tmp_path / "pack" / "lecture.mp4")) as container:
            titles = [chapter["metadata"]["title"] for chapter in container.chapters()]
        assert titles == [i18n.title(spec.id, "zh") for spec in list(registry.SCENES)]


def test_slides_cut_every_rendered_clip_at_its_beats_frame_for_frame(media, tmp_path):
    """Real clips (manim's): every beat copied from a keyframe, and the beats end to end are the clip."""
    import json

    from content import registry

    env = {**os.environ, "ACTLECTURE_MEDIA": str(media)}
    run = cli("slides", "all", "-o", str(tmp_path / "slides"), *TINY, env=env, timeout=900)
    assert run.returncode == 0, run.stderr
    folder = tmp_path / "slides"
    assert run.stdout.splitlines() == [str(folder / name) for name in ("index.html", "slides.pptx", "slides.json")]
    slides = json.loads((folder / "slides.json").read_text(encoding="utf-8"))["slides"]
    assert [s["scene"] for s in slides if s["kind"] == "title"] == [spec.id for spec in registry.SCENES]

    def frames(path):
        with av.open(str(path)) as source:
            return [frame.to_ndarray(format="rgb24").copy() for frame in source.decode(video=0)]

    for spec in registry.SCENES:
        timeline = json.loads((media / "108p5" / f"{spec.id}.beats.json").read_text(encoding="utf-8"))
        mine = [s for s in slides if s["kind"] == "beat" and s["scene"] == spec.id]
        assert [s["beat"] for s in mine] == [beat["key"] for beat in timeline["beats"]]
        assert [s["notes"] for s in mine] == [beat["narration"]["en"] for beat in timeline["beats"]]
        whole = frames(media / "108p5" / f"{spec.id}.mp4")
        cut = [frame for s in mine for frame in frames(folder / s["video"]["path"])]
        assert len(cut) == len(whole), spec.id
        assert all(np.array_equal(a, b) for a, b in zip(cut, whole)), spec.id


def test_a_terminated_export_leaves_no_half_built_pack(media, tmp_path):
    env = {**os.environ, "ACTLECTURE_MEDIA": str(media)}
    run = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "export", "-o", str(tmp_path / "pack"), *TINY],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in run.stderr:
        if "web video" in line:  # building the pack in its temporary folder
            break
    time.sleep(1)
    run.terminate()
    rest = run.stderr.read()
    assert run.wait(timeout=60) == 143 and rest.strip().splitlines()[-1] == "terminated", rest
    assert list(tmp_path.iterdir()) == []


def test_an_export_killed_between_its_renames_is_put_right_by_the_next_one(media, tmp_path):
    """Killed after moving the old pack aside and before moving the new one in, an export leaves no
    pack, only two hidden folders; the next export puts the old pack back first."""
    import json

    env = {**os.environ, "ACTLECTURE_MEDIA": str(media)}
    pack = tmp_path / "pack"
    assert cli("export", "-o", str(pack), *TINY, env=env, timeout=900).returncode == 0
    before = {p.relative_to(pack): p.read_bytes() for p in pack.rglob("*") if p.is_file()}
    marker = tmp_path / "swapping"
    faults = {"slow_replace": ["/pack", 60, str(marker)]}
    run = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "export", "-o", str(pack), *TINY],
                           env={**env, "PYTHONPATH": str(REPO / "tests" / "faults"),
                                "ACTLECTURE_FAULTS": json.dumps(faults)},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not marker.exists() and run.poll() is None:
        time.sleep(0.1)
    run.kill()
    run.wait(timeout=30)
    marker.unlink()
    assert not pack.exists() and len([p for p in tmp_path.iterdir() if p.name.startswith(".pack.")]) == 2
    # The next export fails late (a full disk as it writes the page), after it has put things right.
    failed = cli("export", "-o", str(pack), *TINY, timeout=900,
                 env={**env, "PYTHONPATH": str(REPO / "tests" / "faults"),
                      "ACTLECTURE_FAULTS": json.dumps({"full_disk": "index.html"})})
    assert failed.returncode == 1 and "No space left on device" in failed.stderr, failed.stderr
    assert {p.relative_to(pack): p.read_bytes() for p in pack.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]


def test_export_refuses_a_folder_that_is_not_a_pack(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    run = cli("export", "-o", str(tmp_path))
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1
    assert (tmp_path / "notes.txt").read_text() == "mine" and sorted(os.listdir(tmp_path)) == ["notes.txt"]


def test_chinese_without_a_cjk_font_stops_in_one_line_and_writes_nothing(tmp_path):
    """manim would draw empty boxes and cache them; a fontconfig that knows no fonts stands in for a
    machine without fonts-wqy-microhei."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n')
    run = cli("render", "forward", "--lang", "zh", "-o", str(tmp_path / "out"), *TINY,
              env={**os.environ, "FONTCONFIG_FILE": str(config)})
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "error: the 'zh' lecture needs the fonts 'DejaVu Sans' and 'WenQuanYi Micro Hei', which are not "
        "installed; install them: apt-get install fonts-dejavu-core fonts-wqy-microhei"]
    assert not (tmp_path / "out").exists()


def test_explain_speaks_the_chosen_language():
    import json

    run = cli("explain", "dead-relu", "--lang", "zh", "--json", "--no-timeline")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["lang"] == "zh" and data["title"] == "ReLU 的死区"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in beat["text"]) for beat in data["narration"])


def test_a_tiny_render_does_not_leave_wrapped_titles_for_a_large_one(tmp_path):
    """Pango wraps text at the frame's pixel width and manim's text cache ignores the width: a title
    cached by a 192-pixel render would come back wrapped at 480p unless each size has its own cache."""
    def rule_row(path):  # the title strip's full-width rule, the first row lit nearly all across
        with av.open(str(path)) as image:
            frame = next(image.decode(video=0)).to_ndarray(format="gray")
        lit = (frame > 60).mean(axis=1)
        return int(next(i for i, share in enumerate(lit) if share > 0.8)), frame.shape[0]

    assert cli("render", "neuron", "-f", "png", "-o", str(tmp_path / "tiny"), "--resolution", "192x108").returncode == 0
    assert cli("render", "neuron", "-f", "png", "-o", str(tmp_path / "big"), "--resolution", "854x480").returncode == 0
    row, height = rule_row(tmp_path / "big" / "neuron.png")
    assert row < 0.16 * height, "the title wrapped onto a second line"
