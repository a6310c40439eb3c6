"""Diarization of recordings with one speaker per channel (a call recorded in stereo).

No clustering is needed: each channel is one speaker, so its speech is that speaker's turns. The
one difficulty is crosstalk, each speaker's voice leaking faintly into the other's microphone or
line, which a detector on that channel alone calls speech. A moment of a channel's speech counts
only while no other channel that is speaking at the same moment is `crosstalk_db` or more louder
(the median level difference over `smooth_seconds`, so one loud syllable does not cut a turn).
Two people really talking at once stay two overlapping turns: their levels are comparable
(within about 10 dB in the faster-whisper stereo sample, where both speak from 0.3 to 2.5 s),
while leakage sits 20 dB or more below the voice it copies.

Speakers are named after their channel, `SPEAKER_0` for the first (left) channel and so on, rather
than by first appearance, so a caller can map them to the lines of the call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy.ndimage import median_filter

from mynah.errors import InvalidRequest
from mynah.stt.diarize.base import DIARIZE_RATE, FRAME_SECONDS, SpeakerTurn, mono_16k
from mynah.stt.vad import VoiceActivityDetector, WebRtcVad
from mynah.types import Samples

__all__ = ["diarize_channels"]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

_HOP = round(FRAME_SECONDS * DIARIZE_RATE)


def diarize_channels(
    channels: Sequence[Samples],
    sample_rate: int,
    *,
    vad: VoiceActivityDetector | None = None,
    crosstalk_db: float = 15.0,
    smooth_seconds: float = 0.3,
    merge_gap_seconds: float = 0.3,
    min_turn_seconds: float = 0.25,
) -> list[SpeakerTurn]:
    """Speaker turns of a recording where each channel is one speaker (channel i is `SPEAKER_i`).

    `channels` are the channels' samples at `sample_rate` (`mynah.audio.decode.decode_channels`
    gives them); shorter channels are padded with silence. Each channel's speech regions come from
    `vad` (WebRTC by default), less the moments where another speaking channel is `crosstalk_db`
    louder; gaps shorter than `merge_gap_seconds` are closed and turns shorter than
    `min_turn_seconds` dropped. Turns are sorted by start; two channels' turns may overlap.
    """
    if not channels:
        raise InvalidRequest("diarize_channels needs at least one channel")
    detector = vad if vad is not None else WebRtcVad()
    signals = [mono_16k(channel, sample_rate) for channel in channels]
    length = max(len(s) for s in signals)
    signals = [np.pad(s, (0, length - len(s))) for s in signals]
    frames = length // _HOP + 1
    speaking = np.zeros((len(signals), frames), dtype=np.bool_)
    for index, signal in enumerate(signals):
        for region in detector.speech_regions(signal, DIARIZE_RATE):
            speaking[index, round(region.start / FRAME_SECONDS) : round(region.end / FRAME_SECONDS)] = True
    levels = np.stack([_levels(s, frames) for s in signals])
    size = max(1, round(smooth_seconds / FRAME_SECONDS)) | 1
    turns: list[SpeakerTurn] = []
    for index in range(len(signals)):
        own = speaking[index].copy()
        for other in range(len(signals)):
            if other == index:
                continue
            louder = median_filter(levels[other] - levels[index], size=size, mode="nearest") >= crosstalk_db
            own &= ~(louder & speaking[other])
        turns.extend(
            SpeakerTurn(round(float(start), 3), round(float(end), 3), f"SPEAKER_{index}")
            for start, end in _runs(own, merge_gap_seconds, min_turn_seconds, length / DIARIZE_RATE)
        )
    return sorted(turns, key=lambda t: (t.start, t.end, t.speaker))


def _levels(signal: Samples, frames: int) -> FloatArray:
    """Level in dB of 20 ms around each 10 ms frame boundary."""
    padded = np.pad(signal.astype(np.float64), (_HOP, 2 * _HOP))
    power = np.square(padded)
    cumulative = np.concatenate([[0.0], np.cumsum(power)])
    starts = np.arange(frames) * _HOP
    energy = (cumulative[starts + 2 * _HOP] - cumulative[starts]) / (2 * _HOP)
    return np.asarray(10.0 * np.log10(energy + 1e-10), dtype=np.float64)


def _runs(mask: BoolArray, merge_gap: float, min_length: float, duration: float) -> list[tuple[float, float]]:
    """(start, end) seconds of the True runs of `mask`, gaps under `merge_gap` closed, runs under
    `min_length` dropped, clipped to `duration`."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    runs = [
        (a * FRAME_SECONDS, min(b * FRAME_SECONDS, duration))
        for a, b in zip(edges[::2], edges[1::2], strict=True)
    ]
    merged: list[tuple[float, float]] = []
    for start, end in runs:
        if merged and start - merged[-1][1] < merge_gap:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return [(s, e) for s, e in merged if e - s >= min_length]
