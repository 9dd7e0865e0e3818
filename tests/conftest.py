"""Every test sees the same training results on every machine: the published ones (experiments/published),
never a developer's local cache; and renders that pick their own folder land in a temporary one."""

import os
import tempfile

# Set before any test module imports mathcore or scenes, and inherited by the CLI subprocesses.
_SESSION = tempfile.mkdtemp(prefix="actlecture-tests-")
os.environ["ACTLECTURE_RESULTS_DIR"] = os.path.join(_SESSION, "results")
os.environ["ACTLECTURE_MEDIA"] = os.path.join(_SESSION, "media")


def pytest_sessionfinish(session, exitstatus):
    import shutil

    shutil.rmtree(_SESSION, ignore_errors=True)
