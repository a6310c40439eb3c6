"""espeak-ng's word events turned into word timings for the text it spoke.

`text_position` in an event is 1-based and counts characters, not UTF-8 bytes (checked with "Grüße aus
Köln"). Events are mapped onto the words of the input, merged where espeak reads one word as several
("123") and repaired where espeak misplaces or drops one ("It was", "I am"); see `word_timings`. A word
ends where the next begins, or at the end of the audio, pulled back past trailing silence (10 ms frames
40 dB under the loudest frame), so the pauses after commas and sentences are not counted as speech.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from mynah.types import Samples, WordTiming

__all__ = ["word_timings"]

_SILENCE_DB = 40.0
_FLOOR_DBFS = -60.0

_WORD = re.compile(r"\S+")


@dataclass
class _Group:
    """espeak word events taken as one spoken word: its token, character range and first sample, and
    the samples of later events merged into it."""

    token: int
    lo: int
    hi: int
    sample: int
    extra: list[int] = field(default_factory=list)


def word_timings(
    piece: str, offset: int, events: list[tuple[int, int, int]], samples: Samples, sample_rate: int
) -> tuple[WordTiming, ...]:
    """Turn espeak word events for `piece` (which starts at `offset` in the caller's text) into timings.

    An event belongs to the whitespace-delimited token holding its first character; one that starts on
    white space continues the token before it (espeak reports the second word of a spoken emoji there).
    Overlapping events in one token merge ("123" is read as three words with overlapping spans); disjoint
    ones stay separate words ("你好世界" is two). Within a token the words share its characters, leading
    and trailing punctuation left out unless espeak spoke it.

    espeak misplaces some words: in "It was" it reports "was" at "It" + 1, and in "I am here" it
    reports no "am" at all. So a word left without an event takes a surplus event merged into the
    word before it, when there is one; otherwise it joins the text of the word before it ("I am")."""
    tokens = [(m.start(), m.end()) for m in _WORD.finditer(piece)]
    if not tokens or not events:
        return ()
    groups = _repair(_group(tokens, events, len(samples), sample_rate), tokens, piece)
    loudness = _frame_loudness(samples, sample_rate)
    out = []
    for index, group in enumerate(groups):
        following = groups[index + 1] if index + 1 < len(groups) else None
        lo = group.lo
        if index == 0:  # words before espeak's first event are taken as spoken with it
            first = next((k for k in range(group.token) if _has_word(piece, tokens[k])), group.token)
            lo = min(lo, _strip_punctuation(piece, *tokens[first])[0])
        elif groups[index - 1].token != group.token:
            lo = min(lo, _strip_punctuation(piece, *tokens[group.token])[0])
        if following is not None and following.token == group.token:
            hi = max(_strip_punctuation(piece, lo, following.lo)[1], lo + 1)
        else:
            limit = following.token if following is not None else len(tokens)
            last_word = max(
                (k for k in range(group.token, limit) if _has_word(piece, tokens[k])), default=group.token
            )
            hi = max(group.hi, _strip_punctuation(piece, *tokens[last_word])[1])
        stop = following.sample if following is not None else len(samples)
        end = _voiced_end(loudness, group.sample, max(stop, group.sample))
        out.append(
            WordTiming(
                text=piece[lo:hi],
                start=group.sample / sample_rate,
                end=end / sample_rate,
                text_start=offset + lo,
                text_end=offset + hi,
            )
        )
    return tuple(out)


def _group(
    tokens: list[tuple[int, int]], events: list[tuple[int, int, int]], count: int, sample_rate: int
) -> list[_Group]:
    groups: list[_Group] = []
    for position, length, audio_ms in events:
        first = position - 1
        token = _token_at(tokens, first)
        t_start, t_end = tokens[token]
        lo = min(max(first, t_start), t_end - 1)
        hi = max(min(first + max(length, 1), t_end), lo + 1)
        sample = min(max(round(audio_ms * sample_rate / 1000), 0), count)
        last = groups[-1] if groups else None
        if last is not None:
            sample = max(sample, last.sample)
            if last.token > token or (last.token == token and lo < last.hi):
                if last.token == token:
                    last.lo, last.hi = min(last.lo, lo), max(last.hi, hi)
                last.extra.append(sample)
                continue
        groups.append(_Group(token, lo, hi, sample))
    return groups


def _repair(groups: list[_Group], tokens: list[tuple[int, int]], piece: str) -> list[_Group]:
    """Give words that espeak left without an event the surplus events of the word before them."""
    out: list[_Group] = []
    for index, group in enumerate(groups):
        out.append(group)
        limit = groups[index + 1].token if index + 1 < len(groups) else len(tokens)
        missing = [k for k in range(group.token + 1, limit) if _has_word(piece, tokens[k])]
        take = min(len(missing), len(group.extra))
        if not take:
            continue
        moved = group.extra[len(group.extra) - take :]
        del group.extra[len(group.extra) - take :]
        group.hi = min(group.hi, tokens[group.token][1])
        for token, sample in zip(missing, moved, strict=False):
            lo, hi = _strip_punctuation(piece, *tokens[token])
            out.append(_Group(token, lo, hi, sample))
    return out


def _has_word(text: str, span: tuple[int, int]) -> bool:
    return any(c.isalnum() for c in text[span[0] : span[1]])


def _token_at(tokens: list[tuple[int, int]], char: int) -> int:
    previous = 0
    for index, (start, end) in enumerate(tokens):
        if start <= char < end:
            return index
        if start <= char:
            previous = index
    return previous


def _strip_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` without leading and trailing punctuation, or unchanged if that is all it is."""
    lo, hi = start, end
    while lo < hi and unicodedata.category(text[lo]).startswith("P"):
        lo += 1
    while hi > lo and unicodedata.category(text[hi - 1]).startswith("P"):
        hi -= 1
    return (lo, hi) if lo < hi else (start, end)


_Loudness = tuple[npt.NDArray[np.bool_], int]


def _frame_loudness(samples: Samples, sample_rate: int) -> _Loudness:
    """Which 10 ms frames hold sound (louder than 40 dB under the loudest frame, and than -60 dBFS)."""
    frame = max(1, sample_rate // 100)
    count = len(samples) // frame + (1 if len(samples) % frame else 0)
    padded = np.zeros(count * frame, dtype=np.float32)
    padded[: len(samples)] = samples
    rms = np.sqrt(np.mean(padded.reshape(count, frame) ** 2, axis=1)) if count else np.zeros(0)
    peak = float(rms.max()) if count else 0.0
    threshold = max(10 ** (_FLOOR_DBFS / 20), peak * 10 ** (-_SILENCE_DB / 20))
    return rms > threshold, frame


def _voiced_end(loudness: _Loudness, start: int, stop: int) -> int:
    """The end of the last sounding frame in [start, stop), or `stop` when nothing in it sounds."""
    voiced, frame = loudness
    first = start // frame
    last = max(stop // frame, first + 1)  # frames wholly before the next word
    hits = np.flatnonzero(voiced[first:last])
    if hits.size == 0:
        return stop
    end = (first + int(hits[-1]) + 1) * frame
    return max(min(end, stop), min(start + frame, stop))
