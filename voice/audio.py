"""Sound as numbers: mono float32 samples at 48 kHz. Reading a WAV, resampling, loudness as EBU R128 /
ITU-R BS.1770-4 measures it (K-weighting, 400 ms blocks, absolute and relative gates), true peak (4x
oversampled), normalising to a loudness target under a true-peak ceiling, and laying sentences on a
timeline. numpy and scipy only."""

from __future__ import annotations

import math
from pathlib import Path
from typing import BinaryIO

import numpy as np
from scipy import signal
from scipy.io import wavfile
from scipy.ndimage import minimum_filter1d, uniform_filter1d

RATE = 48_000
# The podcast and lecture norm (Apple, Spotify, AES TD1004 for speech): -16 LUFS integrated, with true peaks
# at most -1 dBTP so that no AAC or Opus decoder clips.
TARGET_LUFS = -16.0
CEILING_DBTP = -1.0
# AAC and Opus reshape a waveform's peaks: measured on this lecture's speech, a decoded peak lands up to
# about 0.5 dB above the encoded one. A track to be encoded is limited this much under the ceiling.
CODEC_MARGIN = 1.0


class BadAudio(ValueError):
    """A file that is not a WAV this can read (one line, naming the file)."""


def read_wav(path: Path | BinaryIO) -> np.ndarray:
    """A WAV file's samples as mono float32 at RATE: 8/16/24/32-bit PCM or float, any rate, channels averaged."""
    try:
        rate, data = wavfile.read(path if hasattr(path, "read") else str(path))
    except Exception as error:  # scipy meets a malformed file with anything from ValueError to UnboundLocalError
        raise BadAudio(f"{path if isinstance(path, (str, Path)) else getattr(path, 'name', 'audio')}: not a readable WAV file ({str(error).splitlines()[0] or type(error).__name__})") from None
    if data.size == 0:
        raise BadAudio(f"{path}: the WAV file holds no samples")
    if data.dtype.kind == "u":  # 8-bit PCM is unsigned around 128
        samples = (data.astype(np.float32) - 128) / 128
    elif data.dtype.kind == "i":
        samples = data.astype(np.float32) / float(np.iinfo(data.dtype).max + 1)
    else:
        samples = data.astype(np.float32)
    if samples.ndim == 2:
        samples = samples.mean(axis=1)
    if not np.all(np.isfinite(samples)):
        raise BadAudio(f"{path}: the WAV file holds samples that are not numbers")
    return resample(samples, rate)


def write_wav(path: Path, samples: np.ndarray) -> None:
    wavfile.write(str(path), RATE, np.asarray(samples, dtype=np.float32))


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` at `rate` as samples at RATE (polyphase, anti-aliased)."""
    if rate == RATE:
        return np.asarray(samples, dtype=np.float32)
    g = math.gcd(int(rate), RATE)
    return signal.resample_poly(samples, RATE // g, int(rate) // g).astype(np.float32)


def _k_weighting(rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """BS.1770's two K-weighting stages (a high shelf for the head, a high pass) for any sample rate, from
    the filters' analogue prototypes (at 48 kHz they are the standard's tabulated coefficients)."""
    k = math.tan(math.pi * 1681.974450955533 / rate)
    vh, q = 10 ** (3.999843853973347 / 20), 0.7071752369554196
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = (np.array([vh + vb * k / q + k * k, 2 * (k * k - vh), vh - vb * k / q + k * k]) / a0,
             np.array([1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]))
    k = math.tan(math.pi * 38.13547087602444 / rate)
    q = 0.5003270373238773
    a0 = 1 + k / q + k * k
    high_pass = (np.array([1.0, -2.0, 1.0]), np.array([1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]))
    return [shelf, high_pass]


def loudness(samples: np.ndarray, rate: int = RATE) -> float:
    """Integrated loudness in LUFS (mono); -inf for silence."""
    x = np.asarray(samples, dtype=np.float64)
    for b, a in _k_weighting(rate):
        x = signal.lfilter(b, a, x)
    block, step = int(0.4 * rate), int(0.1 * rate)
    if len(x) < block:  # shorter than one gating block: the whole sound is the block
        powers = np.array([np.mean(x * x)]) if len(x) else np.array([0.0])
    else:
        squares = np.concatenate([[0.0], np.cumsum(x * x)])
        starts = np.arange(0, len(x) - block + 1, step)
        powers = (squares[starts + block] - squares[starts]) / block
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(powers)
    kept = powers[levels > -70]
    if not len(kept):
        return -math.inf
    relative = -0.691 + 10 * math.log10(kept.mean()) - 10
    kept = powers[(levels > -70) & (levels > relative)]
    return -0.691 + 10 * math.log10(kept.mean())


def true_peak(samples: np.ndarray) -> float:
    """True peak in dBTP: the largest magnitude of the signal 4x oversampled (BS.1770-4 annex 2)."""
    if not len(samples):
        return -math.inf
    peak = float(np.max(np.abs(signal.resample_poly(np.asarray(samples, dtype=np.float64), 4, 1))))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def _limit(x: np.ndarray, ceiling: float) -> np.ndarray:
    """A look-ahead peak limiter: the gain that keeps each sample's (oversampled) peak under `ceiling`,
    spread over 5 ms on either side so that it dips before a peak and recovers after, never audibly fast."""
    over = np.abs(signal.resample_poly(x, 4, 1))[: 4 * len(x)]
    peaks = over.reshape(-1, 4).max(axis=1) if len(over) == 4 * len(x) else np.abs(x)
    gain = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if gain.min() >= 1.0:
        return x
    window = int(0.005 * RATE)
    gain = uniform_filter1d(minimum_filter1d(gain, 2 * window + 1), window + 1)
    return x * gain


def normalise(samples: np.ndarray, target: float = TARGET_LUFS, ceiling: float = CEILING_DBTP) -> np.ndarray:
    """`samples` brought to `target` LUFS with true peaks at most `ceiling` dBTP: a gain, then the limiter
    where a peak would pass the ceiling (aimed 0.3 dB under it: resampling can overshoot a little), then
    the gain corrected for what the limiter took. Silence stays silence."""
    x = np.asarray(samples, dtype=np.float64)
    for _ in range(4):
        level = loudness(x)
        if not math.isfinite(level):
            return x.astype(np.float32)
        x = x * 10 ** ((target - level) / 20)
        x = _limit(x, 10 ** ((ceiling - 0.3) / 20))
        if abs(loudness(x) - target) < 0.2 and true_peak(x) <= ceiling:
            break
    return x.astype(np.float32)


def timeline(duration: float, placed: list[tuple[float, np.ndarray]]) -> np.ndarray:
    """A track `duration` seconds long with each (start seconds, samples) laid in at its start (cut at the end)."""
    track = np.zeros(max(0, round(duration * RATE)), dtype=np.float32)
    for start, samples in placed:
        begin = max(0, round(start * RATE))
        piece = samples[: max(0, len(track) - begin)]
        track[begin:begin + len(piece)] += piece
    return track


def seconds(samples: np.ndarray) -> float:
    return len(samples) / RATE
