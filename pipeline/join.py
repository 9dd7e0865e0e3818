"""Join rendered scenes into one lecture: video by stream copy, the voice as one continuous track, chapters
in the file, subtitle tracks shifted to each scene's offset, and a chapter list for video platforms.
No manim here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import srt

import atomic

from . import dependencies, muxing
from .captions import clock
from .muxing import Chapter


@dataclass(frozen=True)
class Clip:
    scene_id: str
    title: str
    video: Path
    subtitles: Path  # in the render's own language
    tracks: dict[str, Path] = field(default_factory=dict)  # language -> .srt timed to the same video


@dataclass(frozen=True)
class Lecture:
    video: Path
    subtitles: Path
    chapter_list: Path
    chapters: tuple[Chapter, ...]
    tracks: dict[str, Path] = field(default_factory=dict)  # language -> <name>.<lang>.srt


def concatenate(videos: list[Path], titles: list[str], target: Path, format: str = "mp4",
                options: dict[str, str] | None = None) -> tuple[Chapter, ...]:
    """Write `videos` (one codec and size) one after another into `target`, atomically: video by stream
    copy, one chapter per video, and their voices as one continuous track (none when no video has audio);
    returns the chapters."""
    return muxing.write(videos, target, format, audio=muxing.joined_audio(videos), titles=titles, options=options)


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
