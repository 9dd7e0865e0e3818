"""Faults for the CLI tests, injected into a real `cli.py` process (and its workers) at interpreter
start-up: a test puts this folder on PYTHONPATH and describes the faults in ACTLECTURE_FAULTS (JSON).

- {"full_disk": "<glob>"}: opening a file whose name matches for writing fails with ENOSPC, as on a
  full disk, at the moment that file is written;
- {"slow_replace": ["<suffix>", seconds, "<marker>"]}: the first os.replace onto a path ending in <suffix>
  creates the file <marker>, then waits: a render held in the middle of placing its outputs, and the
  test knows when.
"""

import json
import os

_FAULTS = json.loads(os.environ.get("ACTLECTURE_FAULTS") or "{}")

if "full_disk" in _FAULTS:
    import builtins
    import errno
    import fnmatch
    import io

    _open = io.open

    def _full_disk_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and any(flag in mode for flag in "wax+"):
            if fnmatch.fnmatch(os.path.basename(os.fspath(file)), _FAULTS["full_disk"]):
                raise OSError(errno.ENOSPC, "No space left on device", os.fspath(file))
        return _open(file, mode, *args, **kwargs)

    io.open = builtins.open = _full_disk_open

if "slow_replace" in _FAULTS:
    import time

    _replace = os.replace
    _suffix, _seconds, _marker = _FAULTS["slow_replace"]

    def _slow_replace(src, dst, *args, **kwargs):
        if os.fspath(dst).endswith(_suffix) and not os.path.exists(_marker):
            open(_marker, "w").close()
            time.sleep(_seconds)
        return _replace(src, dst, *args, **kwargs)

    os.replace = _slow_replace
