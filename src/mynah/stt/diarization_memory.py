"""The memory diarizing a recording takes, and the bound on it (`stt.max_diarization_bytes`).

Diarization needs the whole recording at once: the decoded audio is kept (16 kHz float32, 230 MB an
hour, per channel kept), joined into one array when decoding ends (twice that for a moment), mixed
down for a stereo recording diarized as one (one more mono copy), and the diarizer works on top (the
MFCC diarizer measured about 80 MB plus 17 KB per second of audio: its features are computed a
minute at a time and at most 600 windows are clustered). `diarization_bytes` adds these up;
`check_diarization_memory` refuses (413, `diarization_memory_limit`) what would pass the bound: when
the container says how long the recording is, before any of it is decoded; when it does not, the
moment the audio kept so far would.
"""

from __future__ import annotations

from mynah.errors import PayloadTooLarge

__all__ = ["check_diarization_memory", "diarization_bytes"]

DIARIZER_FIXED_BYTES = 128 * 1024 * 1024
DIARIZER_BYTES_PER_SECOND = 24_000
"""The diarizer's own working memory: a fixed part and a part per second of audio (measured on the
MFCC diarizer with tracemalloc, rounded up)."""


def diarization_bytes(seconds: float, *, rate: int, channels: int) -> int:
    """Peak bytes to diarize `seconds` of audio kept at `rate` in `channels` channels (1 or 2)."""
    kept = seconds * rate * 4 * channels
    mix = seconds * rate * 4 if channels > 1 else 0.0
    return int(2 * kept + mix + DIARIZER_FIXED_BYTES + DIARIZER_BYTES_PER_SECOND * seconds)


def check_diarization_memory(seconds: float, *, rate: int, channels: int, limit: int, known: bool) -> None:
    """PayloadTooLarge when diarizing `seconds` (the whole recording when `known`, else what was
    decoded so far) would need more than `limit` bytes."""
    need = diarization_bytes(seconds, rate=rate, channels=channels)
    if need <= limit:
        return
    longest = max(
        0.0,
        (limit - DIARIZER_FIXED_BYTES)
        / (diarization_bytes(1.0, rate=rate, channels=channels) - DIARIZER_FIXED_BYTES),
    )
    length = _minutes(seconds) if known else f"over {_minutes(seconds)}"
    raise PayloadTooLarge(
        f"diarizing {length} of {'stereo' if channels > 1 else 'mono'} audio needs about "
        f"{need / 2**20:,.0f} MiB; the bound is {limit / 2**20:,.0f} MiB (MYNAH_STT__MAX_DIARIZATION_BYTES), "
        f"about {_minutes(longest)} of such audio: diarize a shorter recording, or raise the bound",
        param="diarize",
        code="diarization_memory_limit",
    )


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:.1f} min" if minutes < 10 else f"{minutes:,.0f} min"
