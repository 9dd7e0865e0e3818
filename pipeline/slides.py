"""The lecture as slides, one per beat: an offline HTML presenter (index.html), a PowerPoint deck
(slides.pptx) and the list of slides (slides.json). Each beat is cut from its rendered clip at the beat
timeline's frames (pipeline/segments.py), with its voice; the deck puts a title slide before each scene.
The folder is built beside its destination and swapped in whole, as the course pack is, and only a folder
that is new, empty or exactly such a folder (slides.json lists every file) is replaced. No manim here."""

from __future__ import annotations

import html
import json
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from content import i18n

from . import pack, segments
from .captions import clock

PRESENTER = Path(__file__).with_name("presenter")
FOLDER = pack.Kind("slides.json", "slide deck", "slides folder", "slides")


@dataclass(frozen=True)
class SlideClip:
    scene_id: str
    titles: dict[str, str]  # language -> scene title
    video: Path  # the rendered clip (mp4)
    beats: Path  # its beat timeline, <id>.beats.json


def check_slides_dir(out_dir: Path) -> None:
    """ValueError (one line) unless `out_dir` is new, empty or a slide folder this tool wrote, unchanged."""
    pack.check_pack_dir(out_dir, FOLDER)


def export_slides(clips: list[SlideClip], out_dir: Path, lang: str = "en",
                  progress: Callable[[str], None] | None = None) -> Path:
    """Write the slide folder into `out_dir` (atomically); return the path of slides.json."""
    return pack.replace_folder(out_dir, lambda work: build(clips, work, lang, progress or (lambda line: None)),
                               FOLDER)


def build(clips: list[SlideClip], work: Path, lang: str, say: Callable[[str], None]) -> dict:
    """Everything in the empty folder `work`; returns slides.json's content (paths as Path)."""
    if not clips:
        raise ValueError("no scenes to present")
    words = i18n.presenter_words(lang)
    slides: list[dict] = []
    for number, clip in enumerate(clips, start=1):
        say(f"[{number}/{len(clips)}] {clip.scene_id}: one slide per beat")
        timeline = json.loads(clip.beats.read_text(encoding="utf-8"))
        beats = timeline["beats"]
        folder = work / "segments" / clip.scene_id
        folder.mkdir(parents=True)
        names = [f"{index:02d}-{beat['key'].replace(':', '-')}" for index, beat in enumerate(beats, start=1)]
        videos, posters = [folder / f"{name}.mp4" for name in names], [folder / f"{name}.png" for name in names]
        finals = [folder / f"{name}.end.png" for name in names]
        rate = segments.frame_rate(clip.video)
        cuts = segments.cut(clip.video, beats, videos, posters, finals)
        title = clip.titles.get(lang) or next(iter(clip.titles.values()))
        slides.append({"kind": "title", "scene": clip.scene_id, "title": title,
                       "subtitle": words["scene"].format(number=number, count=len(clips)), "poster": posters[0]})
        for index, (beat, piece, video, poster, final) in enumerate(zip(beats, cuts, videos, posters, finals),
                                                                   start=1):
            start = piece.first / rate
            slides.append({"kind": "beat", "scene": clip.scene_id, "beat": beat["key"], "number": index,
                           "start": round(float(start), 6), "end": round(float(piece.last / rate), 6),
                           "frames": [piece.first, piece.last], "fps": float(rate),
                           # what plays before the beat itself: the stage cleared after the beat before
                           "lead_in": round(max(0.0, float(beat["start"]) - float(start)), 6),
                           "notes": beat["narration"].get(lang, ""), "video": video, "poster": poster,
                           "final": final})
    fps = {slide["fps"] for slide in slides if slide["kind"] == "beat"}
    if len(fps) > 1:
        raise ValueError("the clips were rendered at different frame rates; render all at one quality")
    say("presenter, deck")
    (work / "index.html").write_text(page(slides, lang, work), encoding="utf-8")
    from . import deck  # python-pptx is imported only when a deck is made

    deck.write(slides, work / "slides.pptx", lang)
    content = {"generator": f"actlecture {pack.version()}", "language": lang,
               "title": i18n.page_words(lang)["title"], "slides": slides,
               "presenter": work / "index.html", "deck": work / "slides.pptx"}
    (work / FOLDER.manifest).write_text(json.dumps(pack.described(content, work), indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    return content


def page(slides: list[dict], lang: str, root: Path) -> str:
    """The presenter: pipeline/presenter/index.html with its style, script and the slides inline, so the one
    file works opened from disk; every media file by a relative link."""
    words = i18n.presenter_words(lang)
    rel = lambda path: path.relative_to(root).as_posix()  # noqa: E731
    scenes, beats = [], []
    for slide in slides:
        if slide["kind"] == "title":
            scenes.append({"id": slide["scene"], "title": slide["title"], "first": len(beats), "count": 0})
            continue
        scenes[-1]["count"] += 1
        beats.append({"scene": len(scenes) - 1, "number": slide["number"], "key": slide["beat"],
                      "video": rel(slide["video"]), "poster": rel(slide["poster"]), "final": rel(slide["final"]),
                      "notes": slide["notes"],
                      "duration": round(slide["end"] - slide["start"], 6)})
    fps = next(slide["fps"] for slide in slides if slide["kind"] == "beat")
    data = json.dumps({"lang": lang, "fps": fps, "ui": words, "scenes": scenes, "beats": beats},
                      ensure_ascii=False).replace("<", "\\u003c")  # nothing in it can end the script
    chapters = "".join(
        f'<li><button type="button"><span class="number">{n}</span><span>{html.escape(scene["title"])}</span>'
        f'<span class="time">{clock(sum(b["duration"] for b in beats[scene["first"]:scene["first"] + scene["count"]]))}'
        f'</span></button></li>' for n, scene in enumerate(scenes, start=1))
    keys = [("→ / Space / PageDown / click", "key_next"), ("← / PageUp", "key_prev"), ("1 … 9, 0", "key_scene"),
            ("Home / End", "key_home_end"), ("M", "key_mute"), ("C", "key_captions"), ("F", "key_fullscreen"),
            ("S", "key_speaker"), ("T", "key_chapters"), ("?", "key_help")]
    help_table = "<table>" + "".join(f"<tr><td><kbd>{html.escape(k)}</kbd></td><td>{html.escape(words[w])}</td></tr>"
                                     for k, w in keys) + "</table>"
    text = {name: html.escape(words[name]) for name in ("prev", "next", "chapters", "mute", "speaker", "fullscreen",
                                                       "keys", "now", "coming")}
    return string.Template((PRESENTER / "index.html").read_text(encoding="utf-8")).substitute(
        lang=lang, title=html.escape(i18n.page_words(lang)["title"]), chapter_list=chapters, help=help_table,
        data=data, style=(PRESENTER / "presenter.css").read_text(encoding="utf-8"),
        script=(PRESENTER / "presenter.js").read_text(encoding="utf-8"), **text)
