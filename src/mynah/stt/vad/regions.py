"""Frame decisions in, speech regions out (steps 3-5 of `mynah.stt.vad`): the ring that opens and
closes regions, the checks that a region moves like speech (spectral flux, level spread), padding
and merging, and how far the regions are final while audio still arrives."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mynah.stt.vad.base import SpeechRegion

__all__ = ["RegionTracker", "TrackerSettings", "validate"]

_FloatArray = npt.NDArray[np.float64]
_BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class TrackerSettings:
    """How frame decisions become regions; see the module docstring for what each one does."""

    ring_seconds: float
    on_ratio: float
    off_ratio: float
    padding_seconds: float
    min_speech_seconds: float
    merge_gap_seconds: float
    max_piece_seconds: float
    min_spectral_flux_db: float | None
    min_level_spread_db: float | None


def validate(settings: TrackerSettings) -> None:
    for name in ("on_ratio", "off_ratio"):
        value = getattr(settings, name)
        if not 0.0 < value <= 1.0:
            raise ValueError(f"{name} must be in (0, 1], got {value}")
    for name in ("ring_seconds", "max_piece_seconds"):
        if getattr(settings, name) <= 0:
            raise ValueError(f"{name} must be positive, got {getattr(settings, name)}")
    for name in ("padding_seconds", "min_speech_seconds", "merge_gap_seconds"):
        if getattr(settings, name) < 0:
            raise ValueError(f"{name} must not be negative, got {getattr(settings, name)}")


class RegionTracker:
    """Frame decisions in, regions out, as described in the module docstring (steps 3-5)."""

    def __init__(self, frame_seconds: float, settings: TrackerSettings) -> None:
        self._fd = frame_seconds
        self._s = settings
        self._ring_size = max(1, round(settings.ring_seconds / frame_seconds))
        self._ring: deque[bool] = deque(maxlen=self._ring_size)
        self._ring_flux: deque[float] = deque(maxlen=self._ring_size)
        self._ring_level: deque[float] = deque(maxlen=self._ring_size)
        self._voiced_in_ring = 0
        self._piece_frames = max(self._ring_size, round(settings.max_piece_seconds / frame_seconds))
        self._judge_frames = max(1, round(1.0 / frame_seconds))
        self._recent_flux: deque[float] = deque(maxlen=self._judge_frames)
        self._recent_level: deque[float] = deque(maxlen=self._judge_frames)
        self._frames = 0
        self._triggered = False
        self._start = 0  # first frame of the open piece
        self._continuation = False  # the open piece continues a region cut at max_piece_seconds
        self._previous_kept = False
        self._piece_flux: list[float] = []
        self._piece_level: list[float] = []
        self._last_voiced = -1
        self._done: list[SpeechRegion] = []
        self._pending: SpeechRegion | None = None
        self._final_until = 0.0
        self._total: float | None = None

    @property
    def final_until(self) -> float:
        return self._final_until

    def push(self, voiced: _BoolArray, flux: _FloatArray, level: _FloatArray) -> None:
        ring, size = self._ring, self._ring_size
        on = self._s.on_ratio * size - 1e-9
        off = self._s.off_ratio * size - 1e-9
        for flag, value, db in zip(voiced.tolist(), flux.tolist(), level.tolist(), strict=True):
            index = self._frames
            self._frames += 1
            if len(ring) == size and ring[0]:
                self._voiced_in_ring -= 1
            ring.append(flag)
            self._ring_flux.append(value)
            self._ring_level.append(db)
            self._recent_level.append(db)
            if flag:
                self._voiced_in_ring += 1
                self._last_voiced = index
                self._recent_flux.append(value)
            if self._triggered:
                self._piece_level.append(db)
                if flag:
                    self._piece_flux.append(value)
                if len(ring) == size and size - self._voiced_in_ring >= off:
                    self._close(self._last_voiced + 1, ends=True)
                elif index + 1 - self._start >= self._piece_frames:
                    self._close(index + 1, ends=False)
            elif len(ring) == size and self._voiced_in_ring >= on:
                self._triggered = True
                offset = next(i for i, f in enumerate(ring) if f)
                self._start = index - size + 1 + offset
                self._piece_flux = [v for f, v in zip(ring, self._ring_flux, strict=True) if f]
                self._piece_level = list(self._ring_level)[offset:]
                self._continuation = False
        self._advance()

    def finish(self, total: float) -> None:
        if self._triggered:
            self._close(self._last_voiced + 1, ends=True)
        if self._pending is not None:
            self._done.append(self._pending)
            self._pending = None
        self._total = total
        self._done = [
            SpeechRegion(max(0.0, r.start), min(total, r.end)) for r in self._done if r.start < total
        ]
        self._final_until = total

    def regions(self) -> list[SpeechRegion]:
        if self._pending is None or self._pending.start >= self._final_until:
            return list(self._done)
        clipped = SpeechRegion(self._pending.start, min(self._pending.end, self._final_until))
        return [*self._done, clipped]

    def _close(self, end: int, *, ends: bool) -> None:
        s = self._s
        start, continuation = self._start, self._continuation
        frames = end - start
        keep = continuation or frames * self._fd >= s.min_speech_seconds
        if keep and s.min_spectral_flux_db is not None:
            flux = self._piece_flux if len(self._piece_flux) >= self._judge_frames else self._recent_flux
            keep = len(flux) > 0 and float(np.median(np.fromiter(flux, float))) >= s.min_spectral_flux_db
        if keep and s.min_level_spread_db is not None:
            levels = self._piece_level if len(self._piece_level) >= self._judge_frames else self._recent_level
            keep = float(np.std(np.fromiter(levels, float))) >= s.min_level_spread_db
        if keep:
            pad_start = 0.0 if continuation and self._previous_kept else s.padding_seconds
            pad_end = s.padding_seconds if ends else 0.0
            self._add(SpeechRegion(max(0.0, start * self._fd - pad_start), end * self._fd + pad_end))
        self._previous_kept = keep
        self._piece_flux = []
        self._piece_level = []
        if ends:
            self._triggered = False
            self._continuation = False
        else:
            self._start = end
            self._continuation = True

    def _add(self, region: SpeechRegion) -> None:
        pending = self._pending
        if pending is not None and region.start - pending.end <= self._s.merge_gap_seconds:
            self._pending = SpeechRegion(pending.start, max(pending.end, region.end))
            return
        if pending is not None:
            self._done.append(pending)
        self._pending = region

    def _advance(self) -> None:
        """Move `final_until` to the earliest time a region not yet known could start."""
        pad = self._s.padding_seconds
        if self._triggered:
            horizon = self._start * self._fd - pad
        else:
            horizon = (self._frames - self._ring_size + 1) * self._fd - pad
        horizon = max(0.0, horizon)
        pending = self._pending
        if pending is not None and horizon - pending.end > self._s.merge_gap_seconds:
            self._done.append(pending)
            self._pending = None
            pending = None
        if pending is not None:
            # A region that may still merge with the next one can only grow at its end: what lies
            # before that end is settled, the gap after it is not.
            horizon = min(horizon, pending.end)
        self._final_until = max(self._final_until, horizon)
