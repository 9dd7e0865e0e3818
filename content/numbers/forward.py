"""The forward scene: every value of the classic network, layer by layer, up to the total error."""

from __future__ import annotations

from . import Numbers
from ._network import classic, forward_values, setup_display, shown


def numbers() -> Numbers:
    values = forward_values()
    display = {**setup_display(values),
                         **{name: shown(value) for name, value in classic().forward().items()}}
    return Numbers(values, display)
