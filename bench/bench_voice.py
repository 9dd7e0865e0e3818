"""Time the voice: how fast each offline voice speaks, and what narration adds to a lecture build.

    .venv/bin/python bench/bench_voice.py [--repeats N] [--skip-lecture]

Prints two tables (medians of N runs, default 3):
  - per voice and language: seconds of speech made per CPU second, over one scene's narration (backprop,
    11 sentences), each sentence synthesised from scratch (no cache);
  - the lecture at 480p15 with --jobs 2, cold (--force): silent (--voice none), narrated with every sentence
    synthesised (an empty sentence cache), narrated with the sentences cached; and the warm rebuild of the
    narrated lecture (nothing changed: target <= 3 s).
Manim's cache of compiled formulas is kept, as on any machine after its first render.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import voice  # noqa: E402
from content.narration import scene_data  # noqa: E402
from content.spoken import spoken  # noqa: E402
from voice import audio  # noqa: E402
from voice.backends import BACKENDS  # noqa: E402


def cpu() -> float:
    """CPU seconds of this process and its finished children (espeak-ng runs as one)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def speech_rate(name: str, lang: str, repeats: int) -> tuple[float, float]:
    """(seconds of speech, median speech seconds per CPU second) for the backprop narration."""
    sentences = [spoken(text, lang) for _, text in scene_data("backprop").narration(lang)]
    backend = BACKENDS[name]
    backend.synthesize("warm up", lang)  # Piper loads its model once per process: not speech
    rates, total = [], 0.0
    for _ in range(repeats):
        started = cpu()
        total = sum(audio.seconds(backend.synthesize(s, lang)) for s in sentences)
        rates.append(total / (cpu() - started))
    return total, statistics.median(rates)


def lecture(out: Path, *args: str, env: dict) -> float:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, str(REPO / "cli.py"), "lecture", "-o", str(out), "--jobs", "2", *args],
                         capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise SystemExit(f"lecture failed: {run.stderr.strip().splitlines()[-1]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-lecture", action="store_true")
    args = parser.parse_args()

    print("| voice | language | speech in the sample | speech s per CPU s |")
    print("|---|---|---:|---:|")
    for name, lang in (("piper", "en"), ("espeak", "en"), ("espeak", "zh")):
        if BACKENDS[name].missing(lang):
            print(f"| {name} | {lang} | not installed | |")
            continue
        seconds, rate = speech_rate(name, lang, args.repeats)
        print(f"| {name} | {lang} | {seconds:.0f} s | {rate:.1f} |", flush=True)
    if args.skip_lecture:
        return

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as folder:
        out, env = Path(folder) / "out", {k: v for k, v in os.environ.items() if k != "ACTLECTURE_VOICE"}
        lecture(out, env=env)  # trains nothing, compiles every formula once: not timed
        for label, extra, cold_cache in (("silent (--voice none)", ["--voice", "none"], False),
                                         ("narrated, every sentence synthesised", [], True),
                                         ("narrated, sentences cached", [], False)):
            times = []
            for k in range(args.repeats):
                run_env = dict(env)
                if cold_cache:
                    run_env["ACTLECTURE_VOICE_CACHE"] = str(Path(folder) / f"voice-cache-{k}")
                times.append(lecture(out, "--force", *extra, env=run_env))
            rows.append((label, statistics.median(times)))
        warm = statistics.median(lecture(out, env=env) for _ in range(args.repeats))
    print()
    print("| lecture at 480p15, --jobs 2 | median s | ratio to silent |")
    print("|---|---:|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.1f} | {seconds / rows[0][1]:.2f}x |")
    print(f"| warm rebuild, narrated (target <= 3 s) | {warm:.2f} | |")


if __name__ == "__main__":
    main()
