"""The classic 2-2-2 network (Mazur's example, the article's figures), built once: its set-up and forward
values under the article's names, and the display of the quantities two scenes both show, at one
precision (dE/dw5 reads 0.08217 in the vanishing scene as in the backprop scene)."""

from __future__ import annotations

from functools import cache

from mathcore.network import ToyNetwork

from ..format import fixed, sig, sig_tex, sig_text

# Significant digits of every quantity of the classic network that is computed (not given): the
# article's own figures are printed to 8-9 digits, 4 keep a formula on one line.
DIGITS = 4


@cache
def classic() -> ToyNetwork:
    return ToyNetwork.classic()


def forward_values() -> dict:
    """The classic network's set-up and every forward value under the article's names (net_h1, ...)."""
    net = classic()
    return {"weights": dict(net.weights), "inputs": list(net.inputs), "targets": list(net.targets),
            **net.forward()}


def setup_display(values: dict) -> dict:
    """The classic network's inputs, weights and targets as the article prints them (two decimals)."""
    shown = {name: fixed(value) for name, value in values["weights"].items()}
    shown.update(i1=fixed(values["inputs"][0]), i2=fixed(values["inputs"][1]),
                 t1=fixed(values["targets"][0]), t2=fixed(values["targets"][1]))
    return shown


def shown(value: float) -> str:
    """A computed quantity of the classic network, as every scene shows it."""
    return sig(value, DIGITS)


def shown_text(value: float) -> str:
    return sig_text(value, DIGITS)


def shown_tex(value: float) -> str:
    return sig_tex(value, DIGITS)


def factor_shown(factor) -> str:
    """A chain-rule factor as shown: a given of the example (an input or a weight, which the article prints
    with two decimals) as given, anything computed at DIGITS."""
    return factor_shown_value(factor.value)


def factor_shown_value(value: float) -> str:
    net = classic()
    given = (*net.weights.values(), *net.inputs)
    return fixed(value) if any(value == v for v in given) else shown(value)
