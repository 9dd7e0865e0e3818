"""Ctrl-C and `kill`: both stop a command cleanly, with every clean-up run.

A signal handler raises where the program happens to be. Python swallows an exception raised while a
finaliser or weakref callback runs (PyAV and manim have many), so a raise alone can be lost; the signal
is therefore also remembered, and `check()` raises it again at the points where a render would commit
its work (before placing outputs, before the next scene). A local cluster's workers ignore Ctrl-C
(pipeline/cluster.py): the command stops them."""

from __future__ import annotations

import signal

_received: int | None = None


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`), raised like Ctrl-C so that every clean-up Ctrl-C runs runs for it too."""


def _exception(signum: int) -> KeyboardInterrupt:
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _on_signal(signum, frame) -> None:
    global _received
    first = _received is None
    _received = signum
    if first:  # a second Ctrl-C or kill must not cut the clean-up of the first short
        raise _exception(signum)


def install() -> None:
    """In the command's process: SIGTERM and SIGINT raise (SIGINT only where it is not ignored: a command
    started in the background keeps ignoring it, as any program does)."""
    signal.signal(signal.SIGTERM, _on_signal)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _on_signal)


def check() -> None:
    """Raise the signal received earlier, if its first raise was swallowed."""
    if _received is not None:
        raise _exception(_received)
