"""The slides as a PowerPoint deck (python-pptx): 16:9, a title slide before each scene, then one slide per
beat holding the beat's video (with its voice), set to play as the slide opens, and the beat's sentence in
the speaker notes. The poster is the beat's finished picture: it is what a printed or PDF deck shows, and
what remains where a video cannot play. No manim here."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

import atomic

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
BACKGROUND, TEXT, MUTED, ACCENT = RGBColor(0, 0, 0), RGBColor(0xE6, 0xED, 0xF3), RGBColor(0x8B, 0x94, 0x9E), \
    RGBColor(0x58, 0xC4, 0xDD)
BLANK = 6  # the default template's blank layout

# Play the video as soon as the slide shows (PowerPoint's "Start: Automatically"), instead of python-pptx's
# click-to-play: one key press per beat, as in the HTML presenter. The same tree PowerPoint writes.
_AUTOPLAY = """<p:timing xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:tnLst><p:par>
<p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst>
<p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst>
<p:par><p:cTn id="3" fill="hold"><p:stCondLst><p:cond delay="indefinite"/><p:cond evt="onBegin" delay="0"><p:tn val="2"/>
</p:cond></p:stCondLst><p:childTnLst><p:par><p:cTn id="4" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst>
<p:childTnLst><p:par><p:cTn id="5" presetID="1" presetClass="mediacall" presetSubtype="0" fill="hold"
nodeType="afterEffect"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>
<p:cmd type="call" cmd="playFrom(0.0)"><p:cBhvr><p:cTn id="6" dur="{ms}" fill="hold"/>
<p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl></p:cBhvr></p:cmd></p:childTnLst></p:cTn></p:par></p:childTnLst></p:cTn>
</p:par></p:childTnLst></p:cTn></p:par></p:childTnLst></p:cTn>
<p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:prevCondLst>
<p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst></p:seq>
<p:video><p:cMediaNode vol="80000"><p:cTn id="7" fill="hold" display="0"><p:stCondLst><p:cond delay="indefinite"/>
</p:stCondLst></p:cTn><p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl></p:cMediaNode></p:video>
</p:childTnLst></p:cTn></p:par></p:tnLst></p:timing>"""


def write(slides: list[dict], target: Path, lang: str) -> Path:
    """`slides` (slides.json's entries, media as paths) as a deck at `target`, atomically."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.language = "zh-CN" if lang == "zh" else "en-US"
    for entry in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[BLANK])
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = BACKGROUND
        if entry["kind"] == "title":
            _title(slide, entry)
        else:
            _beat(slide, entry)
        slide.notes_slide.notes_text_frame.text = entry.get("notes", "")
    deck.core_properties.title = next((s["title"] for s in slides if s["kind"] == "title"), "")
    temporary = atomic.temporary(target)
    try:
        deck.save(str(temporary))
        atomic.move(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _text(slide, text: str, top: Emu, height: Emu, size: int, color: RGBColor, bold: bool = False) -> None:
    box = slide.shapes.add_textbox(Inches(0.9), top, WIDTH - Inches(1.8), height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color


def _title(slide, entry: dict) -> None:
    _text(slide, entry["subtitle"], Inches(2.3), Inches(0.7), 22, ACCENT)
    _text(slide, entry["title"], Inches(3.0), Inches(1.6), 44, TEXT, bold=True)


def _beat(slide, entry: dict) -> None:
    movie = slide.shapes.add_movie(str(entry["video"]), 0, 0, WIDTH, HEIGHT,
                                   poster_frame_image=str(entry["final"]), mime_type="video/mp4")
    milliseconds = max(1, round((entry["end"] - entry["start"]) * 1000))
    timing = slide._element.find(qn("p:timing"))
    autoplay = etree.fromstring(_AUTOPLAY.format(ms=milliseconds, spid=movie.shape_id).replace("\n", " "),
                                etree.XMLParser(remove_blank_text=True))
    if timing is not None:
        timing.addprevious(autoplay)
        timing.getparent().remove(timing)
    else:
        slide._element.append(autoplay)
