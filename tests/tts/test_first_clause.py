"""A long first sentence is spoken clause first (fast first audio), cut only at a pause it has."""

from __future__ import annotations

from mynah.tts.plan import FIRST_SAY_CHARS, Say, build_plan

LONG_FIRST = (
    "In the early hours of a cold morning, long before the sun had risen over the hills, "
    "the old fisherman walked down to the harbour. Then he sat down."
)


def says(text: str) -> list[Say]:
    return [s for s in build_plan(text).steps if isinstance(s, Say)]


def test_a_long_first_sentence_is_cut_after_its_first_clause() -> None:
    first, rest, last = says(LONG_FIRST)
    assert first.script.text == "In the early hours of a cold morning,"
    assert rest.script.text.startswith("long before the sun")
    assert (first.sentence_start, rest.sentence_start, last.sentence_start) == (True, False, True)
    sentence = LONG_FIRST.index(" Then")
    assert first.sentence_span == rest.sentence_span == (0, sentence)


def test_short_first_sentences_and_later_sentences_stay_whole() -> None:
    short = "Yes, of course. " + LONG_FIRST
    assert len("Yes, of course.") < FIRST_SAY_CHARS
    texts = [s.script.text for s in says(short)]
    assert texts[0] == "Yes, of course."
    assert any(t.startswith("In the early hours") and t.endswith("harbour.") for t in texts)


def test_no_clause_mark_no_cut() -> None:
    text = "word " * 30 + "end."
    assert len(says(text)) == 1
