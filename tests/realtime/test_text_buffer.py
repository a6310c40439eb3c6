"""Text arriving token by token is cut into units at safe boundaries, with offsets into all of it."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mynah.errors import PayloadTooLarge
from mynah.realtime.text_buffer import TextBuffer, TextUnit


def feed(pieces: list[str], buffer: TextBuffer | None = None) -> list[tuple[int, str]]:
    buffer = buffer or TextBuffer()
    units = [u for piece in pieces for u in buffer.add(piece)] + buffer.flush()
    return [(u.start, u.text) for u in units]


def test_a_clause_mark_ends_a_unit_as_soon_as_it_arrives() -> None:
    buffer = TextBuffer()
    assert buffer.add("Well, as I said, the train") == [TextUnit(0, "Well,")]  # nothing plays yet: at once
    assert buffer.add(" leaves at nine,") == [TextUnit(5, " as I said, the train leaves at nine,")]


def test_later_clauses_wait_for_twelve_characters_until_the_next_utterance() -> None:
    """Mid-reply a one-word unit would play out before the next is ready; an utterance's first
    clause is spoken at once, after `end()` and after a cancel (`skip()`) too."""
    buffer = TextBuffer()
    assert [u.text for u in buffer.add("Sure, I can. Yes, ")] == ["Sure,", " I can."]
    assert buffer.add("of course") == []
    assert [u.text for u in buffer.end()] == [" Yes, of course"]
    assert [u.text for u in buffer.add("Okay, then")] == ["Okay,"]
    buffer.skip()
    assert [u.text for u in buffer.add("Right, so")] == ["Right,"]


def test_a_short_first_clause_does_not_use_up_the_first_length() -> None:
    """After "Sure," the next unit is still cut at the schedule's first length (50), not its second."""
    [first, second, *_] = feed(["Sure, " + "word " * 40], TextBuffer(schedule=(50, 120, 250)))
    assert first == (0, "Sure,")
    assert len(second[1]) <= 50


@pytest.mark.parametrize(
    ("pieces", "units"),
    [
        (["Dr", ".", " Smith is here."], [(0, "Dr. Smith is here.")]),
        (["It costs 3", ".", "5 dollars."], [(0, "It costs 3.5 dollars.")]),
        (["About 1", ",", "000 people."], [(0, "About 1,000 people.")]),
        (["Sure", ",", " I can."], [(0, "Sure,"), (5, " I can.")]),
        (["Sure. About 1", ",", "000 people."], [(0, "Sure."), (5, " About 1,000 people.")]),
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


@settings(deadline=None)  # a loaded machine is no failure: this test times nothing
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
