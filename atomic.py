"""Files written so that a reader sees the old one or the new one, never half of one: the new content goes
under a temporary name in the same folder (os.replace is atomic only within one file system), then
replaces the old. The temporary name carries the writer's pid, so a later run can tell what a killed
writer left (`is_dead`) and remove it (`remove_stale`). Every layer that writes files uses this module."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def temporary(target: Path) -> Path:
    """Where `target` is written before it is moved into place: `.<name>.<pid>.tmp` beside it."""
    target = Path(target)
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def write_text(target: Path, text: str, sync: bool = False) -> Path:
    return write_bytes(target, text.encode("utf-8"), sync)


def write_bytes(target: Path, data: bytes, sync: bool = False) -> Path:
    """`data` into `target` atomically; `sync` flushes it to the disk first (for a cache other processes
    and a later boot rely on)."""
    target = Path(target)
    part = temporary(target)
    try:
        with open(part, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(part, 0o644)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target


def move(source: Path, target: Path) -> Path:
    """`source` (any folder, any file system) to `target` atomically: copied under the temporary name first
    when it lives elsewhere."""
    part = temporary(target)
    try:
        shutil.move(str(source), part)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return Path(target)


def is_dead(pid: str | int) -> bool:
    """Whether `pid` names no running process (False for anything that is not a pid)."""
    return str(pid).isdigit() and not Path(f"/proc/{pid}").exists()


def pid_of(temporary_path: Path) -> str:
    """The writer's pid in a `.<name>.<pid>.tmp` name ('' when it is not one)."""
    parts = Path(temporary_path).name.rsplit(".", 2)
    return parts[1] if len(parts) == 3 and parts[2] == "tmp" else ""


def remove_stale(folder: Path) -> None:
    """Temporaries in `folder` whose writer is dead (killed outright, or stopped by a full disk)."""
    for part in Path(folder).glob(".*.tmp"):
        if is_dead(pid_of(part)):
            part.unlink(missing_ok=True)


def remove_mine(folder: Path, pid: int) -> None:
    """The temporaries process `pid` left in `folder` (a worker its parent stopped)."""
    for part in Path(folder).glob(f".*.{pid}.tmp"):
        part.unlink(missing_ok=True)
