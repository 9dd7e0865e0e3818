"""Many clips at once: reuse decided first, for all of them, then the rest rendered in this process or in
worker processes that live for many scenes (manim and torch are imported once per worker).

A worker reads one job a line (Job.to_json) on stdin and answers each with one line on stdout
(Rendered.to_json, or the error in one line); manim may print lines of its own, which are skipped.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import dependencies, manim_assets, preflight, signals
from .render import Job, Rendered, plan, render_scene
from .settings import REPO

# A worker answers each job with one line that starts with this.
_ANSWER = "actlecture-result "
Report = Callable[[str, Job, object], None]


@dataclass
class Outcome:
    """What became of each job, by scene id: its Rendered, or its one-line error."""

    rendered: dict[str, Rendered] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def render_many(jobs: list[Job], workers: int, report: Report) -> Outcome:
    """Every job's Rendered or its one-line error. `report(event, job, detail)` hears "reused", "start" (or
    "queued", in parallel), "done" (detail: seconds) and "failed" (detail: the error), as they happen.

    Reuse is decided once, here, for every job, before anything renders. With one process (or one scene
    to render) the scenes render in place, with manim's progress bar on a terminal."""
    outcome = Outcome()
    manim_assets.clean_stale_work()
    for out_dir in dict.fromkeys(job.out_dir for job in jobs):
        dependencies.remove_stale(out_dir)
    pending: list[tuple[Job, str]] = []
    for job in jobs:
        key, reused = plan(job)
        if reused is not None:
            outcome.rendered[job.scene_id] = reused
            report("reused", job, None)
        else:
            pending.append((job, key))
    if not pending:
        return outcome
    preflight.require_latex()
    if workers <= 1 or len(pending) == 1:
        for job, key in pending:
            signals.check()
            report("start", job, None)
            started = time.monotonic()
            try:
                outcome.rendered[job.scene_id] = render_scene(job, key, progress=sys.stderr.isatty())
            except Exception as err:  # one scene's failure must not cost the others their renders
                outcome.failed[job.scene_id] = f"{type(err).__name__}: {err}"
                report("failed", job, outcome.failed[job.scene_id])
                continue
            report("done", job, time.monotonic() - started)
        return outcome
    with WorkerPool(min(workers, len(pending))) as pool:
        pool.run(pending, report, outcome)
    return outcome


class WorkerPool:
    """Worker processes, not threads or a multiprocessing pool: each is a fresh interpreter (manim's config
    is global, torch's threads are not shared), and on Ctrl-C or kill each is stopped and its files
    removed. The longest scenes (by their last render) go first, so no core idles at the end."""

    def __init__(self, size: int):
        self.size = size
        self.workers: list[subprocess.Popen] = []
        self.busy: dict[subprocess.Popen, Job] = {}

    def __enter__(self) -> "WorkerPool":
        command = [sys.executable, "-m", "pipeline.workers", str(os.getpid())]
        self.workers = [subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
                        for _ in range(self.size)]
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            for worker in self.workers:
                worker.stdin.close()
                worker.wait()
        else:
            self.stop()

    def stop(self) -> None:
        """Stop every worker at once (an idle one too), then remove what each was writing."""
        for worker in self.workers:
            worker.terminate()
            worker.stdin.close()
        for worker in self.workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            if worker in self.busy:
                manim_assets.remove_work_of(worker.pid)
                dependencies.remove_temporaries_of(self.busy[worker].out_dir, worker.pid)

    def _submit(self, worker: subprocess.Popen, job: Job, key: str, report: Report) -> None:
        worker.stdin.write(json.dumps({"job": job.to_json(), "key": key}) + "\n")
        worker.stdin.flush()
        self.busy[worker] = job
        report("queued", job, None)

    def _answer(self, worker: subprocess.Popen) -> dict | None:
        line = worker.stdout.readline()
        while line and not line.startswith(_ANSWER):  # manim's own output, if any
            line = worker.stdout.readline()
        return json.loads(line[len(_ANSWER):]) if line else None

    def run(self, pending: list[tuple[Job, str]], report: Report, outcome: Outcome) -> None:
        queue = sorted(pending, key=lambda item: dependencies.last_seconds(item[0].out_dir, item[0].scene_id,
                                                                             item[0].settings.fmt), reverse=True)
        with selectors.DefaultSelector() as selector:
            for worker in self.workers:
                selector.register(worker.stdout, selectors.EVENT_READ, worker)
                self._submit(worker, *queue.pop(0), report)
            while self.busy:
                signals.check()
                for ready, _ in selector.select(timeout=1.0):
                    worker = ready.data
                    answer = self._answer(worker)
                    job = self.busy.pop(worker)
                    if answer is None:  # the worker died: its job fails, the others go on
                        selector.unregister(worker.stdout)
                        outcome.failed[job.scene_id] = f"the render process ended with exit status {worker.wait()}"
                        report("failed", job, outcome.failed[job.scene_id])
                        continue
                    if "error" in answer:
                        outcome.failed[job.scene_id] = answer["error"]
                        report("failed", job, answer["error"])
                    else:
                        outcome.rendered[job.scene_id] = Rendered.from_json(answer["rendered"])
                        report("done", job, answer["seconds"])
                    if queue:
                        self._submit(worker, *queue.pop(0), report)
                if queue and not self.busy:  # every worker died
                    for job, _ in queue:
                        outcome.failed[job.scene_id] = "no render process left"
                        report("failed", job, outcome.failed[job.scene_id])
                    queue.clear()


# --- the worker process ---------------------------------------------------------------------------------

_serving: list[Path] = []  # the output folder of the job this worker renders now


def _stop_clean_up() -> None:
    manim_assets.remove_work_of(os.getpid())
    if _serving:
        dependencies.remove_temporaries_of(_serving[0], os.getpid())


def main() -> int:
    """A worker: render the jobs read from stdin until it closes. Errors come back as one line (a
    traceback cannot cross processes usefully)."""
    signals.stop_worker_on_sigterm(_stop_clean_up)
    signals.die_with(int(sys.argv[1]))
    for line in sys.stdin:
        request = json.loads(line)
        job = Job.from_json(request["job"])
        _serving[:] = [job.out_dir]
        started = time.monotonic()
        try:
            answer = {"rendered": render_scene(job, request["key"]).to_json()}
        except Exception as err:  # reported by the parent; the other scenes go on
            answer = {"error": f"{type(err).__name__}: {err}"}
        print(_ANSWER + json.dumps({**answer, "seconds": time.monotonic() - started}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
