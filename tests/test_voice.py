"""The narrated lecture: a voice in every clip, timed to the beats, at the loudness a lecture video should
have; a teacher's takes replacing the synthetic voice beat by beat; the script to record; bad takes and
missing voices refused in one line. Audio is measured, not assumed: loudness (BS.1770), true peak, energy
inside each spoken span and silence in the pauses, the frequency of a recorded tone."""

import csv
import io
import json
import math
import os
import wave
from pathlib import Path

import av
import numpy as np
import pytest
import srt
from helpers import TINY, cli

import voice
from content import registry
from content.narration import LEAD, PAUSE, scene_data
from content.spoken import spoken
from pipeline import muxing
from voice import audio

RATE = audio.RATE
FRAME = 1 / int(TINY[TINY.index("--fps") + 1]) + 1e-6
# The default voice, as a user gets it: conftest silences every other test's renders.
VOICED = {k: v for k, v in os.environ.items() if k != "ACTLECTURE_VOICE"}


def db(samples: np.ndarray) -> float:
    return 20 * math.log10(float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) + 1e-12)


def span(samples: np.ndarray, start: float, end: float) -> np.ndarray:
    return samples[round(start * RATE): round(end * RATE)]


def render(folder: Path, *args: str, env=None) -> dict:
    run = cli("render", "neuron", "-o", str(folder), *TINY, *args, env=env or VOICED)
    assert run.returncode == 0, run.stderr
    return json.loads((folder / "neuron.beats.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    folder = tmp_path_factory.mktemp("en")
    return folder, render(folder)


@pytest.fixture(scope="module")
def chinese(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zh")
    return folder, render(folder, "--lang", "zh", "-f", "webm")


# --- how sentences are said ---------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "lang", "said"), [
    ("The gradient of w1 is 4.386 × 10⁻⁴.", "en", "The gradient of w1 is 4.386 times ten to the minus 4."),
    ("After 24 layers the gradient is 1898 times larger.", "en", "After 24 layers the gradient is 1,898 times larger."),
    ("Through o2: -0.01905.", "en", "Through o2: minus 0.01905."),
    ("For x < -2.3, the slope", "en", "For x less than minus 2.3, the slope"),
    ("ReLU and Leaky ReLU", "en", "ray-loo and leaky ray-loo"),
    ("它的梯度 4.386 × 10⁻⁴ 比 w5 的小 187 倍。", "zh", "它的梯度 四点三八六乘以十的负四次方 比 w5 的小 一百八十七 倍。"),
    ("经过 o2：-0.01905", "zh", "经过 o2：负零点零一九零五"),
    ("准确率 50%，宽度 10，12 层，20000 步，105 个，1005", "zh", "准确率 百分之五十，宽度 十，十二 层，两万 步，一百零五 个，一千零五"),
    ("压到 (0, 1) 之间，方差 4/n", "zh", "压到 零 到 一 之间，方差 n 分之 四"),
    ("tanh(x) = 2σ(2x) − 1. So its slope, 4σ′(2x), peaks", "en",
     "tanch of x equals 2 sigma of 2x minus 1. So its slope, 4 sigma prime of 2x, peaks"),
    ("For x ≥ 3 each", "en", "For x greater than or equal to 3 each"),
    ("tanh(x) = 2σ(2x) − 1，导数 4σ′(2x)，x ≥ 3 时", "zh", "tanch(x)等于二西格玛(二x)减一，导数 四西格玛撇(二x)，x大于等于三 时"),
])
def test_numbers_and_symbols_are_said_as_a_lecturer_says_them(sentence, lang, said):
    assert spoken(sentence, lang) == said


def test_names_with_digits_keep_them():
    assert spoken("w5 从 h1 到 o1", "zh") == "w5 从 h1 到 o1"


# --- measuring sound ---------------------------------------------------------------------------------


def test_loudness_is_bs1770s():
    """A 0 dBFS 997 Hz sine in one channel reads -3.01 LUFS (BS.1770-4's own check); 20 dB down, -23.01."""
    sine = np.sin(2 * np.pi * 997 * np.arange(5 * RATE) / RATE)
    assert audio.loudness(sine) == pytest.approx(-3.01, abs=0.02)
    assert audio.loudness(0.1 * sine) == pytest.approx(-23.01, abs=0.02)
    # Silence below the absolute gate does not pull the integrated loudness down (ungated, twice as much
    # silence as sound would be 4.8 dB quieter; the blocks half over the sine's end cost a little).
    assert audio.loudness(np.concatenate([0.1 * sine, np.zeros(10 * RATE)])) == pytest.approx(-23.01, abs=0.2)


def test_normalise_reaches_the_target_under_the_ceiling():
    rng = np.random.default_rng(0)
    bursts = np.concatenate([rng.normal(0, 0.02, RATE) * np.hanning(RATE), np.zeros(RATE // 2),
                             0.9 * np.sin(2 * np.pi * 300 * np.arange(RATE) / RATE)])
    out = audio.normalise(bursts)
    assert audio.loudness(out) == pytest.approx(audio.TARGET_LUFS, abs=0.3)
    assert audio.true_peak(out) <= audio.CEILING_DBTP


@pytest.mark.parametrize(("dtype", "rate", "channels"), [(np.int16, 22050, 1), (np.int32, 44100, 2),
                                                           (np.float32, 48000, 1), (np.uint8, 16000, 1)])
def test_takes_of_any_common_wav_format_read_at_48k(tmp_path, dtype, rate, channels):
    from scipy.io import wavfile

    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate)
    if dtype == np.uint8:
        data = (tone * 127 + 128).astype(np.uint8)
    elif np.issubdtype(dtype, np.integer):
        data = (tone * np.iinfo(dtype).max).astype(dtype)
    else:
        data = tone.astype(dtype)
    if channels == 2:
        data = np.stack([data, data], axis=1)
    wavfile.write(tmp_path / "take.wav", rate, data)
    samples = audio.read_wav(tmp_path / "take.wav")
    assert len(samples) == pytest.approx(RATE, abs=2)
    assert np.max(np.abs(samples)) == pytest.approx(0.5, abs=0.02)


# --- the narrated clip ---------------------------------------------------------------------------------


def audio_stream(path: Path):
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return stream.codec_context.name, stream.codec_context.sample_rate


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_clip_carries_its_voice_as_long_as_its_video(english, chinese, lang):
    folder, timeline = english if lang == "en" else chinese
    clip = folder / ("neuron.mp4" if lang == "en" else "neuron.webm")
    assert audio_stream(clip) == (("aac", RATE) if lang == "en" else ("opus", RATE))
    sound = muxing.read_audio(clip)
    assert len(sound) / RATE == pytest.approx(muxing.video_seconds(clip), abs=0.1)
    assert muxing.video_seconds(clip) == pytest.approx(timeline["duration"], abs=0.25)
    assert timeline["voiced"] == lang


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_loudness_is_minus_16_lufs_with_true_peaks_under_minus_1(english, chinese, lang):
    folder, _ = english if lang == "en" else chinese
    sound = muxing.read_audio(folder / ("neuron.mp4" if lang == "en" else "neuron.webm"))
    assert audio.loudness(sound) == pytest.approx(-16, abs=1)
    assert audio.true_peak(sound) <= -1.0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_speech_fills_each_spoken_span_and_the_pauses_are_silent(english, chinese, lang):
    folder, timeline = english if lang == "en" else chinese
    sound = muxing.read_audio(folder / ("neuron.mp4" if lang == "en" else "neuron.webm"))
    data = scene_data("neuron")
    for beat in timeline["beats"]:
        start, end = beat["speech"]
        assert start == pytest.approx(beat["start"] + LEAD, abs=1e-6)
        # The beat waits for its voice, its pause, and every language's reading time (to a frame: a wait
        # lasts whole frames).
        assert beat["end"] - end >= PAUSE - FRAME
        assert beat["end"] - beat["start"] >= data.beat(beat["key"]).reading_time - FRAME
        assert db(span(sound, start, end)) > -30, beat["key"]
        assert db(span(sound, beat["start"] + 0.02, start - 0.05)) < -60, beat["key"]
        assert db(span(sound, end + 0.1, beat["end"])) < -60, beat["key"]


def test_the_spoken_languages_captions_follow_the_voice(english):
    folder, timeline = english
    cues = list(srt.parse((folder / "neuron.en.srt").read_text(encoding="utf-8")))
    for beat in timeline["beats"]:
        inside = [c for c in cues if beat["start"] - 0.01 <= c.start.total_seconds() < beat["end"] - 0.01]
        assert " ".join(c.content.replace("\n", " ") for c in inside) == beat["narration"]["en"]
        assert inside[-1].end.total_seconds() == pytest.approx(beat["end"], abs=0.002)
        if len(inside) > 1:  # a later cue starts while the voice still speaks
            assert inside[-1].start.total_seconds() < beat["speech"][1]


def test_a_warm_narrated_render_is_reused(english, tmp_path):
    folder, _ = english
    run = cli("render", "neuron", "-o", str(folder), *TINY, env=VOICED)
    assert run.returncode == 0 and "unchanged, reused" in run.stderr, run.stderr
    silent = cli("render", "neuron", "-o", str(folder), *TINY, "--voice", "none", "-f", "gif", env=VOICED)
    assert silent.returncode == 0, silent.stderr
    with av.open(str(folder / "neuron.gif")) as container:
        assert not container.streams.audio


# --- takes ---------------------------------------------------------------------------------------------


def write_tone(path: Path, seconds: float, frequency: float, rate: int = 44100) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(round(seconds * rate)) / rate
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(rate)
        out.writeframes((0.3 * np.sin(2 * np.pi * frequency * t) * 32767).astype(np.int16).tobytes())
    return path


def test_a_recorded_take_replaces_its_beat_and_the_beat_stretches_to_it(tmp_path):
    takes = tmp_path / "takes"
    write_tone(takes / "en" / "neuron" / "question.wav", 7.0, 330)
    timeline = render(tmp_path / "out", "--voice-dir", str(takes))
    first = timeline["beats"][0]
    assert first["key"] == "question"
    assert first["speech"][1] - first["speech"][0] == pytest.approx(7.0, abs=0.05)
    assert first["end"] - first["start"] >= 7.0
    sound = muxing.read_audio(tmp_path / "out" / "neuron.mp4")
    piece = span(sound, first["speech"][0] + 0.5, first["speech"][1] - 0.5)
    spectrum = np.abs(np.fft.rfft(piece * np.hanning(len(piece))))
    assert np.fft.rfftfreq(len(piece), 1 / RATE)[np.argmax(spectrum)] == pytest.approx(330, abs=2)
    # The next beat is the synthetic voice again: speech, not a tone.
    second = timeline["beats"][1]
    assert db(span(sound, *second["speech"])) > -30


def test_recorded_warns_once_for_each_beat_without_a_take(tmp_path):
    takes = tmp_path / "takes"
    write_tone(takes / "en" / "neuron" / "question.wav", 1.0, 440)
    run = cli("render", "neuron", "-o", str(tmp_path / "out"), *TINY, "--voice", "recorded",
              "--voice-dir", str(takes), env=VOICED)
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    beats = [key for key, _ in scene_data("neuron").narration("en")]
    assert len(warnings) == len(beats) - 1
    assert all("neuron" in w and "piper speaks it" in w for w in warnings)
    assert not any(" question " in w for w in warnings)


@pytest.mark.parametrize("garbage", [b"", b"RIFF\x00\x00\x00\x00WAVEjunk", b"not a wav at all" * 100])
def test_a_take_that_is_not_a_wav_is_one_line_exit_2_and_nothing_written(tmp_path, garbage):
    take = tmp_path / "takes" / "en" / "neuron" / "layers.wav"
    take.parent.mkdir(parents=True)
    take.write_bytes(garbage)
    out = tmp_path / "out"
    run = cli("render", "neuron", "-o", str(out), *TINY, "--voice-dir", str(tmp_path / "takes"), env=VOICED)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and str(take) in run.stderr, run.stderr
    assert not out.exists() or not any(out.iterdir())


# --- voices that are not there -------------------------------------------------------------------------


def test_no_piper_voice_for_chinese_is_one_line_exit_1(tmp_path):
    run = cli("render", "neuron", "--lang", "zh", "--voice", "piper", "-o", str(tmp_path), *TINY, env=VOICED)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == ["error: --voice piper: Piper has no Mandarin voice that installs"
                                               " offline; use --voice espeak"]


def test_a_missing_espeak_names_the_fix(tmp_path, monkeypatch):
    import cli as command
    from voice import backends

    real = backends.shutil.which
    monkeypatch.setattr(backends.shutil, "which", lambda name: None if name == "espeak-ng" else real(name))
    monkeypatch.delenv("ACTLECTURE_VOICE")
    assert command.main(["render", "neuron", "--lang", "zh", "-o", str(tmp_path), *TINY]) == 1
    with pytest.raises(voice.VoiceUnavailable, match="make setup"):
        voice.choose("zh", "espeak")
    assert not any(tmp_path.iterdir())


# --- the cache -----------------------------------------------------------------------------------------


def test_editing_one_sentence_synthesises_one_sentence(tmp_path, monkeypatch):
    from voice import backends

    said = []
    real = backends.Espeak.synthesize

    def counting(self, text, lang):
        said.append(text)
        return real(self, text, lang)

    monkeypatch.setattr(backends.Espeak, "synthesize", counting)
    chosen = voice.choose("en", "espeak", tmp_path / "no-takes")
    narration = scene_data("neuron").narration("en")
    voice.speak(voice.plan(chosen, "neuron", narration), "en", tmp_path / "cache")
    assert len(said) == len(narration)
    edited = [(key, text + " Really." if key == "sum" else text) for key, text in narration]
    voice.speak(voice.plan(chosen, "neuron", edited), "en", tmp_path / "cache")
    assert said[len(narration):] == [spoken(dict(edited)["sum"], "en")]


# --- the script to record ------------------------------------------------------------------------------


def test_narration_prints_the_script_to_record_in_every_format():
    beats = scene_data("activations").narration("zh")
    as_json = cli("narration", "activations", "--lang", "zh", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert [(r["scene"], r["beat"], r["text"]) for r in rows] == [("activations", k, t) for k, t in beats]
    assert rows[2]["take"] == str(Path("voices") / "zh" / "activations" / (beats[2][0].replace(":", "-") + ".wav"))
    as_csv = cli("narration", "activations", "--lang", "zh", "--format", "csv")
    assert list(csv.DictReader(io.StringIO(as_csv.stdout))) == rows
    as_md = cli("narration", "all")
    assert as_md.returncode == 0
    assert as_md.stdout.count("\n- **") == sum(len(scene_data(s).narration("en")) for s in registry.ids())
    bad = cli("narration", "nope")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
