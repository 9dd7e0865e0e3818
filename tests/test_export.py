"""The course pack, from tiny synthetic clips (seconds, no manim): files and checksums, web-ready video,
captions, a self-contained folder, safe replacement, and the page in headless Chromium."""

import contextlib
import datetime
import hashlib
import json
import os
import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from pipeline import muxing
from pipeline import pack as export
from pipeline.pack import PackClip, check_pack_dir, export_pack

CHROMIUM = Path("/usr/bin/chromium")
SIZE, FPS, SECONDS = (96, 54), 5, 2
TITLES = {"one": {"en": "First <scene> & co", "zh": "第一节"}, "two": {"en": "Second", "zh": "第二节"},
          "three": {"en": "Third", "zh": "第三节"}}
# Different cue counts per language, so a track mixed up with another shows.
LINES = {"en": ["Is x < 0 & y > 1?", "Then the gradient is zero.\nNothing moves."],
         "zh": ["x < 0 吗？", "那么梯度为零。", "什么也不动。"]}


# Each clip's voice: a tone of its own, from its first sample to its last, so a gap or a shift at a join shows.
TONES = {"one": 300.0, "two": 450.0, "three": 600.0}


def tone(frequency: float, seconds: float = SECONDS) -> np.ndarray:
    return (0.25 * np.sin(2 * np.pi * frequency * np.arange(round(seconds * muxing.RATE)) / muxing.RATE)).astype(np.float32)


def make_video(path: Path, size=SIZE, pix_fmt="yuv420p", shade=0, frequency: float | None = None) -> Path:
    """A bar that grows frame by frame, so every frame differs; with a tone as its voice when asked."""
    width, height = size
    frames = SECONDS * FPS
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        for index in range(frames):
            image = np.full((height, width, 3), 20, np.uint8)
            image[height // 3: 2 * height // 3, : (index + 1) * width // frames] = (80 + shade, 196, 221)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    if frequency is not None:
        muxing.write([path], path, "mp4", audio=tone(frequency))
    return path


def make_srt(path: Path, lines: list[str]) -> Path:
    step = SECONDS / len(lines)
    path.write_text(srt.compose([srt.Subtitle(i + 1, datetime.timedelta(seconds=i * step),
                                              datetime.timedelta(seconds=(i + 1) * step - 0.05), line)
                                 for i, line in enumerate(lines)]), encoding="utf-8")
    return path


def make_clips(folder: Path, ids=("one", "two", "three")) -> list[PackClip]:
    folder.mkdir(parents=True, exist_ok=True)
    return [PackClip(scene_id, TITLES[scene_id], make_video(folder / f"{scene_id}.mp4", shade=20 * n,
                                                            frequency=TONES[scene_id]),
                     {lang: make_srt(folder / f"{scene_id}.{lang}.srt", lines) for lang, lines in LINES.items()})
            for n, scene_id in enumerate(ids)]


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    return make_clips(tmp_path_factory.mktemp("sources"))


@pytest.fixture(scope="module")
def pack(clips, tmp_path_factory):
    out = tmp_path_factory.mktemp("packs") / "pack"
    export_pack(clips, out)
    return out


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def described(node):
    """Every {path, size, sha256} entry of the manifest."""
    if isinstance(node, dict):
        if "sha256" in node:
            yield node
        else:
            for value in node.values():
                yield from described(value)
    elif isinstance(node, list):
        for value in node:
            yield from described(value)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def top_level_boxes(path: Path) -> list[str]:
    boxes, data, at = [], path.read_bytes(), 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        if size == 1:
            size = struct.unpack(">Q", data[at + 8:at + 16])[0]
        elif size == 0:
            size = len(data) - at
        boxes.append(kind.decode("latin-1"))
        at += size
    return boxes


def test_manifest_lists_every_file_with_its_size_and_sha256(pack):
    manifest = manifest_of(pack)
    entries = list(described(manifest))
    for entry in entries:
        data = (pack / entry["path"]).read_bytes()
        assert len(data) == entry["size"], entry["path"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    on_disk = {p.relative_to(pack).as_posix() for p in pack.rglob("*") if p.is_file()} - {"manifest.json"}
    assert {e["path"] for e in entries} == on_disk
    assert manifest["language"] == "en" and manifest["languages"] == ["en", "zh"]
    assert manifest["generator"].startswith("actlecture ")
    assert [c["id"] for c in manifest["clips"]] == list(TITLES)
    assert [c["titles"] for c in manifest["clips"]] == list(TITLES.values())
    for clip in manifest["clips"]:
        assert clip["duration"] == pytest.approx(SECONDS, abs=0.05)
        assert set(clip["files"]["captions"]) == {"en", "zh"}
    chapters = manifest["lecture"]["chapters"]
    assert [c["start"] for c in chapters] == pytest.approx([0, SECONDS, 2 * SECONDS], abs=0.05)
    assert manifest["lecture"]["duration"] == pytest.approx(3 * SECONDS, abs=0.05)


def test_mp4s_are_h264_yuv420p_with_the_index_first(pack):
    for path in [*pack.glob("clips/*.mp4"), pack / "lecture.mp4"]:
        with av.open(str(path)) as container:
            context = container.streams.video[0].codec_context
            assert (context.name, context.pix_fmt) == ("h264", "yuv420p"), path.name
        boxes = top_level_boxes(path)
        assert boxes.index("moov") < boxes.index("mdat"), f"{path.name}: {boxes}"


def test_other_sources_are_reencoded(tmp_path):
    source = make_video(tmp_path / "odd.mp4", size=(97, 55), pix_fmt="yuv444p")
    subtitles = make_srt(tmp_path / "odd.en.srt", LINES["en"])
    export_pack([PackClip("odd", {"en": "Odd"}, source, {"en": subtitles})], tmp_path / "pack")
    path = tmp_path / "pack" / "clips" / "odd.mp4"
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.codec_context.pix_fmt) == ("h264", "yuv420p")
        assert (stream.codec_context.width, stream.codec_context.height) == (96, 54)
        assert sum(1 for _ in container.decode(stream)) == SECONDS * FPS
    boxes = top_level_boxes(path)
    assert boxes.index("moov") < boxes.index("mdat")


def test_webm_decodes_and_posters_are_pngs_of_the_video_size(pack):
    for scene_id in TITLES:
        with av.open(str(pack / "clips" / f"{scene_id}.webm")) as container:
            stream = container.streams.video[0]
            assert stream.codec_context.name in ("vp9", "vp8")
            assert container.streams.audio[0].codec_context.name == "opus"
            frames = list(container.decode(stream))
        assert len(frames) == SECONDS * FPS and (frames[-1].width, frames[-1].height) == SIZE
        png = (pack / "posters" / f"{scene_id}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
        assert struct.unpack(">II", png[16:24]) == SIZE


def dominant(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / muxing.RATE)[np.argmax(spectrum)])


@pytest.mark.parametrize("name", ["lecture.mp4", "lecture.webm", "clips/two.mp4", "clips/two.webm"])
def test_the_voice_travels_into_every_file_and_runs_on_across_the_joins(pack, name):
    sound = muxing.read_audio(pack / name)
    assert len(sound) / muxing.RATE == pytest.approx(muxing.video_seconds(pack / name), abs=0.1)
    ids = list(TITLES) if name.startswith("lecture") else ["two"]
    for k, scene_id in enumerate(ids):  # each chapter speaks with its own clip's voice, where it should
        inside = sound[round((k * SECONDS + 0.2) * muxing.RATE): round(((k + 1) * SECONDS - 0.2) * muxing.RATE)]
        assert dominant(inside) == pytest.approx(TONES[scene_id], abs=3), (name, scene_id)
    # No gap anywhere, the joins included: every 10 ms holds the tone (a dropped or primed AAC frame is 21 ms).
    body = sound[: round(len(ids) * SECONDS * muxing.RATE) - 480]
    windows = body[: len(body) // 480 * 480].reshape(-1, 480)
    assert np.sqrt(np.mean(windows ** 2, axis=1)).min() > 0.1


def test_lecture_webm_has_the_mp4s_chapters(pack):
    def chapters(name):
        with av.open(str(pack / name)) as container:
            return [(c["metadata"]["title"], c["start"] * c["time_base"]) for c in container.chapters()]

    mp4, webm = chapters("lecture.mp4"), chapters("lecture.webm")
    assert [t for t, _ in mp4] == [t for t, _ in webm] == [t["en"] for t in TITLES.values()]
    assert [float(s) for _, s in webm] == pytest.approx([float(s) for _, s in mp4], abs=0.01)


def cue_count(vtt: str) -> int:
    return sum(1 for line in vtt.splitlines() if " --> " in line)


def test_captions_are_webvtt_with_every_cue(pack, clips):
    for clip in clips:
        for lang, source in clip.subtitles.items():
            vtt = (pack / "captions" / f"{clip.scene_id}.{lang}.vtt").read_text(encoding="utf-8")
            assert vtt.startswith("WEBVTT\n\n")
            assert cue_count(vtt) == len(list(srt.parse(source.read_text(encoding="utf-8"))))
            assert re.search(r"^\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}$", vtt, re.M)
            assert "x &lt; 0" in vtt and " < " not in vtt
            copied = (pack / "captions" / f"{clip.scene_id}.{lang}.srt").read_text(encoding="utf-8")
            assert list(srt.parse(copied)) == list(srt.parse(source.read_text(encoding="utf-8")))
    for lang, lines in LINES.items():
        lecture = (pack / f"lecture.{lang}.vtt").read_text(encoding="utf-8")
        assert cue_count(lecture) == len(clips) * len(lines)
        assert f"00:00:{SECONDS:02d}.000 --> " in lecture  # the second scene's first cue, shifted
    transcript = (pack / "transcript.zh.md").read_text(encoding="utf-8")
    assert "## 2. 第二节" in transcript and "那么梯度为零。" in transcript
    assert "Then the gradient is zero. Nothing moves." in (pack / "transcript.en.md").read_text(encoding="utf-8")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href", "poster") and value]


def test_a_copied_pack_is_self_contained(pack, tmp_path):
    copy = tmp_path / "elsewhere"
    shutil.copytree(pack, copy)
    page = (copy / "index.html").read_text(encoding="utf-8")
    links = Links()
    links.feed(page)
    assert links.urls
    for url in links.urls:
        assert not re.match(r"[a-z]+:|/", url), url
        assert (copy / url).is_file(), url
    for text in (page, (copy / "manifest.json").read_text(encoding="utf-8")):
        assert not re.search(r"https?://|file://|" + re.escape(str(pack.parent)), text)
    # Scene titles are text, not markup.
    assert "First &lt;scene&gt; &amp; co" in page and "<scene>" not in page


def test_page_markup(pack):
    page = (pack / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert page.count("<video ") == len(TITLES) + 1
    assert page.index('type="video/webm"') < page.index('type="video/mp4"')
    assert page.count('srclang="zh" label="中文"') == len(TITLES) + 1
    assert page.count(" default>") == len(TITLES) + 1
    assert re.search(r'<track kind="subtitles" srclang="en" label="English" data-src="captions/one.en.vtt" default>', page)
    # No track names its file for the browser to fetch: Chromium refuses it on a page opened from disk,
    # with a console error for every clip, before the script can hand over the inline cues.
    assert not re.search(r"<track[^>]* src=", page)


def test_chinese_page(clips, tmp_path):
    export_pack(clips, tmp_path / "zh", lang="zh")
    page = (tmp_path / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page
    for words in ("激活函数 动画讲义", "章节", "字幕", "第二节"):
        assert words in page
    assert 'srclang="zh" label="中文" data-src="captions/one.zh.vtt" default>' in page
    assert manifest_of(tmp_path / "zh")["language"] == "zh"
    with av.open(str(tmp_path / "zh" / "lecture.mp4")) as container:
        assert [c["metadata"]["title"] for c in container.chapters()] == ["第一节", "第二节", "第三节"]


def test_a_new_export_replaces_the_previous_pack(clips, tmp_path):
    out = tmp_path / "pack"
    export_pack(clips, out)
    export_pack(clips[:1], out, lecture_title={"en": "Only <one>"})
    assert [c["id"] for c in manifest_of(out)["clips"]] == ["one"]
    assert manifest_of(out)["title"] == {"en": "Only <one>", "zh": "激活函数 动画讲义"}
    assert "<h1 data-ui=\"title\">Only &lt;one&gt;</h1>" in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "clips" / "two.mp4").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]


@pytest.mark.parametrize("error", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_an_interrupted_export_keeps_the_previous_pack(clips, tmp_path, monkeypatch, error):
    out = tmp_path / "pack"
    export_pack(clips, out)
    before = snapshot(out)

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(export, "_page", fail)  # the last step before the swap
    with pytest.raises(type(error)):
        export_pack(clips[:2], out, lang="zh")
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"], "a temporary folder was left behind"


def test_a_failed_swap_puts_the_previous_pack_back(clips, tmp_path, monkeypatch):
    out = tmp_path / "pack"
    export_pack(clips, out)
    before = snapshot(out)
    replace = os.replace

    def refuse_the_new_pack(source, target):
        if Path(source).name.startswith(".pack.tmp-"):
            raise OSError("no space left on device")
        replace(source, target)

    monkeypatch.setattr(os, "replace", refuse_the_new_pack)
    with pytest.raises(OSError):
        export_pack(clips[:1], out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]


def test_an_export_onto_a_link_to_a_pack_follows_the_link(clips, tmp_path):
    export_pack(clips[:1], tmp_path / "real")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    export_pack(clips, tmp_path / "link")
    assert (tmp_path / "link").is_symlink() and (tmp_path / "link").resolve() == tmp_path / "real"
    assert [c["id"] for c in manifest_of(tmp_path / "real")["clips"]] == [c.scene_id for c in clips]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_a_folder_that_is_no_pack_is_refused_untouched(clips, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    for target in (folder, folder / "keep.txt"):
        with pytest.raises(ValueError) as caught:
            check_pack_dir(target)
        assert "\n" not in str(caught.value)
        with pytest.raises(ValueError):
            export_pack(clips, target)
    assert snapshot(folder) == {"keep.txt": b"mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]
    check_pack_dir(tmp_path / "new" / "deeper")  # a folder still to be made is fine
    (tmp_path / "empty").mkdir()
    check_pack_dir(tmp_path / "empty")


@pytest.mark.parametrize("change, message", [
    (lambda c: [c[0], c[0]], "unique"),
    (lambda c: [PackClip("../up", c[0].titles, c[0].video, c[0].subtitles)], "plain name"),
    (lambda c: [PackClip("one", {"zh": "第一节"}, c[0].video, c[0].subtitles)], "no title"),
    (lambda c: [], "no scenes"),
])
def test_bad_clips_are_refused_before_anything_is_written(clips, tmp_path, change, message):
    with pytest.raises(ValueError, match=message):
        export_pack(change(clips), tmp_path / "pack")
    assert not list(tmp_path.iterdir())


# --- the page in a real browser ----------------------------------------------------------------------

VIDEOS = "[...document.querySelectorAll('video')]"


class _Limited:
    """The first `count` bytes of an open file, for copyfile()."""

    def __init__(self, f, count: int):
        self.f, self.left = f, count

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.f.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.f.close()


@contextlib.contextmanager
def served(folder: Path):
    """`folder` over http on 127.0.0.1, as a course site would serve the pack: with byte ranges, as every
    web server and video platform answers them (Python's own server does not, and a browser cannot seek
    in a video it serves)."""
    import functools
    import http.server
    import threading

    class Ranged(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_head(self):
            match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
            path = Path(self.translate_path(self.path))
            if not match or not path.is_file():
                return super().send_head()
            size = path.stat().st_size
            first = int(match[1]) if match[1] else max(0, size - int(match[2] or 0))
            last = min(size - 1, int(match[2])) if match[1] and match[2] else size - 1
            f = open(path, "rb")
            f.seek(first)
            self.send_response(206)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
            self.send_header("Content-Length", str(last - first + 1))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            return _Limited(f, last - first + 1)

    handler = functools.partial(Ranged, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("how", ["file", "http"])
def test_the_page_works_in_headless_chromium(pack, tmp_path, how):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (scripts/setup.sh installs Debian's chromium)")
    copy = tmp_path / "copied pack"  # a space in the path, and not where it was made
    shutil.copytree(pack, copy)
    with contextlib.ExitStack() as stack:
        inside = copy.as_uri() + "/" if how == "file" else stack.enter_context(served(copy))
        _check_the_page(sync_api, copy, inside, how)


def _check_the_page(sync_api, copy: Path, inside: str, how: str) -> None:
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--autoplay-policy=no-user-gesture-required"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            # What the browser itself logs (a refused load, "Not allowed to load local resource") reaches
            # the console of a user's DevTools but not Playwright's console event: read Chromium's log too.
            log = page.context.new_cdp_session(page)
            log.on("Log.entryAdded", lambda event: errors.append(event["entry"]["text"])
                   if event["entry"]["level"] == "error" else None)
            log.send("Log.enable")
            page.on("request", lambda request: requests.append(request.url))
            page.route(re.compile(r"^https?://"),
                       lambda route: route.continue_() if route.request.url.startswith(inside) else route.abort())
            page.goto(inside + "index.html")

            # Every video loads its metadata with the manifest's duration, picks a source from the pack and plays.
            count = page.evaluate(f"{VIDEOS}.length")
            assert count == len(TITLES) + 1
            page.wait_for_function(f"{VIDEOS}.every(v => v.readyState >= 1)", timeout=15_000)
            manifest = manifest_of(copy)
            expected = [manifest["lecture"]["duration"]] + [clip["duration"] for clip in manifest["clips"]]
            assert page.evaluate(f"{VIDEOS}.map(v => v.duration)") == pytest.approx(expected, abs=0.1)
            for index in range(count):
                video = f"{VIDEOS}[{index}]"
                page.evaluate(f"{video}.muted = true, {video}.play()")
                page.wait_for_function(f"{video}.readyState >= 2 && {video}.currentTime > 0.5", timeout=15_000)
                page.evaluate(f"{video}.pause()")
                source = page.evaluate(f"{video}.currentSrc")
                assert source.startswith(inside) and source.endswith((".webm", ".mp4")), source
                # The voice plays too: the browser decodes the audio track (muted only for the test run).
                assert page.evaluate(f"{video}.webkitAudioDecodedByteCount") > 0, source

            # The page language's track shows; the switch changes the UI, the titles and the track.
            def showing():
                return page.evaluate(f"{VIDEOS}.map(v => [...v.textTracks].filter(t => t.mode === 'showing')"
                                     ".map(t => t.language))")

            assert showing() == [["en"]] * count
            page.click("button[data-lang=zh]")
            assert page.evaluate("document.documentElement.lang") == "zh"
            assert page.inner_text("h1") == "激活函数 动画讲义"
            assert page.inner_text(".chapters h3") == "章节"
            assert page.inner_text(".chapters li:nth-child(2) [data-title]") == "第二节"
            assert showing() == [["zh"]] * count
            page.click("button[data-lang=en]")
            assert page.inner_text(".chapters h3") == "Chapters" and showing() == [["en"]] * count

            # Every caption track loads all its cues.
            page.evaluate(f"{VIDEOS}.forEach(v => [...v.textTracks].forEach(t => {{ t.mode = 'hidden'; }}))")
            page.wait_for_function(f"{VIDEOS}.every(v => [...v.textTracks].every(t => t.cues && t.cues.length))",
                                   timeout=10_000)
            cues = page.evaluate(f"{VIDEOS}.map(v => Object.fromEntries([...v.textTracks]"
                                 ".map(t => [t.language, t.cues.length])))")
            per_clip = {lang: len(lines) for lang, lines in LINES.items()}
            assert cues == [{lang: n * len(TITLES) for lang, n in per_clip.items()}] + [per_clip] * len(TITLES)

            # A chapter seeks the lecture to its start.
            start = manifest_of(copy)["lecture"]["chapters"][2]["start"]
            page.click(".chapters li:nth-child(3) button")
            page.wait_for_function(
                f"(v => !v.seeking && v.readyState >= 2 && Math.abs(v.currentTime - {start}) < 0.5)"
                "(document.querySelector('.lecture video'))", timeout=10_000)
        finally:
            browser.close()
    assert not errors, f"console errors: {errors}"
    assert any(url.endswith(".webm") for url in requests)
    vtt = [url for url in requests if url.endswith(".vtt")]
    # From disk Chromium refuses caption files, so none is asked for (the cues come inline); over http, all.
    assert not vtt if how == "file" else len(vtt) == 2 * (len(TITLES) + 1), vtt
    outside = [url for url in requests if not url.startswith(inside)]
    assert not outside, f"requests outside the pack: {outside}"
