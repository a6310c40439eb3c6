"""espeak-ng through its C API: voices, audio, word timings, speed, pitch, errors, threads."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mynah.engines.base import SynthesisOptions, TtsEngine
from mynah.engines.espeak import EspeakEngine, bcp47
from mynah.errors import UnknownVoice
from mynah.types import Samples

BCP47 = re.compile(r"^[a-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def test_is_a_tts_engine(espeak: EspeakEngine) -> None:
    assert isinstance(espeak, TtsEngine)
    assert espeak.capabilities.word_timings
    assert espeak.capabilities.native_speed


def test_lists_every_voice(espeak: EspeakEngine) -> None:
    voices = espeak.voices()
    by_name = {v.name: v for v in voices}
    assert len(voices) > 100
    assert len(by_name) == len(voices), "voice names are unique"
    assert by_name["en-us"].id == "espeak:en-us"
    assert by_name["en-us"].language == "en-US"
    assert by_name["en"].language == "en-GB"
    assert by_name["de"].language == "de"
    assert by_name["fr"].language == "fr-FR"
    assert by_name["cmn"].language == "cmn"
    assert by_name["pt-br"].language == "pt-BR"
    assert {v.language.split("-")[0] for v in voices} >= {"en", "de", "fr", "es", "ru", "ja", "hi", "ar"}
    for voice in voices:
        assert voice.id == f"espeak:{voice.name}"
        assert voice.engine == "espeak"
        assert voice.sample_rate == 22050
        assert BCP47.match(voice.language), voice.language
        assert voice.gender in ("male", "female", None)
        assert voice.description


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en-gb-x-rp", "en-GB-x-rp"),
        ("cmn-latn-pinyin", "cmn-Latn-pinyin"),
        ("es-419", "es-419"),
        ("chr-us-qaaa-x-west", "chr-US-Qaaa-x-west"),
        ("EN_us", "en-US"),
    ],
)
def test_bcp47_casing(tag: str, expected: str) -> None:
    assert bcp47(tag) == expected


def test_speaks_hello_world(espeak: EspeakEngine, speak: Callable[..., Any]) -> None:
    audio, chunks = speak(espeak, "Hello world", "en-us")
    assert len(chunks) == 1
    chunk = chunks[0]
    assert chunk.sample_rate == 22050
    assert chunk.samples.dtype == np.float32
    assert chunk.samples.ndim == 1
    assert float(np.abs(audio).max()) <= 1.0
    assert float(np.sqrt(np.mean(audio**2))) > 0.02, "not silent"
    assert 0.5 < chunk.duration < 2.0
    assert [w.text for w in chunk.words] == ["Hello", "world"]
    assert [(w.text_start, w.text_end) for w in chunk.words] == [(0, 5), (6, 11)]


def _check_timings(text: str, chunks: list[Any]) -> list[str]:
    """Word timings are ordered, inside their chunk, and their offsets point at their text."""
    spoken = []
    last_offset = 0
    for chunk in chunks:
        previous_start = 0.0
        for word in chunk.words:
            assert 0.0 <= word.start <= word.end <= chunk.duration + 1e-9
            assert word.start >= previous_start
            assert word.text_start >= last_offset
            assert text[word.text_start : word.text_end] == word.text
            previous_start = word.start
            last_offset = word.text_end
            spoken.append(word.text)
    return spoken


def test_word_timings_follow_the_text(espeak: EspeakEngine, speak: Callable[..., Any]) -> None:
    text = "The quick brown fox jumps over the lazy dog. It was, of course, a very lazy dog!"
    _, chunks = speak(espeak, text, "en-us")
    assert len(chunks) == 1
    spoken = _check_timings(text, chunks)
    assert spoken == re.findall(r"[\w']+", text)
    # each word takes time, and the pause after "course," is not counted as part of it
    words = [w for c in chunks for w in c.words]
    assert all(w.end - w.start > 0.03 for w in words)
    course, following = next((w, n) for w, n in itertools.pairwise(words) if w.text == "course")
    assert following.start - course.end > 0.05


def test_word_offsets_count_characters_not_bytes(espeak: EspeakEngine, speak: Callable[..., Any]) -> None:
    text = "Grüße aus Köln"
    _, chunks = speak(espeak, text, "de")
    assert [w.text for w in chunks[0].words] == ["Grüße", "aus", "Köln"]
    assert [(w.text_start, w.text_end) for w in chunks[0].words] == [(0, 5), (6, 9), (10, 14)]
    _check_timings(text, chunks)


@pytest.mark.parametrize(
    ("voice", "text", "words"),
    [
        ("en-us", "I have 123 apples, Dr. Smith's.", ["I", "have", "123", "apples", "Dr", "Smith's"]),
        ("ru", "Привет, мир! Как дела?", ["Привет", "мир", "Как", "дела"]),
        ("en-us", 'She said "hello" (twice).', ["She", "said", "hello", "twice"]),
        ("ja", "日本語のテキストです", ["日本語のテキストです"]),
        # espeak reports "was" at "It" + 1, and no event at all for "am"
        ("en-us", "It was, of course.", ["It", "was", "of", "course"]),
        ("en-us", "I am here", ["I am", "here"]),
    ],
)
def test_words_merge_and_split_sensibly(
    espeak: EspeakEngine, speak: Callable[..., Any], voice: str, text: str, words: list[str]
) -> None:
    _, chunks = speak(espeak, text, voice)
    assert _check_timings(text, chunks) == words


def test_mandarin_words_cover_the_characters(espeak: EspeakEngine, speak: Callable[..., Any]) -> None:
    text = "你好世界"
    _, chunks = speak(espeak, text, "cmn")
    spoken = _check_timings(text, chunks)
    assert "".join(spoken) == text


@pytest.mark.parametrize("text", ["First sentence here.", "Second one follows!", "And a third?"])
def test_one_chunk_ending_in_the_pause_for_its_punctuation(
    espeak: EspeakEngine, speak: Callable[..., Any], text: str
) -> None:
    _, chunks = speak(espeak, text, "en-us")
    assert len(chunks) == 1
    chunk = chunks[0]
    tail = chunk.samples[-int(0.1 * chunk.sample_rate) :]
    assert float(np.abs(tail).max()) < 0.01, "the sentence pause ends the chunk"
    assert chunk.words[-1].end < chunk.duration - 0.1, "the last word ends before the pause"


def test_a_text_of_several_sentences_is_one_utterance(espeak: EspeakEngine) -> None:
    """Engines do not split: the plan hands them one sentence at a time (mynah.tts.plan)."""
    text = "One. Two. Three."
    chunks = list(espeak.synthesize(text, SynthesisOptions(voice="en-us")))
    assert len(chunks) == 1
    assert [w.text for w in chunks[0].words] == ["One", "Two", "Three"]


def test_streams_lazily(espeak: EspeakEngine) -> None:
    chunks = espeak.synthesize("One.", SynthesisOptions(voice="en-us"))
    assert not isinstance(chunks, list | tuple)
    first = next(iter(chunks))
    assert first.words[0].text == "One"


def test_speed_two_halves_the_duration(espeak: EspeakEngine, speak: Callable[..., Any]) -> None:
    text = "The quick brown fox jumps over the lazy dog, and then it runs far away into the forest."
    normal, _ = speak(espeak, text, "en-us")
    fast, _ = speak(espeak, text, "en-us", speed=2.0)
    slow, _ = speak(espeak, text, "en-us", speed=0.5)
    assert 0.4 < len(fast) / len(normal) < 0.6
    assert len(slow) > 1.5 * len(normal)


def test_speed_is_clamped_to_espeaks_range(espeak: EspeakEngine, speak: Callable[..., Any]) -> None:
    # espeak's output varies by a few samples from call to call (its pitch flutter carries over)
    text = "The quick brown fox jumps over the lazy dog."
    top, _ = speak(espeak, text, "en-us", speed=450 / 175)
    beyond, _ = speak(espeak, text, "en-us", speed=10.0)
    bottom, _ = speak(espeak, text, "en-us", speed=80 / 175)
    below, _ = speak(espeak, text, "en-us", speed=0.01)
    assert len(beyond) == pytest.approx(len(top), rel=0.01)
    assert len(below) == pytest.approx(len(bottom), rel=0.01)


def test_pitch_moves_the_voice(
    espeak: EspeakEngine, speak: Callable[..., Any], pitch_of: Callable[[Samples, int], float]
) -> None:
    text = "The quick brown fox jumps over the lazy dog."
    normal, _ = speak(espeak, text, "en-us")
    high, _ = speak(espeak, text, "en-us", pitch=1.5)
    low, _ = speak(espeak, text, "en-us", pitch=0.75)
    assert 1.25 < pitch_of(high, 22050) / pitch_of(normal, 22050) < 1.8
    assert 0.6 < pitch_of(low, 22050) / pitch_of(normal, 22050) < 0.9


def test_variants_by_name(espeak: EspeakEngine, speak: Callable[..., Any]) -> None:
    assert "en-us+f3" not in {v.name for v in espeak.voices()}
    female = espeak.resolve_voice("en-us+f3")
    assert female.id == "espeak:en-us+f3"
    assert female.gender == "female"
    assert female.language == "en-US"
    base, _ = speak(espeak, "Hello world", "en-us")
    varied, chunks = speak(espeak, "Hello world", "en-us+f3")
    assert [w.text for w in chunks[0].words] == ["Hello", "world"]
    assert float(np.sqrt(np.mean(varied**2))) > 0.02
    assert len(base) != len(varied) or not np.array_equal(base, varied)


@pytest.mark.parametrize(
    ("alias", "name"), [("fr-fr", "fr"), ("en-gb", "en"), ("EN-US", "en-us"), ("English (America)", "en-us")]
)
def test_aliases_resolve_to_listed_voices(espeak: EspeakEngine, alias: str, name: str) -> None:
    assert espeak.resolve_voice(alias).name == name


@pytest.mark.parametrize("voice", ["nope", "en-us+nonsense", "", "+f3"])
def test_unknown_voice_is_refused_before_streaming(espeak: EspeakEngine, voice: str) -> None:
    with pytest.raises(UnknownVoice) as caught:
        espeak.synthesize("Hello", SynthesisOptions(voice=voice))  # no iteration needed
    assert repr(voice) in str(caught.value)
    assert caught.value.param == "voice"


def test_empty_text_gives_no_chunks(espeak: EspeakEngine) -> None:
    assert list(espeak.synthesize("  \n ", SynthesisOptions(voice="en-us"))) == []


def test_two_instances_share_the_library_safely(
    espeak: EspeakEngine,
    engine_config: Callable[..., Any],
    pitch_of: Callable[[Samples, int], float],
) -> None:
    """A second engine does not re-initialise espeak, and threads on both get what they would get alone:
    voice, rate, pitch and callback are process-global in libespeak-ng. (Not sample-exact: espeak's
    output varies by a few samples between calls.)"""
    other = EspeakEngine(engine_config("espeak-2"))
    jobs = [
        (espeak, "Hello world, this is English.", "en-us", 1.0, 1.0),
        (other, "Guten Tag, das ist Deutsch.", "de", 1.5, 1.0),
        (espeak, "Bonjour, ceci est du français.", "fr", 0.8, 1.0),
        (other, "Hello again from the second engine.", "en-us", 1.0, 1.6),
    ]

    def run(engine: EspeakEngine, text: str, voice: str, speed: float, pitch: float) -> tuple[Any, ...]:
        chunks = list(engine.synthesize(text, SynthesisOptions(voice=voice, speed=speed, pitch=pitch)))
        audio = np.concatenate([c.samples for c in chunks])
        words = tuple(w.text for c in chunks for w in c.words)
        return len(audio), words, pitch_of(audio, 22050)

    expected = [run(*job) for job in jobs]
    results: dict[int, list[tuple[Any, ...]]] = {i: [] for i in range(len(jobs))}
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            for _ in range(5):
                results[index].append(run(*jobs[index]))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert other.sample_rate == espeak.sample_rate == 22050
    for index, outputs in results.items():
        length, words, pitch = expected[index]
        for got_length, got_words, got_pitch in outputs:
            assert got_words == words
            assert got_length == pytest.approx(length, rel=0.01)
            assert got_pitch == pytest.approx(pitch, rel=0.1)


_VOCABULARY = [
    "hello",
    "world",
    "It",
    "was",
    "I",
    "am",
    "a",
    "the",
    "123",
    "4.5",
    "Dr.",
    "Smith's",
    "€5",
    "(really)",
    '"quoted"',
    "naïve",
    "café",
    "—",
    "...",
    "1,000",
    "e.g.",
    "don't",
    "OK?",
    "yes!",
    "x",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=12), st.sampled_from([" ", "  ", ", "]))
def test_timings_hold_for_any_text(espeak: EspeakEngine, words: list[str], joiner: str) -> None:
    text = joiner.join(words)
    chunks = list(espeak.synthesize(text, SynthesisOptions(voice="en-us")))
    _check_timings(text, chunks)
    covered = {i for c in chunks for w in c.words for i in range(w.text_start, w.text_end)}
    for token in re.finditer(r"\S+", text):
        if any(c.isalnum() for c in token.group()):
            assert covered & set(range(token.start(), token.end())), f"{token.group()!r} has no timing"
