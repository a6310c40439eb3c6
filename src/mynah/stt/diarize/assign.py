"""Speakers on a transcript: who said each word, and the transcript as speaker turns.

`assign_speakers(transcription, turns)` labels every word with the speaker whose turns overlap it
most (summed over that speaker's turns; on a tie, the speaker of the overlapping turn whose middle
is nearest the word's middle). A word no turn touches (diarization and recognition disagree on
where speech is, often by a few tens of milliseconds) takes the speaker of the nearest turn.
A piece of a word (`Word.joins_previous`: Whisper's ".5" after "$1") takes the speaker of the word
it continues: a token is never split between speakers. Segments are then cut wherever the speaker
changes, so each segment has exactly one speaker, and the text of each part is its words spaced as
the engine spaced them (`join_words`); segments without words take the speaker of their time span
by the same rule.

`utterances(transcription)` groups consecutive words of one speaker into `Utterance`s, also
breaking at pauses longer than `max_pause` seconds (1.5 by default), the shape of the
"utterances" in hosted speech APIs' responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from mynah.stt.diarize.base import SpeakerTurn
from mynah.types import Segment, Transcription, Word, join_words

__all__ = ["Utterance", "assign_speakers", "utterances"]

DEFAULT_SPEAKER = "SPEAKER_0"
"""The speaker of every word when diarization found no turns at all (no speech it could attribute)."""


@dataclass(frozen=True)
class Utterance:
    """A stretch of one speaker's words. `speaker` is None for a transcript that was not diarized."""

    speaker: str | None
    start: float
    end: float
    text: str
    words: tuple[Word, ...]


class _Turns:
    """Turns as arrays, for labelling many words quickly."""

    def __init__(self, turns: Sequence[SpeakerTurn]) -> None:
        self.starts = np.array([t.start for t in turns], dtype=np.float64)
        self.ends = np.array([t.end for t in turns], dtype=np.float64)
        self.names = sorted({t.speaker for t in turns})
        index = {name: i for i, name in enumerate(self.names)}
        self.speakers = np.array([index[t.speaker] for t in turns], dtype=np.int64)

    def speaker(self, start: float, end: float) -> str:
        if len(self.starts) == 0:
            return DEFAULT_SPEAKER
        end = max(end, start)
        overlap = np.minimum(self.ends, end) - np.maximum(self.starts, start)
        touching = overlap > 0
        if touching.any():
            totals = np.bincount(
                self.speakers[touching], weights=overlap[touching], minlength=len(self.names)
            )
            best = np.flatnonzero(totals >= totals.max() - 1e-9)
            if len(best) == 1:
                return self.names[int(best[0])]
            middle = (start + end) / 2
            candidates = touching & np.isin(self.speakers, best)
            distance = np.where(candidates, np.abs((self.starts + self.ends) / 2 - middle), np.inf)
            return self.names[int(self.speakers[int(np.argmin(distance))])]
        gap = np.maximum(self.starts - end, start - self.ends)
        return self.names[int(self.speakers[int(np.argmin(gap))])]


def assign_speakers(transcription: Transcription, turns: Sequence[SpeakerTurn]) -> Transcription:
    """`transcription` with a speaker on every word and segment, segments split at speaker changes."""
    index = _Turns(turns)
    segments: list[Segment] = []
    for segment in transcription.segments:
        if not segment.words:
            speaker = index.speaker(segment.start, segment.end)
            segments.append(replace(segment, id=len(segments), speaker=speaker))
            continue
        words: list[Word] = []
        for w in segment.words:
            continues = words and w.joins_previous
            words.append(
                replace(w, speaker=words[-1].speaker if continues else index.speaker(w.start, w.end))
            )
        groups = _runs(words)
        if len(groups) == 1:
            segments.append(replace(segment, id=len(segments), words=tuple(words), speaker=words[0].speaker))
            continue
        for i, group in enumerate(groups):
            segments.append(
                replace(
                    segment,
                    id=len(segments),
                    start=segment.start if i == 0 else group[0].start,
                    end=segment.end if i == len(groups) - 1 else group[-1].end,
                    text=join_words(group),
                    words=tuple(group),
                    speaker=group[0].speaker,
                )
            )
    return replace(transcription, segments=tuple(segments))


def utterances(transcription: Transcription, *, max_pause: float = 1.5) -> list[Utterance]:
    """The transcript as turns: runs of one speaker's words, broken also at pauses over `max_pause` s.

    A transcript without word timings gives one utterance per segment.
    """
    words = transcription.words
    if not words:
        return [
            Utterance(s.speaker, s.start, s.end, s.text.strip(), ())
            for s in transcription.segments
            if s.text.strip()
        ]
    out: list[Utterance] = []
    current: list[Word] = []
    for word in words:
        if (
            current
            and not word.joins_previous
            and (word.speaker != current[-1].speaker or word.start - current[-1].end > max_pause)
        ):
            out.append(_utterance(current))
            current = []
        current.append(word)
    out.append(_utterance(current))
    return out


def _utterance(words: list[Word]) -> Utterance:
    return Utterance(
        words[0].speaker, words[0].start, max(w.end for w in words), join_words(words), tuple(words)
    )


def _runs(words: list[Word]) -> list[list[Word]]:
    groups: list[list[Word]] = []
    for word in words:
        if groups and groups[-1][-1].speaker == word.speaker:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups
