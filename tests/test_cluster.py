"""Rendering on a Dask cluster, as a course team runs it: a real `dask scheduler` and two `dask worker`
processes on 127.0.0.1, started and stopped here; the lecture built through them with one worker killed
mid-render; an unreachable scheduler; reuse decided before any cluster is asked. (The local cluster, the
default, is what every other CLI test with --jobs 2 runs on; Ctrl-C is in test_cli_outputs.py.)"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import av
import cloudpickle
import pytest
from helpers import REPO, TINY, cli

from pipeline.settings import WORK_DIR

DASK = str(Path(sys.executable).with_name("dask"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scheduler_workers(address: str) -> int:
    from distributed import Client

    with Client(address, timeout=10) as client:
        return len(client.scheduler_info()["workers"])


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers without nannies (a killed worker stays dead, so its task
    must move to the other one). The workers keep their working files in a folder of their own, not the
    client's: only the client writes the outputs."""
    address = f"tcp://127.0.0.1:{free_port()}"
    work = tmp_path / "worker-work"
    # Seeded with the formulas this machine compiled already (links, not copies): LaTeX for a whole
    # lecture would cost the test minutes and show nothing about the cluster.
    shared_tex = WORK_DIR / "Tex"
    if shared_tex.is_dir():
        shutil.copytree(shared_tex, work / "Tex", copy_function=os.link)
    env = {**os.environ, "ACTLECTURE_WORK": str(work)}
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                   "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    workers = [subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                 "--name", f"w{n}"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for n in (1, 2)]
    processes += workers
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if scheduler_workers(address) == 2:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the Dask cluster did not come up")
        yield address, workers, work
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return frames / float(stream.average_rate)


def test_the_lecture_builds_through_a_scheduler_when_a_worker_is_killed_mid_render(tmp_path, cluster):
    address, workers, worker_work = cluster
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "lecture", "--scheduler", address, "-o", str(out),
                            *TINY], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = run.stderr.readline()
    started = re.search(r"\[\d+/10\] (\S+) rendering .* on worker \S+/(\d+) \.\.\.", first)
    assert started, first
    victim_scene, victim = started.group(1), int(started.group(2))
    assert victim in [w.pid for w in workers]
    time.sleep(1.0)
    os.kill(victim, signal.SIGKILL)
    rest = run.stderr.read()
    stdout = run.stdout.read()
    assert run.wait(timeout=600) == 0, first + rest
    log = first + rest
    survivor = next(w.pid for w in workers if w.pid != victim)
    # The killed worker's scene was rendered again, by the other worker, and placed once.
    assert re.search(rf"{victim_scene} done in [\d.]+ s on worker \S+/{survivor} \(\d+ of 10 done\)", log), log
    assert len(re.findall(r" done in ", log)) == 10 and "(10 of 10 done)" in log
    assert stdout.splitlines()[0] == str(out / "lecture.mp4")
    from content import registry

    for spec in registry.SCENES:
        beats = json.loads((out / f"{spec.id}.beats.json").read_text(encoding="utf-8"))
        assert video_seconds(out / f"{spec.id}.mp4") == pytest.approx(beats["duration"], abs=0.21)
        record = json.loads((out / ".build" / f"{spec.id}.mp4.json").read_text(encoding="utf-8"))
        assert set(record["outputs"]) >= {f"{spec.id}.mp4", f"{spec.id}.srt", f"{spec.id}.beats.json"}
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    assert not list((worker_work / "tasks").iterdir()), "a task left its folder on the worker"

    # Nothing changed: every clip is reused before any scheduler is asked (this one answers nobody).
    warm = cli("lecture", "--scheduler", f"tcp://127.0.0.1:{free_port()}", "-o", str(out), *TINY)
    assert warm.returncode == 0, warm.stderr
    assert len(re.findall(r"^\[\d+/10\] \S+ unchanged, reused$", warm.stderr, re.M)) == 10
    assert "lecture unchanged, reused" in warm.stderr


def test_an_unreachable_scheduler_is_one_line_naming_it_and_exit_1(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    run = cli("render", "forward", "--force", "-o", str(tmp_path), *TINY, env={**os.environ, "ACTLECTURE_SCHEDULER": address})
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot reach the Dask scheduler at {address}"), run.stderr
    assert time.monotonic() - started < 40
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("address", ["localhost", "tcp://host", "http://h:1", "tcp://h:99999"])
def test_a_malformed_scheduler_address_is_a_usage_error(address):
    run = cli("render", "forward", "--scheduler", address)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"error: Invalid value for '--scheduler' (env var: 'ACTLECTURE_SCHEDULER'): must be tcp://HOST:PORT, "
        f"e.g. tcp://10.0.0.5:8786 (got {address!r})"]


def test_a_local_cluster_says_which_scene_renders_on_which_worker_and_how_many_are_done(tmp_path):
    run = cli("render", "forward", "choosing", "-j", "2", "--force", "-o", str(tmp_path), *TINY)
    assert run.returncode == 0, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 4, lines
    for scene in ("forward", "choosing"):
        assert any(re.fullmatch(rf"\[\d/2\] {scene} rendering \(.+\) on worker \S+/\d+ \.\.\.", line) for line in lines)
    assert re.fullmatch(r"\[\d/2\] \S+ done in [\d.]+ s on worker \S+/\d+ \(2 of 2 done\)", lines[-1]), lines


def _render_settings():  # sent to the workers by value (below): a remote worker cannot import the tests
    """What a render worker runs with: no MALLOC_TRIM_THRESHOLD_ from Dask, no stack profiler."""
    import dask

    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), dask.config.get("distributed.worker.profile.enabled")


cloudpickle.register_pickle_by_value(sys.modules[__name__])


def test_a_local_cluster_renders_without_dasks_slowing_settings():
    from pipeline.cluster import _client

    with _client(1, None) as client:
        assert list(client.run(_render_settings).values()) == [(None, False)]


def test_cli_worker_lends_this_machine_to_a_scheduler_and_stops_on_ctrl_c(tmp_path):
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        time.sleep(2)
        worker = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "worker", address, "-j", "1"], cwd=tmp_path,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                                  preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and scheduler_workers(address) < 1:
            time.sleep(0.5)
        with Client(address, timeout=10) as client:
            assert list(client.run(_render_settings).values()) == [(None, False)]
        run = cli("render", "forward", "--scheduler", address, "--force", "-o", str(tmp_path / "out"), *TINY)
        assert run.returncode == 0, run.stderr
        assert (tmp_path / "out" / "forward.mp4").stat().st_size > 0
        os.killpg(worker.pid, signal.SIGINT)
        assert worker.wait(timeout=60) == 130
        assert worker.stderr.read().strip().splitlines()[-1] == "interrupted"
    finally:
        for process in (worker, scheduler):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


def test_a_scheduler_lost_mid_build_fails_each_clip_in_one_line(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and scheduler_workers(address) < 1:
            time.sleep(0.5)
        run = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "render", "vanishing", "softmax", "--force",
                                "--scheduler", address, "-o", str(tmp_path), *TINY], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        assert "rendering" in run.stderr.readline()
        scheduler.kill()
        rest = run.stderr.read()
        assert run.wait(timeout=120) == 1
        lines = rest.strip().splitlines()
        assert sorted(lines[:2]) == [f"error: {scene} failed: the cluster dropped it (did its scheduler stop?)"
                                     for scene in ("softmax", "vanishing")], rest
        assert lines[2:] == ["error: 2 of 2 scenes failed: vanishing, softmax"], rest
        assert not tmp_path.exists() or not list(tmp_path.glob("*.mp4"))
    finally:
        for process in (worker, scheduler):
            if process.poll() is None:
                process.kill()
            process.wait()
