"""The numbers behind the lecture: activations, the toy network, gradient flow, ReLU's dead zone.

numpy only: importing mathcore never imports torch or manim (training lives in its own module and
imports torch lazily), so every number can be checked and explained without a renderer.
"""

from . import activations, deadzone, flow, network

__all__ = ["activations", "network", "flow", "deadzone"]
