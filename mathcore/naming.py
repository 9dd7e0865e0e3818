"""One wording for every "unknown name" error: the name, the nearest valid one, and all of them."""

from __future__ import annotations

import difflib
from typing import Iterable


def unknown(kind: str, name: object, choices: Iterable[str]) -> str:
    """e.g. "unknown scene 'vanishng' (did you mean 'vanishing'?); choose from: neuron, ..."."""
    choices = list(choices)
    near = difflib.get_close_matches(str(name), choices, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"unknown {kind} {name!r}{hint}; choose from: {', '.join(choices)}"
