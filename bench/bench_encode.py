"""Encoding: every scene rendered through manim's own encoder path ("before") and through the lecture's
(pipeline/encoding.py: x264 veryfast + tune animation, holds converted once, two partial movies in
flight; "after"), against a reference plot rendered through manim's default path, in the same run.

    .venv/bin/python bench/bench_encode.py [--qualities l,h,k] [--scenes a,b] [--repeats N] [--skip-lecture]

Prints per quality a table: frames, ms per frame before and after, each as a ratio to the reference plot,
the speed-up, peak memory of the render process, file size after/before, and the PSNR of 24 sampled
frames of the after-clip against the before-clip (min and median). Then the cold lecture at 1080p60 with
2 workers, before and after (`--skip-lecture` leaves it out). Medians of N runs (default 1: a 2160p pass
over the whole lecture takes hours on 2 cores).

Targets (issue: fast at 1080p and 4K): at 1080p60 every scene <= 0.6x the reference's ms per frame; the
cold lecture at 1080p60 with 2 workers <= 0.6x before; 2160p60 measured, peak memory < 2 GB; 480p15 no
slower than before; quality: PSNR >= 38 dB on every sampled frame, size <= 1.5x.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_build import REFERENCE_SCENE  # noqa: E402

from content import registry  # noqa: E402

PYTHON = sys.executable
MANIM_QUALITY = {"l": "low_quality", "h": "high_quality", "k": "fourk_quality"}

SCENE = r'''
import json, sys, time
from pathlib import Path
from content import registry
from pipeline.render import render
from pipeline.settings import RenderSettings
scene, quality, out, encoder = sys.argv[1:5]
started = time.perf_counter()
render(registry.get(scene), {}, RenderSettings(quality=quality, out_dir=Path(out), force=True, encoder=encoder))
# VmHWM, not ru_maxrss: Linux carries the parent's high-water mark over fork and exec into ru_maxrss (this
# benchmark's parent holds decoded frames for the PSNR), so every child would report the parent's peak.
print(json.dumps({"seconds": time.perf_counter() - started, "peak": int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]) * 1024}))
'''

LECTURE = r'''
import json, sys, time
from pathlib import Path
from content import registry
from pipeline.render import Job
from pipeline.settings import RenderSettings
from pipeline.cluster import render_many
out, encoder = Path(sys.argv[1]), sys.argv[2]
settings = RenderSettings(quality="h", out_dir=out, force=True, encoder=encoder)
started = time.perf_counter()
outcome = render_many([Job(s.id, s.resolve_params({}), settings) for s in registry.SCENES], 2, lambda *a: None)
assert not outcome.failed, outcome.failed
print(json.dumps({"seconds": time.perf_counter() - started}))
'''


def _run(code: str, *args: str) -> dict:
    result = subprocess.run([PYTHON, "-c", code, *args], capture_output=True, text=True, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f"failed: {args}\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def frames_of(path: Path) -> int:
    import av

    with av.open(str(path)) as container:
        return container.streams.video[0].frames


def psnr(before: Path, after: Path, samples: int = 24) -> tuple[float, float]:
    """PSNR (RGB, dB) of `samples` evenly spread frames of `after` against `before`: min and median."""
    import av
    import numpy as np

    def sampled(path: Path) -> dict[int, np.ndarray]:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            wanted = set(np.linspace(0, stream.frames - 1, samples).astype(int).tolist())
            # uint8 as decoded: float64 copies of 2 x 24 frames at 2160p would be ~10 GB in this process
            return {i: f.to_ndarray(format="rgb24") for i, f in enumerate(container.decode(stream)) if i in wanted}

    a, b = sampled(before), sampled(after)
    values = []
    for index in a:
        mse = float(np.mean((a[index].astype(np.float32) - b[index].astype(np.float32)) ** 2))
        values.append(99.0 if mse == 0 else 10 * np.log10(255**2 / mse))
    return min(values), statistics.median(values)


def reference_ms(quality: str, repeats: int) -> float:
    per_frame = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeats):
            data = _run(REFERENCE_SCENE, MANIM_QUALITY[quality], out)
            per_frame.append(1000 * data["seconds"] / data["frames"])
    return statistics.median(per_frame)


def scene_row(scene: str, quality: str, repeats: int, work: Path) -> dict:
    row = {"scene": scene}
    for encoder in ("manim", "lecture"):
        out = work / encoder
        runs = [_run(SCENE, scene, quality, str(out), encoder) for _ in range(repeats)]
        clip = out / f"{scene}.mp4"
        row["frames"] = frames_of(clip)
        row[encoder] = 1000 * statistics.median(r["seconds"] for r in runs) / row["frames"]
        row[f"{encoder}_peak_mb"] = max(r["peak"] for r in runs) / 2**20
        row[f"{encoder}_bytes"] = clip.stat().st_size
    row["psnr_min"], row["psnr_median"] = psnr(work / "manim" / f"{scene}.mp4", work / "lecture" / f"{scene}.mp4")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qualities", default="l,h,k")
    parser.add_argument("--scenes", default=",".join(registry.ids()))
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--skip-lecture", action="store_true")
    args = parser.parse_args()
    verdicts = []
    for quality in args.qualities.split(","):
        ref = reference_ms(quality, args.repeats)
        print(f"\n{MANIM_QUALITY[quality]}: reference plot {ref:.1f} ms/frame (manim's default path)")
        print("| scene | frames | before ms/frame | × ref | after ms/frame | × ref | speed-up | peak MB after |"
              " size after/before | PSNR min / median dB |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for scene in args.scenes.split(","):
            with tempfile.TemporaryDirectory() as work:
                row = scene_row(scene, quality, args.repeats, Path(work))
            print(f"| {scene} | {row['frames']} | {row['manim']:.1f} | {row['manim'] / ref:.2f} | {row['lecture']:.1f} |"
                  f" {row['lecture'] / ref:.2f} | {row['manim'] / row['lecture']:.2f}× | {row['lecture_peak_mb']:.0f} |"
                  f" {row['lecture_bytes'] / row['manim_bytes']:.2f} | {row['psnr_min']:.1f} / {row['psnr_median']:.1f} |",
                  flush=True)
            verdicts.append((quality, scene, row, ref))
    print()
    for quality, scene, row, ref in verdicts:
        checks = [("PSNR >= 38 dB", row["psnr_min"] >= 38), ("size <= 1.5x", row["lecture_bytes"] <= 1.5 * row["manim_bytes"])]
        if quality == "h":
            checks.append(("<= 0.6x reference", row["lecture"] <= 0.6 * ref))
        if quality == "l":
            checks.append(("no slower than before", row["lecture"] <= row["manim"] * 1.05))
        if quality == "k":
            checks.append(("peak < 2 GB", row["lecture_peak_mb"] < 2048))
        failed = [name for name, ok in checks if not ok]
        print(f"{MANIM_QUALITY[quality]} {scene}: {'ok' if not failed else 'MISSED ' + ', '.join(failed)}")
    if not args.skip_lecture:
        times = {}
        with tempfile.TemporaryDirectory() as work:
            for encoder in ("manim", "lecture"):
                started = time.perf_counter()
                _run(LECTURE, str(Path(work) / encoder), encoder)
                times[encoder] = time.perf_counter() - started
        ratio = times["lecture"] / times["manim"]
        print(f"\ncold lecture at 1080p60, 2 workers: before {times['manim']:.0f} s, after {times['lecture']:.0f} s"
              f" = {ratio:.2f}x ({'ok' if ratio <= 0.6 else 'MISSED'} <= 0.6x)")


if __name__ == "__main__":
    main()
