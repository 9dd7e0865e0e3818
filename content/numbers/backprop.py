"""The backprop scene: dE/dw5 as a product of three factors, dE/dw1 as a sum over both output paths, and
one gradient-descent step."""

from __future__ import annotations

import math

from mathcore import flow
from mathcore.network import CLASSIC_LEARNING_RATE

from ..format import sig
from . import Numbers
from ._network import classic, factor_shown, forward_values, setup_display, shown, shown_tex, shown_text


def numbers() -> Numbers:
    net = classic()
    values = forward_values()
    chains = {w: net.chain(w) for w in ("w5", "w1")}
    values["chains"] = {
        w: {"paths": [[{"name": f.name, "value": f.value, "anchor": f.anchor, "latex": f.latex, "rule": f.rule}
                       for f in path] for path in chain.paths],
            "path_values": list(chain.path_values), "value": chain.value}
        for w, chain in chains.items()
    }
    values["gradients"] = dict(net.gradients())
    values["learning_rate"] = CLASSIC_LEARNING_RATE
    values["updated_weights"] = {w: v for w, v in net.step(CLASSIC_LEARNING_RATE).weights.items()
                                 if w in values["gradients"]}
    (w5_path,) = chains["w5"].paths
    via_o1, via_o2 = chains["w1"].paths
    # The three links every w1 path shares with nothing else: up to dE/dout_h1 through one output.
    into_h1 = [math.prod(f.value for f in path[:3]) for path in (via_o1, via_o2)]
    values["dE_dout_h1"] = math.fsum(into_h1)
    values["into_h1"] = into_h1
    display = setup_display(values)
    # Each factor of dE/dw5 as the scene writes it, all from mathcore: its symbol, what it equals, its value
    # as shown, and where it lives on the drawing.
    display["w5_rows"] = [{"symbol": f.latex, "rule": f.rule, "value": factor_shown(f), "anchor": f.anchor}
                          for f in w5_path]
    display.update(
        {f"w5_f{i}": factor_shown(f) for i, f in enumerate(w5_path, start=1)},
        grad_w5=shown(chains["w5"].value), lr=f"{CLASSIC_LEARNING_RATE:g}",
        w5_new=shown(values["updated_weights"]["w5"]),
        **{f"o1_f{i}": factor_shown(f) for i, f in enumerate(via_o1[:3], start=1)},
        **{f"o2_f{i}": factor_shown(f) for i, f in enumerate(via_o2[:3], start=1)},
        via_o1=shown(into_h1[0]), via_o2=shown(into_h1[1]), dE_dout_h1=shown(values["dE_dout_h1"]),
        slope_h1=factor_shown(via_o1[3]), grad_w1=shown_text(chains["w1"].value),
        grad_w1_tex=shown_tex(chains["w1"].value), slope_bound=sig(flow.derivative_bound("sigmoid"), 2),
    )
    return Numbers(values, display)
