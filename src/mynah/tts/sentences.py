"""Split text into sentences, the unit the TTS pipeline streams in.

Spans index into the original text. Short abbreviations ("Dr.", "e.g.") and decimals ("3.5") do not end
a sentence. Very long sentences are cut at the last comma/semicolon/space before `max_chars` so the first
audio of a long paragraph does not wait for the whole paragraph.
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?…。！？]+[\"')\]]*(?=\s|$)|\n\s*\n")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "prof",
        "sr",
        "jr",
        "vs",
        "etc",
        "eg",
        "ie",
        "e.g",
        "i.e",
        "no",
        "fig",
        "approx",
        "dept",
        "est",
        "inc",
        "ltd",
        "co",
        "mt",
        "ft",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)


def split_sentences(text: str, *, max_chars: int = 400) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in `text`, whitespace trimmed, none empty."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        spans.extend(_cut(text, start, end, max_chars))
        start = end
    spans.extend(_cut(text, start, len(text), max_chars))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot]
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    pieces: list[tuple[int, int]] = []
    while end - start > max_chars:
        window = text[start : start + max_chars]
        cut = max(window.rfind(", "), window.rfind("; "), window.rfind(": "))
        if cut <= max_chars // 4:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = max_chars - 1
        pieces.append((start, start + cut + 1))
        start += cut + 1
        while start < end and text[start].isspace():
            start += 1
    if end > start and any(c.isalnum() for c in text[start:end]):
        pieces.append((start, end))
    elif end > start and pieces:
        pieces[-1] = (pieces[-1][0], end)
    elif end > start:
        pieces.append((start, end))
    return pieces
