"""A final is decoded while the silence that ends its utterance runs (real pocketsphinx, a real
recording): it is then the very decode a final after the silence would have made, and no decode is
left to run once the silence has lasted `final_silence`; voice coming back drops the speculation."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from mynah.audio.decode import decode_audio
from mynah.realtime.hub import Realtime
from mynah.realtime.live_results import LiveResult, TranscriptionConfig
from mynah.realtime.transcribe import TranscriptionStream
from mynah.runtime import Runtime

RATE = 16000
CONFIG = TranscriptionConfig(model="pocketsphinx:en-us", partials=False, final_silence=0.5)


@pytest.fixture(scope="module")
def jfk(speech_dir: Path) -> np.ndarray:
    return decode_audio((speech_dir / "jfk.flac").read_bytes(), RATE)


@pytest.fixture(scope="module")
def speech(jfk: np.ndarray) -> np.ndarray:
    """ "And so my fellow Americans": voice until 2.28 s, then a pause."""
    return jfk[: round(2.3 * RATE)]


@pytest.fixture
def hub(runtime: Runtime) -> Iterator[Realtime]:
    hub = Realtime(runtime)
    yield hub
    hub.close()


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE), np.float32)


def pcm(samples: np.ndarray) -> bytes:
    return bytes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def push_frames(stream: TranscriptionStream, samples: np.ndarray) -> None:
    """As a microphone sends it: 100 ms frames."""
    data = pcm(samples)
    for index in range(0, len(data), 3200):
        stream.push(data[index : index + 3200])


async def idle(hub: Realtime) -> None:
    """Until no decode is queued or running (waiting for that state, not for a time)."""
    deadline = asyncio.get_running_loop().time() + 120
    while hub.stats().decoding:
        assert asyncio.get_running_loop().time() < deadline, "a decode never finished"
        await asyncio.sleep(0.01)


async def finals(stream: TranscriptionStream) -> list[LiveResult]:
    stream.close_input()
    out = []
    while (result := await stream.next()) is not None:
        if result.is_final and not result.is_last:
            out.append(result)
    await stream.wait_closed()
    return out


def test_the_final_is_the_decode_made_while_the_silence_ran(hub: Realtime, speech: np.ndarray) -> None:
    async def run() -> tuple[LiveResult, LiveResult, int, int]:
        live = await TranscriptionStream.open(hub, CONFIG)
        push_frames(live, np.concatenate([speech, silence(0.3)]))  # silent long enough to speculate
        await idle(hub)
        before = hub.stats().decodes
        push_frames(live, silence(0.3))  # the silence reaches final_silence: the utterance ends
        final = await live.next()
        after = hub.stats().decodes
        await finals(live)
        # the same audio in one piece: the utterance has ended before anything could be speculated
        whole = await TranscriptionStream.open(hub, CONFIG)
        whole.push(pcm(np.concatenate([speech, silence(0.6)])))
        [reference] = await finals(whole)
        assert final is not None
        return final, reference, before, after

    final, reference, before, after = asyncio.run(run())
    assert final.is_final and final.text
    assert after == before  # nothing was left to decode when the silence ended it
    assert (final.text, final.start, final.end) == (reference.text, reference.start, reference.end)
    assert [(w.text, w.start, w.end) for w in final.words] == [
        (w.text, w.start, w.end) for w in reference.words
    ]


def test_voice_after_a_short_pause_drops_the_speculation(
    hub: Realtime, speech: np.ndarray, jfk: np.ndarray
) -> None:
    """A 0.3 s pause starts a speculative final; the voice that follows ("ask not", from 2.6 s of
    the stream on) makes it stale: one utterance, one final, with the words after the pause."""
    first, second = speech, jfk[round(3.2 * RATE) : round(4.5 * RATE)]

    async def run() -> list[LiveResult]:
        live = await TranscriptionStream.open(hub, CONFIG)
        push_frames(live, np.concatenate([first, silence(0.3)]))
        await idle(hub)
        push_frames(live, np.concatenate([second, silence(0.6)]))
        return await finals(live)

    [final] = asyncio.run(run())
    assert final.start < 0.5 and any(w.start > 2.6 for w in final.words)


def test_no_partial_starts_in_a_pause_so_the_final_finds_the_decoder_free(
    hub: Realtime, speech: np.ndarray
) -> None:
    """Audio arriving in one piece with a partial due: ending in voice it is decoded as a partial;
    ending 0.15 s into a pause (past `partial_hold`, before the speculative final's 0.2 s) nothing
    starts; at 0.25 s into the pause the one decode is the speculative final."""
    config = TranscriptionConfig(model="pocketsphinx:en-us", partials=True, final_silence=0.5)

    async def decodes_after(samples: np.ndarray, live: TranscriptionStream) -> int:
        before = hub.stats().decodes
        live.push(pcm(samples))
        await asyncio.sleep(0)  # let the stream take the audio
        await idle(hub)
        return hub.stats().decodes - before

    async def run() -> tuple[int, int, int, list[LiveResult]]:
        voiced = await TranscriptionStream.open(hub, config)
        in_voice = await decodes_after(speech, voiced)
        await finals(voiced)
        live = await TranscriptionStream.open(hub, config)
        in_pause = await decodes_after(np.concatenate([speech, silence(0.15)]), live)
        speculated = await decodes_after(silence(0.1), live)
        return in_voice, in_pause, speculated, await finals(live)

    in_voice, in_pause, speculated, [final] = asyncio.run(run())
    assert in_voice >= 1
    assert in_pause == 0
    assert speculated == 1
    assert final.text


def test_a_stream_that_ends_in_the_silence_takes_the_speculative_final(
    hub: Realtime, speech: np.ndarray
) -> None:
    """The client closes the stream 0.3 s into the pause (the speculative final is decoding, the
    utterance not yet ended by `final_silence`): that decode is the final, no second one runs."""

    async def run() -> tuple[int, int, list[LiveResult]]:
        live = await TranscriptionStream.open(hub, CONFIG)
        push_frames(live, np.concatenate([speech, silence(0.3)]))
        await idle(hub)
        before = hub.stats().decodes
        found = await finals(live)
        return before, hub.stats().decodes, found

    before, after, [final] = asyncio.run(run())
    assert final.text
    assert after == before


def test_a_final_asked_for_is_decoded_from_that_moment(hub: Realtime, speech: np.ndarray) -> None:
    """The client closes the stream while the voice is still on (no silence to speculate in): the
    final's decode is submitted by `close_input` itself, not later by the decoding loop (which may
    be waiting on a partial), and it is the final's only decode."""

    async def run() -> tuple[int, int, int, list[LiveResult]]:
        live = await TranscriptionStream.open(hub, CONFIG)
        push_frames(live, speech)
        await asyncio.sleep(0)
        await idle(hub)
        before = hub.stats().decodes
        live.close_input()
        submitted = hub.stats().decodes  # before the loop has run again
        found = []
        while (result := await live.next()) is not None:
            if result.is_final and not result.is_last:
                found.append(result)
        await live.wait_closed()
        return before, submitted, hub.stats().decodes, found

    before, submitted, after, [final] = asyncio.run(run())
    assert submitted == before + 1
    assert after == submitted
    assert final.text and final.start < 0.5
