"""Batched windows with their pauses shortened (mynah.stt.squeeze) and planned by squeezed length."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mynah.stt.chunking import WindowPlanner
from mynah.stt.squeeze import squeeze_window
from mynah.stt.vad import SpeechRegion
from mynah.types import Segment, Transcription, Word

RATE = 16000


@st.composite
def speech(draw: st.DrawFn) -> tuple[list[SpeechRegion], float]:
    regions = []
    t = draw(st.floats(0.0, 3.0))
    for _ in range(draw(st.integers(1, 25))):
        length = draw(st.one_of(st.floats(0.2, 3.0), st.floats(3.0, 12.0)))
        regions.append(SpeechRegion(t, t + length))
        t += length + draw(st.one_of(st.floats(0.01, 0.3), st.floats(0.3, 1.5), st.floats(1.5, 5.0)))
    return regions, t + draw(st.floats(0.0, 3.0))


def squeezed_length(start: float, end: float, regions: list[SpeechRegion], squeeze: float) -> float:
    length = end - start
    for a, b in itertools.pairwise(regions):
        lo, hi = max(a.end, start), min(b.start, end)
        if hi > lo:
            length -= max(0.0, (hi - lo) - squeeze)
    return length


@settings(max_examples=300, deadline=None)
@given(speech(), st.floats(0.0, 1.0), st.lists(st.floats(0.5, 30.0), min_size=1, max_size=20))
def test_squeezed_windows_hold_at_most_max_window_and_plan_alike_as_speech_arrives(
    case: tuple[list[SpeechRegion], float], squeeze: float, steps: list[float]
) -> None:
    regions, total = case
    options = {"max_window": 30.0, "overlap": 2.0, "min_gap_to_cut": 0.3, "max_silence": 3.0, "pack": True}
    whole = WindowPlanner(**options, squeeze=squeeze).finish(regions, total)
    planner = WindowPlanner(**options, squeeze=squeeze)
    got = []
    known = 0.0
    for step in itertools.cycle(steps):
        known += step
        if known >= total:
            break
        visible = [SpeechRegion(r.start, min(r.end, known)) for r in regions if r.start < known]
        got += planner.advance(visible, known)
    got += planner.finish(regions, total)
    assert got == whole
    for region in regions:  # every second of speech is in a window
        t = region.start
        for window in whole:
            if window.start <= t + 1e-6 and window.end > t:
                t = max(t, window.end)
        assert t >= region.end - 1e-6
    for window in whole:
        assert squeezed_length(window.start, window.end, regions, squeeze) <= 30.0 + 1e-6
        sent = squeeze_window(
            np.zeros(round(window.duration * RATE), np.float32), RATE, window.start, regions, squeeze
        )
        assert len(sent.samples) / RATE <= 30.0 + 1e-3


def test_squeezing_packs_more_speech_into_a_window() -> None:
    regions = [SpeechRegion(i * 5.2, i * 5.2 + 4.0) for i in range(14)]  # 4 s of speech, 1.2 s pauses
    plain = WindowPlanner(max_window=30, overlap=2, min_gap_to_cut=0.3, pack=True).finish(regions, 73)
    squeezed = WindowPlanner(max_window=30, overlap=2, min_gap_to_cut=0.3, pack=True, squeeze=0.3)
    assert (len(plain), len(squeezed.finish(regions, 73))) == (3, 2)  # 6 + 6 + 2 sentences, 7 + 7


def test_times_map_back_to_the_recording() -> None:
    """A tone at known places, the pauses between them cut: the sent audio holds the tones only
    squeezed, and every time inside a tone maps back to where it was in the window."""
    start = 10.0
    regions = [SpeechRegion(10.0, 12.0), SpeechRegion(14.0, 15.0), SpeechRegion(15.2, 16.0)]
    samples = np.zeros(6 * RATE, np.float32)
    for region in regions:
        samples[round((region.start - start) * RATE) : round((region.end - start) * RATE)] = 1.0
    sent = squeeze_window(samples, RATE, start, regions, 0.3)
    assert len(sent.samples) / RATE == pytest.approx(6.0 - 1.7, abs=1e-3)  # the 2 s pause kept at 0.3
    assert float(sent.samples.sum()) / RATE == pytest.approx(3.8, abs=1e-3)  # no speech lost
    for t_sent in np.arange(0.0, len(sent.samples) / RATE, 0.01):
        here = sent.samples[min(len(sent.samples) - 1, round(t_sent * RATE))]
        real = sent.real(float(t_sent))
        assert samples[min(len(samples) - 1, round(real * RATE))] == here
    word = Word("b", start=2.4, end=3.2, probability=0.9)  # inside the second tone, as sent
    found = Transcription(segments=(Segment(0, 2.0, 3.0, "b", (word,)),), duration=4.3)
    back = sent.unsqueeze(found, 6.0)
    (mapped,) = back.segments[0].words
    assert (mapped.start, mapped.end) == pytest.approx((4.1, 4.9), abs=1e-3)  # 1.7 s were cut before it
    assert back.duration == 6.0


def test_a_window_without_long_pauses_is_sent_as_it_is() -> None:
    samples = np.ones(5 * RATE, np.float32)
    sent = squeeze_window(samples, RATE, 0.0, [SpeechRegion(0, 2), SpeechRegion(2.2, 5)], 0.3)
    assert sent.samples is samples
    found = Transcription(segments=(Segment(0, 1.0, 2.0, "a"),), duration=5.0)
    assert sent.unsqueeze(found, 5.0) is found
