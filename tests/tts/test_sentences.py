from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mynah.tts.sentences import split_sentences


def pieces(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello there. How are you?", ["Hello there.", "How are you?"]),
        ("Dr. Smith lives on Elm St. in town. Yes!", ["Dr. Smith lives on Elm St. in town.", "Yes!"]),
        ("Pi is 3.14 roughly. Ok.", ["Pi is 3.14 roughly.", "Ok."]),
        ("J. R. R. Tolkien wrote it. Fine.", ["J. R. R. Tolkien wrote it.", "Fine."]),
        ("No punctuation at all", ["No punctuation at all"]),
        ("First paragraph\n\nSecond paragraph", ["First paragraph", "Second paragraph"]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("   ", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_long_sentences_are_cut_at_commas_first() -> None:
    text = ", ".join(["a clause with several words in it"] * 30) + "."
    spans = split_sentences(text, max_chars=100)
    assert all(b - a <= 100 for a, b in spans)
    assert len(spans) > 5


@given(st.text())
def test_spans_cover_every_non_space_character_in_order(text: str) -> None:
    spans = split_sentences(text, max_chars=50)
    covered = set()
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        last = b
        covered.update(range(a, b))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
