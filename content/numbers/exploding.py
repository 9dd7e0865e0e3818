"""The exploding scene: the analytic growth of the gradient under an oversized init, and the `exploding`
training run."""

from __future__ import annotations

import math

import numpy as np

from mathcore import flow

from ..format import sig, sig_tex, sig_text
from ..i18n import Term
from . import Numbers
from ._common import SIM_BATCH, SIM_SEED, SIM_WIDTH


# The dial's low end, n times the weights' variance: a quarter of He's, where the gradient vanishes.
DIAL_LOW = 0.5


def rescaled_reach(reach, from_variance: float, to_variance: float) -> np.ndarray:
    """A ReLU net's reach (top layer first) had its weights been drawn with `to_variance` instead of
    `from_variance`, from the same draw: ReLU is positively homogeneous, so scaling every weight by c
    leaves the same units live and multiplies crossing k + 1 (k weight matrices below the top ReLU) by
    c**k exactly, c = sqrt(to / from). The dial's bars, here and in the scene as it turns."""
    reach = np.asarray(reach, dtype=np.float64)
    return reach * math.sqrt(to_variance / from_variance) ** np.arange(reach.size, dtype=np.float64)


def numbers() -> Numbers:
    """The analytic growth of the gradient under an oversized init, and the `exploding` training run."""
    import experiments
    from experiments.cache import floats_array

    result = experiments.run_cached("exploding")
    cfg, runs = result["config"], result["runs"]
    depth, oversized = cfg["depth"], cfg["oversized_init"]
    he = flow.init_variance("he", 1, 1)  # He's variance times fan_in: 2
    # The same net as trained, in mathcore's simulation: what the chain rule does to the gradient.
    run = flow.gradient_flow("relu", depth, SIM_WIDTH, oversized, batch=SIM_BATCH, seed=SIM_SEED)
    reach, factors = run.reach(), run.layer_factors()
    typical = flow.typical_factor(factors)
    # The first crossing is the top layer's ReLU alone (no weight matrix yet); every later one is a weight
    # matrix and a ReLU: the factor the init sets.
    first_factor, later_factor = float(factors[0]), flow.typical_factor(factors[1:])
    # One dial for vanishing and exploding: the same draw at other variances, rescaled (exact for ReLU, no
    # second simulation; a test runs one to check).
    stops = (DIAL_LOW, he, oversized)
    dial = {"variances": list(stops),
            "reach": [rescaled_reach(reach, oversized, var).tolist() for var in stops],
            "factors": [later_factor * math.sqrt(var / oversized) for var in stops]}
    signal = {name: runs[name]["signal_grad_norms"] for name in ("oversized", "he")}
    ratio = {name: norms[0] / norms[-1] for name, norms in signal.items()}
    losses = {name: floats_array(run_["loss"]).tolist() for name, run_ in runs.items()}
    nan_step = runs["oversized"]["first_nonfinite_step"]
    values = {
        "depth": depth, "oversized_variance": oversized, "he_variance": he, "reach": reach.tolist(),
        "layer_factors": factors.tolist(), "typical_factor": typical, "first_factor": first_factor,
        "later_factor": later_factor, "trained_width": cfg["width"],
        "layers": result["layers"], "signal_grad_norms": signal, "first_over_last": ratio,
        "steps": cfg["steps"], "losses": losses, "first_nonfinite_step": nan_step, "clip": cfg["clip"],
        "headline": experiments.EXPERIMENTS["exploding"].headline(result),
        "simulation": {"width": SIM_WIDTH, "batch": SIM_BATCH, "seed": SIM_SEED}, "dial": dial,
    }
    display = {
        "depth": str(depth), "oversized": f"{oversized:g}", "he": f"{he:g}",
        "first_factor": sig(first_factor, 2), "later_factor": sig(later_factor, 3),
        "reach_last": sig_text(float(reach[-1]), 2), "trained_width": str(cfg["width"]),
        "weight_layers": str(len(result["layers"])),
        "trained_ratio": sig_text(ratio["oversized"], 2), "he_ratio": sig(ratio["he"], 2),
        "trained_ratio_tex": sig_tex(ratio["oversized"], 2), "reach_tex": [sig_tex(float(r), 3) for r in reach],
        "first_loss": sig_text(losses["oversized"][0], 2), "first_loss_tex": sig_tex(losses["oversized"][0], 2),
        "clip_final_tex": sig_tex(losses["oversized+clip"][-1], 2),
        "nan_step": Term("never") if nan_step is None else str(nan_step),
        "clip": f"{cfg['clip']:g}", "steps": str(cfg["steps"]),
        "clip_final": sig_text(losses["oversized+clip"][-1], 2), "he_first": sig(losses["he"][0], 2),
        "he_final": sig(losses["he"][-1], 2),
        "dial_low": f"{DIAL_LOW:g}", "dial_low_factor": sig(dial["factors"][0], 2),
        "dial_low_reach": sig_text(dial["reach"][0][-1], 2), "dial_he_factor": sig(dial["factors"][1], 3),
        "dial_he_reach": sig(dial["reach"][1][-1], 2),
        "dial_reach_tex": [sig_tex(run[-1], 2) for run in dial["reach"]],
        "dial_factor_tex": [sig(dial["factors"][0], 2), sig(dial["factors"][1], 3), sig(later_factor, 3)],
    }
    return Numbers(values, display)
