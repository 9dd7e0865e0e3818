"""Every number each scene shows, computed from mathcore and the saved training results (no manim, no
torch: `explain` and the tests read it alone).

One module per scene, each with a function of that scene's parameters returning `Numbers`: the raw
values at full precision, and `display`, the same numbers as they appear on screen and in the narration,
so a scene never rounds or recomputes anything itself. The modules starting with _ hold what several
scenes share (the classic network, the simulated deep net)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping


@dataclass(frozen=True)
class Numbers(Mapping):
    """A scene's numbers: `values` (raw, full precision; also read by key, numbers["depth"]) and `display`
    (strings and Terms as shown, by the same names where both exist)."""

    values: dict[str, Any]
    display: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


# After Numbers: each scene module imports it from here.
from . import backprop, choosing, dead_relu, exploding, forward, gallery, neuron, nonlinearity, softmax, vanishing  # noqa: E402

# Scene id -> its numbers function, called with the scene's parameters.
NUMBERS: dict[str, Callable[..., Numbers]] = {
    "neuron": neuron.numbers, "nonlinearity": nonlinearity.numbers, "forward": forward.numbers,
    "backprop": backprop.numbers, "vanishing": vanishing.numbers, "exploding": exploding.numbers,
    "activations": gallery.numbers, "dead-relu": dead_relu.numbers, "softmax": softmax.numbers,
    "choosing": choosing.numbers,
}
