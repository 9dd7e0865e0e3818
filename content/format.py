"""Numbers rounded for display: what the point needs, usually 3-4 significant digits (no manim here)."""

from __future__ import annotations

import math

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
