"""The lecture's encoder settings (pipeline/encoding.py) against manim's own path: the same standard clip
(H.264, yuv420p, constant frame rate, every frame there), as good to the eye, no bigger than 1.5x."""

import av
import numpy as np
import pytest

from content import registry
from pipeline.render import render
from pipeline.settings import RenderSettings

SIZE = {"resolution": (320, 180), "frame_rate": 10}


def frames(path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.codec_context.pix_fmt) == ("h264", "yuv420p")
        assert stream.average_rate == SIZE["frame_rate"]
        return [frame.to_ndarray(format="rgb24").astype(np.float64) for frame in container.decode(stream)]


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("encoding")
    spec = registry.get("choosing")
    return {encoder: render(spec, {}, RenderSettings(out_dir=folder / encoder, encoder=encoder, **SIZE)).video
            for encoder in ("manim", "lecture")}


def test_the_lecture_encoder_keeps_every_frame_and_the_picture(clips):
    before, after = frames(clips["manim"]), frames(clips["lecture"])
    assert len(after) == len(before) > 100  # constant rate: holds are frames too
    # 38 dB: differences under about 3 levels of 255 on average, invisible on these flat colours (the two
    # encoders' own losses measured here: 41-47 dB at 1080p, the same at this size).
    for index in np.linspace(0, len(before) - 1, 24).astype(int):
        mse = np.mean((before[index] - after[index]) ** 2)
        assert mse == 0 or 10 * np.log10(255**2 / mse) >= 38, index
    assert clips["lecture"].stat().st_size <= 1.5 * clips["manim"].stat().st_size


def test_holds_are_converted_once_and_only_for_the_lecture_encoder():
    from pipeline import encoding

    assert encoding.use_cheap_holds(True) and encoding.use_cheap_holds(False) is False
