"""The softmax scene: logits to exponentials to probabilities, at a few temperatures; two classes against
a sigmoid; the Jacobian, all from mathcore's softmax."""

from __future__ import annotations

import numpy as np

from mathcore import activations

from ..format import fixed, sig
from . import Numbers

# Softmax: the example logits of a three-class output layer (inputs, not results), the temperatures the
# knob stops at, the knob's range, and a two-class pair for the sigmoid identity.
SOFTMAX_LOGITS = (2.0, 1.0, 0.1)
SOFTMAX_TEMPERATURES = {"low": 0.5, "base": 1.0, "high": 5.0}
SOFTMAX_KNOB = (0.0, 6.0)
SOFTMAX_PAIR = (2.0, 0.5)


def numbers() -> Numbers:
    """Logits to exponentials to probabilities, at a few temperatures; two classes against a sigmoid; the
    Jacobian, all from mathcore's softmax."""
    z = np.array(SOFTMAX_LOGITS)
    exps = np.exp(z)
    probs = activations.softmax(z)
    at = {key: activations.softmax(z, temperature=t) for key, t in SOFTMAX_TEMPERATURES.items()}
    a, b = SOFTMAX_PAIR
    pair = activations.softmax(np.array(SOFTMAX_PAIR))
    pair_sigmoid = float(activations.get("sigmoid")(a - b))
    jacobian = activations.softmax_jacobian(z)
    values = {
        "logits": z.tolist(), "exps": exps.tolist(), "exp_sum": float(exps.sum()), "probs": probs.tolist(),
        "prob_sum": float(probs.sum()),
        "temperatures": dict(SOFTMAX_TEMPERATURES), "knob": SOFTMAX_KNOB,
        "probs_at": {key: p.tolist() for key, p in at.items()},
        "pair": list(SOFTMAX_PAIR), "pair_probs": pair.tolist(), "pair_difference": a - b,
        "pair_sigmoid": pair_sigmoid,
        "jacobian": jacobian.tolist(), "jacobian_row_sums": jacobian.sum(axis=1).tolist(),
        "jacobian_column_sums": jacobian.sum(axis=0).tolist(),
        # Exponentiating turns differences into ratios: z1 - z2 apart gives e^(z1 - z2) times.
        "logit_gap": float(z[0] - z[1]), "exp_ratio": float(exps[0] / exps[1]),
    }
    display = {
        **{f"z{i}": fixed(v, 1) for i, v in enumerate(z, start=1)},
        **{f"e{i}": sig(v) for i, v in enumerate(exps, start=1)},
        **{f"p{i}": sig(v) for i, v in enumerate(probs, start=1)},
        "exp_sum": sig(values["exp_sum"]), "p_sum": f"{values['prob_sum']:.3g}",
        **{f"t_{key}": f"{t:g}" for key, t in SOFTMAX_TEMPERATURES.items()},
        **{f"top_{key}": sig(float(p[0])) for key, p in at.items()},
        "probs_at": {key: [sig(float(v)) for v in p] for key, p in at.items()},
        "a": fixed(a, 1), "b": fixed(b, 1), "diff": fixed(a - b, 1),
        "two_p": sig(float(pair[0])), "two_sigmoid": sig(pair_sigmoid),
        "jacobian": [[sig(float(v)) for v in row] for row in jacobian],
        "logit_gap": fixed(float(z[0] - z[1]), 1), "exp_ratio": sig(float(exps[0] / exps[1])),
    }
    return Numbers(values, display)
