"""Numbers rounded for display: what the point needs, usually 3-4 significant digits. One quantity keeps
one precision wherever it is shown (tests/test_scene_numbers.py checks it across scenes)."""

from __future__ import annotations

import math

import numpy as np


def sig(x: float, digits: int = 3) -> str:
    """x rounded to `digits` significant digits, plain text (e.g. 0.0822, 4.39e-04 as 0.000439)."""
    if x == 0 or not math.isfinite(x):
        return str(x)
    exponent = math.floor(math.log10(abs(x)))
    if -4 <= exponent < 5:
        decimals = max(digits - 1 - exponent, 0)
        return f"{x:.{decimals}f}"
    return f"{x:.{digits - 1}e}"


def fixed(x: float, decimals: int = 2) -> str:
    """x with a fixed number of decimals, as the article prints its inputs and weights (0.05, 0.10)."""
    return f"{x:.{decimals}f}"


def _scientific(x: float, digits: int) -> tuple[float, int] | None:
    """(mantissa, exponent) when x is too small or large to read as a decimal, else None."""
    if x == 0 or not math.isfinite(x):
        return None
    exponent = math.floor(math.log10(abs(x)))
    if -3 <= exponent < 5:
        return None
    mantissa = x / 10**exponent
    if round(abs(mantissa), digits - 1) >= 10:  # 9.996 rounds up into the next decade
        mantissa, exponent = mantissa / 10, exponent + 1
    return mantissa, exponent


def sig_tex(x: float, digits: int = 3) -> str:
    """Like sig(), but very small or large values as m \\times 10^{n} in LaTeX."""
    sci = _scientific(x, digits)
    if sci is None:
        return sig(x, digits)
    return rf"{sci[0]:.{digits - 1}f} \times 10^{{{sci[1]}}}"


def sig_text(x: float, digits: int = 3) -> str:
    """Like sig_tex(), in plain Unicode for subtitles and Text: 9.54 × 10⁻⁷."""
    sci = _scientific(x, digits)
    if sci is None:
        return sig(x, digits)
    superscript = str(sci[1]).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{sci[0]:.{digits - 1}f} × 10{superscript}"


def percent(p: float) -> str:
    """A share as a percentage: whole percents, or one significant digit below 1%."""
    return f"{p:.0%}" if p == 0 or p >= 0.01 else f"{sig(100 * p, 1)}%"


def integer(x: float) -> str:
    return f"{x:g}"


def bmatrix(matrix) -> str:
    """A column vector or matrix as LaTeX; a 1x1 one as a plain number."""
    rows = np.atleast_2d(matrix)
    if rows.size == 1:
        return integer(float(rows[0, 0]))
    return r"\begin{bmatrix}" + r"\\".join(" & ".join(integer(float(v)) for v in row) for row in rows) \
        + r"\end{bmatrix}"
