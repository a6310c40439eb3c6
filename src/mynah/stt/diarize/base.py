"""The diarization contract, and the steps every window-embedding engine shares.

A diarizer answers "who spoke when": `diarize(audio, rate)` returns `SpeakerTurn`s in time order,
speakers labelled `SPEAKER_0`, `SPEAKER_1`, ... in the order they first speak. The engines here
(`MfccDiarizer`, `ResemblyzerDiarizer`) share one shape:

    audio -> 16 kHz -> VAD speech regions -> windows over the speech (`speech_windows`)
          -> one embedding per window (engine-specific) -> clustering (`mynah.stt.diarize.clustering`)
          -> window labels -> frame labels (each 10 ms of speech takes the label of the window whose
             centre is nearest) -> turns (`turns_from_windows`)

`PyannoteDiarizer` wraps a complete pyannote pipeline instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from mynah.audio.dsp import resample
from mynah.errors import InvalidRequest
from mynah.stt.vad import SpeechRegion
from mynah.types import Samples

__all__ = [
    "DIARIZE_RATE",
    "Diarizer",
    "SpeakerTurn",
    "Window",
    "check_speaker_counts",
    "mono_16k",
    "relabel_in_order",
    "speech_windows",
    "turns_from_windows",
]

DIARIZE_RATE = 16000
"""Every engine here works on 16 kHz mono; other rates are resampled on the way in."""

FRAME_SECONDS = 0.01
"""The resolution of turn boundaries."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SpeakerTurn:
    """One speaker speaking from `start` to `end` (seconds from the start of the audio)."""

    start: float
    end: float
    speaker: str

    @property
    def duration(self) -> float:
        return self.end - self.start


@runtime_checkable
class Diarizer(Protocol):
    """Finds who speaks when in mono float32 audio.

    `num_speakers` fixes the number of speakers; otherwise the engine estimates it, within
    [`min_speakers`, `max_speakers`] when those are given. Turns come in time order; an engine that
    detects overlapped speech may return turns that overlap. Audio without speech gives no turns.
    Invalid counts (zero, negative, min above max, num outside [min, max]) raise
    `mynah.errors.InvalidRequest`.
    """

    name: str

    def diarize(
        self,
        audio: Samples,
        sample_rate: int,
        *,
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> list[SpeakerTurn]: ...


@dataclass(frozen=True)
class Window:
    """A stretch of speech one embedding describes, in seconds."""

    start: float
    end: float

    @property
    def centre(self) -> float:
        return (self.start + self.end) / 2


def check_speaker_counts(
    num_speakers: int | None, min_speakers: int | None, max_speakers: int | None
) -> tuple[int, int | None]:
    """Validate the speaker-count arguments; return the (lowest, highest) count allowed (None: no cap)."""
    for param, value in (
        ("num_speakers", num_speakers),
        ("min_speakers", min_speakers),
        ("max_speakers", max_speakers),
    ):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise InvalidRequest(f"{param} must be a positive whole number, got {value!r}", param=param)
    if min_speakers is not None and max_speakers is not None and min_speakers > max_speakers:
        raise InvalidRequest(
            f"min_speakers ({min_speakers}) is larger than max_speakers ({max_speakers})",
            param="min_speakers",
        )
    if num_speakers is not None:
        if (min_speakers is not None and num_speakers < min_speakers) or (
            max_speakers is not None and num_speakers > max_speakers
        ):
            raise InvalidRequest(
                f"num_speakers ({num_speakers}) is outside min_speakers..max_speakers", param="num_speakers"
            )
        return num_speakers, num_speakers
    return (min_speakers or 1), max_speakers


def mono_16k(audio: Samples, sample_rate: int) -> Samples:
    """`audio` as contiguous mono float32 at `DIARIZE_RATE`."""
    if sample_rate <= 0:
        raise InvalidRequest(f"sample_rate must be positive, got {sample_rate}", param="sample_rate")
    mono = np.asarray(audio, dtype=np.float32)
    if mono.ndim != 1:
        raise InvalidRequest(f"expected mono audio as a 1-D array, got shape {mono.shape}")
    if sample_rate != DIARIZE_RATE:
        mono = resample(mono, sample_rate, DIARIZE_RATE)
    return np.ascontiguousarray(mono)


def speech_windows(
    regions: Sequence[SpeechRegion], window_seconds: float, hop_seconds: float, *, min_seconds: float = 0.4
) -> list[Window]:
    """Windows of `window_seconds` every `hop_seconds` inside each speech region.

    A region shorter than a window is one (shorter) window, unless it is shorter than `min_seconds`;
    the last window of a region is aligned to its end so no speech at the end goes undescribed.
    """
    windows: list[Window] = []
    for region in regions:
        if region.duration < min_seconds:
            continue
        if region.duration <= window_seconds:
            windows.append(Window(region.start, region.end))
            continue
        count = int(np.floor((region.duration - window_seconds) / hop_seconds + 1e-9)) + 1
        starts = [region.start + i * hop_seconds for i in range(count)]
        if starts[-1] + window_seconds < region.end - 1e-6:
            starts.append(region.end - window_seconds)
        windows.extend(Window(s, s + window_seconds) for s in starts)
    return windows


def turns_from_windows(
    windows: Sequence[Window],
    labels: Sequence[int] | IntArray,
    regions: Sequence[SpeechRegion],
    *,
    min_turn_seconds: float = 0.0,
) -> list[SpeakerTurn]:
    """Speaker turns from one cluster label per window.

    Every 10 ms of each speech region takes the label of the window (in that region) whose centre is
    nearest, so a change of speaker falls halfway between two window centres. Turns shorter than
    `min_turn_seconds` that sit between other turns are given to the neighbour they touch, longer
    side first. Labels become `SPEAKER_n` in order of first appearance.
    """
    if len(windows) != len(labels):
        raise ValueError(f"{len(windows)} windows but {len(labels)} labels")
    centres = np.array([w.centre for w in windows], dtype=np.float64)
    label_array = np.asarray(labels, dtype=np.int64)
    runs: list[tuple[float, float, int]] = []
    for region in regions:
        inside = np.nonzero((centres >= region.start - 1e-9) & (centres <= region.end + 1e-9))[0]
        if len(inside) == 0:
            continue
        inside = inside[np.argsort(centres[inside], kind="stable")]
        first = round(region.start / FRAME_SECONDS)
        last = max(first + 1, round(region.end / FRAME_SECONDS))
        times = (np.arange(first, last, dtype=np.float64) + 0.5) * FRAME_SECONDS
        frame_labels = label_array[inside[_nearest(centres[inside], times)]]
        changes = np.nonzero(np.diff(frame_labels))[0] + 1
        bounds = [0, *changes.tolist(), len(frame_labels)]
        for a, b in itertools.pairwise(bounds):
            start = region.start if a == 0 else (first + a) * FRAME_SECONDS
            end = region.end if b == len(frame_labels) else (first + b) * FRAME_SECONDS
            runs.append((start, end, int(frame_labels[a])))
    runs = _absorb_short(runs, min_turn_seconds)
    return relabel_in_order([SpeakerTurn(s, e, str(k)) for s, e, k in runs])


def _nearest(sorted_points: FloatArray, times: FloatArray) -> IntArray:
    """For each time, the index of the nearest of `sorted_points` (the earlier one on a tie)."""
    after = np.clip(np.searchsorted(sorted_points, times), 1, max(1, len(sorted_points) - 1))
    if len(sorted_points) == 1:
        return np.zeros(len(times), dtype=np.int64)
    before = after - 1
    closer_after = np.abs(sorted_points[after] - times) < np.abs(times - sorted_points[before])
    return np.where(closer_after, after, before).astype(np.int64)


def _absorb_short(runs: list[tuple[float, float, int]], min_seconds: float) -> list[tuple[float, float, int]]:
    """Give runs shorter than `min_seconds` to a touching neighbour (the longer one), shortest first.

    Each step joins a run with a neighbour, so the loop ends; runs with no touching neighbour (alone
    between pauses) stay as they are.
    """
    runs = _join(runs)
    while min_seconds > 0:
        short = [
            i for i, (start, end, _) in enumerate(runs) if end - start < min_seconds and _touching(runs, i)
        ]
        if not short:
            break
        i = min(short, key=lambda j: runs[j][1] - runs[j][0])
        target = max(_touching(runs, i), key=lambda n: n[1] - n[0])
        runs[i] = (runs[i][0], runs[i][1], target[2])
        runs = _join(runs)
    return runs


def _touching(runs: list[tuple[float, float, int]], i: int) -> list[tuple[float, float, int]]:
    start, end, _ = runs[i]
    out = []
    if i > 0 and abs(runs[i - 1][1] - start) < 1e-6:
        out.append(runs[i - 1])
    if i + 1 < len(runs) and abs(runs[i + 1][0] - end) < 1e-6:
        out.append(runs[i + 1])
    return out


def _join(runs: list[tuple[float, float, int]]) -> list[tuple[float, float, int]]:
    joined: list[tuple[float, float, int]] = []
    for start, end, label in runs:
        if joined and joined[-1][2] == label and abs(joined[-1][1] - start) < 1e-6:
            joined[-1] = (joined[-1][0], end, label)
        else:
            joined.append((start, end, label))
    return joined


def relabel_in_order(turns: Sequence[SpeakerTurn]) -> list[SpeakerTurn]:
    """`turns` sorted by time, with speakers renamed `SPEAKER_0`, `SPEAKER_1`, ... by first appearance."""
    ordered = sorted(turns, key=lambda t: (t.start, t.end))
    names: dict[str, str] = {}
    out: list[SpeakerTurn] = []
    for turn in ordered:
        name = names.setdefault(turn.speaker, f"SPEAKER_{len(names)}")
        out.append(SpeakerTurn(round(float(turn.start), 3), round(float(turn.end), 3), name))
    return out
