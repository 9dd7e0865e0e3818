"""The lecture's manim views: one module per scene, and the drawing they share (base, theme, charts,
diagram). Every module here imports manim; what a scene shows comes from content/, which computes it."""
