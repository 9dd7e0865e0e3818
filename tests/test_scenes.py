"""Scenes build, render small, keep their layout, and show only mathcore's numbers."""

import functools
import os
from pathlib import Path

import av
import numpy as np
import pytest
import srt
from helpers import TINY_SETTINGS as TINY

from content import i18n, registry
from content.numbers import NUMBERS
from content.subtitles import reading_time, subtitle_cues
from mathcore import flow
from mathcore.network import ToyNetwork
from pipeline import manim_assets
from pipeline.render import render
from pipeline.settings import RenderSettings
from scenes import base, theme


def built_specs():
    return list(registry.SCENES)


def test_registry_follows_the_storyboard():
    assert registry.ids() == ["neuron", "nonlinearity", "forward", "backprop", "vanishing", "exploding",
                            "activations", "dead-relu", "softmax", "choosing"]
    assert "vanishing" in [s.id for s in built_specs()]
    for spec in registry.SCENES:
        assert spec.title and all(i18n.summary(spec.id, lang) for lang in i18n.LANGS)


@pytest.mark.parametrize("spec", built_specs(), ids=lambda s: s.id)
def test_scene_renders_small(spec, tmp_path):
    result = render(spec, {}, RenderSettings(out_dir=tmp_path, **TINY))
    assert result.video == tmp_path / f"{spec.id}.mp4" and result.subtitles == tmp_path / f"{spec.id}.srt"
    with av.open(str(result.video)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == TINY["resolution"]
        assert stream.frames > 0
    assert list(srt.parse(result.subtitles.read_text(encoding="utf-8")))
    assert not list(tmp_path.glob(".*.tmp")), "a temporary file was left behind"


# The beat whose last frame each scene is compared on: its key result, not a title card.
KEY_BEAT = {"neuron": "activation", "forward": "total", "backprop": "sum", "vanishing": "product",
            "exploding": "tame", "choosing": "regression", "nonlinearity": "mse", "dead-relu": "leaky",
            "activations": "dead:relu", "softmax": "normalise"}
REFERENCE_DIR = Path(__file__).parent / "reference"
REFERENCE_SIZE = (320, 180)


def build_dry(spec, params=None, capture_beat=None, lang="en"):
    """Run the scene's construct without writing video; the layout check runs after every play/wait.
    Returns the scene, the smallest font size seen, and the frame at the end of `capture_beat`. The scene
    also keeps what the probe saw: `beats_played` in order and `texts_shown` (every visible Text)."""
    from contextlib import contextmanager

    from manim import Text, tempconfig

    sizes, captured = [], {}

    class Probe(spec.load()):
        def __init__(self, *args, **kwargs):
            self.beats_played, self.texts_shown = [], set()
            super().__init__(*args, **kwargs)

        def _check_layout(self, where):
            super()._check_layout(where)
            sizes.append(base.smallest_font_size(self.mobjects))
            self.texts_shown.update(t.original_text for mob in self.mobjects for t in mob.get_family()
                                    if isinstance(t, Text) and t.get_fill_opacity() > 0.05)

        @contextmanager
        def beat(self, key):
            self.beats_played.append(key)
            with super().beat(key):
                yield
            if key == capture_beat:
                self.renderer.update_frame(self)
                captured["frame"] = np.array(self.renderer.get_frame())[..., :3].copy()

    Probe.__name__ = spec.class_name
    # skip_animations jumps every animation to its end state, which is where the layout is checked.
    options = {"dry_run": True, "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none",
               "pixel_width": REFERENCE_SIZE[0], "pixel_height": REFERENCE_SIZE[1]}
    # The pipeline's private asset folders: formulas compiled here are the renders' too (and the reverse),
    # and a build never races another process over manim's own media/Tex.
    with tempconfig(options), manim_assets.private_assets(f"test-{os.getpid()}", *REFERENCE_SIZE) as folders:
        from manim import config

        for option, folder in folders.items():
            config[option] = folder
        scene = Probe(params=params, check_layout=True, lang=lang, skip_animations=True)
        scene.render()
    return scene, min(sizes), captured.get("frame")


@functools.lru_cache(maxsize=None)
def build_default(scene_id, lang="en"):
    """One dry build per scene and language at its defaults, shared by the layout and key-frame tests."""
    spec = registry.get(scene_id)
    return build_dry(spec, capture_beat=KEY_BEAT[spec.id], lang=lang)


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("spec", built_specs(), ids=lambda s: s.id)
def test_layout_has_no_overlap_nothing_off_frame_and_readable_text(spec, lang):
    scene, smallest, _ = build_default(spec.id, lang)
    assert scene.layout_problems == []
    assert smallest >= theme.SMALL_SIZE - 0.5, f"text at font size {smallest:.1f} is too small for 480p"


# Latin words a Chinese frame may show: names of activations and people, abbreviations (one letter is a
# symbol: x, z, p, T, W, b, n).
NAMES = {"Sigmoid", "sigmoid", "Tanh", "tanh", "ReLU", "Leaky", "ELU", "GELU", "SELU", "SiLU", "Swish", "Softplus",
         "Softsign", "Mish", "Softmax", "softmax", "logit", "He", "LeCun", "BERT", "GPT", "YOLOv", "Transformer",
         "NaN"}


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("spec", built_specs(), ids=lambda s: s.id)
def test_every_beat_of_the_catalogue_plays_and_every_track_is_timed_to_the_video(spec, lang):
    import re

    scene, _, _ = build_default(spec.id, lang)
    # A beat the catalogue narrates but the scene never plays would be a key no scene uses.
    assert scene.beats_played == [key for key, _ in spec.narration(display=scene.numbers.display, lang=lang)]
    assert set(scene.subtitle_tracks) == set(i18n.LANGS)
    for code, cues in scene.subtitle_tracks.items():
        narration = [text for _, text in spec.narration(display=scene.numbers.display, lang=code)]
        joiner = " " if code == "en" else ""
        assert joiner.join(c.replace("\n", joiner) for _, _, c in cues).replace(" ", "") == \
            joiner.join(narration).replace(" ", "")
        assert all(start < end <= scene.time + 1e-6 for start, end, _ in cues)
        assert all(b[0] >= a[1] - 1e-6 for a, b in zip(cues, cues[1:])), "overlapping subtitles"
    # Both tracks cover the same stretches of the video: one timing serves both languages.
    spans = {code: (cues[0][0], cues[-1][1]) for code, cues in scene.subtitle_tracks.items()}
    assert len(set(spans.values())) == 1
    if lang != "en":
        english = sorted(w for text in scene.texts_shown for w in re.findall(r"[A-Za-z]{2,}", text)
                         if w not in NAMES)
        assert english == [], f"English words on a {lang} frame: {english}"


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("spec", built_specs(), ids=lambda s: s.id)
def test_key_frame_matches_its_reference(spec, lang):
    """Manim-style frame comparison: set UPDATE_REFERENCES=1 to rewrite the references after a deliberate
    visual change (and look at them before committing)."""
    import os

    from PIL import Image

    _, _, frame = build_default(spec.id, lang)
    assert frame is not None and frame.shape == (REFERENCE_SIZE[1], REFERENCE_SIZE[0], 3)
    assert frame.std() > 5, "the key frame is blank"
    reference = REFERENCE_DIR / (f"{spec.id}.png" if lang == "en" else f"{spec.id}.{lang}.png")
    if os.environ.get("UPDATE_REFERENCES") or not reference.exists():
        REFERENCE_DIR.mkdir(exist_ok=True)
        Image.fromarray(frame).save(reference)
        if not os.environ.get("UPDATE_REFERENCES"):
            pytest.fail(f"no reference for {spec.id}: wrote {reference}; look at it and commit it")
    expected = np.array(Image.open(reference).convert("RGB"))
    difference = np.abs(frame.astype(int) - expected.astype(int))
    changed = (difference.max(axis=-1) > 48).mean()
    # Anti-aliasing may shift by a pixel between machines; a moved or missing object changes far more.
    assert difference.mean() < 2.0 and changed < 0.01, (
        f"{spec.id} differs from its reference: mean {difference.mean():.2f}, {changed:.2%} of pixels changed")


@pytest.mark.parametrize(("depth", "activation", "lang"),
                         [(2, "relu", "en"), (30, "tanh", "en"), (12, "gelu", "en"), (3, "identity", "zh")])
def test_vanishing_parameters_keep_the_layout(depth, activation, lang):
    scene, _, _ = build_dry(registry.get("vanishing"), {"depth": depth, "activation": activation}, lang=lang)
    assert scene.layout_problems == []
    assert len(scene.values["reach"]) == depth


def test_vanishing_numbers_come_from_mathcore():
    values = NUMBERS["vanishing"](depth=10, activation="sigmoid")
    net = ToyNetwork.classic()
    assert values["sigmoid_peak"] == flow.derivative_bound("sigmoid")
    assert values["grad_w5"] == net.gradients()["w5"] and values["grad_w1"] == net.gradients()["w1"]
    run = flow.gradient_flow("sigmoid", 10, values["simulation"]["width"], "xavier",
                             batch=values["simulation"]["batch"], seed=values["simulation"]["seed"])
    np.testing.assert_array_equal(values["reach"], np.sqrt(run.backward_second_moment)[::-1])
    np.testing.assert_allclose(np.cumprod(values["layer_factors"]), values["reach"], rtol=1e-12)
    # The article's claim, measured: every sigmoid layer passes on less than 0.25 of the gradient.
    assert max(values["layer_factors"]) < 0.25
    assert values["reach"][-1] < 0.25**10
    assert values.display["grad_w5"] == "0.08217" and values.display["ratio"] == "187"


def test_narration_fills_every_field_and_paces_readably():
    spec = registry.get("vanishing")
    for key, sentence in spec.narration():
        assert "{" not in sentence, key
        for cue in subtitle_cues(sentence):
            lines = cue.split("\n")
            assert len(lines) <= 2 and all(len(line) <= 80 for line in lines)
        assert reading_time(sentence) >= len(sentence.split()) / 2.5


def test_plain_manim_render_works(tmp_path):
    """Scenes are ordinary manim files too: `manim render scenes/forward.py ForwardScene`."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    manim = Path(sys.executable).with_name("manim")
    run = subprocess.run([str(manim), "render", "-ql", "--disable_caching", "-r", "160,90", "--fps", "2",
                          "--media_dir", str(tmp_path), "scenes/forward.py", "ForwardScene"],
                         cwd=repo, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-1500:] + run.stderr[-1500:]
    assert list(tmp_path.rglob("ForwardScene.mp4")) and list(tmp_path.rglob("ForwardScene.srt"))


@pytest.mark.render
def test_cli_renders_vanishing_at_480p(tmp_path):
    """The README's slice, run as a user would: mp4 at 480p, 45 s to 3 minutes, frames that change, subtitles."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    run = subprocess.run([sys.executable, str(repo / "cli.py"), "render", "vanishing", "-o", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    video, subs = tmp_path / "vanishing.mp4", tmp_path / "vanishing.srt"
    assert run.stdout.split() == [str(video), str(subs)]
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        duration = float(stream.duration * stream.time_base)
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        # A silent scene's pacing bounds: long enough to show something, at most three minutes (a narrated
        # clip runs a little longer: dead-relu's is 182 s).
        assert 45 <= duration <= 180
        frames = [f.to_ndarray(format="gray") for i, f in enumerate(container.decode(stream)) if i % 60 == 0]
    assert all(frame.std() > 1 for frame in frames), "a blank frame"
    changes = [np.abs(a.astype(int) - b.astype(int)).mean() for a, b in zip(frames, frames[1:])]
    assert sum(c > 0.5 for c in changes) >= len(changes) // 2, "the video barely changes"
    cues = list(srt.parse(subs.read_text(encoding="utf-8")))
    narration = [text for _, text in registry.get("vanishing").narration()]
    assert " ".join(c.content.replace("\n", " ") for c in cues) == " ".join(narration)
    assert cues[-1].end.total_seconds() <= duration + 0.1
    assert all(b.start >= a.end for a, b in zip(cues, cues[1:])), "overlapping subtitles"


# backprop's and neuron's diagrams name the weights; forward's writes their values
@pytest.mark.parametrize(("spacing", "values"), [(0.62, False), (0.85, False), (0.82, True)])
def test_every_weight_label_is_nearest_its_own_edge(spacing, values):
    """Where two diagonals cross, a label must not sit as near the other line as its own (the review found
    w2/w3 and w6/w7 ambiguous): the gap between a label's glyphs and any other edge or bias wire is at
    least 1.75 times their gap to its own edge (the crossing diagonals' labels are also turned along their
    own line; the placement before them measured 1.5-1.7)."""
    from content.narration import scene_data
    from scenes.diagram import NetworkDiagram

    def gap(label, line):
        # From the glyphs' own outlines, not the label's box: a label turned along its edge has a box
        # that overlaps the edge while its glyphs keep clear of it.
        points = np.concatenate([m.points[:, :2] for m in label.get_family() if len(m.points)])
        a, b = line.get_start()[:2], line.get_end()[:2]
        t = np.clip((points - a) @ (b - a) / np.dot(b - a, b - a), 0, 1)
        return float(np.linalg.norm(points - (a + t[:, None] * (b - a)), axis=1).min())

    diagram = NetworkDiagram(spacing=spacing)
    shown = scene_data("forward").numbers.display
    labels = {w: diagram.edge_label(w, shown[w]) for w in diagram.edges} if values else diagram.weight_labels
    lines = {**diagram.edges, **{f"bias into {node}": wire for node, wire in diagram.bias_into.items()}}
    for weight, label in labels.items():
        own = gap(label, lines[weight])
        nearest, name = min((gap(label, line), name) for name, line in lines.items() if name != weight)
        assert nearest >= 1.75 * own, (spacing, weight, own, name, nearest)
