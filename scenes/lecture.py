"""Join rendered scenes into one lecture: video by stream copy, chapters in the file, one subtitle track
shifted to each scene's offset, and a chapter list for video platforms. No manim here."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import srt


@dataclass(frozen=True)
class Clip:
    scene_id: str
    title: str
    video: Path
    subtitles: Path


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds
    end: float


@dataclass(frozen=True)
class Lecture:
    video: Path
    subtitles: Path
    chapter_list: Path
    chapters: tuple[Chapter, ...]


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.stem}.{os.getpid()}.tmp{target.suffix}")


def _stamp(seconds: float) -> str:
    """H:MM:SS, or M:SS under an hour, as video platforms read chapter lists."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def join(clips: list[Clip], out_dir: Path, name: str = "lecture") -> Lecture:
    """Concatenate `clips` (same codec and size: one render quality) without re-encoding."""
    if not clips:
        raise ValueError("no scenes to join")
    video, subtitles, chapter_list = out_dir / f"{name}.mp4", out_dir / f"{name}.srt", out_dir / f"{name}-chapters.txt"
    chapters: list[Chapter] = []
    cues: list[srt.Subtitle] = []
    offset = Fraction(0)  # seconds already written
    temporary = _temporary(video)
    try:
        with av.open(str(clips[0].video)) as first, av.open(str(temporary), "w", format="mp4",
                                                            options={"movflags": "+faststart"}) as out:
            template = first.streams.video[0]
            stream = out.add_stream_from_template(template)
            for clip in clips:
                with av.open(str(clip.video)) as source:
                    video_in = source.streams.video[0]
                    if (video_in.codec_context.width, video_in.codec_context.height) != (
                            template.codec_context.width, template.codec_context.height):
                        raise ValueError(f"{clip.scene_id} was rendered at another size; render all at one quality")
                    time_base = video_in.time_base
                    shift = int(offset / time_base)
                    end = offset
                    for packet in source.demux(video_in):
                        if packet.dts is None:  # the demuxer's empty flush packet
                            continue
                        packet.pts += shift
                        packet.dts += shift
                        end = max(end, (packet.pts + packet.duration) * time_base)
                        packet.stream = stream
                        out.mux(packet)
                for cue in srt.parse(clip.subtitles.read_text(encoding="utf-8")):
                    shift_by = datetime.timedelta(seconds=float(offset))
                    cues.append(srt.Subtitle(len(cues) + 1, cue.start + shift_by, cue.end + shift_by, cue.content))
                chapters.append(Chapter(clip.title, float(offset), float(end)))
                offset = end
            out.set_chapters([
                {"id": i + 1, "start": round(c.start * 1000), "end": round(c.end * 1000),
                 "time_base": Fraction(1, 1000), "metadata": {"title": c.title}}
                for i, c in enumerate(chapters)
            ])
        os.replace(temporary, video)
    finally:
        temporary.unlink(missing_ok=True)
    for target, content in ((subtitles, srt.compose(cues)),
                            (chapter_list, "".join(f"{_stamp(c.start)} {c.title}\n" for c in chapters))):
        part = _temporary(target)
        part.write_text(content, encoding="utf-8")
        os.replace(part, target)
    return Lecture(video, subtitles, chapter_list, tuple(chapters))
