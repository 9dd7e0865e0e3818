"""Every test sees the same training results on every machine: the published ones (experiments/published),
never a developer's local cache; renders that pick their own folder land in a temporary one; and clips are
silent unless the test is about the voice (synthesis would add minutes to every render test)."""

import os
import tempfile

# Set before any test module imports mathcore or scenes, and inherited by the CLI subprocesses.
_SESSION = tempfile.mkdtemp(prefix="actlecture-tests-")
os.environ["ACTLECTURE_RESULTS_DIR"] = os.path.join(_SESSION, "results")
os.environ["ACTLECTURE_MEDIA"] = os.path.join(_SESSION, "media")
# Silent clips, unless a test asks for a voice (tests/test_voice.py does, and clears this for the default).
os.environ["ACTLECTURE_VOICE"] = "none"


def pytest_sessionfinish(session, exitstatus):
    import shutil

    shutil.rmtree(_SESSION, ignore_errors=True)
