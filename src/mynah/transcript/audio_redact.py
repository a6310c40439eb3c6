"""The recording with its redacted spans made unreadable: silence (the default) or a tone (1 kHz, like
a broadcast bleep) over each span's words, `PAD` seconds wider on each side so that no edge of a
digit is left. A bleeped file transcribed again may lose the speech around each bleep (mynah's gate
against tonal music, and Whisper, take the stretch for music), so silence is the default.

    redact_audio(source, spans, fill="silence") -> WAV bytes (mono, the recording's own rate)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mynah.audio.decode import AudioSource, decode_audio, probe
from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.errors import InvalidRequest
from mynah.transcript.redact import RedactionSpan
from mynah.types import Samples

__all__ = ["FILLS", "PAD", "redact_audio", "redact_samples"]

PAD = 0.08
FILLS = ("tone", "silence")
_TONE_HZ = 1000.0
_TONE_LEVEL = 0.1  # -20 dBFS


def redact_samples(
    samples: Samples, rate: int, spans: Sequence[RedactionSpan], fill: str = "silence"
) -> Samples:
    """A copy of `samples` with every span replaced by the fill."""
    if fill not in FILLS:
        raise InvalidRequest(
            f"redact_audio_fill must be one of {', '.join(FILLS)}", param="redact_audio_fill"
        )
    out = samples.copy()
    for span in spans:
        a = max(0, int((span.start - PAD) * rate))
        b = min(len(out), int(np.ceil((span.end + PAD) * rate)))
        if b <= a:
            continue
        if fill == "silence":
            out[a:b] = 0.0
        else:
            t = np.arange(b - a, dtype=np.float64) / rate
            out[a:b] = (_TONE_LEVEL * np.sin(2 * np.pi * _TONE_HZ * t)).astype(np.float32)
    return out


def redact_audio(
    source: AudioSource,
    spans: Sequence[RedactionSpan],
    fill: str = "silence",
    *,
    max_seconds: float | None = None,
) -> bytes:
    """`source` decoded (mono, at its own rate), its spans filled, as a WAV file."""
    rate = probe(source).sample_rate
    samples = decode_audio(source, rate, max_seconds=max_seconds)
    return encode_audio(redact_samples(samples, rate, spans, fill), rate, AudioFormat.wav, rate)
