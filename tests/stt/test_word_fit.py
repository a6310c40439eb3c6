"""Word times fitted to the speech the VAD found (mynah.stt.word_fit): the rules one by one.

The real-speech check (no word stretched over the silence between two recordings, real Whisper)
is tests/real/test_stt_batched.py::test_no_word_is_stretched_over_the_silence_between_two_recordings.
"""

from __future__ import annotations

from mynah.stt.vad import SpeechRegion
from mynah.stt.word_fit import fit_to_speech, pauses_in
from mynah.types import Segment, Transcription, Word

PAUSE = (2.0, 3.0)


def fitted(
    *spans: tuple[float, float], pauses: tuple[tuple[float, float], ...] = (PAUSE,)
) -> list[tuple[float, float]]:
    words = tuple(Word(f"w{i}", s, e, 0.9) for i, (s, e) in enumerate(spans))
    segment = Segment(0, spans[0][0], spans[-1][1], " ".join(w.text for w in words), words)
    result = fit_to_speech(Transcription((segment,), duration=10.0), pauses)
    return [(w.start, w.end) for w in result.segments[0].words]


def test_a_word_that_starts_in_a_pause_starts_where_speech_resumes() -> None:
    assert fitted((1.0, 1.9), (2.2, 3.4)) == [(1.0, 1.9), (3.0, 3.4)]


def test_a_word_that_ends_in_a_pause_ends_where_speech_stopped() -> None:
    assert fitted((1.5, 2.6), (3.1, 3.5)) == [(1.5, 2.0), (3.1, 3.5)]


def test_a_word_spanning_a_pause_is_the_word_after_it_unless_it_ends_its_segment() -> None:
    assert fitted((1.0, 1.8), (1.9, 3.4), (3.4, 3.8)) == [(1.0, 1.8), (3.0, 3.4), (3.4, 3.8)]
    assert fitted((1.0, 1.8), (1.9, 3.4)) == [(1.0, 1.8), (1.9, 2.0)]


def test_a_word_wholly_inside_a_pause_or_one_that_would_vanish_is_left_alone() -> None:
    assert fitted((1.0, 1.8), (2.2, 2.7), (3.2, 3.5)) == [(1.0, 1.8), (2.2, 2.7), (3.2, 3.5)]
    assert fitted((1.0, 1.8), (2.5, 3.02)) == [(1.0, 1.8), (2.5, 3.02)]


def test_words_stay_in_order_and_the_segment_follows_its_words() -> None:
    words = (Word("a", 2.2, 3.5, 0.9), Word("b", 2.9, 3.8, 0.9))
    segment = Segment(0, 2.1, 3.8, "a b", words)
    result = fit_to_speech(Transcription((segment,), duration=10.0), (PAUSE,)).segments[0]
    assert [(w.start, w.end) for w in result.words] == [(3.0, 3.5), (3.0, 3.8)]
    assert (result.start, result.end, result.text) == (3.0, 3.8, "a b")


def test_pauses_are_the_gaps_between_regions_inside_the_window_in_its_time() -> None:
    regions = [
        SpeechRegion(0.0, 4.0),
        SpeechRegion(5.0, 9.0),
        SpeechRegion(10.5, 12.0),
        SpeechRegion(13.0, 14.0),
    ]
    assert pauses_in(regions, 4.5, 11.0) == ((0.0, 0.5), (4.5, 6.0))
    assert pauses_in(regions, 5.0, 9.0) == ()


def test_nothing_to_fit_returns_the_transcription_itself() -> None:
    segment = Segment(0, 0.5, 1.5, "a", (Word("a", 0.5, 1.5, 0.9),))
    transcription = Transcription((segment,), duration=3.0)
    assert fit_to_speech(transcription, ()) is transcription
    assert fit_to_speech(transcription, (PAUSE,)) is transcription
