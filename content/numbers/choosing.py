"""The choosing scene: the facts behind each choice of the decision guide, from the activation registry."""

from __future__ import annotations

import numpy as np

from mathcore import activations, flow

from ..format import sig
from . import Numbers
from .softmax import SOFTMAX_LOGITS


def numbers() -> Numbers:
    """The facts behind each choice of the decision guide, from the activation registry."""
    chosen = {name: activations.get(name) for name in ("relu", "sigmoid", "tanh", "identity")}
    values = {
        "sigmoid_slope_bound": flow.derivative_bound("sigmoid"),
        "relu_slope_positive": float(chosen["relu"].derivative(1.0)),
        "ranges": {name: act.range_latex for name, act in chosen.items()},
    }
    display = {
        "sigmoid_bound": sig(values["sigmoid_slope_bound"], 2),
        "relu_slope": f"{values['relu_slope_positive']:g}",
        "sigmoid_range": chosen["sigmoid"].range_latex, "tanh_range": chosen["tanh"].range_latex,
        "identity_range": chosen["identity"].range_latex,
    }
    # The thumbnails beside the choices: the lecture's own softmax example, as bars.
    values["softmax_example"] = activations.softmax(np.array(SOFTMAX_LOGITS)).tolist()
    return Numbers(values, display)
