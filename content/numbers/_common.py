"""Lecture inputs several scenes share (choices, not results)."""

# The simulated deep net whose per-layer gradient the bars show (fixed so the lecture is reproducible).
SIM_WIDTH = 256
SIM_BATCH = 256
SIM_SEED = 0
# Where a slope counts as saturated: under this share of the activation's peak slope.
SATURATION_SHARE = 0.1
