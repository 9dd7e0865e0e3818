"""The narrator: each beat's sentence as speech, made offline, and the clip's voice track laid from them.

One layer between content and pipeline: it imports content (the sentences, how they are said) and numpy /
scipy, never manim or torch. The voice is chosen once per command and language, before anything renders
(`choose`): a teacher's recorded take wherever there is one (voices/<lang>/<scene>/<beat>.wav), a synthetic
voice (Piper or espeak-ng) for the other beats. In the render, `plan` says who speaks each beat, `speak`
turns that into samples, synthesising only sentences it has not made before (a cache keyed by voice and
text), and `track` lays them on the clip's beat timeline.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

import atomic
from content.spoken import spoken

from . import audio
from .audio import BadAudio
from .backends import BACKENDS, VoiceUnavailable, backend, best

CHOICES = ("auto", "piper", "espeak", "recorded", "none")
# Teachers' takes live here unless --voice-dir says otherwise (relative to where the command runs).
DEFAULT_DIR = Path("voices")


@dataclass(frozen=True)
class Line:
    """Who says one beat, and what: `source` piper, espeak or recorded; `voice` the synthetic voice's
    description or the take's file; `digest` names the synthesised sound (voice and text)."""

    beat: str
    text: str
    source: str
    voice: str
    digest: str


@dataclass(frozen=True)
class Voice:
    """A command's voice in one language, chosen once before anything renders: takes from `voice_dir` where
    they exist (when `takes`), the synthetic voice `synthetic` for every other beat (`description` names
    its version and settings)."""

    lang: str
    synthetic: str
    description: str
    voice_dir: str
    takes: bool

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Voice":
        return cls(**json.loads(text))

    def take_files(self, scene_id: str) -> dict[str, Path]:
        """The scene's recorded takes by file name (none unless takes are used)."""
        folder = Path(self.voice_dir) / self.lang / scene_id
        if not self.takes or not folder.is_dir():
            return {}
        return {path.name: path for path in sorted(folder.glob("*.wav")) if path.is_file()}

    def key(self, scene_id: str) -> dict:
        """What the scene's voice track depends on, for its build key: the synthetic voice (the sentences
        themselves are in the key already, as the catalogue and the numbers) and every take by its bytes."""
        return {"lang": self.lang, "synthetic": [self.synthetic, self.description],
                "takes": {name: hashlib.sha256(path.read_bytes()).hexdigest()
                          for name, path in self.take_files(scene_id).items()}}

    def check_takes(self, scene_id: str) -> None:
        """BadAudio naming the first take of the scene that is not a readable WAV."""
        for path in self.take_files(scene_id).values():
            audio.read_wav(path)


def choose(lang: str, choice: str = "auto", voice_dir: Path | None = None) -> Voice | None:
    """The voice for `lang` (None for --voice none): `auto` the best synthetic voice installed, with a
    teacher's takes wherever they exist; `recorded` the same, asked for (a beat without a take is warned
    about); `piper` or `espeak` that voice for every beat. VoiceUnavailable (one line, with the fix) when no
    such voice is installed."""
    if choice not in CHOICES:
        raise ValueError(f"unknown voice {choice!r}; choose from: {', '.join(CHOICES)}")
    if choice == "none":
        return None
    synthetic = backend(choice, lang) if choice in BACKENDS else best(lang)
    folder = Path(voice_dir) if voice_dir is not None else DEFAULT_DIR
    return Voice(lang, synthetic.name, synthetic.voice(lang), str(folder.absolute()), choice in ("auto", "recorded"))


def take_path(voice_dir: Path | str, lang: str, scene_id: str, beat: str) -> Path:
    """Where a teacher's take of one beat goes. A gallery beat such as curve:relu is written curve-relu:
    file systems (Windows, and so many USB sticks) refuse ':' in a name."""
    return Path(voice_dir) / lang / scene_id / f"{beat.replace(':', '-')}.wav"


def plan(chosen: Voice, scene_id: str, narration: list[tuple[str, str]]) -> list[Line]:
    """Who says each beat of `narration` ((beat key, sentence) in the voice's language), and what."""
    synthetic = BACKENDS[chosen.synthetic]
    takes = chosen.take_files(scene_id)
    lines = []
    for key, sentence in narration:
        take = take_path(chosen.voice_dir, chosen.lang, scene_id, key)
        if take.name in takes:
            lines.append(Line(key, sentence, "recorded", str(take), ""))
            continue
        said = spoken(sentence, chosen.lang)
        digest = hashlib.sha256("\x00".join((synthetic.name, chosen.description, chosen.lang, said)).encode())
        lines.append(Line(key, said, synthetic.name, chosen.description, digest.hexdigest()))
    return lines


def missing_takes(chosen: Voice, scene_id: str, narration: list[tuple[str, str]]) -> list[str]:
    """One warning line for each beat without a take."""
    return [f"warning: {scene_id}: no take for beat {line.beat} "
            f"({take_path(chosen.voice_dir, chosen.lang, scene_id, line.beat)}): {line.source} speaks it"
            for line in plan(chosen, scene_id, narration) if line.source != "recorded"]


def _trimmed(samples: np.ndarray) -> np.ndarray:
    """Without the silence before the first sound and after the last (below -50 dB of the peak), keeping
    40 ms either side: a beat's pause is the pipeline's to set, not the engine's or the microphone's."""
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak == 0:
        return samples
    loud = np.flatnonzero(np.abs(samples) > peak * 10 ** (-50 / 20))
    margin = int(0.04 * audio.RATE)
    return samples[max(0, loud[0] - margin): loud[-1] + margin + 1]


def speak(lines: list[Line], lang: str, cache_dir: Path) -> dict[str, np.ndarray]:
    """Each beat's speech, trimmed and brought to the target loudness (so takes recorded at different
    levels sound alike). A synthetic sentence is made once per (voice, language, text): later renders, and
    an edit of another sentence, read it from `cache_dir`."""
    cache_dir = Path(cache_dir)
    speech: dict[str, np.ndarray] = {}
    for line in lines:
        if line.source == "recorded":
            speech[line.beat] = audio.normalise(_trimmed(audio.read_wav(Path(line.voice))))
            continue
        cached = cache_dir / f"{line.digest}.wav"
        try:
            speech[line.beat] = audio.read_wav(cached)
            continue
        except BadAudio:  # not made yet, or cut short by a kill: make it again
            pass
        samples = audio.normalise(_trimmed(BACKENDS[line.source].synthesize(line.text, lang)))
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = atomic.temporary(cached)
        try:
            audio.write_wav(temporary, samples)
            atomic.move(temporary, cached)
        finally:
            temporary.unlink(missing_ok=True)
        speech[line.beat] = samples
    return speech


def track(duration: float, spans: dict[str, tuple[float, float]], speech: dict[str, np.ndarray],
          ceiling: float = audio.CEILING_DBTP - audio.CODEC_MARGIN) -> np.ndarray:
    """The clip's voice track: each beat's speech laid in at its span's start (`spans` from the beat
    timeline), the whole brought to the target loudness with true peaks under `ceiling` (by default with
    room for an encoder's overshoot)."""
    placed = [(spans[beat][0], samples) for beat, samples in speech.items() if beat in spans]
    return audio.normalise(audio.timeline(duration, placed), ceiling=ceiling)


__all__ = ["CHOICES", "DEFAULT_DIR", "Line", "Voice", "VoiceUnavailable", "BadAudio", "choose", "plan", "missing_takes",
           "speak", "track", "take_path"]
