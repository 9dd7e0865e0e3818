"""The course pack: per scene a web mp4 and webm, a poster and captions (WebVTT + SRT) in every language;
the joined lecture with chapters; transcripts; an index.html that works offline from file://; and
manifest.json with sizes and sha256. It is built in a temporary sibling folder and swapped in whole, so an
interrupted export leaves the previous pack as it was. No manim here."""

from __future__ import annotations

import glob
import hashlib
import html
import json
import os
import re
import shutil
import string
from dataclasses import dataclass
from fractions import Fraction
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

import av
import srt

from content import i18n

from . import muxing, signals
from .captions import clock, vtt_text
from .join import Clip, concatenate, join
from .settings import check_output_dir

PAGE = Path(__file__).with_name("page")
# Ids and language codes become file names and URLs in the page: keep them to characters that need no escaping.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
SAFE_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
# Realtime VP9 is about 10x faster than "good" and, on the lecture's flat dark frames, looks the same.
WEBM_OPTIONS = {"deadline": "realtime", "cpu-used": "8", "row-mt": "1", "crf": "34", "b": "0"}


@dataclass(frozen=True)
class PackClip:
    scene_id: str
    titles: dict[str, str]  # language -> scene title, at least the pack language
    video: Path  # the rendered mp4 for this scene (in the pack's language)
    subtitles: dict[str, Path]  # language -> .srt, every one timed to this video
    beats: Path | None = None  # its beat timeline: with every clip's, the pack holds the live presenter


@dataclass(frozen=True)
class Kind:
    """A kind of folder this tool writes whole: the file listing every other file, what the folder is
    called in messages, and an -o to suggest."""

    manifest: str
    name: str
    label: str
    example: str


PACK = Kind("manifest.json", "course pack", "pack folder", "course")


def check_pack_dir(out_dir: Path, kind: Kind = PACK) -> None:
    """ValueError (one line) unless `out_dir` is new, empty, or exactly a `kind` of folder this tool wrote:
    its manifest lists every file in it, each with its size and hash as written. Anything else may hold a
    user's work, and an export replaces the folder whole."""
    out_dir = pack_folder(out_dir)
    label = kind.label
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"{label} {str(out_dir)!r} is a file")
    # The pack is swapped in by renaming the folder, which a mount point refuses (EBUSY), and which would
    # pull the folder from under a shell standing in it.
    if os.path.ismount(out_dir):
        raise ValueError(f"{label} {str(out_dir)!r} is a mount point; name a folder inside it")
    if Path.cwd().resolve().is_relative_to(out_dir):
        raise ValueError(f"{label} {str(out_dir)!r} holds the current folder; name a folder inside it,"
                         f" e.g. -o {kind.example}")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        problem = _not_ours(out_dir, kind)
        if problem:
            raise ValueError(f"{label} {str(out_dir)!r} {problem}; choose a new or empty folder")
    try:  # the folder is built beside out_dir, so that folder must be writable (a real attempt: root passes os.access)
        check_output_dir(out_dir.parent)
    except ValueError as err:
        raise ValueError(f"{label} {str(out_dir)!r} cannot be made: {err}") from None


def pack_folder(out_dir: Path) -> Path:
    """The folder a pack goes to: absolute, links followed (a link to a pack stays a link to the new one)."""
    return Path(out_dir).resolve()


def recover(out_dir: Path) -> None:
    """Finish what an export killed outright (SIGKILL, a power cut) left beside `out_dir`: killed between
    its two renames, the pack is missing and the old one hidden as `.<name>.old-<pid>`, so it is put
    back; the half-built `.<name>.tmp-<pid>` and a replaced old pack are removed."""
    out_dir = pack_folder(out_dir)
    for kind in ("old", "tmp"):
        for left in sorted(out_dir.parent.glob(f".{glob.escape(out_dir.name)}.{kind}-*")):
            pid = left.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or Path(f"/proc/{pid}").exists():
                continue  # another export at work
            if kind == "old" and not out_dir.exists():
                os.replace(left, out_dir)
            else:
                shutil.rmtree(left, ignore_errors=True)


def _listed(value) -> Iterator[dict]:
    """Every {path, size, sha256} entry of a manifest."""
    if isinstance(value, dict):
        if set(value) == {"path", "size", "sha256"}:
            yield value
        else:
            for item in value.values():
                yield from _listed(item)
    elif isinstance(value, list):
        for item in value:
            yield from _listed(item)


def _names(paths: list[str], most: int = 4) -> str:
    shown = ", ".join(sorted(paths)[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


def _not_ours(folder: Path, kind: Kind = PACK) -> str | None:
    """Why the non-empty `folder` is not exactly a `kind` this tool wrote (None when it is)."""
    manifest_name = kind.manifest
    try:
        manifest = json.loads((folder / manifest_name).read_text(encoding="utf-8"))
        entries = {entry["path"]: entry for entry in _listed(manifest)}
        ours = str(manifest["generator"]).startswith("actlecture ")
    except FileNotFoundError:
        return f"is not empty and holds no {kind.name}"
    except (OSError, ValueError, KeyError, TypeError):
        ours = False
    if not ours:
        return f"holds a {manifest_name} that is not a {kind.name}'s"
    extra, changed = [], []
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name == manifest_name:
            continue
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            extra.append(name)
        elif path.is_dir():
            if not any(listed.startswith(name + "/") for listed in entries):
                extra.append(name + "/")
        elif name not in entries:
            extra.append(name)
        elif path.stat().st_size != entries[name]["size"] or _sha256(path) != entries[name]["sha256"]:
            changed.append(name)
    if extra:
        return f"holds files that are not part of its {kind.name} ({_names(extra)})"
    if changed:
        return f"holds {kind.name} files changed since the export ({_names(changed)})"
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_pack(clips: list[PackClip], out_dir: Path, lang: str = "en", lecture_title: dict[str, str] | None = None,
                progress: Callable[[str], None] | None = None) -> Path:
    """Write the course pack into out_dir; return the manifest path."""
    _check_clips(clips, lang)
    titles = {code: i18n.page_words(code)["title"] for code in i18n.LANGS} | (lecture_title or {})
    return replace_folder(out_dir, lambda work: _build(clips, work, lang, titles, progress or (lambda message: None)))


def replace_folder(out_dir: Path, build: Callable[[Path], object], kind: Kind = PACK) -> Path:
    """`build(work)` fills a new folder beside `out_dir`, which then replaces `out_dir` whole (when that is
    new, empty or an unchanged `kind` folder of ours); returns the path of its manifest as given."""
    given, out_dir = Path(out_dir), pack_folder(out_dir)
    recover(out_dir)
    check_pack_dir(out_dir, kind)
    work = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)  # a crashed earlier export under a reused pid
    try:
        work.mkdir(parents=True)
        build(work)
        signals.check()  # a Ctrl-C or kill whose raise a finaliser swallowed: swap nothing in
        _swap(work, out_dir, kind)
    except BaseException:  # KeyboardInterrupt too: nothing half-built may stay behind
        shutil.rmtree(work, ignore_errors=True)
        raise
    return given / kind.manifest


def _check_clips(clips: list[PackClip], lang: str) -> None:
    if not clips:
        raise ValueError("no scenes to export")
    ids = [clip.scene_id for clip in clips]
    for clip in clips:
        if not SAFE_ID.match(clip.scene_id) or ids.count(clip.scene_id) > 1:
            raise ValueError(f"scene id {clip.scene_id!r} is not a unique plain name")
        if lang not in clip.titles or lang not in clip.subtitles:
            raise ValueError(f"scene {clip.scene_id!r} has no title or subtitles in {lang!r}")
        for code in clip.subtitles:
            if not SAFE_LANG.match(code):
                raise ValueError(f"scene {clip.scene_id!r}: {code!r} is not a language code")


def _swap(work: Path, out_dir: Path, kind: Kind = PACK) -> None:
    """Put `work` in place of `out_dir`; the previous folder is dropped only once the new one is there."""
    if out_dir.is_dir() and any(out_dir.iterdir()):
        check_pack_dir(out_dir, kind)  # again: a render takes minutes, and a user may have added a file meanwhile
        old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        os.replace(out_dir, old)
        try:
            os.replace(work, out_dir)
        except BaseException:
            os.replace(old, out_dir)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, out_dir)  # rename(2) replaces an empty folder


# --- building --------------------------------------------------------------------------------------


def _build(clips: list[PackClip], work: Path, lang: str, lecture_title: dict[str, str],
           say: Callable[[str], None]) -> None:
    languages = list(dict.fromkeys([lang, *(code for clip in clips for code in clip.subtitles)]))
    titles = {code: lecture_title.get(code) or lecture_title.get(lang) or i18n.page_words()["title"]
              for code in languages}
    for folder in ("clips", "posters", "captions"):
        (work / folder).mkdir()
    cues: dict[tuple[str, str], list[srt.Subtitle]] = {}  # (scene id, language) -> its cues
    entries = []
    for number, clip in enumerate(clips, start=1):
        say(f"[{number}/{len(clips)}] {clip.scene_id}: web video, poster, captions")
        entries.append(_scene(clip, work, lang, languages, cues))
    say("lecture: joining the scenes (stream copy)")
    lecture = _lecture(entries, work, lang)
    say("transcripts, page, manifest")
    manifest = {
        "generator": f"actlecture {version()}",
        "language": lang,
        "languages": languages,
        "title": titles,
        "clips": entries,
        "lecture": lecture,
        "transcripts": {code: work / f"transcript.{code}.md" for code in languages},
        "page": work / "index.html",
    }
    if all(clip.beats is not None for clip in clips):
        say("slides: the live presenter and the deck, one slide per beat")
        from . import slides

        (work / "slides").mkdir()
        slides.build([slides.SlideClip(clip.scene_id, clip.titles, clip.video, clip.beats) for clip in clips],
                     work / "slides", lang, say)
        manifest["slides"] = {"presenter": work / "slides" / "index.html", "deck": work / "slides" / "slides.pptx",
                              "files": sorted(path for path in (work / "slides").rglob("*") if path.is_file())}
    for code, path in manifest["transcripts"].items():
        path.write_text(_transcript(entries, cues, code, titles[code]), encoding="utf-8")
    manifest["page"].write_text(_page(manifest, lang), encoding="utf-8")
    (work / "manifest.json").write_text(json.dumps(described(manifest, work), indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")


def _scene(clip: PackClip, work: Path, lang: str, languages: list[str], cues: dict) -> dict:
    files: dict = {"mp4": work / "clips" / f"{clip.scene_id}.mp4", "webm": work / "clips" / f"{clip.scene_id}.webm",
                   "poster": work / "posters" / f"{clip.scene_id}.png", "captions": {}}
    _web_mp4(clip.video, files["mp4"])
    _webm_and_poster(files["mp4"], files["webm"], files["poster"])
    for code, source in clip.subtitles.items():
        cues[clip.scene_id, code] = list(srt.parse(source.read_text(encoding="utf-8")))
        files["captions"][code] = _captions(cues[clip.scene_id, code], work / "captions" / f"{clip.scene_id}.{code}")
    return {"id": clip.scene_id, "titles": {code: clip.titles.get(code, clip.titles[lang]) for code in languages},
            "files": files}


def _lecture(entries: list[dict], work: Path, lang: str) -> dict:
    """lecture.mp4 and its tracks by `join`; lecture.webm, for browsers without H.264, from the clips' webm,
    also by stream copy. Sets each entry's duration from its chapter."""
    lecture = join([Clip(e["id"], e["titles"][lang], e["files"]["mp4"], e["files"]["captions"][lang]["srt"],
                         {code: pair["srt"] for code, pair in e["files"]["captions"].items()}) for e in entries], work)
    concatenate([e["files"]["webm"] for e in entries], [e["titles"][lang] for e in entries], work / "lecture.webm",
                format="webm")
    files: dict = {"mp4": lecture.video, "webm": work / "lecture.webm", "chapter_list": lecture.chapter_list,
                   "srt": lecture.subtitles, "captions": {}}
    for code, track in lecture.tracks.items():
        vtt = track.with_suffix(".vtt")
        vtt.write_text(vtt_text(list(srt.parse(track.read_text(encoding="utf-8")))), encoding="utf-8")
        files["captions"][code] = {"srt": track, "vtt": vtt}
    for entry, chapter in zip(entries, lecture.chapters):
        entry["duration"] = round(chapter.end - chapter.start, 3)
    chapters = [{"id": e["id"], "titles": e["titles"], "start": round(c.start, 3), "end": round(c.end, 3)}
                for e, c in zip(entries, lecture.chapters)]
    return {"duration": round(lecture.chapters[-1].end, 3), "chapters": chapters, "files": files}


def described(value, root: Path):
    """Every path becomes {path (relative, '/'), size, sha256}; the rest is kept as is."""
    if isinstance(value, Path):
        data = value.read_bytes()
        return {"path": value.relative_to(root).as_posix(), "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest()}
    if isinstance(value, dict):
        return {key: described(item, root) for key, item in value.items()}
    if isinstance(value, list):
        return [described(item, root) for item in value]
    return value


def version() -> str:
    try:
        return metadata.version("actlecture")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- media -----------------------------------------------------------------------------------------


def _web_mp4(source: Path, target: Path) -> None:
    """H.264 yuv420p with the index up front, so browsers start before the whole file has loaded; the voice
    (AAC) copied as it is."""
    with av.open(str(source)) as src, av.open(str(target), "w", format="mp4",
                                              options={"movflags": "+faststart"}) as out:
        video = src.streams.video[0]
        if video.codec_context.name == "h264" and video.codec_context.pix_fmt == "yuv420p":
            streams = {video.index: out.add_stream_from_template(video)}
            for sound in src.streams.audio[:1]:
                streams[sound.index] = out.add_stream_from_template(sound)
            for packet in src.demux(*(s for s in src.streams if s.index in streams)):
                if packet.dts is not None:  # skip the demuxer's empty flush packet
                    packet.stream = streams[packet.stream.index]
                    out.mux(packet)
            return
        # Anything else (a transparent .mov, 4:4:4) is encoded; yuv420p needs even sides.
        rate = video.average_rate or Fraction(25)
        stream = out.add_stream("libx264", rate=rate)
        stream.width, stream.height = video.codec_context.width // 2 * 2, video.codec_context.height // 2 * 2
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "20"}
        sound = muxing.read_audio(source)
        track = muxing.AudioTrack(out, "mp4", sound) if sound is not None else None
        if track is not None:
            track.encode()
        for index, frame in enumerate(src.decode(video)):
            frame = frame.reformat(width=stream.width, height=stream.height, format="yuv420p")
            frame.pts, frame.time_base = index, 1 / rate
            if track is not None:
                track.until(float(index / rate))
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
        if track is not None:
            track.finish()


def _webm_and_poster(source: Path, webm: Path, poster: Path) -> None:
    """VP9 (VP8 where PyAV lacks it) with the voice in Opus; the poster is the last frame: every scene ends
    on its answer."""
    codec = "libvpx-vp9" if "libvpx-vp9" in av.codecs_available else "libvpx"
    last = None
    sound = muxing.read_audio(source)
    with av.open(str(source)) as src, av.open(str(webm), "w", format="webm") as out:
        video = src.streams.video[0]
        video.thread_type = "AUTO"
        rate = video.average_rate or Fraction(25)
        stream = out.add_stream(codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = video.codec_context.width, video.codec_context.height, "yuv420p"
        # Every clip, so every chapter, starts on a keyframe; one per 10 s more keeps scrubbing quick.
        stream.gop_size = max(1, round(rate * 10))
        stream.options = WEBM_OPTIONS
        track = None
        if sound is not None:
            track = muxing.AudioTrack(out, "webm", muxing.fitted(sound, muxing.video_seconds(source)))
            track.encode()
        for index, frame in enumerate(src.decode(video)):
            frame = frame.reformat(format="yuv420p")
            frame.pts, frame.time_base = index, 1 / rate
            if track is not None:
                track.until(float(index / rate))
            out.mux(stream.encode(frame))
            last = frame
        out.mux(stream.encode(None))
        if track is not None:
            track.finish()
    if last is None:
        raise ValueError(f"{source.name} has no frames")
    muxing.write_png(last, poster)


# --- text ------------------------------------------------------------------------------------------


def _captions(cues: list[srt.Subtitle], stem: Path) -> dict[str, Path]:
    paths = {"srt": stem.with_name(stem.name + ".srt"), "vtt": stem.with_name(stem.name + ".vtt")}
    paths["srt"].write_text(srt.compose(cues), encoding="utf-8")
    paths["vtt"].write_text(vtt_text(cues), encoding="utf-8")
    return paths


def _plain(cue: srt.Subtitle, lang: str) -> str:
    """A cue's lines as one line: Chinese and Japanese wrap without spaces between words."""
    return ("" if lang.split("-")[0] in ("zh", "ja") else " ").join(cue.content.split("\n"))


def _transcript(entries: list[dict], cues: dict, lang: str, title: str) -> str:
    parts = [f"# {title}\n"]
    for number, entry in enumerate(entries, start=1):
        parts.append(f"## {number}. {entry['titles'][lang]}\n")
        parts.extend(f"{_plain(cue, lang)}\n" for cue in cues.get((entry["id"], lang), []))
    return "\n".join(parts)


def _label(code: str) -> str:
    """A language as the switch and the caption tracks name it: by its own name."""
    return i18n.page_words(code)["language_name"] if code in i18n.LANGS else code


def _words(code: str) -> dict[str, str]:
    return i18n.page_words(code if code in i18n.LANGS else "en")


class _Page:
    """index.html from pipeline/page/index.html: every text escaped; style, script and captions inline, so
    the single file needs no server."""

    def __init__(self, manifest: dict, lang: str):
        self.manifest, self.lang = manifest, lang
        self.root = manifest["page"].parent
        self.ui = {code: _words(code) | {"title": manifest["title"][code]} for code in manifest["languages"]}

    def rel(self, path: Path) -> str:
        return html.escape(path.relative_to(self.root).as_posix())

    def text(self, key: str) -> str:
        return f'<span data-ui="{key}">{html.escape(self.ui[self.lang][key])}</span>'

    def tracks(self, captions: dict[str, dict[str, Path]]) -> str:
        # No src: Chromium refuses <track> files on file:// pages (a console error each). The script gives
        # each track its file over http, or the same cues as a data: URL from disk.
        return "".join(
            f'<track kind="subtitles" srclang="{code}" label="{html.escape(_label(code))}" data-src="{self.rel(pair["vtt"])}"'
            f'{" default" if code == self.lang else ""}>' for code, pair in captions.items())

    def video(self, files: dict, label: str) -> str:
        return (f'<video controls preload="metadata" playsinline poster="{self.rel(files["poster"])}"'
                f' aria-label="{html.escape(label)}">'
                f'<source src="{self.rel(files["webm"])}" type="video/webm">'
                f'<source src="{self.rel(files["mp4"])}" type="video/mp4">{self.tracks(files["captions"])}</video>')

    def chapters(self) -> str:
        return "".join(
            f'<li><button type="button" data-start="{c["start"]}"><span class="time">{clock(c["start"])}</span>'
            f'<span data-title="{html.escape(c["id"])}">{html.escape(c["titles"][self.lang])}</span></button></li>'
            for c in self.manifest["lecture"]["chapters"])

    def card(self, number: int, entry: dict) -> str:
        title = html.escape(entry["titles"][self.lang])
        captions = "".join(f'<a href="{self.rel(pair["srt"])}" download>{self.text("captions")} '
                           f'{html.escape(_label(code))}</a>' for code, pair in entry["files"]["captions"].items())
        return (f'<article class="clip" id="{html.escape(entry["id"])}">{self.video(entry["files"], entry["titles"][self.lang])}'
                f'<h3><span class="number">{number}</span><span data-title="{html.escape(entry["id"])}">{title}</span>'
                f'<span class="time">{clock(entry["duration"])}</span></h3><p class="links">'
                f'<a href="{self.rel(entry["files"]["mp4"])}" download>mp4</a>'
                f'<a href="{self.rel(entry["files"]["webm"])}" download>webm</a>{captions}</p></article>')

    def present(self) -> str:
        slides = self.manifest.get("slides")
        if not slides:
            return ""
        return (f'<a href="{self.rel(slides["presenter"])}">{self.text("present")}</a>'
                f'<a href="{self.rel(slides["deck"])}" download>slides.pptx</a>')

    def data(self) -> str:
        """What the script needs: the UI words and titles per language, and every caption file's cues."""
        data = {
            "lang": self.lang, "ui": self.ui,
            "titles": {entry["id"]: entry["titles"] for entry in self.manifest["clips"]},
            "vtt": {path.relative_to(self.root).as_posix(): path.read_text(encoding="utf-8")
                    for path in self.root.rglob("*.vtt")},
        }
        return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")  # nothing in it can end the script

    def render(self) -> str:
        manifest, lecture, now = self.manifest, self.manifest["lecture"], self.ui[self.lang]
        return string.Template((PAGE / "index.html").read_text(encoding="utf-8")).substitute(
            lang=self.lang,
            title=html.escape(now["title"]),
            language=html.escape(now["language"]),
            switch="".join(f'<button type="button" data-lang="{code}" aria-pressed="{str(code == self.lang).lower()}">'
                           f'{html.escape(_label(code))}</button>' for code in sorted(manifest["languages"])),
            lecture_heading=self.text("lecture"), lecture_length=clock(lecture["duration"]),
            lecture_video=self.video({**lecture["files"], "poster": manifest["clips"][0]["files"]["poster"]},
                                     now["lecture"]),
            chapters_heading=self.text("chapters"), chapters=self.chapters(),
            transcripts=self.present() + "".join(
                f'<a href="{self.rel(path)}">{self.text("transcript")} ({html.escape(_label(code))})</a>'
                for code, path in manifest["transcripts"].items()),
            lecture_mp4=self.rel(lecture["files"]["mp4"]), lecture_webm=self.rel(lecture["files"]["webm"]),
            scenes_heading=self.text("scenes"),
            cards="".join(self.card(number, entry) for number, entry in enumerate(manifest["clips"], start=1)),
            data=self.data(),
            style=(PAGE / "page.css").read_text(encoding="utf-8"),
            script=(PAGE / "page.js").read_text(encoding="utf-8"),
        )


def _page(manifest: dict, lang: str) -> str:
    return _Page(manifest, lang).render()
