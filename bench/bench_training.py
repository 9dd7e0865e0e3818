"""Time the trained examples: every experiment at size "default" on the CPU ("large" too on CUDA).

    .venv/bin/python bench/bench_training.py [--repeats N]

Runs bypass the results cache. The lecture's budget is all four default runs in under 60 s on a
2-core CPU; the table ends with the total of the medians against it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a bare checkout, too

import experiments as training  # noqa: E402

BUDGET_S = 60.0


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def bench(size: str, device: str, repeats: int) -> list[dict]:
    rows = []
    for name, exp in training.EXPERIMENTS.items():
        config = exp.config(size, seed=0, device=device)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            result = exp.run(config)
            times.append(time.perf_counter() - start)
        headline = "; ".join(f"{k} = {_fmt(v)}" for k, v in exp.headline(result).items())
        rows.append({"experiment": name, "size": size, "device": result["device"], "median": statistics.median(times),
                     "min": min(times), "max": max(times), "headline": headline})
        print(f"  {name} {size} {result['device']}: {', '.join(f'{t:.2f}' for t in times)} s", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per experiment (default 3)")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    # The first run in a process also pays for importing torch and its optimiser machinery (seconds);
    # time that once, apart, so the medians measure the training itself.
    start = time.perf_counter()
    warm = training.EXPERIMENTS["nonlinearity"]
    cfg = warm.config("small", device="cpu")
    warm.run({**cfg, "steps": 1})
    startup = time.perf_counter() - start

    import torch

    rows = bench("default", "cpu", args.repeats)
    if torch.cuda.is_available():
        rows += bench("large", "cuda", args.repeats)

    header = ("experiment", "size", "device", "median s", "min s", "max s", "headline")
    table = [header] + [(r["experiment"], r["size"], r["device"], f"{r['median']:.2f}", f"{r['min']:.2f}",
                         f"{r['max']:.2f}", r["headline"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    print(f"\ntorch {torch.__version__}, {torch.get_num_threads()} CPU threads available (runs use 1), "
          f"{args.repeats} repeats; start-up (import torch, first run) {startup:.2f} s, not included\n")
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(w) if j < 3 else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths)))
              + "  " + row[-1])
        if i == 0:
            print("  ".join("-" * w for w in widths) + "  " + "-" * len(header[-1]))
    total = sum(r["median"] for r in rows if r["size"] == "default" and r["device"] == "cpu")
    verdict = "under" if total < BUDGET_S else "OVER"
    print(f"\ntotal of default-size CPU medians: {total:.2f} s ({verdict} the {BUDGET_S:.0f} s budget)")


if __name__ == "__main__":
    main()
