"""The neuron scene: h1 of the classic network, its weighted sum and its activation."""

from __future__ import annotations

from ..format import fixed
from . import Numbers
from ._network import forward_values, setup_display, shown


def numbers() -> Numbers:
    values = forward_values()
    w, (i1, i2) = values["weights"], values["inputs"]
    values["terms"] = {"w1*i1": w["w1"] * i1, "w2*i2": w["w2"] * i2, "b1": w["b1"]}
    display = {
        **setup_display(values),
        "w1_i1": fixed(values["terms"]["w1*i1"], 4), "w2_i2": fixed(values["terms"]["w2*i2"], 4),
        "net_h1": fixed(values["net_h1"], 4), "out_h1": shown(values["out_h1"]),
    }
    return Numbers(values, display)
