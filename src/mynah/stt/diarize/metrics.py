"""Diarization error rate (DER), scored on 10 ms frames, and RTTM reading.

    DER = (missed speech + false alarm + speaker confusion) / reference speech

as NIST's md-eval and pyannote.metrics define it: time is counted once per speaker, so a frame where
two reference speakers overlap holds two units of reference speech, and a hypothesis with one speaker
there misses one of them. Reference and hypothesis speakers are matched one to one so that the time
they share is largest (the Hungarian method, `scipy.optimize.linear_sum_assignment`); each frame's
confusion is min(reference speakers, hypothesis speakers) less the matched pairs it holds.
A `collar` (seconds) removes that much time on each side of every reference boundary from scoring,
forgiving the uncertainty of hand-marked boundaries (0.25 s is the customary value).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from mynah.stt.diarize.base import SpeakerTurn

__all__ = ["DiarizationError", "diarization_error", "read_rttm"]


@dataclass(frozen=True)
class DiarizationError:
    """The parts of a DER, each as a fraction of `reference_seconds` (the scored reference speech)."""

    missed: float
    false_alarm: float
    confusion: float
    reference_seconds: float

    @property
    def der(self) -> float:
        return self.missed + self.false_alarm + self.confusion


def diarization_error(
    reference: Sequence[SpeakerTurn],
    hypothesis: Sequence[SpeakerTurn],
    *,
    collar: float = 0.25,
    frame: float = 0.01,
) -> DiarizationError:
    """The DER of `hypothesis` against `reference` (see the module docstring)."""
    end = max([t.end for t in (*reference, *hypothesis)], default=0.0)
    count = int(np.ceil(end / frame)) + 1
    times = (np.arange(count, dtype=np.float64) + 0.5) * float(frame)
    ref = _activity(reference, times)
    hyp = _activity(hypothesis, times)
    scored = np.ones(count, dtype=np.bool_)
    if collar > 0:
        for turn in reference:
            for boundary in (turn.start, turn.end):
                scored &= ~((times > boundary - collar) & (times < boundary + collar))
    ref, hyp = ref[:, scored], hyp[:, scored]
    n_ref, n_hyp = ref.sum(axis=0), hyp.sum(axis=0)
    total = float(n_ref.sum())
    if total == 0:
        raise ValueError("the reference has no scored speech")
    missed = float(np.maximum(n_ref - n_hyp, 0).sum())
    false_alarm = float(np.maximum(n_hyp - n_ref, 0).sum())
    correct = 0.0
    if len(ref) and len(hyp):
        shared = ref.astype(np.float64) @ hyp.T.astype(np.float64)
        rows, cols = linear_sum_assignment(shared, maximize=True)
        correct = float(shared[rows, cols].sum())
    confusion = float(np.minimum(n_ref, n_hyp).sum()) - correct
    return DiarizationError(missed / total, false_alarm / total, confusion / total, total * frame)


def _activity(turns: Sequence[SpeakerTurn], times: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """(speakers, frames): which speaker speaks in each frame."""
    speakers = sorted({t.speaker for t in turns})
    index = {s: i for i, s in enumerate(speakers)}
    active = np.zeros((len(speakers), len(times)), dtype=np.bool_)
    for turn in turns:
        active[index[turn.speaker]] |= (times >= turn.start) & (times < turn.end)
    return active


def read_rttm(source: Path | str | Iterable[str]) -> list[SpeakerTurn]:
    """The SPEAKER lines of an RTTM file (a path, or its lines) as turns, in file order."""
    lines = Path(source).read_text().splitlines() if isinstance(source, Path | str) else source
    turns = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 8 and fields[0] == "SPEAKER":
            start, duration = float(fields[3]), float(fields[4])
            turns.append(SpeakerTurn(start, start + duration, fields[7]))
    return turns
