"""Text arriving token by token is cut into units at safe boundaries, with offsets into all of it."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mynah.errors import PayloadTooLarge
from mynah.realtime.text_buffer import TextBuffer


def feed(pieces: list[str], buffer: TextBuffer | None = None) -> list[tuple[int, str]]:
    buffer = buffer or TextBuffer()
    units = [u for piece in pieces for u in buffer.add(piece)] + buffer.flush()
    return [(u.start, u.text) for u in units]


def test_a_clause_mark_ends_a_unit_as_soon_as_it_arrives() -> None:
    buffer = TextBuffer()
    assert buffer.add("Well, as I said") == []  # "Well," alone is too short to play while the rest comes
    [unit] = buffer.add(",")
    assert (unit.start, unit.text) == (0, "Well, as I said,")


@pytest.mark.parametrize(
    ("pieces", "units"),
    [
        (["Dr", ".", " Smith is here."], [(0, "Dr. Smith is here.")]),
        (["It costs 3", ".", "5 dollars."], [(0, "It costs 3.5 dollars.")]),
        (["About 1", ",", "000 people."], [(0, "About 1,000 people.")]),
        (["Sure", ",", " I can."], [(0, "Sure, I can.")]),
        (["Wait", "...", " what", "?!"], [(0, "Wait..."), (7, " what?!")]),
        (['He said "no', '."', " Then left."], [(0, 'He said "no."'), (13, " Then left.")]),
        (["The U.S. team won."], [(0, "The U.S. team won.")]),
    ],
)
def test_marks_inside_words_numbers_and_abbreviations_do_not_cut(
    pieces: list[str], units: list[tuple[int, str]]
) -> None:
    assert feed(pieces) == units


def test_without_boundaries_the_length_schedule_cuts_at_spaces() -> None:
    units = feed(["word " * 60], TextBuffer(schedule=(50, 120, 250)))
    lengths = [len(text) for _, text in units]
    assert lengths[0] <= 50 and lengths[1] <= 120
    assert all(not text.strip().startswith("ord") for _, text in units)


def test_only_punctuation_waits_for_words() -> None:
    buffer = TextBuffer()
    assert buffer.add("... ") == []
    [unit] = buffer.add("Yes.")
    assert unit.text == "... Yes."
    assert buffer.flush() == []


def test_skip_drops_text_but_offsets_still_count_it() -> None:
    buffer = TextBuffer()
    buffer.add("never spoken")
    buffer.skip()
    [unit] = buffer.add("Next.")
    assert unit.start == len("never spoken")


def test_too_much_unspoken_text_is_refused() -> None:
    buffer = TextBuffer(max_chars=100)
    with pytest.raises(PayloadTooLarge):
        buffer.add("x" * 101)


@given(st.lists(st.text(alphabet='ab ,.!?3"', min_size=1, max_size=8), max_size=30))
def test_units_cover_the_text_in_order(pieces: list[str]) -> None:
    buffer = TextBuffer(schedule=(5, 9))
    whole = "".join(pieces)
    units = [u for piece in pieces for u in buffer.add(piece)] + buffer.flush()
    for unit in units:
        assert whole[unit.start : unit.end] == unit.text
        assert any(c.isalnum() for c in unit.text)
    starts = [u.start for u in units]
    assert starts == sorted(starts)
    assert all(a.end == b.start for a, b in itertools.pairwise(units))
