"""Word times kept out of the pauses the VAD heard: a word starts and ends where there is speech.

Whisper's word times come from cross-attention, which often stretches a word over the pause next to
it: after the 1.5 s between two recordings of bench/stt_batched.py's file, "eight" came out as
32.14-34.12 s where the speech is 33.7-34.1 s; sequential decoding does the same elsewhere ("has"
at 96.0 s, its speech from 97.5 s). A subtitle then shows the word over silence, and a clip cut
at the word's start begins with a second of nothing. The VAD knows where the pauses are, so each
window's words are fitted to them before the windows are merged:

    pause   ·········|  (between two speech regions, the VAD's padding included in the regions)
    word      [====== ... ]      starts in the pause, ends after it  -> starts where speech resumes
    word  [ ... ======]          ends in the pause                    -> ends where speech stopped
    word  [==|·········|=====]   spans the pause                      -> starts where speech resumes,
                                                                          or, the last word of its
                                                                          segment, ends where it stopped

Whisper's alignment gives the silence between two words to the later one (its start pulled back to
the earlier word's end; that is every one of the cases above), so a word that spans a pause is the
word after it, unless nothing of its segment follows it.

A word wholly inside a pause (speech too soft for the VAD) is left alone, and so is a word that
would be left shorter than `MIN_WORD_SECONDS`. Segments follow their words: a segment's start or end
that lies in a pause moves to its first word's start or last word's end. Words keep their order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from mynah.stt.vad import SpeechRegion
from mynah.types import Segment, Transcription, Word

__all__ = ["MIN_WORD_SECONDS", "fit_to_speech", "in_order", "pauses_in"]

MIN_WORD_SECONDS = 0.05
"""A word is never made shorter than this by fitting (nor fitted when that would happen)."""

Pause = tuple[float, float]


def pauses_in(regions: Sequence[SpeechRegion], start: float, end: float) -> tuple[Pause, ...]:
    """The pauses between consecutive `regions` that lie inside [start, end], in that window's time
    (seconds from `start`), clipped to it."""
    found: list[Pause] = []
    for here, after in itertools.pairwise(regions):
        gap_start, gap_end = max(here.end, start), min(after.start, end)
        if gap_end > gap_start:
            found.append((gap_start - start, gap_end - start))
    return tuple(found)


def fit_to_speech(transcription: Transcription, pauses: Sequence[Pause]) -> Transcription:
    """`transcription` (times in the same frame as `pauses`) with its words fitted to the speech
    between them (see the module docstring)."""
    if not pauses:
        return transcription
    segments: list[Segment] = []
    changed = False
    for segment in transcription.segments:
        last = len(segment.words) - 1
        words = in_order(tuple(_fit_word(w, pauses, i == last) for i, w in enumerate(segment.words)))
        start, end = segment.start, segment.end
        if words:
            if _in_pause(start, pauses) and words[0].start > start:
                start = words[0].start
            if _in_pause(end, pauses, end=True) and words[-1].end < end:
                end = max(start, words[-1].end)
        if words != segment.words or (start, end) != (segment.start, segment.end):
            changed = True
            segment = replace(segment, start=start, end=end, words=words)
        segments.append(segment)
    return replace(transcription, segments=tuple(segments)) if changed else transcription


def _fit_word(word: Word, pauses: Sequence[Pause], last: bool) -> Word:
    start, end = word.start, word.end
    for gap_start, gap_end in pauses:
        if gap_end <= start or gap_start >= end:
            continue
        if start >= gap_start and end <= gap_end:
            return word  # wholly inside: the VAD missed soft speech, or the word is invented
        if start >= gap_start:  # starts in the pause
            start = gap_end
        elif end <= gap_end or last:  # ends in the pause, or spans it at its segment's end
            end = gap_start
        else:  # spans it: the word after the pause
            start = gap_end
    if end - start < MIN_WORD_SECONDS:
        return word
    return word if (start, end) == (word.start, word.end) else replace(word, start=start, end=end)


def _in_pause(at: float, pauses: Sequence[Pause], *, end: bool = False) -> bool:
    if end:
        return any(gap_start < at <= gap_end for gap_start, gap_end in pauses)
    return any(gap_start <= at < gap_end for gap_start, gap_end in pauses)


def in_order(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """`words` with no start before the one before it (a start moved past the next word's start, by
    fitting here or by `mynah.stt.squeeze` mapping times back, is pulled back to it)."""
    out: list[Word] = []
    for word in words:
        if out and word.start < out[-1].start:
            word = replace(word, start=out[-1].start, end=max(out[-1].start, word.end))
        out.append(word)
    return tuple(out)
