"""Video files with a voice: video packets copied (never re-encoded) one clip after another, and one audio
track, encoded once and interleaved with them by time (AAC in mp4, Opus in webm, 48 kHz mono). A clip's
voice is muxed in after manim has written its pictures; the joined lecture's audio is the clips' audio
decoded and laid end to end at each clip's exact video length, then encoded as one track, so no encoder
priming or padding falls between two chapters (a click or a gap at every join).
No manim here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

import atomic

RATE = 48_000
# 128 kb/s AAC and 96 kb/s Opus: transparent for one voice (Opus is transparent for speech from ~32 kb/s).
AUDIO = {"mp4": ("aac", 128_000), "webm": ("libopus", 96_000)}


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds
    end: float


def video_seconds(path: Path) -> float:
    """A file's video length: where its last frame ends (demuxed, not decoded)."""
    with av.open(str(path)) as source:
        stream = source.streams.video[0]
        frame = _frame_ticks(stream)
        end = 0
        for packet in source.demux(stream):
            if packet.pts is not None:
                end = max(end, packet.pts + (packet.duration or frame))
        return float(end * stream.time_base)


def _frame_ticks(stream) -> int:
    # WebM blocks may carry no duration; a frame's length at the stream's rate stands in.
    return int(1 / (stream.average_rate * stream.time_base)) if stream.average_rate else 0


def read_audio(path) -> np.ndarray | None:
    """The first audio stream of a file (a path or a binary file object), decoded to mono float32 at RATE;
    None when it has none."""
    with av.open(path if hasattr(path, "read") else str(path)) as source:
        if not source.streams.audio:
            return None
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        pieces = []
        for frame in source.decode(source.streams.audio[0]):
            for out in resampler.resample(frame):
                pieces.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            pieces.append(out.to_ndarray().reshape(-1))
    return np.concatenate(pieces).astype(np.float32) if pieces else np.zeros(0, np.float32)


def encoded(samples: np.ndarray, fmt: str) -> np.ndarray:
    """`samples` as a player will hear them from a file of format `fmt`: encoded and decoded again."""
    import io

    buffer = io.BytesIO()
    with av.open(buffer, "w", format=fmt) as out:
        track = AudioTrack(out, fmt, samples)
        track.encode()
        track.finish()
    buffer.seek(0)
    return read_audio(buffer)


def fitted(samples: np.ndarray | None, seconds: float) -> np.ndarray:
    """`samples` cut or padded with silence to exactly `seconds` (silence for None)."""
    count = round(seconds * RATE)
    if samples is None:
        return np.zeros(count, np.float32)
    return np.pad(samples[:count], (0, max(0, count - len(samples)))).astype(np.float32)


class AudioTrack:
    """One audio stream of an output file, encoded whole up front and handed to the muxer in time order:
    `until(t)` muxes every packet that starts before t seconds, `finish()` the rest."""

    def __init__(self, out, fmt: str, samples: np.ndarray):
        codec, bit_rate = AUDIO[fmt]
        self.out = out
        self.stream = out.add_stream(codec, rate=RATE, layout="mono")
        self.stream.bit_rate = bit_rate
        self.samples = np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1)
        self.packets: list = []
        self.next = 0

    def encode(self) -> None:
        """Called once the output's streams are all added (the container's header is written at the first mux)."""
        frame = av.AudioFrame.from_ndarray(self.samples, format="flt", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, 0, Fraction(1, RATE)
        self.packets = [*self.stream.encode(frame), *self.stream.encode(None)]

    def until(self, seconds: float) -> None:
        while self.next < len(self.packets) and self._time(self.packets[self.next]) < seconds:
            self.out.mux(self.packets[self.next])
            self.next += 1

    def finish(self) -> None:
        self.until(float("inf"))

    @staticmethod
    def _time(packet) -> float:
        return float((packet.pts or 0) * packet.time_base)


def write(sources: list[Path], target: Path, fmt: str = "mp4", audio: np.ndarray | None = None,
          titles: list[str] | None = None, options: dict[str, str] | None = None) -> tuple[Chapter, ...]:
    """`sources`' video (one codec and size) one after another in `target` by stream copy, atomically, with
    `audio` (mono float32 at RATE, or None: no audio stream) as its one audio track, and a chapter per
    source when `titles` are given; returns the sources' spans as chapters."""
    chapters: list[Chapter] = []
    temporary = atomic.temporary(target)
    try:
        with av.open(str(sources[0])) as first, av.open(str(temporary), "w", format=fmt, options=options or {}) as out:
            template = first.streams.video[0]
            stream = out.add_stream_from_template(template)
            track = AudioTrack(out, fmt, audio) if audio is not None else None
            if track is not None:
                track.encode()
            offset = Fraction(0)  # seconds already written
            for index, video in enumerate(sources):
                with av.open(str(video)) as source:
                    video_in = source.streams.video[0]
                    if (video_in.codec_context.width, video_in.codec_context.height) != (
                            template.codec_context.width, template.codec_context.height):
                        raise ValueError(f"{video.stem} was rendered at another size; render all at one quality")
                    time_base = video_in.time_base
                    frame = _frame_ticks(video_in)
                    shift = int(offset / time_base)
                    end = offset
                    for packet in source.demux(video_in):
                        if packet.dts is None:  # the demuxer's empty flush packet
                            continue
                        packet.pts += shift
                        packet.dts += shift
                        end = max(end, (packet.pts + (packet.duration or frame)) * time_base)
                        if track is not None:
                            track.until(float(packet.dts * time_base))
                        packet.stream = stream
                        out.mux(packet)
                title = titles[index] if titles else video.stem
                chapters.append(Chapter(title, float(offset), float(end)))
                offset = end
            if track is not None:
                track.finish()
            if titles:
                out.set_chapters([
                    {"id": i + 1, "start": round(c.start * 1000), "end": round(c.end * 1000),
                     "time_base": Fraction(1, 1000), "metadata": {"title": c.title}}
                    for i, c in enumerate(chapters)])
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return tuple(chapters)


def joined_audio(sources: list[Path]) -> np.ndarray | None:
    """The sources' audio end to end, each cut or padded to its own video's length (None when none has
    audio): the track of a file that joins them."""
    tracks = [read_audio(path) for path in sources]
    if all(track is None for track in tracks):
        return None
    return np.concatenate([fitted(track, video_seconds(path)) for track, path in zip(tracks, sources)])


def write_png(frame, target: Path) -> Path:
    """A decoded video frame as a PNG file, atomically."""
    png = av.CodecContext.create("png", "w")
    png.width, png.height, png.pix_fmt, png.time_base = frame.width, frame.height, "rgb24", Fraction(1, 1)
    packets = png.encode(frame.reformat(format="rgb24")) + png.encode(None)
    return atomic.write_bytes(target, b"".join(bytes(packet) for packet in packets))
