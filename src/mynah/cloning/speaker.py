"""Is the consent recording the same person as the reference? And is each recording usable?

`SpeakerProfile.of(audio, rate)` describes a recording's voice offline, with numpy and scipy only
(the features of mynah's default diarizer, `mynah.stt.diarize.embeddings`): 16 kHz, WebRTC VAD
speech, MFCCs c1..c19 of the speech frames (not normalised per recording, so two recordings share
one space), summarised as one full-covariance Gaussian. `distance(a, b)` is the generalised
likelihood ratio of the two Gaussians per frame (zero for identical statistics);
`speaker_distance(consent, reference)` is its median over 4 s chunks of the reference's speech
(a long reference's broader Gaussian would otherwise look close to everyone); two recordings are
taken for the same speaker when it is at most `SAME_SPEAKER_THRESHOLD`. The threshold and its
false-accept and false-reject rates were measured by `bench/speaker_verification.py` on the real
recordings in ../shared/data (see the README, "Voice cloning"): this is a weak verifier, a check
against casual misuse (someone else's recording as the reference), not a biometric guarantee.

`check_quality(audio, rate, role)` refuses recordings that are too short, too quiet, clipped or
noisy, each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mynah.errors import InvalidRequest
from mynah.stt.diarize.base import mono_16k
from mynah.stt.diarize.embeddings import mfcc
from mynah.stt.vad import WebRtcVad
from mynah.types import Samples

__all__ = [
    "MIN_SPEECH_SECONDS",
    "SAME_SPEAKER_THRESHOLD",
    "RecordingQuality",
    "SpeakerProfile",
    "check_quality",
    "distance",
    "speaker_distance",
]

FloatArray = npt.NDArray[np.float64]

SAME_SPEAKER_THRESHOLD = 1.25
"""GLR per frame at or below which two recordings are one speaker (measured: README "Voice cloning")."""
MIN_SPEECH_SECONDS = {"consent": 3.0, "reference": 8.0}
"""Speech (VAD) each recording must hold: the statement takes about 5 s to say; a clone wants 10-30 s."""
MIN_SNR_DB = 15.0
MAX_CLIPPED = 0.01
MIN_LEVEL_DBFS = -45.0
_DIMS = 19
CHUNK_SECONDS = 4.0
"""Speech per reference chunk compared with the consent recording (about the statement's length)."""


@dataclass(frozen=True)
class RecordingQuality:
    speech_seconds: float
    level_dbfs: float
    snr_db: float
    clipped: float

    def as_json(self) -> dict[str, float]:
        return {
            "speech_seconds": round(self.speech_seconds, 2),
            "level_dbfs": round(self.level_dbfs, 1),
            "snr_db": round(self.snr_db, 1),
            "clipped": round(self.clipped, 4),
        }


@dataclass(frozen=True)
class SpeakerProfile:
    frames: int
    mean: FloatArray
    covariance: FloatArray

    @classmethod
    def of(cls, audio: Samples, sample_rate: int) -> SpeakerProfile:
        return cls.of_frames(speech_frames(audio, sample_rate))

    @classmethod
    def of_frames(cls, rows: FloatArray) -> SpeakerProfile:
        if len(rows) < 2:
            raise InvalidRequest("the recording holds no speech", code="recording_too_short")
        return cls(len(rows), rows.mean(axis=0), np.cov(rows.T, bias=True) + 1e-3 * np.eye(_DIMS))

    def as_json(self) -> dict[str, object]:
        return {"frames": self.frames, "mean": self.mean.tolist(), "covariance": self.covariance.tolist()}


def speech_frames(audio: Samples, sample_rate: int) -> FloatArray:
    """MFCCs c1..c19 of the recording's speech frames (VAD, and within 40 dB of the loudest)."""
    x = mono_16k(audio, sample_rate)
    regions = WebRtcVad().speech_regions(x, 16000)
    cepstra, level = mfcc(x)
    features = cepstra[:, 1 : 1 + _DIMS]
    speech = np.zeros(len(features), dtype=np.bool_)
    for region in regions:
        speech[round(region.start / 0.01) : round(region.end / 0.01) + 1] = True
    if speech.any():
        speech &= level >= np.percentile(level[speech], 99) - 40.0
    return features[speech] if speech.sum() > 2 * _DIMS else features


def distance(a: SpeakerProfile, b: SpeakerProfile) -> float:
    """The generalised likelihood ratio of the two recordings' Gaussians, per frame (0 = identical)."""
    n_a, n_b = float(a.frames), float(b.frames)
    total = n_a + n_b
    diff = b.mean - a.mean
    pooled = (n_a * a.covariance + n_b * b.covariance) / total
    pooled += (n_a * n_b / total**2) * np.outer(diff, diff)
    value = (total * _logdet(pooled) - n_a * _logdet(a.covariance) - n_b * _logdet(b.covariance)) / (
        2 * total
    )
    return max(0.0, float(value))


def speaker_distance(consent: Samples, reference: Samples, sample_rate: int) -> float:
    """How unlike the two recordings' voices are: the median `distance` between the consent
    recording and each `CHUNK_SECONDS` of the reference's speech, so that a long reference (whose
    Gaussian is broader) does not look closer to everyone."""
    probe = SpeakerProfile.of(consent, sample_rate)
    frames = speech_frames(reference, sample_rate)
    size = int(CHUNK_SECONDS * 100)
    chunks = [frames[i : i + size] for i in range(0, max(1, len(frames) - size // 2), size)]
    return float(
        np.median([distance(probe, SpeakerProfile.of_frames(c)) for c in chunks if len(c) > 2 * _DIMS])
    )


def _logdet(matrix: FloatArray) -> float:
    _, value = np.linalg.slogdet(matrix)
    return float(value)


def measure_quality(audio: Samples, sample_rate: int) -> RecordingQuality:
    x = mono_16k(audio, sample_rate)
    if len(x) == 0:
        return RecordingQuality(0.0, -120.0, 0.0, 0.0)
    regions = WebRtcVad().speech_regions(x, 16000)
    speech_seconds = sum(r.duration for r in regions)
    frames = len(x) // 160
    blocks = x[: frames * 160].reshape(frames, 160).astype(np.float64) if frames else np.zeros((1, 160))
    levels = 10 * np.log10(np.mean(np.square(blocks), axis=1) + 1e-12)
    loud, floor = float(np.percentile(levels, 95)), float(np.percentile(levels, 10))
    clipped = float(np.mean(np.abs(x) >= 0.999))
    return RecordingQuality(speech_seconds, loud, loud - floor, clipped)


def check_quality(audio: Samples, sample_rate: int, role: str) -> RecordingQuality:
    """The recording's quality, or InvalidRequest naming what is wrong with it (`role`: consent or reference)."""
    quality = measure_quality(audio, sample_rate)
    if quality.level_dbfs < MIN_LEVEL_DBFS:
        raise InvalidRequest(
            f"the {role} recording is too quiet ({quality.level_dbfs:.0f} dBFS)",
            code=f"{role}_too_quiet",
            param=f"{role}_recording",
        )
    need = MIN_SPEECH_SECONDS[role]
    if quality.speech_seconds < need:
        raise InvalidRequest(
            f"the {role} recording holds {quality.speech_seconds:.1f} s of speech; at least {need:.0f} s is needed",
            code=f"{role}_too_short",
            param=f"{role}_recording",
        )
    if quality.clipped > MAX_CLIPPED:
        raise InvalidRequest(
            f"the {role} recording is clipped ({quality.clipped:.1%} of samples at full scale)",
            code=f"{role}_clipped",
            param=f"{role}_recording",
        )
    if quality.snr_db < MIN_SNR_DB:
        raise InvalidRequest(
            f"the {role} recording is too noisy (speech {quality.snr_db:.0f} dB above the background; "
            f"{MIN_SNR_DB:.0f} dB needed)",
            code=f"{role}_too_noisy",
            param=f"{role}_recording",
        )
    return quality
