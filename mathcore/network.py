"""The article's 2-2-2 network: forward pass, backward pass factor by factor, one gradient step.

Names follow the article (and Mazur's step-by-step example it draws from): i1, i2 feed h1, h2 through
w1..w4 and bias b1; h1, h2 feed o1, o2 through w5..w8 and bias b2; E = 1/2 sum (target - out)^2.
Wiring: net_h1 = w1 i1 + w2 i2 + b1, net_h2 = w3 i1 + w4 i2 + b1,
        net_o1 = w5 out_h1 + w6 out_h2 + b2, net_o2 = w7 out_h1 + w8 out_h2 + b2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from . import activations

WEIGHTS = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8")
BIASES = ("b1", "b2")

# weight -> (source node, destination node)
EDGES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "w1": ("i1", "h1"), "w2": ("i2", "h1"), "w3": ("i1", "h2"), "w4": ("i2", "h2"),
    "w5": ("h1", "o1"), "w6": ("h2", "o1"), "w7": ("h1", "o2"), "w8": ("h2", "o2"),
})
CLASSIC_LEARNING_RATE = 0.5  # the article's
HIDDEN = ("h1", "h2")
OUTPUTS = ("o1", "o2")
_TARGET_OF = {"o1": "t1", "o2": "t2"}


@dataclass(frozen=True)
class Factor:
    """One link of a chain-rule product, e.g. dE_o1/dout_o1 = out_o1 - t1."""

    name: str  # plain name, e.g. "dE_o1/dout_o1"
    latex: str  # e.g. r"\frac{\partial E_{o1}}{\partial out_{o1}}"
    value: float
    # Where it lives on the network drawing: a node ("o1") or an edge ("w5"); scenes light it there.
    anchor: str
    # What it equals, in the network's own quantities, e.g. r"out_{o1} - t_1" (LaTeX).
    rule: str = ""


@dataclass(frozen=True)
class Chain:
    """dE_total/d(weight) as a sum over paths, each path a product of named factors."""

    weight: str
    paths: tuple[tuple[Factor, ...], ...]

    @property
    def path_values(self) -> tuple[float, ...]:
        return tuple(math.prod(f.value for f in path) for path in self.paths)

    @property
    def value(self) -> float:
        return math.fsum(self.path_values)


@dataclass(frozen=True)
class RatioPart:
    """One factor of a gradient ratio: top / bottom."""

    name: str  # "input", "error" or "slope"
    top: float
    bottom: float

    @property
    def value(self) -> float:
        return self.top / self.bottom


@dataclass(frozen=True)
class RatioSplit:
    """dE/d(upper) / dE/d(lower) and the factors it is made of (their product is `ratio`)."""

    upper: str
    lower: str
    ratio: float
    parts: tuple[RatioPart, ...]

    def part(self, name: str) -> float:
        return next(p.value for p in self.parts if p.name == name)


def _frac(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def _sub(quantity: str, node: str) -> str:
    """LaTeX for a named quantity such as out_h1 -> out_{h1}."""
    return rf"{quantity}_{{{node}}}"


@dataclass(frozen=True)
class ToyNetwork:
    weights: Mapping[str, float]
    inputs: tuple[float, float] = (0.05, 0.10)
    targets: tuple[float, float] = (0.01, 0.99)
    activation: str = "sigmoid"
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        missing = [k for k in WEIGHTS + BIASES if k not in self.weights]
        extra = [k for k in self.weights if k not in WEIGHTS + BIASES]
        if missing or extra:
            raise ValueError(f"weights need exactly {', '.join(WEIGHTS + BIASES)}"
                             f" (missing: {missing or 'none'}, unknown: {extra or 'none'})")
        if len(self.inputs) != 2 or len(self.targets) != 2:
            raise ValueError("the toy network has exactly two inputs and two targets")
        object.__setattr__(self, "weights", MappingProxyType({k: float(self.weights[k]) for k in WEIGHTS + BIASES}))
        object.__setattr__(self, "inputs", tuple(float(v) for v in self.inputs))
        object.__setattr__(self, "targets", tuple(float(v) for v in self.targets))
        object.__setattr__(self, "_fn", activations.get(self.activation))  # fails early on an unknown name

    @classmethod
    def classic(cls) -> "ToyNetwork":
        """The article's figures: inputs 0.05, 0.10; targets 0.01, 0.99; sigmoid everywhere."""
        return cls(weights={
            "w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30,
            "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55,
            "b1": 0.35, "b2": 0.60,
        })

    # --- forward ---------------------------------------------------------------------------------

    def _slope(self, node: str) -> float:
        """dout/dnet at `node`: the activation's derivative at its pre-activation (cached per node)."""
        key = f"slope_{node}"
        if key not in self._cache:
            self._cache[key] = float(self._fn.derivative(self.forward()[f"net_{node}"]))
        return self._cache[key]

    def _value(self, node: str) -> float:
        """out_<node> for hidden/output nodes, the input value for i1/i2."""
        return self.inputs[int(node[1]) - 1] if node.startswith("i") else self.forward()[f"out_{node}"]

    def _net(self, node: str, outs: Mapping[str, float]) -> float:
        bias = self.weights["b1" if node in HIDDEN else "b2"]
        incoming = [w for w, (_, dst) in EDGES.items() if dst == node]
        return math.fsum([self.weights[w] * outs[EDGES[w][0]] for w in incoming] + [bias])

    def forward(self) -> Mapping[str, float]:
        """Every forward quantity under the article's names (net_h1, out_h1, ..., E_total)."""
        if "forward" not in self._cache:
            outs = {"i1": self.inputs[0], "i2": self.inputs[1]}
            values: dict[str, float] = {}
            for node in HIDDEN + OUTPUTS:
                net = self._net(node, outs)
                outs[node] = float(self._fn(net))
                values[f"net_{node}"] = net
                values[f"out_{node}"] = outs[node]
            for node, target in zip(OUTPUTS, self.targets):
                values[f"E_{node}"] = 0.5 * (target - outs[node]) ** 2
            values["E_total"] = values["E_o1"] + values["E_o2"]
            self._cache["forward"] = MappingProxyType(values)
        return self._cache["forward"]

    # --- backward, factor by factor ----------------------------------------------------------------

    def _output_factors(self, out_node: str) -> tuple[Factor, Factor]:
        """dE_o/dout_o and dout_o/dnet_o: the first two links of every path through output o."""
        fwd = self.forward()
        target = self.targets[OUTPUTS.index(out_node)]
        target_name = _sub("t", str(OUTPUTS.index(out_node) + 1))
        return (
            Factor(f"dE_{out_node}/dout_{out_node}", _frac(_sub("E", out_node), _sub("out", out_node)),
                   fwd[f"out_{out_node}"] - target, out_node, rf"{_sub('out', out_node)} - {target_name}"),
            Factor(f"dout_{out_node}/dnet_{out_node}", _frac(_sub("out", out_node), _sub("net", out_node)),
                   self._slope(out_node), out_node, self._slope_rule(out_node)),
        )

    def _slope_rule(self, node: str) -> str:
        """The activation's slope at the node, in LaTeX: the sigmoid's through its own output."""
        if self.activation == "sigmoid":
            return rf"{_sub('out', node)}(1 - {_sub('out', node)})"
        return rf"f'({_sub('net', node)})"

    @staticmethod
    def _value_rule(node: str) -> str:
        return rf"i_{{{node[1:]}}}" if node.startswith("i") else _sub("out", node)

    def chain(self, weight: str) -> Chain:
        """dE_total/d`weight` as named factors. Output weights have one path; w1..w4 one per output."""
        if weight not in EDGES:
            raise ValueError(f"unknown weight {weight!r}; choose from: {', '.join(WEIGHTS)}")
        src, dst = EDGES[weight]
        last = Factor(f"dnet_{dst}/d{weight}", _frac(_sub("net", dst), rf"w_{{{weight[1:]}}}"), self._value(src), weight,
                      self._value_rule(src))
        if dst in OUTPUTS:
            first, second = self._output_factors(dst)
            # E_total = E_o1 + E_o2 and only E_dst depends on out_dst, so dE_total/dout = dE_dst/dout.
            # The lecture writes the total error E (E_total in the article's text).
            first = Factor(f"dE_total/dout_{dst}", _frac("E", _sub("out", dst)), first.value, dst, first.rule)
            return Chain(weight, ((first, second, last),))
        hidden_d = Factor(f"dout_{dst}/dnet_{dst}", _frac(_sub("out", dst), _sub("net", dst)),
                          self._slope(dst), dst, self._slope_rule(dst))
        paths = []
        for out_node in OUTPUTS:
            link = next(w for w, (s, d) in EDGES.items() if s == dst and d == out_node)
            into_hidden = Factor(f"dnet_{out_node}/dout_{dst}", _frac(_sub("net", out_node), _sub("out", dst)),
                                 self.weights[link], link, rf"w_{{{link[1:]}}}")
            paths.append((*self._output_factors(out_node), into_hidden, hidden_d, last))
        return Chain(weight, tuple(paths))

    def gradient_ratio(self, upper: str, lower: str) -> "RatioSplit":
        """Why dE/d`upper` (an output weight) and dE/d`lower` (a hidden weight) differ, as three factors
        that multiply to the ratio of the two gradients exactly:
        - input: what each weight multiplies, out of upper's source over lower's input (out_h1 / i1);
        - error: dE/dnet at upper's output node over dE/dout at lower's hidden node, which the output
          weights carry back along every path, where the paths add or cancel (dE/dnet_o1 / dE/dout_h1);
        - slope: one over the extra activation slope on lower's paths (1 / f'(net_h1))."""
        (src_u, dst_u), (src_l, dst_l) = EDGES.get(upper, ("", "")), EDGES.get(lower, ("", ""))
        if dst_u not in OUTPUTS or dst_l not in HIDDEN:
            raise ValueError(f"gradient_ratio compares an output weight with a hidden weight, got {upper!r}, {lower!r}")
        upper_chain, lower_chain = self.chain(upper), self.chain(lower)
        (path,) = upper_chain.paths
        delta_upper = path[0].value * path[1].value
        reaching = math.fsum(p[0].value * p[1].value * p[2].value for p in lower_chain.paths)
        parts = (RatioPart("input", self._value(src_u), self._value(src_l)),
                 RatioPart("error", delta_upper, reaching),
                 RatioPart("slope", 1.0, self._slope(dst_l)))
        return RatioSplit(upper, lower, upper_chain.value / lower_chain.value, parts)

    def gradients(self) -> Mapping[str, float]:
        """dE_total/dw for w1..w8, each the sum over its chain-rule paths."""
        if "gradients" not in self._cache:
            self._cache["gradients"] = MappingProxyType({w: self.chain(w).value for w in WEIGHTS})
        return self._cache["gradients"]

    def step(self, lr: float = CLASSIC_LEARNING_RATE, order: str = "simultaneous") -> "ToyNetwork":
        """One gradient-descent step on w1..w8 (biases fixed).

        "simultaneous" (the article's rule, and the default) takes every gradient from the weights before
        the step. "output-first" updates w5..w8 first and back-propagates into w1..w4 through the
        *updated* output weights: that is what the published example's code did, and it is the only
        way to reproduce its printed errors after one step (0.291027924) and after 10,000 steps.
        """
        if not math.isfinite(lr):
            raise ValueError(f"learning rate must be finite, got {lr!r}")
        if order not in ("simultaneous", "output-first"):
            raise ValueError(f"order must be 'simultaneous' or 'output-first', got {order!r}")
        grads = dict(self.gradients())
        if order == "output-first":
            for w in WEIGHTS[:4]:
                # Path factor 2 is the output weight linking the hidden node to that output.
                grads[w] = math.fsum(
                    math.prod(f.value for i, f in enumerate(path) if i != 2)
                    * (self.weights[path[2].anchor] - lr * grads[path[2].anchor])
                    for path in self.chain(w).paths
                )
        new = {k: v - lr * grads[k] if k in grads else v for k, v in self.weights.items()}
        return ToyNetwork(new, self.inputs, self.targets, self.activation)
