"""merge_windows on synthetic transcriptions: shifting, overlap de-duplication, segment rebuilding."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mynah.stt.chunking import Window, plan_windows
from mynah.stt.merge import merge_windows
from mynah.stt.vad import SpeechRegion
from mynah.types import Segment, Transcription, Word, join_words

EARLY, LATE = 0.9, 0.8
"""Word probabilities that tell which window a merged word came from."""


def heard(
    window: Window,
    words: list[tuple[str, float, float]],
    probability: float,
    *,
    split_at: float | None = None,
) -> Transcription:
    """What an engine returns for `window` when it hears `words` (global times): local times, words
    clipped to the window, in one segment (two when `split_at`, a global time, is given)."""
    local = [
        Word(text, max(start, window.start) - window.start, min(end, window.end) - window.start, probability)
        for text, start, end in words
        if end > window.start and start < window.end
    ]
    groups = [local]
    if split_at is not None:
        cut = split_at - window.start
        groups = [[w for w in local if w.start < cut], [w for w in local if w.start >= cut]]
    segments = tuple(
        Segment(id=i, start=g[0].start, end=g[-1].end, text=" ".join(w.text for w in g), words=tuple(g))
        for i, g in enumerate(g for g in groups if g)
    )
    return Transcription(segments=segments, duration=window.duration, language="en")


def texts(transcription: Transcription) -> list[str]:
    return [w.text for w in transcription.words]


def check_invariants(merged: Transcription) -> None:
    words = merged.words
    for word in words:
        assert 0.0 <= word.start <= word.end <= merged.duration
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    assert [s.id for s in merged.segments] == list(range(len(merged.segments)))
    for segment in merged.segments:
        assert 0.0 <= segment.start <= segment.end <= merged.duration
        if segment.words:
            assert segment.text == join_words(segment.words)


def sentence(
    start: float, count: int, step: float = 0.5, length: float = 0.35
) -> list[tuple[str, float, float]]:
    return [(f"w{i}", start + i * step, start + i * step + length) for i in range(count)]


def test_windows_without_overlap_are_shifted_and_joined() -> None:
    first, second = Window(0.0, 10.0), Window(12.0, 20.0)
    truth = [*sentence(1.0, 10), ("x", 13.0, 13.4), ("y", 14.0, 14.5)]
    merged = merge_windows(
        [(first, heard(first, truth, EARLY)), (second, heard(second, truth, LATE))], duration=25.0
    )
    assert texts(merged) == [t for t, _, _ in truth]
    assert [t for w in merged.words for t in (w.start, w.end)] == pytest.approx(
        [t for _, s, e in truth for t in (s, e)]
    )
    assert merged.duration == 25.0
    assert len(merged.segments) == 2
    assert merged.segments[1].start == pytest.approx(13.0)
    check_invariants(merged)


def test_identical_words_in_an_overlap_come_out_once_from_the_nearer_window() -> None:
    first, second = Window(0.0, 10.0), Window(6.0, 16.0)  # overlap 6-10, switch point 8
    truth = sentence(0.2, 31)  # a word every 0.5 s up to 15.2 s
    merged = merge_windows([(first, heard(first, truth, EARLY)), (second, heard(second, truth, LATE))])
    assert texts(merged) == [t for t, _, _ in truth]
    for word in merged.words:
        centre = (word.start + word.end) / 2
        assert word.probability == (EARLY if centre < 8.0 else LATE)
    check_invariants(merged)


def test_a_misrecognised_word_is_taken_once_from_the_better_placed_window() -> None:
    first, second = Window(0.0, 10.0), Window(6.0, 16.0)
    common = [("a", 6.2, 6.6), ("b", 9.2, 9.6), ("c", 11.0, 11.4)]
    early_side = [("their", 7.0, 7.4), ("cat", 8.5, 8.9)]
    late_side = [("there", 7.02, 7.38), ("hat", 8.52, 8.9)]
    merged = merge_windows(
        [
            (first, heard(first, sorted(common + early_side, key=lambda w: w[1]), EARLY)),
            (second, heard(second, sorted(common + late_side, key=lambda w: w[1]), LATE)),
        ]
    )
    assert texts(merged) == ["a", "their", "hat", "b", "c"]
    check_invariants(merged)


@pytest.mark.parametrize(
    ("early_word", "late_word"),
    [
        (("hello", 7.8, 8.3), ("hello", 7.8, 8.3)),  # the same both sides, centre just past the switch
        (("hello", 7.65, 8.2), ("hello", 7.85, 8.35)),  # jitter puts the centres on opposite sides
        (("hello", 7.85, 8.35), ("hello", 7.65, 8.2)),  # ... the other way round
        (("hello", 7.7, 8.1), ("yellow", 7.9, 8.3)),  # and the texts disagree too
    ],
)
def test_a_word_straddling_the_switch_point_is_neither_lost_nor_doubled(
    early_word: tuple[str, float, float], late_word: tuple[str, float, float]
) -> None:
    first, second = Window(0.0, 10.0), Window(6.0, 16.0)
    before, after = [("one", 6.5, 6.9), ("two", 7.0, 7.4)], [("three", 8.6, 9.0), ("four", 9.2, 9.6)]
    merged = merge_windows(
        [
            (first, heard(first, [*before, early_word, *after], EARLY)),
            (second, heard(second, [*before, late_word, *after], LATE)),
        ]
    )
    words = texts(merged)
    assert words[:2] == ["one", "two"] and words[3:] == ["three", "four"]
    assert words[2] in (early_word[0], late_word[0])
    check_invariants(merged)


def test_a_word_cut_by_the_window_edge_comes_from_the_window_that_heard_it_whole() -> None:
    first, second = Window(0.0, 10.0), Window(6.0, 16.0)
    truth = [("ask", 8.6, 9.0), ("country", 9.7, 10.4), ("now", 10.6, 10.9)]
    early = heard(first, truth, EARLY)  # "country" clipped to 9.7-10.0
    # The early engine only heard half of it and made something else of it.
    truncated = (*early.segments[0].words[:-1], Word("count", 9.7, 10.0, EARLY))
    early = Transcription(segments=(Segment(0, 8.6, 10.0, "ask count", truncated),), duration=10.0)
    merged = merge_windows([(first, early), (second, heard(second, truth, LATE))])
    assert texts(merged) == ["ask", "country", "now"]
    assert merged.words[1].probability == LATE
    assert (merged.words[1].start, merged.words[1].end) == pytest.approx((9.7, 10.4))


def test_repeated_words_keep_their_count() -> None:
    first, second = Window(0.0, 10.0), Window(6.0, 16.0)
    truth = [("no", 6.6 + 0.4 * i, 6.9 + 0.4 * i) for i in range(8)]  # "no no no ..." 6.6-9.9
    merged = merge_windows([(first, heard(first, truth, EARLY)), (second, heard(second, truth, LATE))])
    assert texts(merged) == ["no"] * 8


def test_a_word_only_one_side_heard_is_kept_on_that_sides_half() -> None:
    first, second = Window(0.0, 10.0), Window(6.0, 16.0)
    common = [("a", 6.2, 6.6), ("z", 9.4, 9.8)]
    merged = merge_windows(
        [
            (
                first,
                heard(first, [*common[:1], ("early", 7.0, 7.3), ("ghost", 9.0, 9.2), *common[1:]], EARLY),
            ),
            (
                second,
                heard(second, [*common[:1], ("phantom", 6.8, 6.95), ("late", 8.4, 8.7), *common[1:]], LATE),
            ),
        ]
    )
    assert texts(merged) == ["a", "early", "late", "z"]


@pytest.mark.parametrize("position", [0, 1, 2])
def test_empty_windows(position: int) -> None:
    windows = [Window(0.0, 5.0), Window(5.5, 9.0), Window(12.0, 15.0)]
    truth = [("a", 1.0, 1.5), ("b", 6.0, 6.5), ("c", 13.0, 13.5)]
    results = [(w, heard(w, truth, EARLY)) for w in windows]
    results[position] = (windows[position], Transcription(segments=(), duration=windows[position].duration))
    merged = merge_windows(results, duration=16.0)
    assert texts(merged) == [t for i, (t, _, _) in enumerate(truth) if i != position]
    check_invariants(merged)


def test_nothing_at_all() -> None:
    assert merge_windows([]) == Transcription(segments=(), duration=0.0)
    empty = merge_windows([(Window(0.0, 30.0), Transcription(segments=(), duration=30.0))], duration=60.0)
    assert empty.segments == () and empty.text == "" and empty.duration == 60.0


def test_times_are_clipped_to_the_window_and_the_recording() -> None:
    window = Window(50.0, 60.0)
    wild = Transcription(
        segments=(Segment(0, -1.0, 12.0, "x y", (Word("x", -0.5, 0.3, 1.0), Word("y", 9.5, 12.0, 1.0))),),
        duration=10.0,
    )
    merged = merge_windows([(window, wild)], duration=58.0)
    assert [t for w in merged.words for t in (w.start, w.end)] == pytest.approx([50.0, 50.3, 58.0, 58.0])
    assert (merged.segments[0].start, merged.segments[0].end) == (50.0, 58.0)
    check_invariants(merged)


def test_segments_are_trimmed_renumbered_and_rebuilt() -> None:
    first, second = Window(0.0, 10.0), Window(6.0, 16.0)
    truth = sentence(5.0, 12)  # 5.0 .. 10.85
    merged = merge_windows(
        [
            (first, heard(first, truth, EARLY, split_at=6.4)),
            (second, heard(second, truth, LATE, split_at=9.4)),
        ]
    )
    assert texts(merged) == [t for t, _, _ in truth]
    assert [s.text for s in merged.segments] == ["w0 w1 w2", "w3 w4 w5", "w6 w7 w8", "w9 w10 w11"]
    assert merged.segments[1].end == pytest.approx(merged.segments[1].words[-1].end)  # trimmed to its words
    check_invariants(merged)


def pieces(window: Window, spoken: list[tuple[str, float, float]], probability: float) -> Transcription:
    """Whisper-style pieces (global times): " $1" ".5" " million," as words that join or not."""
    words = tuple(
        Word(
            text.strip(),
            start - window.start,
            end - window.start,
            probability,
            joins_previous=not text.startswith(" "),
        )
        for text, start, end in spoken
        if end > window.start and start < window.end
    )
    segment = Segment(0, words[0].start, words[-1].end, join_words(words), words)
    return Transcription(segments=(segment,), duration=window.duration)


def test_an_untouched_segment_keeps_the_engines_own_text() -> None:
    window = Window(0.0, 10.0)
    words = (
        Word("It", 0.0, 0.2, 0.9),
        Word("cost", 0.2, 0.5, 0.9),
        Word("$1", 0.5, 0.8, 0.9),
        Word(".5", 0.8, 1.0, 0.9, joins_previous=True),
        Word("million.", 1.0, 1.5, 0.9),
    )
    segment = Segment(0, 0.0, 1.5, " It cost $1.5 million.", words)
    merged = merge_windows([(window, Transcription(segments=(segment,), duration=10.0))])
    assert merged.text == merged.segments[0].text == "It cost $1.5 million."
    assert texts(merged) == ["It", "cost", "$1", ".5", "million."]
    assert merged.words[3].joins_previous


@pytest.mark.parametrize("switch_side", ["piece before", "piece after"])
def test_a_token_of_pieces_is_kept_or_dropped_whole_in_an_overlap(switch_side: str) -> None:
    first, second = Window(0.0, 10.0), Window(6.0, 16.0)  # switch point 8.0
    shift = 0.0 if switch_side == "piece before" else 0.3
    spoken = [
        (" It", 6.5, 6.9),
        (" cost", 7.0, 7.4),
        (" $1", 7.5 + shift, 7.95 + shift),  # centre before the switch point (or after, shifted)
        (".5", 7.95 + shift, 8.4 + shift),  # centre after it
        (" million,", 8.5 + shift, 9.0 + shift),
        (" and", 9.2 + shift, 9.4 + shift),
    ]
    merged = merge_windows([(first, pieces(first, spoken, EARLY)), (second, pieces(second, spoken, LATE))])
    assert texts(merged) == ["It", "cost", "$1", ".5", "million,", "and"]
    assert merged.text == "It cost $1.5 million, and"
    dollar, point = merged.words[2], merged.words[3]
    assert dollar.probability == point.probability  # both pieces from one window
    check_invariants(merged)


def test_segments_without_words_follow_the_switch_point() -> None:
    first, second = Window(0.0, 10.0), Window(6.0, 16.0)

    def plain(*spans: tuple[str, float, float]) -> Transcription:
        return Transcription(
            segments=tuple(Segment(i, s, e, t) for i, (t, s, e) in enumerate(spans)), duration=10.0
        )

    merged = merge_windows(
        [
            (first, plain(("first part", 1.0, 5.0), ("middle early", 6.5, 7.5), ("edge early", 8.5, 10.0))),
            (second, plain(("edge late", 0.5, 1.5), ("middle late", 2.5, 4.0), ("last part", 5.0, 8.0))),
        ]
    )
    assert [s.text for s in merged.segments] == ["first part", "middle early", "middle late", "last part"]


def test_language_comes_from_the_longest_window() -> None:
    short = Transcription(segments=(), duration=2.0, language="de", language_probability=0.6)
    long = Transcription(segments=(), duration=9.0, language="en", language_probability=0.9)
    merged = merge_windows([(Window(0.0, 2.0), short), (Window(3.0, 12.0), long)])
    assert (merged.language, merged.language_probability) == ("en", 0.9)


# ------------------------------------------------------------------------------------- property


@st.composite
def talks(draw: st.DrawFn) -> tuple[list[tuple[str, float, float]], list[Window], float]:
    """Words spoken back to back with short pauses, and windows planned over them with cuts inside
    speech (no pause long enough to cut at)."""
    vocabulary = ["no", "yes", "the", "a", "cat", "sat", "on", "mat", "go"]
    words: list[tuple[str, float, float]] = []
    t = draw(st.floats(0.0, 2.0))
    for _ in range(draw(st.integers(1, 120))):
        length = draw(st.floats(0.08, 0.8))
        words.append((draw(st.sampled_from(vocabulary)), t, t + length))
        t += length + draw(st.floats(0.0, 0.25))
    total = t + draw(st.floats(0.0, 2.0))
    max_window = draw(st.floats(6.0, 20.0))
    overlap = draw(st.floats(0.8, 2.5))
    regions = [SpeechRegion(words[0][1], words[-1][2])]
    windows = plan_windows(regions, total, max_window=max_window, overlap=overlap, min_gap_to_cut=0.3)
    return words, windows, total


@settings(max_examples=200, deadline=None)
@given(talks(), st.randoms(use_true_random=False))
def test_no_word_is_lost_or_doubled(
    case: tuple[list[tuple[str, float, float]], list[Window], float], rng: random.Random
) -> None:
    """Each window hears exactly the words that reach into it (cut at its edges), with up to 40 ms of
    timing jitter; the merge gives back every word once, in order."""
    words, windows, total = case
    results = []
    for window in windows:
        jittered = [
            (text, start + rng.uniform(-0.04, 0.04), end + rng.uniform(-0.04, 0.04))
            for text, start, end in words
        ]
        results.append((window, heard(window, [(t, s, max(s, e)) for t, s, e in jittered], EARLY)))
    merged = merge_windows(results, duration=total)
    assert texts(merged) == [t for t, _, _ in words]
    check_invariants(merged)
