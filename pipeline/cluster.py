"""Many clips at once, on Dask: reuse is decided here, on the client, for every clip before anything is
submitted; the rest become one task per clip on a cluster's workers.

Locally (the default) the cluster is a LocalCluster of single-threaded worker processes, started and
closed by the command (each worker is a fresh interpreter: manim's config is global, and manim and torch
are imported once per worker, not once per clip). `scheduler` (an address, or ACTLECTURE_SCHEDULER) uses
a running cluster instead, whose workers have this project installed; they need not share this machine's
disk: a task renders in the worker's own working folder and returns its outputs' bytes, and only the
client writes to the output folder, through the build cache's atomic placing. A task checks that its
worker's project gives the clip the build key the client worked out, so a worker with other code, words
or results fails that clip in one line instead of filing a clip under the wrong key.

Dask reruns a task whose worker died on another worker (up to three deaths: distributed's
allowed-failures); a scene that fails is one line and the others go on; Ctrl-C cancels every task and
closes a local cluster, and nothing half-made reaches the output folder (clips placed before stay).
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from content.registry import get

from . import dependencies, manim_assets, preflight, signals
from .render import Job, Rendered, ensure_experiments, outputs, plan, render_scene
from .settings import WORK_DIR

# A worker stopped mid-render leaves a semaphore that multiprocessing's tracker removes, warning at exit.
_QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"
CONNECT_SECONDS = 10  # to reach a scheduler: a reachable one answers in well under a second
_TOPIC = "actlecture-render"  # the workers' "rendering now" events, heard by the client
# A render worker's Dask settings (pipeline/dask_config/worker.yaml says why): `cli.py worker` starts remote
# workers with that file, and a local cluster's are set from it.
WORKER_CONFIG_DIR = Path(__file__).resolve().parent / "dask_config"

# report(event, job, detail): "reused", "start" (in this process), "queued" (submitted), "running"
# (detail: the worker), "done" (detail: seconds, worker), "failed" (detail: the error, one line),
# "waiting" (detail: the scheduler, which has no worker).
Report = Callable[[str, Job, dict[str, Any]], None]


class Unreachable(Exception):
    """The scheduler named does not answer (one line, naming the address)."""


@dataclass
class Outcome:
    """What became of each job, by its place in the list given: its Rendered, or its one-line error."""

    rendered: dict[int, Rendered] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)


def render_many(jobs: list[Job], workers: int, report: Report, scheduler: str | None = None) -> Outcome:
    """Every job's Rendered or its one-line error, reporting as it goes.

    Without a scheduler, with one worker or one clip to render, the clips render in this process (with
    manim's progress bar on a terminal): a cluster would only add its start-up."""
    outcome = Outcome()
    manim_assets.clean_stale_work()
    for out_dir in dict.fromkeys(job.out_dir for job in jobs):
        dependencies.remove_stale(out_dir)
    pending: list[tuple[int, Job, str]] = []
    for n, job in enumerate(jobs):
        key, reused = plan(job)
        if reused is not None:
            outcome.rendered[n] = reused
            report("reused", job, {})
        else:
            pending.append((n, job, key))
    if not pending:
        return outcome
    if scheduler is None and (workers <= 1 or len(pending) == 1):
        preflight.require_latex()
        for n, job, key in pending:
            signals.check()
            report("start", job, {})
            started = time.monotonic()
            try:
                outcome.rendered[n] = render_scene(job, key, progress=sys.stderr.isatty())
            except Exception as err:  # one scene's failure must not cost the others their renders
                outcome.failed[n] = _one_line(err)
                report("failed", job, {"error": outcome.failed[n]})
                continue
            report("done", job, {"seconds": time.monotonic() - started})
        return outcome
    if scheduler is None:
        preflight.require_latex()  # the workers are this machine
    # Missing training results are made here, once, not by every worker that needs them; a new result
    # is a new input, so then every key is worked out again.
    trained = [ensure_experiments(get(scene_id)) for scene_id in dict.fromkeys(job.scene_id for _, job, _ in pending)]
    if any(trained):
        pending = [(n, job, dependencies.build_key(get(job.scene_id), job.params, job.settings, job.voice))
                   for n, job, _ in pending]
    with _client(min(workers, len(pending)), scheduler) as client:
        _run(client, pending, report, outcome)
    return outcome


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


@contextmanager
def _client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A client of the cluster named, or of a LocalCluster of `workers` processes that lives as long as the
    block. The local workers ignore Ctrl-C (it reaches the whole process group): the command handles it
    and closes them."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    # Dask logs its own side of a fault (a scheduler lost: reconnect attempts, tracebacks); the command
    # says each clip's fate in one line instead.
    for name in ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if scheduler is not None:
        client = _connect(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    os.environ.setdefault("PYTHONWARNINGS", _QUIET_TRACKER)  # not the one line Ctrl-C promises
    main = threading.current_thread() is threading.main_thread()  # only there can a handler be set
    interrupt = signal.getsignal(signal.SIGINT)
    if main:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the worker processes as they start
    try:
        with dask.config.set(_worker_config()):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                                   silence_logs=logging.CRITICAL, scheduler_kwargs={"host": "127.0.0.1"})
    finally:
        if main:
            signal.signal(signal.SIGINT, interrupt)
    try:
        client = Client(cluster)
        try:
            # Also in a worker its nanny starts again later, when this process's own handler is back.
            client.register_plugin(_ignore_interrupt(), name="actlecture-ignore-interrupt")
            yield client
        finally:
            client.close()
    finally:
        cluster.close()
        # What a worker stopped mid-render left in the working folders (its process is gone now).
        manim_assets.clean_stale_work()


def _connect(scheduler: str):
    """A client of the running cluster at `scheduler`, or Unreachable (one line naming it)."""
    from distributed import Client

    try:
        return Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as err:
        raise Unreachable(f"cannot reach the Dask scheduler at {scheduler}: {_one_line(err)}") from None


def _ignore_interrupt():
    """A worker plugin for the command's own cluster: Ctrl-C reaches the whole process group, and the
    command, not each worker, handles it (a worker would print a traceback). A remote worker keeps
    stopping on Ctrl-C in its own terminal. Defined here, not at import: Dask is imported only to render."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class IgnoreInterrupt(WorkerPlugin):
        def setup(self, worker) -> None:
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, signal.SIG_IGN)

    return IgnoreInterrupt()


def _worker_config() -> dict[str, Any]:
    """pipeline/dask_config/worker.yaml as dotted keys: dask.config.set given a nested dict would replace whole
    sections, not the settings in them."""
    import yaml

    def dotted(tree: dict, prefix: str = "") -> dict[str, Any]:
        flat: dict[str, Any] = {}
        for name, value in tree.items():
            flat.update(dotted(value, f"{prefix}{name}.") if isinstance(value, dict) else {prefix + name: value})
        return flat

    return dotted(yaml.safe_load((WORKER_CONFIG_DIR / "worker.yaml").read_text(encoding="utf-8")))


def serve(scheduler: str, workers: int) -> int:
    """Run `workers` render workers for the cluster of `scheduler` on this machine until stopped (Ctrl-C):
    `dask worker`, single-threaded processes with a nanny each (a worker that dies is started again),
    with the render settings of pipeline/dask_config. Unreachable scheduler: Unreachable, before anything starts."""
    import subprocess

    _connect(scheduler).close()
    env = {"PYTHONWARNINGS": _QUIET_TRACKER, **os.environ, "DASK_CONFIG": str(WORKER_CONFIG_DIR)}
    command = [str(Path(sys.executable).with_name("dask")), "worker", scheduler, "--nthreads", "1",
               "--nworkers", str(workers), "--no-dashboard"]
    child = subprocess.Popen(command, env=env)
    try:
        return child.wait()
    except BaseException:  # Ctrl-C or kill: dask worker closes its workers itself, given the time
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        raise


def _run(client, pending: list[tuple[int, Job, str]], report: Report, outcome: Outcome) -> None:
    from distributed import wait
    from distributed.client import FuturesCancelledError

    heard: queue.Queue = queue.Queue()
    client.subscribe_topic(_TOPIC, lambda event: heard.put(event[1]))
    # Longest first (by each clip's last build): no worker idles at the end while one long scene renders.
    order = sorted(pending, key=lambda item: -dependencies.last_seconds(item[1].out_dir, item[1].scene_id,
                                                                        item[1].settings.fmt))
    futures, by_key = {}, {}
    try:
        for rank, (n, job, key) in enumerate(order):
            future = client.submit(build, job.to_json(), key, _takes(job), key=f"render-{job.scene_id}-{uuid.uuid4().hex}",
                                   priority=len(order) - rank, pure=False)
            futures[future], by_key[future.key] = (n, job, key), job
            report("queued", job, {})
        remaining = set(futures)
        idle = _Idle(client, report, order[0][1])
        while remaining:
            signals.check()
            idle.check()
            try:
                done, remaining = wait(remaining, timeout=0.5, return_when="FIRST_COMPLETED")
            except TimeoutError:  # nothing finished yet: a moment to say what started, and to see a signal
                done = set()
            except FuturesCancelledError:  # the cluster dropped them (its scheduler went away): each fails
                done, remaining = set(remaining), set()
            _tell_running(heard, by_key, report)
            for future in done:
                n, job, key = futures[future]
                _collect(future, n, job, key, report, outcome)
                # Forgotten by the cluster at once: a worker lost later must not make it render again.
                by_key.pop(future.key)
                future.release()
    except BaseException:
        client.cancel([future for future in futures if future.key in by_key], force=True)
        raise
    _tell_running(heard, by_key, report)


class _Idle:
    """Says so, once each time, when the cluster has no worker at all (none joined yet, or all of them
    gone): the build then waits for one, as Dask does, instead of seeming to hang."""

    def __init__(self, client, report: Report, job: Job):
        self.client, self.report, self.job = client, report, job
        self.said, self.next = False, 0.0

    def check(self) -> None:
        if time.monotonic() < self.next:
            return
        self.next = time.monotonic() + 5
        empty = not self.client.scheduler_info().get("workers")
        if empty and not self.said:
            self.report("waiting", self.job, {"scheduler": self.client.scheduler.address})
        self.said = empty


def _tell_running(heard: queue.Queue, by_key: dict[str, Job], report: Report) -> None:
    while not heard.empty():
        event = heard.get()
        if event.get("task") in by_key:
            report("running", by_key[event["task"]], {"worker": event["where"]})


def _collect(future, n: int, job: Job, key: str, report: Report, outcome: Outcome) -> None:
    """Place a finished task's outputs (atomically, as one unit with their record), or note its error."""
    def fail(message: str) -> None:
        outcome.failed[n] = message
        report("failed", job, {"error": message})

    if future.cancelled():
        return fail("the cluster dropped it (did its scheduler stop?)")
    try:
        answer = future.result()
    except Exception as err:  # a worker that died too often, a task the worker could not even load
        return fail(_one_line(err))
    if "error" in answer:
        return fail(answer["error"])
    files = {job.out_dir / name: data for name, data in answer["files"].items()}
    try:
        placed = dependencies.place(job.out_dir, job.scene_id, job.settings.fmt, key, files, seconds=answer["seconds"])
    except Exception as err:  # an unwritable folder, a full disk: the earlier outputs stay as they were
        return fail(_one_line(err))
    outcome.rendered[n] = outputs(job.scene_id, job.settings.fmt, job.out_dir, placed, cached=False)
    report("done", job, {"seconds": answer["seconds"], "worker": answer["worker"]})


def _takes(job: Job) -> dict[str, bytes]:
    """The teacher's recorded takes of the job's scene, sent with the task (a worker has its own disk)."""
    if job.voice is None:
        return {}
    return {name: path.read_bytes() for name, path in job.voice.take_files(job.scene_id).items()}


# --- on a worker ----------------------------------------------------------------------------------------

def build(job_text: str, key: str, takes: dict[str, bytes]) -> dict[str, Any]:
    """One clip, on a worker: rendered in a private folder, returned as its files' bytes (or one line of
    error: a traceback from another machine helps nobody at the client)."""
    from distributed import get_worker

    worker = get_worker()
    where = f"{socket.gethostname()}/{os.getpid()}"  # the machine, and the process there
    job = Job.from_json(job_text)
    worker.log_event(_TOPIC, {"task": worker.get_current_task(), "where": where})
    # Named <id>-<pid> like manim's working folders, so a later render removes it when this worker is killed.
    folder = WORK_DIR / "tasks" / f"{job.scene_id}.{key[:12]}-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.monotonic()
    try:
        voice = job.voice
        if takes:
            scene_takes = Path(folder, "voice", voice.lang, job.scene_id)
            scene_takes.mkdir(parents=True)
            for name, data in takes.items():
                (scene_takes / name).write_bytes(data)
            voice = replace(voice, voice_dir=str(folder / "voice"))
        here = Job(job.scene_id, job.params, replace(job.settings, out_dir=folder / "out"), voice)
        mine = dependencies.build_key(get(job.scene_id), here.params, here.settings, here.voice)
        if mine != key:
            return {"error": f"worker {where} works out another build key for {job.scene_id}: its project "
                             f"files differ from the client's (another checkout or trained results), or changed "
                             f"during the build"}
        render_scene(here, key)
        return {"files": {path.name: path.read_bytes() for path in sorted(here.out_dir.iterdir()) if path.is_file()},
                "seconds": time.monotonic() - started, "worker": where}
    except Exception as err:
        return {"error": _one_line(err)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
