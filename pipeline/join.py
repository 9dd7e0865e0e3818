"""Join rendered scenes into one lecture: video by stream copy, chapters in the file, subtitle tracks
shifted to each scene's offset, and a chapter list for video platforms. No manim here."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable

import av
import srt

import atomic

from . import dependencies
from .captions import clock


@dataclass(frozen=True)
class Clip:
    scene_id: str
    title: str
    video: Path
    subtitles: Path  # in the render's own language
    tracks: dict[str, Path] = field(default_factory=dict)  # language -> .srt timed to the same video


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
    tracks: dict[str, Path] = field(default_factory=dict)  # language -> <name>.<lang>.srt


def concatenate(videos: list[Path], titles: list[str], target: Path, format: str = "mp4",
                options: dict[str, str] | None = None) -> tuple[Chapter, ...]:
    """Write `videos` (one codec and size) one after another into `target` by stream copy, one chapter
    per video, atomically; returns the chapters. Only the first video stream of each is kept."""
    chapters: list[Chapter] = []
    offset = Fraction(0)  # seconds already written
    temporary = atomic.temporary(target)
    try:
        with av.open(str(videos[0])) as first, av.open(str(temporary), "w", format=format,
                                                        options=options or {}) as out:
            template = first.streams.video[0]
            stream = out.add_stream_from_template(template)
            for video, title in zip(videos, titles, strict=True):
                with av.open(str(video)) as source:
                    video_in = source.streams.video[0]
                    if (video_in.codec_context.width, video_in.codec_context.height) != (
                            template.codec_context.width, template.codec_context.height):
                        raise ValueError(f"{video.stem} was rendered at another size; render all at one quality")
                    time_base = video_in.time_base
                    # WebM blocks may carry no duration; a frame's length at the stream's rate stands in.
                    frame = int(1 / (video_in.average_rate * time_base)) if video_in.average_rate else 0
                    shift = int(offset / time_base)
                    end = offset
                    for packet in source.demux(video_in):
                        if packet.dts is None:  # the demuxer's empty flush packet
                            continue
                        packet.pts += shift
                        packet.dts += shift
                        end = max(end, (packet.pts + (packet.duration or frame)) * time_base)
                        packet.stream = stream
                        out.mux(packet)
                chapters.append(Chapter(title, float(offset), float(end)))
                offset = end
            out.set_chapters([
                {"id": i + 1, "start": round(c.start * 1000), "end": round(c.end * 1000),
                 "time_base": Fraction(1, 1000), "metadata": {"title": c.title}}
                for i, c in enumerate(chapters)
            ])
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return tuple(chapters)


def _shifted(subtitles: list[Path], chapters: tuple[Chapter, ...]) -> str:
    cues: list[srt.Subtitle] = []
    for path, chapter in zip(subtitles, chapters, strict=True):
        shift = datetime.timedelta(seconds=chapter.start)
        for cue in srt.parse(path.read_text(encoding="utf-8")):
            cues.append(srt.Subtitle(len(cues) + 1, cue.start + shift, cue.end + shift, cue.content))
    return srt.compose(cues)


def join(clips: list[Clip], out_dir: Path, name: str = "lecture") -> Lecture:
    """Concatenate `clips` (same codec and size: one render quality) without re-encoding. Every language
    that all clips have in `tracks` also gets its own shifted track, <name>.<lang>.srt."""
    if not clips:
        raise ValueError("no scenes to join")
    video, subtitles, chapter_list = out_dir / f"{name}.mp4", out_dir / f"{name}.srt", out_dir / f"{name}-chapters.txt"
    chapters = concatenate([c.video for c in clips], [c.title for c in clips], video,
                           options={"movflags": "+faststart"})
    atomic.write_text(subtitles, _shifted([c.subtitles for c in clips], chapters))
    tracks = {}
    for lang in (lang for lang in clips[0].tracks if all(lang in c.tracks for c in clips)):
        tracks[lang] = out_dir / f"{name}.{lang}.srt"
        atomic.write_text(tracks[lang], _shifted([c.tracks[lang] for c in clips], chapters))
    atomic.write_text(chapter_list, "".join(f"{clock(c.start)} {c.title}\n" for c in chapters))
    return Lecture(video, subtitles, chapter_list, chapters, tracks)


def join_cached(clips: list[Clip], out_dir: Path, force: bool = False,
                starting: Callable[[], None] = lambda: None) -> tuple[list[Path], bool]:
    """The joined lecture's files, and whether they were reused: an earlier join of these very clip files
    (and titles, by the same joiner) is kept; otherwise `starting()` is called and the clips are joined."""
    key = dependencies.join_key(clips)
    joined = None if force else dependencies.lookup(out_dir, "lecture", "mp4", key)
    if joined is not None:
        return joined, True
    starting()
    result = join(clips, out_dir)
    paths = [result.video, result.subtitles, *result.tracks.values(), result.chapter_list]
    dependencies.remember(out_dir, "lecture", "mp4", key, paths)
    return paths, False
