"""How the clips are encoded: encoder settings chosen for this lecture's frames (flat colours, thin vector
strokes, text, and long holds), and holds that cost one colour conversion instead of one per frame.

Measured in bench/bench_encode.py (README: Encoding). The output stays what plays everywhere: H.264
yuv420p in mp4 (VP9 in webm) at a constant frame rate; only how the encoder spends its time changes.
"""

from __future__ import annotations

from fractions import Fraction

# libx264: `veryfast` keeps nearly all of `medium`'s quality on these frames at a fraction of its cost;
# `tune=animation` suits flat areas and hard edges (more reference frames, weaker deblocking); CRF 23 is
# manim's own default, kept so the quality does not drop.
X264 = {"preset": "veryfast", "tune": "animation", "crf": "23"}
# VP9 (webm): row multithreading and a realtime deadline; CRF as manim's.
VP9 = {"deadline": "realtime", "cpu-used": "8", "row-mt": "1", "crf": "23", "b": "0"}


# Partial movies encoded while the next animation renders: the encoder's threads and the renderer overlap.
INFLIGHT = 2


def manim_options(fmt: str) -> dict:
    """manim config for a clip of format `fmt`: encoder options (none for gif and png) and overlap."""
    options = {"mp4": X264, "webm": VP9}.get(fmt)
    return {"video_encoder_options": dict(options), "max_inflight_encoders": INFLIGHT} if options else {}


# Whether the render under way uses the cheap holds (the benchmark also renders through manim's own path).
_active = [False]


def use_cheap_holds(on: bool) -> bool:
    """Turn the cheap holds on or off for the renders that follow in this process; True when on."""
    _active[0] = on and install_cheap_holds()
    return _active[0]


def install_cheap_holds() -> bool:
    """Make a held frame (manim hands the encoder one frame with repeat=N for every wait) cost one
    RGBA->YUV conversion, not N: the frame is converted once and the converted frame is sent N times
    with new time stamps. The encoder still receives every frame, so the clip stays constant-rate.
    False where manim's encoder is not the one this was written for (manim 0.22's VideoSegmentEncoder)."""
    try:
        import av
        from manim.scene.video_segment_encoder import VideoSegmentEncoder
    except ImportError:
        return False
    if getattr(VideoSegmentEncoder, "_cheap_holds", False):
        return True
    if not all(hasattr(VideoSegmentEncoder, name) for name in ("write_frame", "_validate_frame", "_operation_error")):
        return False

    manims_own = VideoSegmentEncoder.write_frame

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        if not _active[0]:
            return manims_own(self, pixels, repeat=repeat)
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
            if repeat > 1 and self.spec.pixel_format != "rgba":
                frame = frame.reformat(format=self.spec.pixel_format)
            for _ in range(repeat):
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    VideoSegmentEncoder.write_frame = write_frame
    VideoSegmentEncoder._cheap_holds = True
    return True
