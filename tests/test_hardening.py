"""Faults a hostile or unlucky user meets, run as a user runs the CLI (a subprocess): nothing a user put in
a folder is removed, no stale or mismatched clip is reused, and a failed run leaves the previous outputs
whole. Faults that need precise timing are injected with tests/faults/sitecustomize.py."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import av
import pytest
import srt
from helpers import FAULTS, REPO, TINY, cli


def one_line_error(run, code: int) -> str:
    assert run.returncode == code, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if ".tmp" in p.name]


def fake_pack(folder: Path) -> None:
    """A folder as an export leaves it: every file listed in manifest.json with its size and sha256."""
    folder.mkdir()
    (folder / "clips").mkdir()
    files = {"index.html": b"<!doctype html>", "clips/one.mp4": b"not really a video"}
    entries = {}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        entries[name] = {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    manifest = {"generator": "actlecture 0.1.0", "page": entries["index.html"],
                "clips": [{"id": "one", "files": {"mp4": entries["clips/one.mp4"]}}]}
    (folder / "manifest.json").write_text(json.dumps(manifest))


# --- 1, 2: export replaces only a folder that is exactly a pack it wrote ------------------------------

def test_export_refuses_a_folder_whose_manifest_is_not_a_packs(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "manifest.json").write_text("{}")
    (folder / "bg.js").write_text("js")
    run = cli("export", "-o", str(folder))
    assert "not a course pack" in one_line_error(run, 2)
    assert "rendering" not in run.stderr
    assert snapshot(folder) == {"bg.js": b"js", "manifest.json": b"{}"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize(("change", "named"), [
    (lambda pack: (pack / "notes.txt").write_text("mine"), "notes.txt"),
    (lambda pack: (pack / "clips" / "mine").mkdir(), "clips/mine/"),
    (lambda pack: (pack / "index.html").write_text("<!doctype html><p>my edits"), "index.html"),
])
def test_export_refuses_a_pack_holding_a_users_files_naming_them(tmp_path, change, named):
    pack = tmp_path / "pack"
    fake_pack(pack)
    change(pack)
    before = snapshot(pack)
    run = cli("export", "-o", str(pack))
    assert named in one_line_error(run, 2)
    assert snapshot(pack) == before and (pack / "clips" / "mine").exists() == (named == "clips/mine/")


def test_a_pack_exactly_as_written_may_be_replaced(tmp_path):
    from pipeline.pack import check_pack_dir

    fake_pack(tmp_path / "pack")
    check_pack_dir(tmp_path / "pack")
    (tmp_path / "pack" / "index.html").unlink()  # a file the user deleted: nothing of theirs is lost
    check_pack_dir(tmp_path / "pack")


# --- 3: fonts are checked before any text is drawn, and the text cache follows the font files ---------

def test_a_missing_latin_font_stops_the_render_before_any_glyph_is_cached(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n')
    work = tmp_path / "work"  # manim's caches of its own: nothing may be drawn, so nothing cached
    run = cli("render", "choosing", "--force", "-o", str(tmp_path / "out"), *TINY,
              env={**os.environ, "FONTCONFIG_FILE": str(config), "ACTLECTURE_WORK": str(work)})
    line = one_line_error(run, 1)
    assert "'DejaVu Sans'" in line and line.endswith("apt-get install fonts-dejavu-core")
    assert not (tmp_path / "out").exists()
    assert not list(work.rglob("*.svg"))


def test_the_text_cache_is_keyed_by_the_font_files(tmp_path):
    """The same family from another file (a font upgrade, another machine's copy) is another cache."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", fonts)
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                      f'<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n')
    key = [sys.executable, "-c", "from pipeline.preflight import font_files_key; print(font_files_key())"]
    usual = subprocess.run(key, capture_output=True, text=True, cwd=REPO, check=True).stdout
    other = subprocess.run(key, capture_output=True, text=True, cwd=REPO, check=True,
                           env={**os.environ, "FONTCONFIG_FILE": str(config)}).stdout
    assert usual.strip() and other.strip() and usual != other


# --- 4, 18: output folders are the caller's ---------------------------------------------------------

def test_a_relative_output_folder_is_the_callers_also_with_workers(tmp_path):
    run = cli("render", "neuron", "forward", "-j", "2", "-o", "rel", "-f", "png", *TINY, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [str(tmp_path / "rel" / "neuron.png"), str(tmp_path / "rel" / "forward.png")]
    assert (tmp_path / "rel" / "neuron.png").is_file() and (tmp_path / "rel" / "forward.png").is_file()
    assert not (REPO / "rel").exists()


@pytest.mark.parametrize("command", [["render", "forward"], ["lecture"], ["export"]])
def test_an_empty_output_folder_is_a_usage_error(tmp_path, command):
    run = cli(*command, "-o", "", cwd=tmp_path)
    assert "must name a folder" in one_line_error(run, 2)
    assert list(tmp_path.iterdir()) == []


# --- 5, 8: reuse follows what the render would read now, and the outputs' contents ---------------------

def test_a_local_training_result_that_differs_from_the_published_one_renders_again(tmp_path):
    results = tmp_path / "results"
    env = {**os.environ, "ACTLECTURE_RESULTS_DIR": str(results)}
    first = cli("render", "exploding", "-f", "png", "-o", str(tmp_path / "out"), *TINY, env=env)
    assert first.returncode == 0, first.stderr
    shown = cli("explain", "exploding", "--json", "--no-timeline", env=env)
    # What `train --force` gives on another CPU: the same key, other numbers.
    published, = (REPO / "experiments" / "published").glob("exploding-*.json")
    entry = json.loads(published.read_text(encoding="utf-8"))
    entry["result"]["runs"]["oversized"]["signal_grad_norms"][0] *= 2
    results.mkdir()
    (results / published.name).write_text(json.dumps(entry), encoding="utf-8")
    assert cli("explain", "exploding", "--json", "--no-timeline", env=env).stdout != shown.stdout
    again = cli("render", "exploding", "-f", "png", "-o", str(tmp_path / "out"), *TINY, env=env)
    assert again.returncode == 0, again.stderr
    assert "reused" not in again.stderr and "rendering" in again.stderr


def test_a_garbled_clip_with_its_old_mtime_is_not_reused(tmp_path):
    first = cli("render", "forward", "-f", "png", "-o", str(tmp_path), *TINY)
    assert first.returncode == 0, first.stderr
    clip = tmp_path / "forward.png"
    info = clip.stat()
    data = bytearray(clip.read_bytes())
    data[len(data) // 2] ^= 0xFF
    clip.write_bytes(bytes(data))
    os.utime(clip, ns=(info.st_atime_ns, info.st_mtime_ns))
    again = cli("render", "forward", "-f", "png", "-o", str(tmp_path), *TINY)
    assert again.returncode == 0 and "reused" not in again.stderr, again.stderr
    with av.open(str(clip)) as image:
        assert next(image.decode(video=0)).width == 192


# --- 6, 7: a clip and its subtitles are placed together, or not at all ----------------------------------

def spoken(subtitles: Path) -> str:
    """Every word of a subtitle file, without the line breaks and spaces the cues add."""
    return "".join("".join(cue.content.split()) for cue in srt.parse(subtitles.read_text(encoding="utf-8")))


def narrated(only: str, lang: str) -> str:
    """Every word the gallery with `--only` says in `lang`, as `explain` prints it."""
    run = cli("explain", "activations", "--only", only, "--json", "--no-timeline", "--lang", lang)
    return "".join("".join(beat["text"].split()) for beat in json.loads(run.stdout)["narration"])


def test_two_renders_with_different_parameters_never_leave_a_mismatched_pair(tmp_path):
    """Render A is held in the middle of placing its outputs while render B renders and places all of its
    own; the folder must end up holding one render's clip with that same render's subtitles."""
    import time

    out, marker = tmp_path / "out", tmp_path / "placing"
    # Two frames a second: the fast render must finish inside the slow one's pause.
    common = ["render", "activations", "-o", str(out), "--resolution", "192x108", "--fps", "2", "-j", "1", "--force"]
    faults = {"slow_replace": [".srt", 14, str(marker)]}
    env = {**os.environ, "PYTHONPATH": str(FAULTS), "ACTLECTURE_FAULTS": json.dumps(faults)}
    slow = subprocess.Popen([sys.executable, str(REPO / "cli.py"), *common, "--only", "relu"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not marker.exists() and slow.poll() is None:
        time.sleep(0.1)
    fast = cli(*common, "--only", "sigmoid")
    _, err = slow.communicate(timeout=300)
    assert slow.returncode == 0 and fast.returncode == 0, err + fast.stderr
    with av.open(str(out / "activations.mp4")) as container:
        frames = sum(1 for _ in container.decode(video=0))
    cues = list(srt.parse((out / "activations.srt").read_text(encoding="utf-8")))
    # Each clip holds its closing card 1 s past its last cue; the two renders' lengths differ by 1.2 s.
    assert 0.5 < frames / 2 - cues[-1].end.total_seconds() < 1.5, "the clip and its subtitles are from two renders"
    which = next((only for only in ("relu", "sigmoid") if spoken(out / "activations.en.srt") == narrated(only, "en")),
                 None)
    assert which is not None, "the English subtitles are neither render's"
    assert spoken(out / "activations.srt") == spoken(out / "activations.en.srt")
    assert spoken(out / "activations.zh.srt") == narrated(which, "zh")
    reuse = cli("render", "activations", "--only", which, "-o", str(out), "--resolution", "192x108", "--fps", "2")
    assert "unchanged, reused" in reuse.stderr
    other = cli("render", "activations", "--only", "sigmoid" if which == "relu" else "relu", "-o", str(out),
                "--resolution", "192x108", "--fps", "2")
    assert "reused" not in other.stderr


def test_a_full_disk_while_placing_subtitles_keeps_the_previous_clip_and_subtitles(tmp_path):
    first = cli("render", "forward", "-o", str(tmp_path), *TINY)
    assert first.returncode == 0, first.stderr
    before = snapshot(tmp_path)
    run = cli("render", "forward", "-o", str(tmp_path), *TINY, "--fps", "4", faults={"full_disk": "*forward.zh.srt*"})
    assert run.returncode == 1 and "forward failed: OSError: [Errno 28] No space left on device" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith(".build/")} == \
           {k: v for k, v in before.items() if not k.startswith(".build/")}
    assert not leftovers(tmp_path)
    again = cli("render", "forward", "-o", str(tmp_path), *TINY)
    assert "unchanged, reused" in again.stderr  # the previous set and its record still agree


def test_a_real_full_disk_keeps_the_previous_outputs_and_leaves_no_temporary_files(tmp_path):
    """A small tmpfs (root only): room for one clip, not for a second one beside it."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    probe = tmp_path / "probe"
    first = cli("render", "forward", "-o", str(probe), *TINY)
    assert first.returncode == 0, first.stderr
    size = sum(len(v) for v in snapshot(probe).values())
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={int(size * 1.5) // 4096 * 4096 + 8192}", "tmpfs",
                       str(disk)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        assert cli("render", "forward", "-o", str(disk), *TINY).returncode == 0
        before = snapshot(disk)
        run = cli("render", "forward", "-o", str(disk), *TINY, "--force")
        assert run.returncode == 1 and "No space left on device" in run.stderr, run.stderr
        assert snapshot(disk) == before and not leftovers(disk)
        assert "unchanged, reused" in cli("render", "forward", "-o", str(disk), *TINY).stderr
    finally:
        subprocess.run(["umount", str(disk)], check=True)


# --- 10, 17: what a killed run left is cleaned by the next one, a reuse too ------------------------------

def dead_pid() -> int:
    gone = subprocess.Popen(["true"])
    gone.wait()
    return gone.pid


def test_a_run_that_only_reuses_cleans_what_a_killed_render_left(tmp_path):
    assert cli("render", "forward", "-f", "png", "-o", str(tmp_path), *TINY).returncode == 0
    pid = dead_pid()
    work = REPO / "media" / ".work"
    left = [work / "partial" / f"forward-{pid}", work / "private" / f"forward-{pid}"]
    for folder in left:
        (folder / "inner").mkdir(parents=True)
        (folder / "inner" / "frame.mp4").write_bytes(b"partial")
    temporaries = [tmp_path / f".forward.png.{pid}.tmp", tmp_path / ".build" / f".forward.png.json.{pid}.tmp"]
    for temporary in temporaries:
        temporary.write_bytes(b"")  # what a full disk left: a 0-byte temporary
    mine = tmp_path / f".notes.{os.getpid()}.tmp"  # a live process's temporary is not ours to remove
    mine.write_text("live")
    again = cli("render", "forward", "-f", "png", "-o", str(tmp_path), *TINY)
    assert "unchanged, reused" in again.stderr
    assert not [p for p in left + temporaries if p.exists()] and mine.exists()


def test_a_render_leaves_no_finished_files_in_manims_work_folder(tmp_path):
    work = tmp_path / "work"
    shutil.copytree(REPO / "media" / ".work" / "Tex", work / "Tex")
    run = cli("render", "forward", "-o", str(tmp_path / "out"), *TINY, env={**os.environ, "ACTLECTURE_WORK": str(work)})
    assert run.returncode == 0, run.stderr
    assert not [p for p in work.rglob("*") if p.is_file() and "Tex" not in p.parts and "texts" not in p.parts]


# --- 11, 12: exports that cannot or must not rename the folder -------------------------------------------

def test_export_refuses_the_current_folder_and_a_mount_point_up_front(tmp_path):
    run = cli("export", "-o", ".", cwd=tmp_path)
    assert "holds the current folder" in one_line_error(run, 2) and "rendering" not in run.stderr
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        run = cli("export", "-o", str(disk))
        assert "is a mount point" in one_line_error(run, 2) and "rendering" not in run.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=True)


# --- 13: a damaged training result is healed, not a traceback -------------------------------------------

@pytest.mark.parametrize("damage", [
    lambda entry: b"\xff\xfe" + json.dumps(entry).encode(),  # not UTF-8
    lambda entry: json.dumps({**entry, "result": {"runs": {}}}).encode(),  # well-formed, but not a result
])
def test_a_damaged_local_result_is_recomputed_with_a_warning(tmp_path, damage):
    results = tmp_path / "results"
    results.mkdir()
    published, = (REPO / "experiments" / "published").glob("exploding-*.json")
    entry = json.loads(published.read_text(encoding="utf-8"))
    (results / published.name).write_bytes(damage(entry))
    run = cli("explain", "exploding", "--json", "--no-timeline", env={**os.environ, "ACTLECTURE_RESULTS_DIR": str(results)})
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert "ignoring corrupt entry" in run.stderr
    if (results / published.name).exists():  # recomputed, or dropped so that the published result serves
        healed = json.loads((results / published.name).read_text(encoding="utf-8"))
        assert set(healed["result"]["runs"]) == set(entry["result"]["runs"])
    again = cli("explain", "exploding", "--json", "--no-timeline", env={**os.environ, "ACTLECTURE_RESULTS_DIR": str(results)})
    assert again.returncode == 0 and "corrupt" not in again.stderr
    assert json.loads(again.stdout) == json.loads(run.stdout)


# --- 14: a garbled file in manim's caches is dropped and made again --------------------------------------

def test_garbled_cached_formulas_and_texts_are_rebuilt(tmp_path):
    from xml.etree import ElementTree

    from pipeline.preflight import font_files_key

    work = tmp_path / "work"
    texts = f"texts/192x108-{font_files_key()}"
    for name in ("Tex", texts):
        if (REPO / "media" / ".work" / name).exists():
            shutil.copytree(REPO / "media" / ".work" / name, work / name)
    env = {**os.environ, "ACTLECTURE_WORK": str(work)}
    assert cli("render", "forward", "-f", "png", "-o", str(tmp_path / "warm"), *TINY, env=env).returncode == 0
    garbled = sorted(work.glob("Tex/*.svg")) + sorted(work.glob(f"{texts}/*.svg"))
    assert garbled
    for svg in garbled:
        svg.write_bytes(svg.read_bytes()[:40])  # cut short, as by a full disk or a killed copy
    run = cli("render", "forward", "-f", "png", "-o", str(tmp_path / "out"), *TINY, env=env)
    assert run.returncode == 0, run.stderr
    for svg in garbled:
        assert not svg.exists() or ElementTree.parse(svg)


# --- 15: any locale ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["explain", "vanishing"], ["explain", "backprop", "--lang", "zh"], ["list"]])
def test_a_latin1_terminal_gets_utf8_not_a_crash(args):
    run = subprocess.run([sys.executable, str(REPO / "cli.py"), *args], capture_output=True, timeout=120,
                         env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    text = run.stdout.decode("utf-8")
    assert ("σ" in text or "\u4e00" <= max(text) or "×" in text or "−" in text) if args[0] == "explain" else text
