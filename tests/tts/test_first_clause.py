"""A long first sentence is spoken clause first (fast first audio), cut only at a pause it has."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mynah.config import ModelSettings, Settings, TtsSettings
from mynah.runtime import Runtime
from mynah.tts.cuts import FIRST_SAY_CHARS
from mynah.tts.plan import Say, build_plan
from tests.support import LiveServer, start_live_server

VOICE = "espeak:en-us"

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


LATE_COMMA = (
    "The committee met on Tuesday afternoon in the main hall of the town library to discuss the "
    "budget, the roof and the new car park. It agreed."
)


def test_a_first_clause_mark_that_comes_late_gives_way_to_a_phrase_opener() -> None:
    """No clause mark within FIRST_UNIT_MAX_WORDS words: the cut is before the first conjunction or
    preposition after a few words ("on" is the fourth word, too early; "in" is the sixth)."""
    first, rest, last = says(LATE_COMMA)
    assert first.script.text == "The committee met on Tuesday afternoon"
    assert rest.script.text.startswith("in the main hall")
    assert (first.sentence_start, rest.sentence_start, last.sentence_start) == (True, False, True)
    assert first.sentence_span == rest.sentence_span == (0, LATE_COMMA.index(" It"))


def test_a_clause_mark_within_a_few_words_is_the_cut_even_after_an_opener() -> None:
    text = "We met in the hall on Tuesday, and then we walked down to the harbour to watch the boats."
    first, rest = says(text)
    assert first.script.text == "We met in the hall on Tuesday,"
    assert rest.script.text.startswith("and then")


def test_phrase_openers_are_english_only() -> None:
    plan = build_plan(
        "Der Ausschuss traf sich am Dienstag in der großen Halle der Bibliothek um den Haushalt zu "
        "besprechen und das Dach.",
        language="de",
    )
    assert len([s for s in plan.steps if isinstance(s, Say)]) == 1


FORTY_WORDS = (
    "When the old lighthouse keeper climbed the narrow spiral stairs that evening, carrying "
    "a lantern, a flask of tea and the heavy logbook under his arm, he noticed that the great lamp "
    "had already begun to turn on its own."
)
CLAUSE = FORTY_WORDS[: FORTY_WORDS.index(",")]


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory, runtime: Runtime) -> Iterator[tuple[LiveServer, float]]:
    """A server whose output limit lies between the first clause and the whole first sentence: only
    audio handed out before the rest of the sentence is spoken gets through."""
    chunks = list(runtime.speech.stream(runtime.speech.prepare(FORTY_WORDS, voice=VOICE)))
    clause, sentence = chunks[0].duration, chunks[0].duration + chunks[1].duration
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("limited"),
        models=ModelSettings(offline=True),
        tts=TtsSettings(max_output_seconds=(clause + sentence) / 2),
    )
    with start_live_server(settings) as server:
        yield server, clause


def test_the_first_chunk_of_a_40_word_sentence_is_its_first_clause(runtime: Runtime) -> None:
    assert len(FORTY_WORDS.split()) == 40
    prepared = runtime.speech.prepare(FORTY_WORDS, voice=VOICE)
    first = next(iter(runtime.speech.stream(prepared, timings=False)))
    assert [m.value for m in first.marks if m.type == "word"] == CLAUSE.split()


def test_a_plain_stream_hands_out_the_first_clause_before_the_rest_is_spoken(
    limited: tuple[LiveServer, float],
) -> None:
    """Over HTTP, raw audio: the first clause's audio is sent, then the limit cuts the transfer off
    while the rest of the sentence is spoken. With timings (SSE) the sentence is held whole, so its
    mark can carry its duration: the limit is reached before any audio and answered as a 413."""
    server, clause = limited
    body = {
        "model": "tts-1",
        "input": FORTY_WORDS,
        "voice": VOICE,
        "response_format": "pcm",
        "sample_rate": 22050,
    }
    received = bytearray()
    with (
        pytest.raises(httpx.RemoteProtocolError),
        httpx.stream("POST", server.v1 + "/audio/speech", json=body, timeout=60) as response,
    ):
        assert response.status_code == 200
        for data in response.iter_bytes():
            received += data
    assert len(received) / 2 / 22050 == pytest.approx(clause, rel=0.02)
    timed = httpx.post(
        server.v1 + "/audio/speech", json={**body, "stream_format": "sse", "timings": True}, timeout=60
    )
    assert timed.status_code == 413 and timed.json()["error"]["code"] == "output_seconds_limit"
