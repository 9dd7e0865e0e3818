"""Subtitle files and time stamps, one writer for each: SRT for players and platforms, WebVTT for the web."""

from __future__ import annotations

import datetime
from typing import Iterable

import srt


def srt_text(cues: Iterable[tuple[float, float, str]]) -> str:
    """Timed cues (start s, end s, text) as an SRT file."""
    return srt.compose([srt.Subtitle(i + 1, datetime.timedelta(seconds=start), datetime.timedelta(seconds=end), text)
                        for i, (start, end, text) in enumerate(cues)])


def vtt_stamp(moment: datetime.timedelta) -> str:
    millis = round(moment.total_seconds() * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def vtt_text(cues: list[srt.Subtitle]) -> str:
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, start=1):
        # A blank line would end the cue early, and '<' or '&' would read as markup ("x < 0" is narration).
        text = "\n".join(line for line in cue.content.splitlines() if line.strip())
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{number}\n{vtt_stamp(cue.start)} --> {vtt_stamp(cue.end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def clock(seconds: float) -> str:
    """H:MM:SS, or M:SS under an hour, as video platforms read chapter lists and as the page shows lengths."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
