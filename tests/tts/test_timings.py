"""Timings a newcomer reads first (issue 19, item 7): sentence marks carry how long the sentence is
spoken, and with normalisation off every word still points at its own word of the input."""

from __future__ import annotations

import itertools

import httpx
import pytest

from mynah.runtime import Runtime
from mynah.tts.plan import Normalization
from mynah.tts.service import SpeechMark
from tests.support import LiveServer

VOICE = "espeak:en-us"
TEXT = "Hello there, world. It costs $5 today! Fine."


def _marks(runtime: Runtime, text: str, **options: object) -> tuple[list[SpeechMark], float]:
    prepared = runtime.speech.prepare(text, voice=VOICE, **options)  # type: ignore[arg-type]
    marks = [m for chunk in runtime.speech.stream(prepared) for m in chunk.marks]
    return marks, prepared.state.seconds


@pytest.mark.parametrize("ssml", [False, True])
def test_sentences_carry_their_spoken_duration(runtime: Runtime, ssml: bool) -> None:
    text = "<speak>" + TEXT.replace("world.", 'world.<break time="1s"/>') + "</speak>" if ssml else TEXT
    marks, total = _marks(runtime, text)
    sentences = [m for m in marks if m.type == "sentence"]
    words = [m for m in marks if m.type == "word"]
    assert [text[s.start : s.end] for s in sentences] == [
        "Hello there, world.",
        "It costs $5 today!",
        "Fine.",
    ]
    assert all(s.duration > 0.3 for s in sentences)
    for sentence, following in itertools.pairwise(sentences):
        assert sentence.time + sentence.duration <= following.time + 1e-6
    if ssml:  # the pause after the first sentence is not part of it
        assert sentences[1].time - (sentences[0].time + sentences[0].duration) >= 0.99
    assert sentences[-1].time + sentences[-1].duration <= total + 1e-6
    for word in words:  # every word is inside the sentence that holds it, in time and in the input
        sentence = next(s for s in sentences if s.start <= word.start and word.end <= s.end)
        assert sentence.time - 1e-6 <= word.time
        assert word.time + word.duration <= sentence.time + sentence.duration + 1e-6


def test_with_normalisation_off_each_word_points_at_its_own_word(runtime: Runtime) -> None:
    marks, _ = _marks(runtime, TEXT, normalization=Normalization(enabled=False))
    words = [(TEXT[m.start : m.end], m.value) for m in marks if m.type == "word"]
    spans = [w for w, _ in words]
    assert set(spans) == {"Hello", "there", "world", "It", "costs", "$5", "today", "Fine"}
    assert all(value == span for span, value in words)
    sentences = [TEXT[m.start : m.end] for m in marks if m.type == "sentence"]
    assert sentences == ["Hello there, world.", "It costs $5 today!", "Fine."]


def test_the_native_route_says_so_too(live_server: LiveServer) -> None:
    body = httpx.post(
        live_server.v1 + "/mynah/speech",
        json={"input": TEXT, "voice": VOICE, "normalize": False, "output": "json"},
        timeout=60,
    ).json()
    assert [TEXT[w["start"] : w["end"]] for w in body["words"]][:3] == ["Hello", "there", "world"]
    assert all(s["duration"] > 0 for s in body["sentences"]) and len(body["sentences"]) == 3
