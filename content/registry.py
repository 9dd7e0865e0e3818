"""The scene registry: one list that the CLI, the lecture and the tests all read.

Importing this module must stay cheap (no manim): `cli.py list` and `--help` use it alone.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from mathcore import activations
from mathcore.naming import unknown

from . import i18n


@dataclass(frozen=True)
class Param:
    """A scene parameter, exposed as a CLI option (`--name`)."""

    name: str
    kind: type  # int, float or str
    default: Any
    help: str
    choices: Sequence[str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    # A last check after the conversion: returns the value (normalised), or ValueError whose message
    # follows "--name " (e.g. a comma list of activation names).
    validate: Callable[[Any], Any] | None = None

    def parse(self, raw: Any) -> Any:
        """The validated value, or ValueError with a one-line reason."""
        if self.choices is not None:
            if raw not in self.choices:
                raise ValueError(f"--{self.name} must be one of: {', '.join(self.choices)} (got {raw!r})")
            return raw
        try:
            value = self.kind(raw)
        except (TypeError, ValueError):
            raise ValueError(f"--{self.name} must be {'an integer' if self.kind is int else 'a number'}"
                             f" (got {raw!r})") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"--{self.name} must be finite (got {raw!r})")
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise ValueError(f"--{self.name} must be between {self.minimum:g} and {self.maximum:g} (got {raw!r})")
        if self.validate is not None:
            try:
                value = self.validate(value)
            except ValueError as err:
                raise ValueError(f"--{self.name} {err}") from None
        return value


@dataclass(frozen=True)
class SceneSpec:
    id: str
    title: str
    module: str  # e.g. "scenes.vanishing"; the module may not exist yet
    class_name: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    # The trained examples its numbers read (experiments' names): the build cache keys on their
    # result files, and a render makes sure they exist before the scene is constructed.
    experiments: tuple[str, ...] = ()

    def load(self):
        """The manim Scene class (imports manim)."""
        return getattr(importlib.import_module(self.module), self.class_name)

    def resolve_params(self, given: dict[str, Any] | None = None) -> dict[str, Any]:
        """Defaults filled in, every value validated; unknown names are a ValueError."""
        given = dict(given or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            allowed = ", ".join(f"--{n}" for n in known) or "none"
            raise ValueError(f"scene {self.id!r} has no parameter --{unknown[0]} (parameters: {allowed})")
        return {name: p.parse(given[name]) if name in given else p.default for name, p in known.items()}

    def numbers(self, **params: Any):
        """Every number the scene shows (content.numbers.Numbers: values and display)."""
        from .numbers import NUMBERS

        return NUMBERS[self.id](**self.resolve_params(params))

    def narration(self, display: dict[str, Any] | None = None, lang: str = "en",
                  **params: Any) -> list[tuple[str, str]]:
        """The scene's subtitles in `lang`, beat by beat, with its numbers filled in (pass `display` when
        the numbers are already computed: some take a simulation or a training run)."""
        if display is None:
            display = self.numbers(**params).display
        from .narration import expand_beats

        return expand_beats(i18n.narration(self.id, lang), i18n.localise(display, lang))


def _activation_list(raw: str) -> str:
    """A comma list of registry activations, normalised ("relu, gelu" -> "relu,gelu"; repeats dropped)."""
    chosen = list(dict.fromkeys(name.strip() for name in raw.split(",") if name.strip()))
    if not chosen:
        raise ValueError(f"needs at least one activation; choose from: {', '.join(activations.names())}")
    for name in chosen:
        if name not in activations.names():
            raise ValueError("has an " + unknown("activation", name, activations.names()))
    return ",".join(chosen)


_ACTIVATION_CHOICES = tuple(activations.names())

SCENES: tuple[SceneSpec, ...] = (
    SceneSpec("neuron", i18n.title("neuron"),
              "scenes.neuron", "NeuronScene"),
    SceneSpec("nonlinearity", i18n.title("nonlinearity"),
              "scenes.nonlinearity", "NonlinearityScene", experiments=("nonlinearity",)),
    SceneSpec("forward", i18n.title("forward"),
              "scenes.forward", "ForwardScene"),
    SceneSpec("backprop", i18n.title("backprop"),
              "scenes.backprop", "BackpropScene"),
    SceneSpec("vanishing", i18n.title("vanishing"),
              "scenes.vanishing", "VanishingScene",
              params=(
                  Param("depth", int, 10, "number of layers the gradient crosses", minimum=2, maximum=30),
                  Param("activation", str, "sigmoid", "activation of the deep network",
                        choices=_ACTIVATION_CHOICES),
              ),
              experiments=("gradient-flow",)),
    SceneSpec("exploding", i18n.title("exploding"),
              "scenes.exploding", "ExplodingScene", experiments=("exploding",)),
    SceneSpec("activations", i18n.title("activations"),
              "scenes.gallery", "ActivationsScene",
              params=(
                  Param("only", str, "sigmoid,tanh,relu,leaky_relu,elu,gelu,silu",
                        "comma list of registry activations to show, in order", validate=_activation_list),
              )),
    SceneSpec("dead-relu", i18n.title("dead-relu"),
              "scenes.dead_relu", "DeadReluScene", experiments=("dead-relu",)),
    SceneSpec("softmax", i18n.title("softmax"),
              "scenes.softmax", "SoftmaxScene"),
    SceneSpec("choosing", i18n.title("choosing"),
              "scenes.choosing", "ChoosingScene"),
)

_BY_ID = {spec.id: spec for spec in SCENES}


def ids() -> list[str]:
    return [spec.id for spec in SCENES]


def get(scene_id: str) -> SceneSpec:
    try:
        return _BY_ID[scene_id]
    except KeyError:
        raise ValueError(unknown("scene", scene_id, ids())) from None


__all__ = ["Param", "SceneSpec", "SCENES", "ids", "get"]
