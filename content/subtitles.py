"""How long a sentence takes to read, and how it is cut into subtitle cues of at most two lines, in each
language."""

from __future__ import annotations

import math
import re
import textwrap
from typing import Callable

from .i18n import _CJK, _CJK_CHAR, _HAN, _TOKEN, has_cjk

# English: the storyboard's 2.5 words a second (150 a minute, a calm lecture). Chinese: Mandarin lecture
# speech runs at about 4-5 characters a second (240-300 a minute); 4.5 is the middle. It is about the
# same calm pace: at these rates this lecture's Chinese narration reads in 88% of the English time (the
# holds, the max of both, grow by about 1%). A number, formula or Latin word inside Chinese counts as one
# unit, as it does in English.
READING_RATE = {"en": 2.5, "zh": 4.5}
MIN_HOLD = 2.0  # a key result stays on screen at least this long
SUBTITLE_LINES = 2
# Line length per language: English in characters; Chinese in full-width characters (a Latin character
# or digit is half as wide), at most 24: Chinese lines are denser, and a clause rarely runs longer.
SUBTITLE_LINE = {"en": 80, "zh": 24}
# Chinese lines break after a clause first (at its punctuation), then between any two pieces(); no line
# starts with closing punctuation.
_CLOSING = "，。；：！？、）」"
_CLAUSE = re.compile("[^，。；：！？]+[，。；：！？]*")
_SENTENCE = re.compile("[^。！？]+[。！？]*")


def reading_units(text: str, lang: str = "en") -> int:
    if lang == "zh":
        return sum(1 if _HAN.fullmatch(t) else 0 if _CJK_CHAR.fullmatch(t) else 1 for t in _TOKEN.findall(text))
    return len(text.split())


def reading_time(text: str, lang: str = "en") -> float:
    return max(MIN_HOLD, reading_units(text, lang) / READING_RATE[lang])


def display_width(text: str) -> float:
    """Width in full-width characters: a CJK character 1, anything else a half."""
    return sum(1 if _CJK_CHAR.match(c) else 0.5 for c in text)


_PIECE = re.compile(f"(?:[{_CJK}]|[^{_CJK}]+)[{_CLOSING}]*")


def pieces(text: str) -> list[str]:
    """`text` cut where a line may break: after each word (with its trailing space) in text without CJK;
    in Chinese after each character, around a run of Latin words or numbers kept whole, and never before
    closing punctuation. Joined, the pieces are `text` again."""
    if not has_cjk(text):
        return re.findall(r"\S+\s*|\s+", text)
    return _PIECE.findall(text)


def break_lines(text: str, width: float, measure: Callable[[str], float] = display_width) -> list[str]:
    """`text` in lines no wider than `width` (as `measure` has it), greedily. A Chinese clause (up to its
    punctuation) goes whole onto the line, or whole onto the next when this line already holds a quarter
    of a line (a short lead such as "用途：" is filled up instead); a clause too long for a line of its
    own is broken between pieces(). Text without CJK breaks between words."""
    clauses = _CLAUSE.findall(text) if has_cjk(text) else [text]
    lines = [""]
    for clause in clauses:
        if measure((lines[-1] + clause).strip()) <= width:
            lines[-1] += clause
            continue
        if measure(lines[-1].strip()) >= width / 4 and measure(clause.strip()) <= width:
            lines.append(clause)
            continue
        for piece in pieces(clause):
            if lines[-1].strip() and measure((lines[-1] + piece).strip()) > width:
                lines.append("")
            lines[-1] += piece
    return [line.strip() for line in lines if line.strip()]


def balanced(text: str, width: float, wrap: Callable[[str, float], list[str]]) -> list[str]:
    """`text` wrapped for cues of SUBTITLE_LINES lines: into as many cues as at `width`, every cue full
    (a sentence of three lines becomes two cues of two), at the narrowest width that keeps that count, so
    the lines come out about equal and a sentence never ends in a cue of a word or two ("points.") that
    flashes by in under a second."""
    lines = wrap(text, width)
    target = -(-len(lines) // SUBTITLE_LINES) * SUBTITLE_LINES if len(lines) > 1 else len(lines)
    step = 0.5 if has_cjk(text) else 1
    best, narrower = (lines if len(lines) == target else None), width
    while narrower - step >= width / 3:
        narrower -= step
        wrapped = wrap(text, narrower)
        if len(wrapped) > target:
            break
        if len(wrapped) == target:
            best = wrapped
    return best or lines


def subtitle_cues(sentence: str, lang: str = "en") -> list[str]:
    """A beat's narration cut into cues of at most two lines: about 80 characters each in English; in
    Chinese at most 24 full-width characters, broken after a clause where possible, and a sentence that
    fits in what is left of a cue joins it, otherwise it starts the next."""
    width = SUBTITLE_LINE[lang]
    if lang != "zh":
        lines = balanced(sentence, width, textwrap.wrap)
        return ["\n".join(lines[i:i + SUBTITLE_LINES]) for i in range(0, len(lines), SUBTITLE_LINES)]
    cues: list[list[str]] = []
    for part in _SENTENCE.findall(sentence):
        lines = balanced(part, width, break_lines)
        if cues and len(cues[-1]) + len(lines) <= SUBTITLE_LINES:
            cues[-1] += lines
        else:
            cues += [lines[i:i + SUBTITLE_LINES] for i in range(0, len(lines), SUBTITLE_LINES)]
    return ["\n".join(cue) for cue in cues]


def timed_cues(sentence: str, lang: str, start: float, duration: float,
               spoken: float | None = None) -> list[tuple[float, float, str]]:
    """The cues of a beat spread over its duration, each in proportion to its reading units; in the
    language being spoken, over the first `spoken` seconds (until the voice ends), the last cue then
    staying up to the beat's end."""
    cues = subtitle_cues(sentence, lang)
    weights = [max(reading_units(cue, lang), 1) for cue in cues]
    span = duration if spoken is None else min(spoken, duration)
    # Each boundary from the running share, and the last one the beat's end exactly: summed shares would
    # end a rounding error off, and every language's track must end where the beat ends.
    total, done, timed = math.fsum(weights), 0.0, []
    for k, (cue, weight) in enumerate(zip(cues, weights)):
        end = start + duration if k == len(cues) - 1 else start + span * (done + weight) / total
        timed.append((start + span * done / total, end, cue))
        done += weight
    return timed
