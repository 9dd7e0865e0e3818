"""Rendering on Dask against the worker pool it replaced, and a course build through a running cluster.

    .venv/bin/python bench/bench_cluster.py [--repeats N] [--skip-pool] [--skip-course] [--course-repeats N]

Both variants run from temporary git worktrees (HEAD, and OLD_POOL for the pool) with this .venv, so that
editing the checkout while the benchmark runs changes nothing it measures.

1. A cold lecture at 480p15 with --jobs 2 (silent, --force; manim's cache of compiled formulas kept, in
   one working folder for both): HEAD's LocalCluster of two workers against the hand-written pool of
   commit OLD_POOL, both rendering OLD_POOL's lecture (HEAD's pipeline and CLI put over it: the lecture
   has grown since), alternating so that a noisy machine hurts both alike. Target: at least 0.95x the
   pool's speed.
2. A course build: every scene x en, zh x 480p15, 1080p60 (silent, --force). Through a `dask scheduler`
   and two workers started here by `cli.py worker --jobs 2`, the four lectures submitted at once (the cluster keeps
   both workers busy across them), against the four built one after another, each on its own
   LocalCluster (what one machine without a cluster does). The running cluster is started before the
   clock, as a course team's is; each LocalCluster's start-up is inside it.
3. From part 2's per-scene render times: the time for 100 lectures at 1080p60 on N machines like this.

Prints one table per part: medians, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DASK = str(Path(PYTHON).with_name("dask"))
OLD_POOL = "afe5dcb"  # the last commit with pipeline/workers.py, the pool of worker processes over pipes
WORK = REPO / "media" / ".work"  # one TeX cache for every variant: formulas compiled once, as on any machine
LANGS = ("en", "zh")


def _lecture(cli: Path, out: Path, *extra: str) -> list[str]:
    return [PYTHON, str(cli), "lecture", "--force", "--voice", "none", "-o", str(out), *extra]


def _timed(commands: list[list[str]], cwd: Path, env: dict[str, str], together: bool = False) -> float:
    """Wall seconds for the commands, one after another or all at once."""
    started = time.perf_counter()
    if together:
        # Each run's stderr in a file: a pipe read only at the end would stall a run that fills it.
        logs = [tempfile.TemporaryFile(mode="w+") for _ in commands]
        runs = [subprocess.Popen(c, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
                for c, log in zip(commands, logs)]
        codes = [run.wait() for run in runs]
        failed = []
        for command, code, log in zip(commands, codes, logs):
            log.seek(0)
            if code != 0:
                failed.append((command, log.read()))
            log.close()
    else:
        failed = []
        for command in commands:
            run = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
            if run.returncode != 0:
                failed.append((command, run.stderr))
    if failed:
        command, stderr = failed[0]
        raise SystemExit(f"failed: {' '.join(command)}\n{stderr[-2000:]}")
    return time.perf_counter() - started


def _worktree(commit: str, folder: Path) -> Path:
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(folder), commit], cwd=REPO, check=True,
                   capture_output=True)
    return folder


def _env(tree: Path) -> dict[str, str]:
    """The worktree's code first on the path (the .venv's editable install points at this checkout), one
    shared working folder, silent clips."""
    return {**os.environ, "PYTHONPATH": str(tree), "ACTLECTURE_WORK": str(WORK), "ACTLECTURE_VOICE": "none"}


def _same_lecture_on_dask(folder: Path) -> Path:
    """OLD_POOL's lecture (scenes, words, numbers) with HEAD's pipeline and CLI: the same frames to
    render as the pool's, so that only the way they are scheduled differs."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, check=True, capture_output=True, text=True).stdout.strip()
    tree = _worktree(OLD_POOL, folder)  # inside it, HEAD is OLD_POOL: this checkout's HEAD is named by its hash
    subprocess.run(["git", "checkout", head, "--", "pipeline", "cli.py"], cwd=tree, check=True, capture_output=True)
    (tree / "pipeline" / "workers.py").unlink()
    return tree


def pool_against_cluster(repeats: int, scratch: Path) -> None:
    tree = _worktree(OLD_POOL, scratch / "old-pool")
    dask_tree = _same_lecture_on_dask(scratch / "dask")
    try:
        variants = {f"worker pool ({OLD_POOL})": tree, f"Dask LocalCluster (HEAD's pipeline, {OLD_POOL}'s lecture)": dask_tree}
        for folder in variants.values():  # warm-up: formulas compiled, files in the page cache
            _timed([_lecture(folder / "cli.py", scratch / "warm", "-j", "2")], folder, _env(folder))
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(repeats):
            for name, folder in variants.items():
                times[name].append(_timed([_lecture(folder / "cli.py", scratch / name.split()[0], "-j", "2")],
                                          folder, _env(folder)))
    finally:
        for folder in (tree, dask_tree):
            subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=REPO, capture_output=True)
    pool, dask = (statistics.median(t) for t in times.values())
    print(f"\n## 1. Cold lecture, 480p15, --jobs 2, silent (median of {repeats})\n")
    print("| variant | runs (s) | median s |\n|---|---|---|")
    for name, runs in times.items():
        print(f"| {name} | {', '.join(f'{t:.1f}' for t in runs)} | {statistics.median(runs):.1f} |")
    verdict = "ok" if pool / dask >= 0.95 else "MISSED"
    print(f"\nDask's speed against the pool's: {pool / dask:.3f}x (target >= 0.95x: {verdict})", flush=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cluster(env: dict[str, str], tree: Path) -> tuple[str, list[subprocess.Popen]]:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                  **quiet)]
    # Two workers as a course team starts them (cli.py worker: the render settings of pipeline/dask_config).
    processes.append(subprocess.Popen([PYTHON, str(tree / "cli.py"), "worker", address, "--jobs", "2"], cwd=tree,
                                      env=env, **quiet))
    from distributed import Client

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with Client(address, timeout=5) as client:
                if len(client.scheduler_info()["workers"]) == 2:
                    return address, processes
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the Dask cluster did not come up")


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def course(repeats: int, scratch: Path, head: Path, qualities: tuple[str, ...]) -> dict[str, float]:
    env = _env(head)
    plan = [(lang, quality) for lang in LANGS for quality in qualities]

    def commands(root: Path, *extra: str) -> list[list[str]]:
        return [_lecture(head / "cli.py", root / f"{lang}-{quality}", "--lang", lang, "-q", quality, *extra)
                for lang, quality in plan]

    at_once, one_by_one = (f"scheduler + 2 workers, {len(plan)} lectures at once",
                           f"LocalCluster --jobs 2, {len(plan)} lectures one by one")
    times: dict[str, list[float]] = {at_once: [], one_by_one: []}
    for lang, quality in plan:  # warm-up: the text cache at each size (a scene's poster is its last frame)
        _timed([[PYTHON, str(head / "cli.py"), "render", "all", "-f", "png", "-q", quality, "--lang", lang,
                 "--force", "-o", str(scratch / "posters" / f"{lang}-{quality}")]], head, env)
    for _ in range(repeats):
        address, processes = _cluster(env, head)
        try:
            times[at_once].append(
                _timed(commands(scratch / "scheduler", "--scheduler", address), head, env, together=True))
        finally:
            _stop(processes)
        times[one_by_one].append(
            _timed(commands(scratch / "local", "-j", "2"), head, env))
    print(f"\n## 2. Course build: 10 scenes x en, zh x {', '.join(qualities)}, silent (median of {repeats})\n")
    print("| variant | runs (s) | median s |\n|---|---|---|")
    for name, runs in times.items():
        print(f"| {name} | {', '.join(f'{t:.1f}' for t in runs)} | {statistics.median(runs):.1f} |")
    shared, local = (statistics.median(t) for t in times.values())
    print(f"\nthrough the scheduler: {local / shared:.3f}x the speed of the lectures one by one", flush=True)
    # Each clip's render time, as its build record keeps it (a worker's seconds, both workers busy).
    per_scene = {}
    for lang in ("en", "zh"):
        for record in (scratch / "local" / f"{lang}-h" / ".build").glob("*.mp4.json"):
            seconds = json.loads(record.read_text())["seconds"]
            if seconds is not None:
                per_scene[f"{lang}/{record.name.split('.')[0]}"] = seconds
    return per_scene


def on_paper(per_scene: dict[str, float]) -> None:
    """100 lectures at 1080p60 on N machines of 2 cores (2 workers each): the clips are many (1,000) and
    independent, so the time is the total work over the workers, unless a machine has fewer clips than
    the longest scene needs (the longest clip bounds the time whatever N is)."""
    en = {k.split("/")[1]: v for k, v in per_scene.items() if k.startswith("en/")}
    if not en:
        return
    lecture = sum(en.values())
    longest = max(en.values())
    print("\n## 3. On paper: 100 lectures at 1080p60 (English), from part 2's per-scene render seconds\n")
    print(f"one lecture = {lecture:.0f} worker-seconds (10 clips, longest {longest:.0f} s: {max(en, key=en.get)})\n")
    print("| machines (2 cores, 2 workers each) | hours |\n|---|---|")
    for machines in (1, 2, 5, 10, 25, 50, 100):
        seconds = max(100 * lecture / (2 * machines), longest)
        print(f"| {machines} | {seconds / 3600:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--course-repeats", type=int, default=1)
    parser.add_argument("--skip-pool", action="store_true")
    parser.add_argument("--skip-course", action="store_true")
    parser.add_argument("--qualities", default="l,h", help="the course's qualities (default l,h: 480p15, 1080p60)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as scratch:
        head = _worktree("HEAD", Path(scratch) / "head")
        try:
            if not args.skip_pool:
                pool_against_cluster(args.repeats, Path(scratch))
            if not args.skip_course:
                on_paper(course(args.course_repeats, Path(scratch), head, tuple(args.qualities.split(","))))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(head)], cwd=REPO, capture_output=True)


if __name__ == "__main__":
    main()
