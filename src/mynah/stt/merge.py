"""Stitch the transcriptions of consecutive windows into one transcription of the whole recording.

Each window's times are local to the window; they are shifted by the window's start and clipped to the
window and to [0, duration]. Windows that do not overlap are simply concatenated. Where two windows
overlap (a cut had to fall inside speech, see `mynah.stt.chunking`) both transcribed the same
stretch, and every word there must come out once:

1. the words of the earlier side that end inside the overlap and the words of the later side that
   start inside it are aligned (a small dynamic programme): a pair is the same word when the texts
   agree, ignoring case and punctuation, and the times are close (within 0.5 s), or a
   mis-recognition of it when the texts differ but the words share at least 30% of the shorter
   one's time;
2. the middle of the overlap is the switch point: a pair is taken from the earlier window when it
   lies before the switch point and from the later one after it, so each word comes from the window
   where it is further from the edge, where the engine heard more context; a word only one side heard
   is kept when it lies on that side's half;
3. segments keep the words that survive; a segment that lost words gets its text rebuilt from the
   rest with `join_words` (spaced as the engine spaced them), the others keep the engine's own
   text; segments left without words are dropped, and segments are renumbered in time order.

The unit of all this is a token, not a word piece: a word that joins the previous one
(`Word.joins_previous`, Whisper's " $1" ".5") is kept or dropped with it, so "$1.5" never comes out
half from one window and half from the other.

Segments without words (an engine run without word timestamps) are kept or dropped whole by the same
switch-point rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mynah.types import Segment, Transcription, Word, join_words

if TYPE_CHECKING:
    from mynah.stt.chunking import Window

__all__ = ["merge_windows"]

SAME_WORD_SECONDS = 0.5
"""Two identical words whose centres are this close (or that overlap in time) are one word."""

SAME_SOUND_FRACTION = 0.3
"""Two different words that share this much of the shorter one's time are two readings of one sound."""

_MIN_WORD_SECONDS = 0.05
_WORD_CHARS = re.compile(r"[^\w']+")


@dataclass
class _Segment:
    """A segment being merged: global times, words that can still be dropped."""

    start: float
    end: float
    text: str
    words: list[Word]
    has_words: bool
    avg_logprob: float | None
    no_speech_prob: float | None
    trimmed: bool = False

    @property
    def latest(self) -> float:
        return max([self.end, *(w.end for w in self.words)])


def merge_windows(
    results: Sequence[tuple[Window, Transcription]], *, duration: float | None = None
) -> Transcription:
    """One transcription from per-window ones, as the module docstring describes.

    `duration` is the length of the whole recording (default: the end of the last window); every
    time in the result lies in [0, duration], words are in time order.
    """
    ordered = sorted(results, key=lambda r: (r[0].start, r[0].end))
    total = duration if duration is not None else max((w.end for w, _ in ordered), default=0.0)
    merged: list[_Segment] = []
    covered: float | None = None
    for window, transcription in ordered:
        segments = [_shift(segment, window, total) for segment in transcription.segments]
        if covered is not None and window.start < covered:
            _resolve(merged, segments, window.start, covered)
        merged.extend(s for s in segments if s.words or (not s.has_words and s.text.strip()))
        covered = window.end if covered is None else max(covered, window.end)
    language, probability = _language(ordered)
    return Transcription(
        segments=_finish(merged, total), duration=total, language=language, language_probability=probability
    )


def _shift(segment: Segment, window: Window, total: float) -> _Segment:
    lo, hi = max(0.0, window.start), max(0.0, min(total, window.end))

    def at(t: float) -> float:
        return min(hi, max(lo, t + window.start))

    words = [replace(w, start=at(w.start), end=max(at(w.start), at(w.end))) for w in segment.words]
    return _Segment(
        start=at(segment.start),
        end=max(at(segment.start), at(segment.end)),
        text=segment.text,
        words=words,
        has_words=bool(segment.words),
        avg_logprob=segment.avg_logprob,
        no_speech_prob=segment.no_speech_prob,
    )


def _resolve(earlier: list[_Segment], later: list[_Segment], lo: float, hi: float) -> None:
    """Drop, from both sides, the words of the overlap [lo, hi] that the other side gives better."""
    switch = (lo + hi) / 2
    tail: list[_Segment] = []
    for segment in reversed(earlier):
        if segment.latest <= lo:
            break
        tail.append(segment)
    tail.reverse()
    head = [s for s in later if s.start < hi or any(w.start < hi for w in s.words)]

    for segment in tail:
        if not segment.has_words and _centre(segment.start, segment.end) >= switch:
            segment.text = ""
    for segment in head:
        if not segment.has_words and _centre(segment.start, segment.end) < switch:
            segment.text = ""

    old = [(s, t) for s in tail for t in _tokens(s.words) if t.word.end > lo]
    new = [(s, t) for s in later for t in _tokens(s.words) if t.word.start < hi]
    keep_old = [_centre(t.word.start, t.word.end) < switch for _, t in old]
    keep_new = [_centre(t.word.start, t.word.end) >= switch for _, t in new]
    for i, j in _align([t.word for _, t in old], [t.word for _, t in new]):
        a, b = old[i][1].word, new[j][1].word
        earlier_wins = (_centre(a.start, a.end) + _centre(b.start, b.end)) / 2 < switch
        keep_old[i], keep_new[j] = earlier_wins, not earlier_wins
    _drop(old, keep_old)
    _drop(new, keep_new)


@dataclass(frozen=True)
class _Token:
    """A word and the pieces that join it ("$1" ".5"), as one word for aligning and dropping."""

    pieces: tuple[Word, ...]
    word: Word


def _tokens(words: list[Word]) -> list[_Token]:
    runs: list[list[Word]] = []
    for word in words:
        if runs and word.joins_previous:
            runs[-1].append(word)
        else:
            runs.append([word])
    return [
        _Token(
            tuple(run),
            replace(
                run[0],
                text=join_words(run),
                end=max(w.end for w in run),
                probability=min(w.probability for w in run),
            ),
        )
        for run in runs
    ]


def _drop(units: list[tuple[_Segment, _Token]], keep: list[bool]) -> None:
    for (segment, token), kept in zip(units, keep, strict=True):
        if not kept:
            segment.words = [w for w in segment.words if not any(w is p for p in token.pieces)]
            segment.trimmed = True


def _align(old: list[Word], new: list[Word]) -> list[tuple[int, int]]:
    """Pairs (i, j) of the same spoken word in `old` and `new`, in order, maximising agreement."""
    n, m = len(old), len(new)
    if n == 0 or m == 0:
        return []
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            pair = _pair_score(old[i], new[j])
            if pair > 0:
                best = max(best, pair + score[i + 1][j + 1])
            score[i][j] = best
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        pair = _pair_score(old[i], new[j])
        if pair > 0 and score[i][j] == pair + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _pair_score(a: Word, b: Word) -> float:
    """2 for the same word heard by both, 1 for two readings of one stretch of sound, 0 for neither."""
    overlap = min(a.end, b.end) - max(a.start, b.start)
    text_a, text_b = _normal(a.text), _normal(b.text)
    if text_a and text_a == text_b:
        if overlap > 0 or abs(_centre(a.start, a.end) - _centre(b.start, b.end)) <= SAME_WORD_SECONDS:
            return 2.0
        return 0.0
    shorter = max(_MIN_WORD_SECONDS, min(a.end - a.start, b.end - b.start))
    return 1.0 if overlap >= SAME_SOUND_FRACTION * shorter else 0.0


def _normal(text: str) -> str:
    return _WORD_CHARS.sub("", text.lower())


def _centre(start: float, end: float) -> float:
    return (start + end) / 2


def _finish(merged: list[_Segment], total: float) -> tuple[Segment, ...]:
    kept = [s for s in merged if s.words or (not s.has_words and s.text.strip())]
    kept.sort(key=lambda s: (s.words[0].start if s.words else s.start, s.start))
    out: list[Segment] = []
    previous = 0.0
    for segment in kept:
        words: list[Word] = []
        for word in segment.words:
            start = min(total, max(previous, word.start))
            words.append(replace(word, start=start, end=min(total, max(start, word.end))))
            previous = start
        if words:
            text = join_words(words) if segment.trimmed else segment.text.strip()
            start = words[0].start if segment.trimmed else min(segment.start, words[0].start)
            end = words[-1].end if segment.trimmed else max(segment.end, words[-1].end)
        else:
            text, start, end = segment.text.strip(), segment.start, segment.end
        out.append(
            Segment(
                id=len(out),
                start=max(0.0, min(total, start)),
                end=max(0.0, min(total, end)),
                text=text,
                words=tuple(words),
                avg_logprob=segment.avg_logprob,
                no_speech_prob=segment.no_speech_prob,
            )
        )
    return tuple(out)


def _language(ordered: Sequence[tuple[Window, Transcription]]) -> tuple[str | None, float | None]:
    """The language of the longest window that names one."""
    named = [(w.end - w.start, t) for w, t in ordered if t.language is not None]
    if not named:
        return None, None
    _, best = max(named, key=lambda item: item[0])
    return best.language, best.language_probability
