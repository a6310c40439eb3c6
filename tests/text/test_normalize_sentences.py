"""Sentence splitting on normalised text: abbreviations do not split, spans are kept."""

from __future__ import annotations

import pytest

from mynah.text import normalize, split_sentences


def sentences(text: str) -> list[str]:
    return [s.text for s in split_sentences(normalize(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two. Three.", ["One.", "Two.", "Three."]),
        ("Is it? Yes! Good.", ["Is it?", "Yes!", "Good."]),
        ("Dr. Smith arrived. He sat.", ["doctor Smith arrived.", "He sat."]),
        ("Use e.g. salt. Then stir.", ["Use for example salt.", "Then stir."]),
        ("I saw Mr. Brown and Mrs. Green.", ["I saw mister Brown and misses Green."]),
        ("He works at Acme Inc. The pay is good.", ["He works at Acme incorporated.", "The pay is good."]),
        ("Bring pens, paper, etc. Then come.", ["Bring pens, paper, et cetera.", "Then come."]),
        ("We live in the U.S. It is big.", ["We live in the u s.", "It is big."]),
        ("The U.S. Army marched.", ["The u s Army marched."]),
        ("It costs $3.50. Cheap!", ["It costs three dollars fifty cents.", "Cheap!"]),
        ("Pi is 3.14. Nice.", ["Pi is three point one four.", "Nice."]),
        ("Meet at 5 p.m. Then eat.", ["Meet at five p m.", "Then eat."]),
        ("Meet at 5 p.m. sharp.", ["Meet at five p m sharp."]),
        ("She lives on Elm St. Her dog barks.", ["She lives on Elm street.", "Her dog barks."]),
        ("C. S. Lewis wrote it.", ["c s Lewis wrote it."]),
        ("Plan B. Then plan C.", ["Plan B.", "Then plan C."]),
        ('He said "stop." Then left.', ["He said stop.", "Then left."]),
        ("Wait... what? No.", ["Wait... what?", "No."]),
        ("Wait... Then go.", ["Wait...", "Then go."]),
        ("No end", ["No end"]),
        ("# Title\nBody text here", ["Title.", "Body text here"]),
        ("First paragraph\n\nSecond paragraph", ["First paragraph.", "Second paragraph"]),
        ("Visit example.com. It is fine.", ["Visit example dot com.", "It is fine."]),
        (
            "Version v2.1.3 is out. Update now.",
            ["Version version two point one point three is out.", "Update now."],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentences_keep_spans_and_cover_all_tokens() -> None:
    text = "Dr. Smith paid $5. (Really!) He left at 3 p.m. 😀 Bye."
    result = normalize(text)
    parts = split_sentences(result)
    assert [t for part in parts for t in part.tokens] == list(result.tokens)
    assert [part.source[part.span.start : part.span.end] for part in parts] == [
        "Dr. Smith paid $5.",
        "(Really!)",
        "He left at 3 p.m.",
        "Bye.",
    ]
    assert sum(len(p.unspoken) for p in parts) == len(result.unspoken) == 1
    for part in parts:
        assert part.source is text
        for piece in part.span_map().pieces:
            assert part.text[piece.start : piece.end] == piece.token.spoken


def test_split_empty_and_unspoken_only() -> None:
    assert split_sentences(normalize("")) == []
    only_emoji = split_sentences(normalize("😀"))
    assert len(only_emoji) == 1
    assert only_emoji[0].text == ""
    assert len(only_emoji[0].unspoken) == 1
