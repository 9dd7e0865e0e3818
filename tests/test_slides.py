"""The lecture as slides, from small synthetic clips (seconds, no manim): each beat cut to the frame with its
stretch of the voice, slides.json, the PowerPoint deck read back (and converted by LibreOffice), the
presenter driven in headless Chromium from disk and over http, and the CLI's errors."""

import contextlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from pipeline import muxing, segments
from pipeline import slides as slideshow
from pipeline.slides import SlideClip, export_slides
from helpers import cli
from test_export import CHROMIUM, served

FPS, SIZE = 10, (160, 90)
# Two scenes, beats as (key, start, end, tone). Each beat speaks a tone of its own, so a voice cut at the wrong
# place shows as the wrong pitch. In "one" the stage is cleared between the first two beats (1.0 to 1.2 s,
# outside any beat, as LectureScene.clear_stage does), and every cut falls on a keyframe (as manim's clips
# do: the frames are copied); "two" has a keyframe only at its start (its second beat's frames must be
# decoded and encoded again).
SCENES = {
    "one": {"title": {"en": "First", "zh": "第一节"}, "beats": [("question", 0.0, 1.0, 440.0), ("middle", 1.2, 2.1, 660.0),
                                                                 ("answer", 2.1, 2.8, 880.0)], "seconds": 3.0,
            "keyframes_at_beats": True},
    "two": {"title": {"en": "Second", "zh": "第二节"}, "beats": [("question", 0.0, 0.7, 550.0),
                                                                  ("curve:relu", 0.7, 2.0, 990.0)],
            "seconds": 2.0, "keyframes_at_beats": False},
}


def cut_frames(scene_id: str) -> list[tuple[int, int]]:
    """Where each beat's video begins and ends in the clip: at the end of the beat before (what plays
    between two beats opens the next), and at its own end (the last one at the clip's end)."""
    spec = SCENES[scene_id]
    ends = [round(end * FPS) for _, _, end, _ in spec["beats"][:-1]] + [round(spec["seconds"] * FPS)]
    return list(zip([0, *ends[:-1]], ends))


def make_clip(folder: Path, scene_id: str) -> SlideClip:
    spec = SCENES[scene_id]
    frames = round(spec["seconds"] * FPS)
    starts = [first for first, _ in cut_frames(scene_id)]
    video = folder / f"{scene_id}.mp4"
    with av.open(str(video), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        stream.gop_size = 1000
        stream.options = {"sc_threshold": "0"}  # no keyframe but the ones asked for
        for index in range(frames):
            image = np.full((SIZE[1], SIZE[0], 3), 16, np.uint8)
            image[20:70, : (index + 1) * SIZE[0] // frames] = (80, 196, 221)
            image[75:85, 5 + 4 * (index % 30): 9 + 4 * (index % 30)] = 250  # every frame differs
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            if spec["keyframes_at_beats"] and index in starts:
                frame.pict_type = av.video.frame.PictureType.I
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    voice = np.concatenate([0.3 * np.sin(2 * np.pi * tone * np.arange((last - first) * muxing.RATE // FPS) / muxing.RATE)
                            for (_, _, _, tone), (first, last) in zip(spec["beats"], cut_frames(scene_id))])
    muxing.write([video], video, "mp4", audio=voice.astype(np.float32))
    timeline = {"scene": scene_id, "duration": spec["seconds"], "voiced": True, "beats": [
        {"key": key, "start": start, "end": end,
         "narration": {"en": f"{spec['title']['en']}: the beat {key}.", "zh": f"{spec['title']['zh']}：{key}。"}}
        for key, start, end, _ in spec["beats"]]}
    beats = folder / f"{scene_id}.beats.json"
    beats.write_text(json.dumps(timeline, ensure_ascii=False), encoding="utf-8")
    return SlideClip(scene_id, spec["title"], video, beats)


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    return [make_clip(folder, scene_id) for scene_id in SCENES]


@pytest.fixture(scope="module")
def deck(clips, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "slides"
    export_slides(clips, out, "en")
    return out


def listing(folder: Path) -> dict:
    return json.loads((folder / "slides.json").read_text(encoding="utf-8"))


def frames_of(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as source:
        return [frame.to_ndarray(format="rgb24").copy() for frame in source.decode(video=0)]


def _png(path: Path) -> np.ndarray:
    with av.open(str(path)) as source:
        return next(source.decode(video=0)).to_ndarray(format="rgb24")


def pitch(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * muxing.RATE / len(samples))


# --- the beats, cut ------------------------------------------------------------------------------------


def test_each_beat_is_its_own_video_exact_to_the_frame(clips, deck):
    beats = [slide for slide in listing(deck)["slides"] if slide["kind"] == "beat"]
    assert [(s["scene"], s["beat"]) for s in beats] == [(scene_id, key) for scene_id, spec in SCENES.items()
                                                        for key, _, _, _ in spec["beats"]]
    for clip in clips:
        whole = frames_of(clip.video)
        mine = [slide for slide in beats if slide["scene"] == clip.scene_id]
        assert [tuple(s["frames"]) for s in mine] == cut_frames(clip.scene_id)
        assert mine[-1]["frames"][1] == len(whole)
        # The stage cleared between two beats plays before the second: a beat stops on its finished picture.
        assert [s["lead_in"] for s in mine] == pytest.approx(
            [start - first / FPS for (_, start, _, _), (first, _) in zip(SCENES[clip.scene_id]["beats"],
                                                                        cut_frames(clip.scene_id))])
        for slide in mine:
            first, last = slide["frames"]
            assert (slide["start"], slide["end"]) == pytest.approx((first / FPS, last / FPS))
            got = frames_of(deck / slide["video"]["path"])
            assert len(got) == last - first, slide["beat"]
            copied = SCENES[clip.scene_id]["keyframes_at_beats"]
            for index, frame in enumerate(got):
                if copied:  # stream copy: the very same pictures
                    assert np.array_equal(frame, whole[first + index]), (slide["beat"], index)
                else:  # encoded again at CRF 18: close to the clip
                    error = np.mean((frame.astype(float) - whole[first + index]) ** 2)
                    assert 10 * np.log10(255 ** 2 / max(error, 1e-9)) > 35, (slide["beat"], index)
            pictures = [np.asarray(_png(deck / slide[name]["path"])) for name in ("poster", "final")]
            assert np.abs(pictures[0].astype(int) - got[0]).max() <= 2  # the first frame, and the last
            assert np.abs(pictures[1].astype(int) - got[-1]).max() <= 2
            assert muxing.video_seconds(deck / slide["video"]["path"]) == pytest.approx(slide["end"] - slide["start"],
                                                                                        abs=0.5 / FPS)


def test_each_beat_carries_its_own_stretch_of_the_voice(deck):
    tones = {(scene_id, key): tone for scene_id, spec in SCENES.items() for key, _, _, tone in spec["beats"]}
    for slide in listing(deck)["slides"]:
        if slide["kind"] != "beat":
            continue
        sound = muxing.read_audio(deck / slide["video"]["path"])
        assert len(sound) / muxing.RATE == pytest.approx(slide["end"] - slide["start"], abs=0.05)
        # Away from the edges (the codec's priming and padding), the beat's own tone and nothing else.
        middle = sound[len(sound) // 5: -len(sound) // 5]
        assert pitch(middle) == pytest.approx(tones[slide["scene"], slide["beat"]], abs=15)
        assert np.sqrt(np.mean(middle ** 2)) == pytest.approx(0.3 / np.sqrt(2), rel=0.1)


def test_a_beat_timeline_that_does_not_fit_the_clip_is_refused():
    with pytest.raises(ValueError, match="no frames"):
        segments.cuts([{"key": "a", "start": 0.0, "end": 0.0}, {"key": "b", "start": 0.0, "end": 3.0}], FPS, 30)
    with pytest.raises(ValueError, match="no frames"):
        segments.cuts([{"key": "a", "start": 0.0, "end": 3.0}, {"key": "b", "start": 3.0, "end": 3.0}], FPS, 30)


# --- slides.json and the deck ---------------------------------------------------------------------------


def test_slides_json_lists_every_slide_in_order_with_its_files(clips, deck):
    data = listing(deck)
    kinds = [(s["kind"], s["scene"]) for s in data["slides"]]
    assert kinds == [("title", "one"), *[("beat", "one")] * 3, ("title", "two"), *[("beat", "two")] * 2]
    assert [s["title"] for s in data["slides"] if s["kind"] == "title"] == ["First", "Second"]
    for slide, beat in zip([s for s in data["slides"] if s["kind"] == "beat"],
                           [b for clip in clips for b in json.loads(clip.beats.read_text())["beats"]]):
        assert slide["notes"] == beat["narration"]["en"]
        assert slide["video"]["path"].startswith(f"segments/{slide['scene']}/")
        assert ":" not in slide["video"]["path"]  # curve:relu is written curve-relu
    listed = set()
    for entry in re.findall(r'\{"path": "([^"]+)", "size": (\d+), "sha256": "([0-9a-f]{64})"\}',
                            json.dumps(data)):
        path, size, _ = entry
        assert (deck / path).stat().st_size == int(size)
        listed.add(path)
    on_disk = {p.relative_to(deck).as_posix() for p in deck.rglob("*") if p.is_file()}
    assert on_disk - listed == {"slides.json"}


def test_the_deck_has_a_title_slide_per_scene_and_a_video_per_beat_with_its_notes(deck):
    pptx = pytest.importorskip("pptx")
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    from pptx.oxml.ns import qn

    data = listing(deck)
    presentation = pptx.Presentation(str(deck / "slides.pptx"))
    assert presentation.slide_width / presentation.slide_height == pytest.approx(16 / 9, rel=1e-3)
    assert len(presentation.slides) == len(data["slides"])
    for slide, entry in zip(presentation.slides, data["slides"]):
        movies = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA]
        notes = slide.notes_slide.notes_text_frame.text
        if entry["kind"] == "title":
            assert not movies
            assert entry["title"] in [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
            continue
        assert len(movies) == 1 and notes == entry["notes"]
        # The embedded video is the beat's segment, byte for byte, and plays as the slide opens.
        media = [rel.target_part for rel in slide.part.rels.values() if rel.reltype.endswith("/media")]
        assert [part.blob for part in media] == [(deck / entry["video"]["path"]).read_bytes()]
        # Its poster, what a PDF of the deck shows, is the picture the beat ends on.
        assert movies[0].poster_frame.blob == (deck / entry["final"]["path"]).read_bytes()
        timing = slide._element.find(qn("p:timing"))
        assert 'cmd="playFrom(0.0)"' in _xml(timing) and 'nodeType="afterEffect"' in _xml(timing)
        assert f'spid="{movies[0].shape_id}"' in _xml(timing)


def _xml(element) -> str:
    from lxml import etree

    return etree.tostring(element).decode()


def test_libreoffice_converts_the_deck_to_pdf(deck, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is absent (scripts/setup.sh installs libreoffice-impress)")
    run = subprocess.run([office, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck / "slides.pptx")],
                         capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "slides.pdf"
    assert run.returncode == 0 and pdf.exists(), run.stderr
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == len(listing(deck)["slides"])


# --- the presenter --------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["file", "http"])
def test_the_presenter_steps_beat_by_beat_in_headless_chromium(deck, tmp_path, how):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (scripts/setup.sh installs Debian's chromium)")
    copy = tmp_path / "copied slides"  # a space in the path, and not where it was made
    shutil.copytree(deck, copy)
    with contextlib.ExitStack() as stack:
        inside = copy.as_uri() + "/" if how == "file" else stack.enter_context(served(copy))
        _drive(sync_api, copy, inside)


def _drive(sync_api, copy: Path, inside: str) -> None:
    beats = [s for s in listing(copy)["slides"] if s["kind"] == "beat"]
    requests, errors = [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--autoplay-policy=no-user-gesture-required"])
        try:
            context = browser.new_context()
            context.on("request", lambda request: requests.append(request.url))
            context.route(re.compile(r"^https?://"),
                          lambda route: route.continue_() if route.request.url.startswith(inside) else route.abort())
            page = context.new_page()
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(inside + "index.html")
            page.wait_for_function("presenter.front().readyState >= 2", timeout=15_000)
            state = lambda: page.evaluate("JSON.parse(JSON.stringify(presenter.state))")  # noqa: E731
            front = lambda expression: page.evaluate(f"(v => {expression})(presenter.front())")  # noqa: E731
            assert state()["cursor"] == 0 and front("v.paused")

            def played(index: int) -> None:
                """Beat `index` played to its end: stopped on its last frame, within a frame of its length."""
                length = beats[index]["end"] - beats[index]["start"]
                page.wait_for_function(f"presenter.state.playing === -1 && presenter.state.still.index === {index}"
                                       " && presenter.state.still.at === 'end' && !presenter.front().seeking"
                                       f" && Math.abs(presenter.front().currentTime - {length}) <= {1 / FPS}",
                                       timeout=15_000)
                assert front("v.dataset.index") == str(index)
                assert front("v.paused")
                assert front("v.webkitAudioDecodedByteCount") > 0  # the voice plays too

            page.keyboard.press("ArrowRight")
            played(0)
            assert state()["cursor"] == 1
            page.keyboard.press("Space")  # the second beat plays; a second press skips to its end
            page.wait_for_function("presenter.state.playing === 1")
            page.keyboard.press("PageDown")
            played(1)
            page.click("#stage")
            played(2)
            assert "1 / 2" in page.inner_text("#where") and "3 / 3" in page.inner_text("#where")

            # Back one beat: the beat just played, from its first frame, ready to play again.
            page.keyboard.press("ArrowLeft")
            page.wait_for_function("presenter.state.cursor === 2 && presenter.state.still.at === 'start'")
            page.wait_for_function("Math.abs(presenter.front().currentTime) < 0.01 && !presenter.front().seeking")
            assert front("v.dataset.index") == "2"

            # Number keys, End and Home jump to a scene; the chapter list too.
            page.keyboard.press("2")
            page.wait_for_function("presenter.state.cursor === 3")
            assert "Second" in page.inner_text("#where")
            page.keyboard.press("End")
            page.wait_for_function(f"presenter.state.cursor === {len(beats)}")
            page.keyboard.press("ArrowRight")  # nothing after the end
            assert state()["playing"] == -1
            page.keyboard.press("Home")
            page.wait_for_function("presenter.state.cursor === 0")
            page.keyboard.press("t")
            page.click("#chapters li:nth-child(2) button")
            page.wait_for_function("presenter.state.cursor === 3")

            # Muted: for a teacher talking over it.
            page.keyboard.press("m")
            page.keyboard.press("ArrowRight")
            page.wait_for_function("presenter.state.playing === 3 && presenter.front().muted")
            played(3)
            page.keyboard.press("m")
            assert not front("v.muted")

            # The speaker view: the beat just played and the next, with their sentences; keys pressed there
            # step the lecture.
            with context.expect_page() as opened:
                page.keyboard.press("s")
            speaker = opened.value
            speaker.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            speaker.wait_for_function("speakerView.last() !== null", timeout=10_000)
            assert speaker.inner_text("#notes-now") == beats[3]["notes"]
            assert speaker.inner_text("#notes-next") == beats[4]["notes"]
            assert re.fullmatch(r"\d{1,2}:\d{2}( [AP]M)?", speaker.inner_text("#clock"))
            speaker.keyboard.press("ArrowRight")
            played(4)
            speaker.wait_for_function(f"document.getElementById('notes-now').textContent === {json.dumps(beats[4]['notes'])}")
        finally:
            browser.close()
    assert not errors, f"console errors: {errors}"
    outside = [url for url in requests if not url.startswith(inside)]
    assert not outside, f"requests outside the folder: {outside}"
    assert any(url.endswith(".mp4") for url in requests)


# --- the folder and the CLI ------------------------------------------------------------------------------


def test_an_earlier_slides_folder_is_replaced_and_anything_else_refused(clips, tmp_path):
    out = tmp_path / "slides"
    export_slides(clips[:1], out, "zh")
    assert listing(out)["language"] == "zh"
    assert [s["notes"] for s in listing(out)["slides"] if s["kind"] == "beat"][0] == "第一节：question。"
    export_slides(clips, out, "en")  # our own, unchanged: replaced whole
    assert len(listing(out)["slides"]) == 7
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match=r"not part of its slide deck \(notes.txt\)"):
        export_slides(clips, out, "en")
    assert (out / "notes.txt").read_text() == "mine"
    other = tmp_path / "other"
    other.mkdir()
    (other / "lesson.pptx").write_text("a teacher's own deck")
    with pytest.raises(ValueError, match="holds no slide deck"):
        slideshow.check_slides_dir(other)


def test_bad_input_to_slides_is_one_line_and_exit_2(tmp_path):
    run = cli("slides", "nope", "-o", str(tmp_path / "s"))
    assert run.returncode == 2 and run.stderr.strip().splitlines()[-1].startswith("error: unknown scene 'nope'")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.txt").write_text("x")
    run = cli("slides", "neuron", "-o", str(tmp_path / "taken"))
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [f"error: slides folder {str(tmp_path / 'taken')!r} is not empty and"
                                               " holds no slide deck; choose a new or empty folder"]
    run = cli("slides", "neuron")
    assert run.returncode == 2 and "Missing option '-o'" in run.stderr
