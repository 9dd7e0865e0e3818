"""The choosing scene: the facts behind each choice of the decision guide, from the activation registry."""

from __future__ import annotations

import numpy as np

from mathcore import activations, flow

from ..format import sig
from . import Numbers
from .softmax import SOFTMAX_LOGITS

# The regression case: a target below zero, which a sigmoid output can never give.
REGRESSION_TARGET = -3.0
REGRESSION_XS = (-5.0, 5.0)  # the inputs drawn


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
    # How near each output can come to the target: the sigmoid's values stay above its lower bound (0, never
    # reached), so it stays more than `gap` away; the identity gives the target itself at x = target.
    low, _ = chosen["sigmoid"].range
    xs = np.linspace(*REGRESSION_XS, 2001)
    values["regression"] = {
        "target": REGRESSION_TARGET, "sigmoid_floor": low, "gap": low - REGRESSION_TARGET,
        "sigmoid_nearest_drawn": float(np.min(np.abs(chosen["sigmoid"](xs) - REGRESSION_TARGET))),
        "identity_at_target": float(chosen["identity"](REGRESSION_TARGET)), "xs": list(REGRESSION_XS),
    }
    display.update({"target": f"{REGRESSION_TARGET:g}".replace("-", "−"), "target_tex": f"{REGRESSION_TARGET:g}",
                    "gap": f"{low - REGRESSION_TARGET:g}", "sigmoid_floor": f"{low:g}"})
    # The thumbnails beside the choices: the lecture's own softmax example, as bars.
    values["softmax_example"] = activations.softmax(np.array(SOFTMAX_LOGITS)).tolist()
    return Numbers(values, display)
