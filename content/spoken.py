"""A narration sentence as a voice should say it: the same words, with what a text-to-speech engine misreads
written out (10⁻⁴, ×, σ, |x|, <, a minus sign, 1898 read as a year, ReLU spelt out letter by letter; in
Chinese every number, which espeak-ng's Mandarin voice reads digit by digit and without its decimal point).

The subtitles and transcripts keep the sentence as written; only the voice gets `spoken(sentence, lang)`."""

from __future__ import annotations

import re

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_POWER = re.compile(r"\s*×\s*10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
# A number standing on its own: not the digit of a name such as w5, o1, h1 or W2.
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])([-−]?)(\d+(?:\.\d+)?)(?![A-Za-z0-9_])")

# Names said as a lecturer says them (the engines spell them out, or guess).
LEXICON = {
    "en": {"Leaky ReLU": "leaky ray-loo", "ReLU": "ray-loo", "GELU": "jee-loo", "SiLU": "sigh-loo", "ELU": "E L U",
           "Tanh": "tanch", "tanh": "tanch", "Softmax": "softmax", "LLM": "L L M", "σ": "sigma",
           "diag": "diag"},
    "zh": {"Leaky ReLU": "leaky ray-loo", "ReLU": "ray-loo", "GELU": "jee-loo", "SiLU": "sigh-loo", "ELU": "E L U",
           "Tanh": "tanch", "tanh": "tanch", "σ": "西格玛", "LLM": "L L M"},
}
_SYMBOLS = {
    "en": [(r"\|x\|", "the absolute value of x"), (r"′", " prime"), (r"(?<=\w)\(([^()\s]+)\)", r" of \1"),
           (r"(?<=\d)(?=sigma)", " "), (r"\s*≥\s*", " greater than or equal to "),
           (r"\s*≤\s*", " less than or equal to "), (r"\s+-\s+", " minus "), (r"\s*=\s*", " equals "),
           (r"\s*<\s*", " less than "), (r"\s*>\s*", " greater than "), (r"\s*×\s*", " times ")],
    "zh": [(r"\|x\|", "x 的绝对值"), (r"′", "撇"), (r"\s*≥\s*", "大于等于"), (r"\s*≤\s*", "小于等于"),
           (r"\s+-\s+", "减"), (r"\s*=\s*", "等于"), (r"\s*<\s*", "小于"), (r"\s*>\s*", "大于"),
           (r"\s*×\s*", "乘以"), (r"\((-?[\d.]+),\s*(-?[\d.]+)\)\s*之间", r"\1 到 \2 之间"),
           (r"(\d+)\s*/\s*n\b", r"n 分之 \1")],
}

_ZH_DIGITS = "零一二三四五六七八九"


def _zh_integer(n: int) -> str:
    """An integer in Chinese numerals: 187 -> 一百八十七, 1898 -> 一千八百九十八, 10 -> 十, 20000 -> 两万."""
    if n == 0:
        return "零"
    if n >= 10 ** 8:
        high, low = divmod(n, 10 ** 8)
        return _zh_integer(high) + "亿" + (("零" if low < 10 ** 7 else "") + _zh_integer(low) if low else "")
    if n >= 10 ** 4:
        high, low = divmod(n, 10 ** 4)
        head = "两" if high == 2 else _zh_integer(high)
        return head + "万" + (("零" if low < 1000 else "") + _zh_integer(low) if low else "")
    words, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                words += "零"
            words += _ZH_DIGITS[digit] + unit
            zero = False
        elif words:
            zero = True
    # 十二, not 一十二, when the number starts with its tens.
    return words[1:] if words.startswith("一十") else words


def _zh_number(sign: str, digits: str) -> str:
    whole, _, fraction = digits.partition(".")
    words = _zh_integer(int(whole))
    if fraction:
        words += "点" + "".join(_ZH_DIGITS[int(d)] for d in fraction)
    return ("负" if sign else "") + words


def _en_number(sign: str, digits: str) -> str:
    whole, point, fraction = digits.partition(".")
    # Four digits or more get thousands separators, so that 1898 is a number, not a year.
    if len(whole) >= 4:
        whole = f"{int(whole):,}"
    return ("minus " if sign else "") + whole + point + fraction


def _power(match: re.Match, lang: str) -> str:
    exponent = match.group(1).translate(_SUPERSCRIPT)
    negative, magnitude = exponent.startswith("-"), exponent.lstrip("-")
    if lang == "zh":
        return f"乘以十的{'负' if negative else ''}{_zh_integer(int(magnitude))}次方"
    return f" times ten to the {'minus ' if negative else ''}{magnitude}"


def spoken(sentence: str, lang: str) -> str:
    """`sentence` (a narration line in `lang`) as the voice should say it."""
    text = _POWER.sub(lambda m: _power(m, lang), sentence)
    text = text.replace("−", "-")
    for name, said in sorted(LEXICON[lang].items(), key=lambda item: -len(item[0])):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", said, text)
    for pattern, said in _SYMBOLS[lang]:
        text = re.sub(pattern, said, text)
    if lang == "zh":
        text = re.sub(r"(-?\d+(?:\.\d+)?)\s*%", lambda m: "百分之" + m.group(1), text)
        text = _NUMBER.sub(lambda m: _zh_number(m.group(1), m.group(2)), text)
        text = re.sub(r"(?<![A-Za-z0-9_.])(\d+)(?=[a-z])", lambda m: _zh_integer(int(m.group(1))), text)  # 2x
    else:
        text = _NUMBER.sub(lambda m: _en_number(m.group(1), m.group(2)), text)
    return re.sub(r"\s+", " ", text).strip()
