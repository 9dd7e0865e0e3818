"""A clip cut into its beats: one short video per beat, exact to a frame, with its stretch of the voice, and
the beat's first and last frames as pictures. No manim here.

manim encodes every animation as a file of its own and joins them by stream copy, so each animation, and
so each beat, starts on a keyframe: a beat's frames are copied as they are, never re-encoded. Where a beat
does not start and end on one (a clip from elsewhere), its frames are decoded and encoded again. The voice is cut
at the beat's sample and encoded anew (an AAC frame of 1024 samples does not end on a video frame).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

import atomic

from . import muxing


@dataclass(frozen=True)
class Cut:
    """One beat of a clip: its frames [first, last) at the clip's frame rate."""

    key: str
    first: int
    last: int


def frame_rate(video: Path) -> Fraction:
    """The clip's nominal rate (15, not the 15.0002 its average over the file's length comes to)."""
    with av.open(str(video)) as source:
        stream = source.streams.video[0]
        return Fraction(stream.guessed_rate or stream.average_rate)


def cuts(beats: list[dict], rate: Fraction, frames: int) -> list[Cut]:
    """The beat timeline (`beats.json`'s beats, seconds) as frame ranges that tile the clip's `frames`
    frames. Each beat ends where its timeline entry ends, on its finished picture; what plays between two
    beats (the stage cleared for the next part) opens the next one, and the last runs to the clip's end."""
    ends = [min(frames, round(Fraction(str(beat["end"])) * rate)) for beat in beats[:-1]] + [frames]
    ranges = [Cut(beat["key"], first, last) for beat, first, last in zip(beats, [0, *ends[:-1]], ends)]
    if not ranges or any(cut.last <= cut.first for cut in ranges):
        raise ValueError("the beat timeline does not fit the clip: a beat with no frames")
    return ranges


def cut(video: Path, beats: list[dict], targets: list[Path], posters: list[Path], finals: list[Path]) -> list[Cut]:
    """Write each beat of `video` to its target (mp4, fast start), its first frame to its poster and its
    last (the beat's finished picture) to its final (PNG); `beats` is the clip's beat timeline. Returns the
    frame ranges."""
    rate = frame_rate(video)
    voice = muxing.read_audio(video)
    with av.open(str(video)) as source:
        stream = source.streams.video[0]
        ticks = Fraction(1, 1) / (rate * stream.time_base)  # time-base ticks per frame
        # (frame number, packet) in decode order, as the clip stores them.
        packets = [(round(packet.pts / ticks), packet) for packet in source.demux(stream) if packet.pts is not None]
        keyframes = {number for number, packet in packets if packet.is_keyframe}
        ranges = cuts(beats, rate, len(packets))
        if voice is not None:
            voice = muxing.fitted(voice, ranges[-1].last / rate)
        for piece, target in zip(ranges, targets):
            sound = None
            if voice is not None:
                sound = voice[round(piece.first / rate * muxing.RATE): round(piece.last / rate * muxing.RATE)]
            mine = [packet for number, packet in packets if piece.first <= number < piece.last]
            # Copied only between two keyframes: a frame just before a cut that is not one may be predicted
            # from a frame after it.
            if piece.first in keyframes and (piece.last in keyframes or piece.last == ranges[-1].last):
                _copied(stream, mine, sound, target)
            else:
                _encoded(video, piece, rate, sound, target)
    for target, poster, final in zip(targets, posters, finals):
        _pictures(target, poster, final)
    return ranges


def _output(target: Path):
    return av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"})


def _copied(stream, packets: list, sound: np.ndarray | None, target: Path) -> None:
    shift = min(packet.pts for packet in packets)  # the keyframe's: manim's joins leave pts a few ticks off the grid
    temporary = atomic.temporary(target)
    try:
        with _output(temporary) as out:
            video = out.add_stream_from_template(stream)
            track = muxing.AudioTrack(out, "mp4", sound) if sound is not None else None
            if track is not None:
                track.encode()
            for packet in packets:  # each moved back to the beat's start
                packet.pts -= shift
                packet.dts -= shift
                if track is not None:
                    track.until(float(packet.dts * packet.time_base))
                packet.stream = video
                out.mux(packet)
            if track is not None:
                track.finish()
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _encoded(video: Path, piece: Cut, rate: Fraction, sound: np.ndarray | None, target: Path) -> None:
    temporary = atomic.temporary(target)
    try:
        with av.open(str(video)) as source, _output(temporary) as out:
            stream = out.add_stream("libx264", rate=rate)
            context = source.streams.video[0].codec_context
            stream.width, stream.height, stream.pix_fmt = context.width, context.height, "yuv420p"
            stream.options = {"crf": "18", "preset": "veryfast"}
            track = muxing.AudioTrack(out, "mp4", sound) if sound is not None else None
            if track is not None:
                track.encode()
            for index, frame in enumerate(source.decode(video=0)):
                if index >= piece.last:
                    break
                if index < piece.first:
                    continue
                frame = frame.reformat(format="yuv420p")
                frame.pts, frame.time_base = index - piece.first, 1 / rate
                if track is not None:
                    track.until(float((index - piece.first) / rate))
                out.mux(stream.encode(frame))
            out.mux(stream.encode(None))
            if track is not None:
                track.finish()
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _pictures(video: Path, first: Path, last: Path) -> None:
    with av.open(str(video)) as source:
        frames = source.decode(video=0)
        opening = closing = next(frames)
        for closing in frames:
            pass
    muxing.write_png(opening, first)
    muxing.write_png(closing, last)
