"""What many test modules share: the repository, the tiny render size, and the CLI run as a user runs it
(a subprocess), with faults injected on request (tests/faults/sitecustomize.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FAULTS = REPO / "tests" / "faults"
# Tiny frames: the plumbing, not the pixels. As CLI options, and as RenderSettings fields.
TINY = ["--resolution", "192x108", "--fps", "5"]
TINY_SETTINGS = {"resolution": (192, 108), "frame_rate": 5}


def cli(*args, env=None, cwd=None, timeout=300, faults=None):
    """`python cli.py ARGS`, its output captured as text."""
    env = dict(env or os.environ)
    if faults is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FAULTS), env.get("PYTHONPATH")]))
        env["ACTLECTURE_FAULTS"] = json.dumps(faults)
    return subprocess.run([sys.executable, str(REPO / "cli.py"), *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd)
