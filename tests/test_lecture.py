"""Joining scenes into the lecture: stream copy, chapters, shifted subtitles per language, chapter list."""

from dataclasses import replace

import av
import pytest
import srt
from helpers import TINY_SETTINGS as TINY

from content import registry
from pipeline.join import Clip, join
from pipeline.render import render
from pipeline.settings import RenderSettings


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    made = []
    for scene_id in ("choosing", "forward"):
        spec = registry.get(scene_id)
        result = render(spec, {}, RenderSettings(out_dir=folder, **TINY))
        made.append(Clip(spec.id, spec.title, result.video, result.subtitles))
    return made


def duration(path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base), sum(1 for _ in container.decode(stream))


def test_join_keeps_every_frame_and_marks_each_scene(clips, tmp_path):
    lecture = join(clips, tmp_path)
    parts = [duration(c.video) for c in clips]
    total, frames = duration(lecture.video)
    assert frames == sum(f for _, f in parts)
    assert total == pytest.approx(sum(d for d, _ in parts), abs=0.25)
    with av.open(str(lecture.video)) as container:
        chapters = container.chapters()
    assert [c["metadata"]["title"] for c in chapters] == [c.title for c in clips]
    assert chapters[1]["start"] == pytest.approx(parts[0][0] * 1000, abs=250)
    assert not list(tmp_path.glob(".*tmp*")), "a temporary file was left behind"


def test_subtitles_and_chapter_list_follow_the_offsets(clips, tmp_path):
    lecture = join(clips, tmp_path)
    joined = list(srt.parse(lecture.subtitles.read_text(encoding="utf-8")))
    first = list(srt.parse(clips[0].subtitles.read_text(encoding="utf-8")))
    second = list(srt.parse(clips[1].subtitles.read_text(encoding="utf-8")))
    assert len(joined) == len(first) + len(second)
    offset = lecture.chapters[1].start
    assert joined[len(first)].start.total_seconds() == pytest.approx(second[0].start.total_seconds() + offset,
                                                                     abs=1e-3)
    assert [c.content for c in joined] == [c.content for c in first + second]
    lines = lecture.chapter_list.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"0:00 {clips[0].title}"
    minutes, seconds = divmod(int(offset), 60)
    assert lines[1] == f"{minutes}:{seconds:02d} {clips[1].title}"


def test_every_language_that_all_clips_have_gets_a_shifted_track(clips, tmp_path):
    tracked = []
    for clip in clips:
        cues = list(srt.parse(clip.subtitles.read_text(encoding="utf-8")))
        chinese = tmp_path / f"{clip.scene_id}.zh.srt"
        chinese.write_text(srt.compose([srt.Subtitle(c.index, c.start, c.end, f"{clip.scene_id} 第{c.index}句")
                                        for c in cues]), encoding="utf-8")
        tracked.append(replace(clip, tracks={"en": clip.subtitles, "zh": chinese}))
    tracked[0] = replace(tracked[0], tracks={**tracked[0].tracks, "fr": clips[0].subtitles})  # one clip only
    lecture = join(tracked, tmp_path)
    assert lecture.tracks == {"en": tmp_path / "lecture.en.srt", "zh": tmp_path / "lecture.zh.srt"}
    assert not (tmp_path / "lecture.fr.srt").exists()
    assert lecture.tracks["en"].read_text(encoding="utf-8") == lecture.subtitles.read_text(encoding="utf-8")
    joined = list(srt.parse(lecture.tracks["zh"].read_text(encoding="utf-8")))
    english = list(srt.parse(lecture.subtitles.read_text(encoding="utf-8")))
    assert [(c.start, c.end) for c in joined] == [(c.start, c.end) for c in english]
    first = sum(1 for _ in srt.parse(clips[0].subtitles.read_text(encoding="utf-8")))
    assert joined[first].content == f"{clips[1].scene_id} 第1句"
    assert joined[first].start.total_seconds() >= lecture.chapters[1].start


def test_join_refuses_clips_of_different_sizes(clips, tmp_path):
    spec = registry.get("choosing")
    other = render(spec, {}, RenderSettings(out_dir=tmp_path / "other", resolution=(160, 90), frame_rate=5))
    with pytest.raises(ValueError, match="another size"):
        join([clips[0], Clip(spec.id, spec.title, other.video, other.subtitles)], tmp_path)
    assert not (tmp_path / "lecture.mp4").exists()
