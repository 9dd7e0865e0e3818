"""Time whole-lecture builds and each scene's render against the targets of the performance issue.

    .venv/bin/python bench/bench_build.py [--repeats N] [--skip-1080p] [--skip-cold]

Prints one table per part, medians of N runs (default 3), and a verdict per target:
  - cold build of the lecture at 480p15 with --jobs 2: wall time <= 0.25 x the lecture's duration
  - warm rebuild, nothing changed: <= 3 s
  - --jobs 2 against --jobs 1 on a cold build: >= 1.6x faster
  - per scene at 480p15 and 1080p60: video seconds, frames, render seconds, ms per frame, peak memory;
    ms per frame as a ratio to a reference scene (axes and two curves) rendered in the same run: <= 3x;
    peak memory of a render process at 1080p < 1 GB
  - joining the lecture (stream copy): < 5 s

"Cold" means no clip is reused (--force); manim's cache of compiled formulas is kept, as it is on any
machine after its first render. Every render runs in a process of its own, as `cli.py` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from content import registry  # noqa: E402

PYTHON = sys.executable
QUALITY_FOLDERS = {"l": "480p15", "h": "1080p60"}

# The yardstick: what a plain plot costs per frame on this machine, rendered by the same code path.
REFERENCE_SCENE = r'''
import sys
import time
from manim import Axes, Create, Dot, MoveAlongPath, Scene, config, tempconfig, BLUE, ORANGE
import numpy as np

class Reference(Scene):
    def construct(self):
        axes = Axes(x_range=[-6, 6, 1], y_range=[-1.5, 1.5, 0.5], x_length=11, y_length=5.5)
        curves = [axes.plot(lambda x: 1 / (1 + np.exp(-x)), color=BLUE), axes.plot(np.tanh, color=ORANGE)]
        self.add(axes)
        self.play(*(Create(c) for c in curves), run_time=4)
        dot = Dot(color=ORANGE)
        self.play(MoveAlongPath(dot, curves[1]), run_time=4)

quality, out = sys.argv[1], sys.argv[2]
with tempconfig({"quality": quality, "media_dir": out, "disable_caching": True, "verbosity": "ERROR",
                 "progress_bar": "none"}):
    scene = Reference()
    started = time.perf_counter()
    scene.render()
    seconds = time.perf_counter() - started
    frames = round(scene.time * config.frame_rate)
# VmHWM, not ru_maxrss: Linux carries the parent's high-water mark over fork and exec into ru_maxrss.
peak = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]) * 1024
print("{" + f'"seconds": {seconds}, "frames": {frames}, "video": {scene.time}, "peak": {peak}' + "}")
'''


def _wall(command: list[str]) -> float:
    started = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{process.stderr[-2000:]}")
    return time.perf_counter() - started


# One scene's render in a process of its own, timed around render() alone (interpreter start-up and
# imports are the same for every scene and are not frames); peak memory is the whole process's.
SCENE_PROBE = r'''
import json, sys, time
from pathlib import Path
from content import registry
from pipeline.render import render
from pipeline.settings import RenderSettings
spec = registry.get(sys.argv[1])
started = time.perf_counter()
result = render(spec, {}, RenderSettings(quality=sys.argv[2], out_dir=Path(sys.argv[3]), force=True))
seconds = time.perf_counter() - started
# VmHWM, not ru_maxrss: Linux carries the parent's high-water mark over fork and exec into ru_maxrss.
print(json.dumps({"seconds": seconds, "peak": int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]) * 1024}))
'''


def _probe(code: str, *args: str) -> dict:
    result = subprocess.run([PYTHON, "-c", code, *args], capture_output=True, text=True, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f"failed: {args}\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _video_stats(path: Path) -> tuple[float, int]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base), stream.frames


def reference(quality: str, repeats: int) -> float:
    """Median ms per frame of the reference scene."""
    per_frame = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeats):
            data = _probe(REFERENCE_SCENE, {"l": "low_quality", "h": "high_quality"}[quality], out)
            per_frame.append(1000 * data["seconds"] / data["frames"])
    return statistics.median(per_frame)


def per_scene(quality: str, repeats: int, out: Path) -> list[dict]:
    rows = []
    for spec in list(registry.SCENES):
        seconds, peaks = [], []
        for _ in range(repeats):
            data = _probe(SCENE_PROBE, spec.id, quality, str(out))
            seconds.append(data["seconds"])
            peaks.append(data["peak"])
        video, frames = _video_stats(out / f"{spec.id}.mp4")
        rows.append({"scene": spec.id, "video_s": video, "frames": frames, "render_s": statistics.median(seconds),
                     "ms_per_frame": 1000 * statistics.median(seconds) / frames, "peak_mb": max(peaks) / 2**20})
    return rows


def lecture(jobs: int, force: bool, out: Path) -> float:
    command = [PYTHON, "cli.py", "lecture", "-o", str(out), "-j", str(jobs)] + (["--force"] if force else [])
    return _wall(command)


def join_seconds(out: Path, repeats: int) -> float:
    from pipeline.join import Clip, join

    clips = [Clip(s.id, s.title, out / f"{s.id}.mp4", out / f"{s.id}.srt") for s in list(registry.SCENES)]
    times = []
    with tempfile.TemporaryDirectory() as target:
        for _ in range(repeats):
            started = time.perf_counter()
            join(clips, Path(target))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def _table(rows: list[dict], columns: list[tuple[str, str]]) -> None:
    cells = [[fmt.format(row[key]) for key, fmt in columns] for row in rows]
    widths = [max(len(key), *(len(c[i]) for c in cells)) for i, (key, _) in enumerate(columns)]
    print("  ".join(key.rjust(w) for (key, _), w in zip(columns, widths)))
    for line in cells:
        print("  ".join(c.rjust(w) for c, w in zip(line, widths)))


def _verdict(name: str, value: float, limit: float, unit: str, at_most: bool = True) -> None:
    ok = value <= limit if at_most else value >= limit
    print(f"  {'PASS' if ok else 'FAIL'}  {name}: {value:.3g}{unit} (target {'<=' if at_most else '>='} {limit:g}{unit})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-1080p", action="store_true", help="per-scene table at 480p15 only")
    parser.add_argument("--skip-cold", action="store_true", help="no cold whole-lecture builds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, medians of {args.repeats} runs\n")
    try:
        out = work / "lecture"
        # The first build also trains any missing result and fills manim's formula cache: not timed.
        lecture(2, True, out)
        verdicts = []
        duration = sum(_video_stats(out / f"{s.id}.mp4")[0] for s in list(registry.SCENES))
        print(f"lecture: {len(list(registry.SCENES))} scenes, {duration:.1f} s of video at 480p15\n")
        if not args.skip_cold:
            cold = {jobs: statistics.median(lecture(jobs, True, out) for _ in range(args.repeats)) for jobs in (1, 2)}
            print(f"cold build --jobs 1: {cold[1]:.1f} s; --jobs 2: {cold[2]:.1f} s "
                  f"({cold[2] / duration:.3f} x the video's duration)")
            verdicts += [("cold --jobs 2 / video duration", cold[2] / duration, 0.25, "x", True),
                         ("--jobs 1 / --jobs 2 (speed-up)", cold[1] / cold[2], 1.6, "x", False)]
        warm = statistics.median(lecture(2, False, out) for _ in range(max(args.repeats, 5)))
        joined = join_seconds(out, args.repeats)
        print(f"warm rebuild (nothing changed): {warm:.2f} s; join by stream copy: {joined:.2f} s\n")
        verdicts += [("warm rebuild", warm, 3, " s", True), ("join", joined, 5, " s", True)]
        for quality in ("l",) if args.skip_1080p else ("l", "h"):
            base = reference(quality, args.repeats)
            rows = per_scene(quality, 1 if quality == "h" else args.repeats, work / quality)
            for row in rows:
                row["ratio"] = row["ms_per_frame"] / base
            print(f"per scene at {QUALITY_FOLDERS[quality]} (reference scene: {base:.1f} ms per frame)")
            _table(rows, [("scene", "{}"), ("video_s", "{:.1f}"), ("frames", "{}"), ("render_s", "{:.1f}"),
                          ("ms_per_frame", "{:.1f}"), ("ratio", "{:.2f}"), ("peak_mb", "{:.0f}")])
            print()
            worst = max(rows, key=lambda r: r["ratio"])
            verdicts.append((f"worst ms/frame ratio at {QUALITY_FOLDERS[quality]} ({worst['scene']})",
                             worst["ratio"], 3, "x", True))
            if quality == "h":
                verdicts.append(("peak memory of a 1080p render", max(r["peak_mb"] for r in rows), 1024, " MB", True))
        print("targets")
        for name, value, limit, unit, at_most in verdicts:
            _verdict(name, value, limit, unit, at_most)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
