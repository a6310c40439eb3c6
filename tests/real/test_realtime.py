"""Real-time voice on real weights (Piper joe, Whisper tiny.en), over a real server: the speech
socket, barge-in, the Lightning shapes, live transcription, OpenAI's realtime client, `mynah
wyoming` through the wyoming package's own client, and 100 dropped streams leaving nothing behind."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from mynah.audio.decode import decode_audio
from mynah.audio.dsp import resample
from tests.support import LiveServer, free_port

JOE = "piper:en_US-joe-medium"
TINY = "whisper:tiny.en"
REPLY = (
    "Sure, I can help with that. The train leaves at nine, so you should be at the station by half past "
    "eight. Do you want me to book a taxi?"
)


def ws(server: LiveServer, path: str) -> str:
    return server.url.replace("http://", "ws://") + path


def pcm16(samples: np.ndarray) -> bytes:
    return bytes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def tokens(text: str) -> list[str]:
    """Text as an LLM streams it: words with their leading space, punctuation on its own."""
    out: list[str] = []
    for word in text.split(" "):
        core = word.rstrip(",.?!")
        out.append((" " if out else "") + core)
        out.extend(word[len(core) :])
    return out


async def speak(server: LiveServer, pieces: list[str], **config: Any) -> tuple[bytes, list[dict[str, Any]]]:
    async with connect(ws(server, "/v1/mynah/speech/stream")) as socket:
        await socket.send(json.dumps({"voice": JOE, "format": "pcm", "timings": True, **config}))
        for piece in pieces:
            await socket.send(json.dumps({"text": piece}))
        await socket.send(json.dumps({"text": ""}))
        audio, events = bytearray(), []
        async for message in socket:
            if isinstance(message, bytes):
                audio += message
                continue
            events.append(json.loads(message))
            if events[-1]["type"] in ("done", "error"):
                break
    return bytes(audio), events


def test_text_streamed_token_by_token_is_spoken_with_timings_over_the_whole_text(
    real_server: LiveServer,
) -> None:
    audio, events = asyncio.run(speak(real_server, tokens(REPLY)))
    assert events[0]["type"] == "ready" and events[-1]["type"] == "done"
    seconds = len(audio) / 2 / events[0]["sample_rate"]
    assert events[-1]["seconds"] == pytest.approx(seconds, abs=0.01)
    words = [e for e in events if e["type"] == "word"]
    for word in words:
        assert REPLY[word["start"] : word["end"]] == word["value"]
    assert [w["value"] for w in words][:4] == ["Sure", "I", "can", "help"]
    times = [w["time"] for w in words]
    assert times == sorted(times) and times[-1] < seconds
    # an utterance's first clause is a unit of its own (first audio while the rest is written)
    sentences = [e["value"] for e in events if e["type"] == "sentence"]
    assert sentences[:2] == ["Sure,", "I can help with that."]


def test_cancel_drops_queued_audio_and_the_next_utterance_goes_on_counting(real_server: LiveServer) -> None:
    async def run() -> tuple[list[dict[str, Any]], int]:
        async with connect(ws(real_server, "/v1/mynah/speech/stream")) as socket:
            await socket.send(json.dumps({"voice": JOE, "format": "pcm", "timings": True}))
            await socket.send(json.dumps({"text": REPLY * 3, "flush": True}))
            events: list[dict[str, Any]] = []
            while not any(isinstance(m, bytes) for m in [await socket.recv()]):
                pass
            await socket.send(json.dumps({"type": "cancel"}))
            while (event := json.loads(await _next_text(socket)))["type"] != "cancelled":
                pass
            assert event["offset"] == len(REPLY) * 3
            await socket.send(json.dumps({"text": "Okay."}))
            await socket.send(json.dumps({"text": ""}))
            after = 0
            async for message in socket:
                if isinstance(message, bytes):
                    after += len(message)
                    continue
                events.append(json.loads(message))
                if events[-1]["type"] == "done":
                    break
            return events, after

    events, after = asyncio.run(run())
    words = [e for e in events if e["type"] == "word"]
    assert [w["value"] for w in words] == ["Okay"]
    assert words[0]["start"] == len(REPLY) * 3  # offsets count everything sent, cancelled text too
    assert after < 22050 * 2 * 2  # only "Okay." was spoken after the cancel


async def _next_text(socket: Any) -> str:
    while isinstance(message := await socket.recv(), bytes):
        pass
    return str(message)


def test_lightning_shapes_http_sse_and_socket(real_server: LiveServer) -> None:
    body = {
        "text": "Hello from the waves route.",
        "voice_id": JOE,
        "output_format": "wav",
        "sample_rate": 16000,
    }
    response = httpx.post(real_server.url + "/waves/v1/tts", json=body, timeout=60)
    assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
    assert len(decode_audio(response.content, 16000)) > 16000 // 2
    with httpx.stream("POST", real_server.url + "/waves/v1/tts/stream", json=body, timeout=60) as sse:
        lines = [line for line in sse.iter_lines() if line.startswith("data:")]
    assert json.loads(lines[-1][5:]) == {"done": True}
    assert all("audio" in json.loads(line[5:]) for line in lines[:-1]) and len(lines) > 1

    async def socket() -> list[dict[str, Any]]:
        async with connect(ws(real_server, "/waves/v1/tts/stream")) as s:
            await s.send(json.dumps({"voice_id": JOE, "text": "Hello,", "continue": True}))
            await s.send(json.dumps({"text": " and goodbye.", "continue": False}))
            out = []
            while True:
                out.append(json.loads(await s.recv()))
                if out[-1]["status"] != "chunk":
                    return out

    out = asyncio.run(socket())
    assert out[-1]["status"] == "complete" and len(out) > 1
    assert base64.b64decode(out[0]["data"]["audio"])


@pytest.fixture(scope="module")
def jfk(speech_dir: Path) -> np.ndarray:
    return decode_audio((speech_dir / "jfk.flac").read_bytes(), 16000)


async def transcribe_live(server: LiveServer, audio: np.ndarray, pace: float) -> list[dict[str, Any]]:
    """`audio` sent as a microphone would, 100 ms a frame, `pace` times faster than real time."""
    async with connect(ws(server, "/v1/mynah/transcriptions/stream")) as socket:
        await socket.send(json.dumps({"model": TINY, "sample_rate": 16000}))
        assert json.loads(await socket.recv())["type"] == "ready"

        async def send() -> None:
            for start in range(0, len(audio), 1600):
                await socket.send(pcm16(audio[start : start + 1600]))
                await asyncio.sleep(0.1 / pace)  # the microphone's pace, not a wait for state
            await socket.send(json.dumps({"type": "close_stream"}))

        sender = asyncio.create_task(send())
        results = [json.loads(m) async for m in socket]
        await sender
    return results


def test_live_transcription_gives_partials_then_finals_with_words(
    real_server: LiveServer, jfk: np.ndarray
) -> None:
    results = asyncio.run(transcribe_live(real_server, jfk, pace=2.0))
    finals = [r for r in results if r["is_final"] and not r["is_last"]]
    assert results[-1]["is_last"] and results[-1]["is_final"]
    assert any(not r["is_final"] for r in results), "no partial result"
    text = " ".join(f["transcript"] for f in finals).lower()
    for word in ("fellow", "americans", "country"):
        assert word in text
    for final in finals:
        assert final["words"] and all(0 <= w["confidence"] <= 1 for w in final["words"])
        assert final["start"] <= final["words"][0]["start"] <= final["words"][-1]["end"] <= final["end"] + 0.5
    starts = [f["start"] for f in finals]
    assert starts == sorted(starts)


def test_openai_realtime_client_gets_deltas_and_a_completed_transcript(
    real_server: LiveServer, jfk: np.ndarray
) -> None:
    from openai import AsyncOpenAI

    audio = pcm16(resample(jfk, 16000, 24000))

    async def run() -> list[Any]:
        client = AsyncOpenAI(base_url=real_server.v1, api_key="unused")
        events: list[Any] = []
        async with client.realtime.connect(extra_query={"intent": "transcription"}) as connection:
            await connection.send(
                {
                    "type": "session.update",
                    "session": {
                        "type": "transcription",
                        "audio": {
                            "input": {
                                "format": {"type": "audio/pcm", "rate": 24000},
                                "transcription": {"model": TINY},
                                "turn_detection": {"type": "server_vad", "silence_duration_ms": 500},
                            }
                        },
                    },
                }
            )
            for start in range(0, len(audio), 9600):
                chunk = base64.b64encode(audio[start : start + 9600]).decode()
                await connection.send({"type": "input_audio_buffer.append", "audio": chunk})
                await asyncio.sleep(0.1)  # 200 ms of audio a frame, twice real time: a microphone's pace
            await connection.send({"type": "input_audio_buffer.commit"})
            async for event in connection:
                events.append(event)
                if (
                    event.type == "conversation.item.input_audio_transcription.completed"
                    and "country" in str(getattr(event, "transcript", "")).lower().split()[-1]
                ):
                    break
        await client.close()
        return events

    events = asyncio.run(run())
    types = [e.type for e in events]
    assert types[0] == "transcription_session.created"
    completed = [e for e in events if e.type == "conversation.item.input_audio_transcription.completed"]
    deltas = [e for e in events if e.type == "conversation.item.input_audio_transcription.delta"]
    assert completed and "country" in " ".join(e.transcript for e in completed).lower()
    assert deltas or len(completed) > 1
    assert "input_audio_buffer.committed" in types


# ------------------------------------------------------------------------------------------- wyoming


@pytest.fixture(scope="module")
def wyoming_uri(real_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    uri = f"tcp://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "MYNAH_DATA_DIR": str(tmp_path_factory.mktemp("wyoming")),
        "MYNAH_MODELS__CACHE_DIR": str(real_cache),
        "MYNAH_MODELS__OFFLINE": "true",
        "MYNAH_TTS__DEFAULT_VOICE": JOE,
    }
    log = tmp_path_factory.mktemp("wyoming-log") / "stderr.txt"
    command = [sys.executable, "-m", "mynah", "wyoming", "--uri", uri, "--model", TINY]
    with (
        log.open("w") as stderr,
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True) as process,
    ):
        try:
            assert process.stdout is not None
            line = process.stdout.readline()  # printed once the server is listening
            assert "listening" in line, log.read_text()
            yield uri
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_wyoming_describe_transcribe_and_synthesize(wyoming_uri: str, speech_dir: Path) -> None:
    from wyoming.asr import Transcribe, Transcript
    from wyoming.audio import AudioChunk, AudioStart, AudioStop
    from wyoming.client import AsyncTcpClient
    from wyoming.info import Describe, Info
    from wyoming.tts import (
        Synthesize,
        SynthesizeChunk,
        SynthesizeStart,
        SynthesizeStop,
        SynthesizeStopped,
        SynthesizeVoice,
    )

    host, port = wyoming_uri.removeprefix("tcp://").split(":")
    goforward = pcm16(decode_audio((speech_dir / "goforward.wav").read_bytes(), 16000))

    async def run() -> tuple[Info, str, bytes, bytes, bool]:
        async with AsyncTcpClient(host, int(port)) as client:
            await client.write_event(Describe().event())
            info = Info.from_event(await _expect(client, Info.is_type))
            await client.write_event(Transcribe(name=TINY, language="en").event())
            await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            for start in range(0, len(goforward), 3200):
                chunk = AudioChunk(rate=16000, width=2, channels=1, audio=goforward[start : start + 3200])
                await client.write_event(chunk.event())
            await client.write_event(AudioStop().event())
            transcript = Transcript.from_event(await _expect(client, Transcript.is_type)).text
            await client.write_event(
                Synthesize(text="Turning on the kitchen lights.", voice=SynthesizeVoice(JOE)).event()
            )
            spoken = await _audio(client)
            await client.write_event(SynthesizeStart(voice=SynthesizeVoice(JOE)).event())
            for piece in ["The lights", " are on,", " and the door is locked."]:
                await client.write_event(SynthesizeChunk(text=piece).event())
            await client.write_event(Synthesize(text="The lights are on, and the door is locked.").event())
            await client.write_event(SynthesizeStop().event())
            streamed = await _audio(client)
            stopped = SynthesizeStopped.is_type((await client.read_event()).type)  # type: ignore[union-attr]
        return info, transcript, spoken, streamed, stopped

    info, transcript, spoken, streamed, stopped = asyncio.run(run())
    assert JOE in [v.name for v in info.tts[0].voices] and info.tts[0].supports_synthesize_streaming
    assert TINY in [m.name for m in info.asr[0].models] and info.asr[0].supports_transcript_streaming
    assert "go forward" in transcript.lower() and ("ten" in transcript.lower() or "10" in transcript)
    assert len(spoken) > 22050 and len(streamed) > 22050 and stopped


async def _expect(client: Any, is_type: Any) -> Any:
    while True:
        event = await client.read_event()
        assert event is not None, "the server closed the connection"
        if is_type(event.type):
            return event


async def _audio(client: Any) -> bytes:
    from wyoming.audio import AudioChunk, AudioStop

    await _expect(client, lambda t: t == "audio-start")
    audio = bytearray()
    while True:
        event = await client.read_event()
        assert event is not None
        if AudioChunk.is_type(event.type):
            audio += AudioChunk.from_event(event).audio
        elif AudioStop.is_type(event.type):
            return bytes(audio)


# ------------------------------------------------------------------------------------------- drops


BOUNDED_POOLS = ("mynah-live-stt", "asyncio_", "uvloop_")  # asyncio's default executor, named by the loop


def stray_threads(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Threads there are more of than before, but those of bounded pools, which may have grown to
    their bound meanwhile (checked apart): the live decoders and asyncio's default executor. A leak
    grows with the drops."""

    def kinds(names: list[str]) -> Counter[str]:  # "Thread-12 (worker)" and "Thread-31 (worker)" alike
        return Counter(re.sub(r"\d+", "#", name) for name in names)

    grown = kinds(after["thread_names"]) - kinds(before["thread_names"])
    return sorted(name for name in grown if not name.startswith(BOUNDED_POOLS))


def test_100_streams_dropped_mid_utterance_leave_nothing_behind(
    real_server: LiveServer, jfk: np.ndarray
) -> None:
    stats_url = real_server.v1 + "/mynah/realtime"

    async def drop_speech() -> None:
        socket = await connect(ws(real_server, "/v1/mynah/speech/stream"))
        await socket.send(json.dumps({"voice": JOE, "format": "pcm"}))
        await socket.recv()
        await socket.send(json.dumps({"text": REPLY * 4}))
        assert isinstance(await socket.recv(), bytes)  # mid-utterance: audio is flowing
        socket.transport.abort()  # the client vanishes without a close frame
        await asyncio.sleep(0)  # let the transport release its socket

    async def drop_transcription() -> None:
        socket = await connect(ws(real_server, "/v1/mynah/transcriptions/stream"))
        await socket.send(json.dumps({"model": TINY}))
        await socket.recv()
        await socket.send(pcm16(jfk[: 16000 * 3]))
        socket.transport.abort()
        await asyncio.sleep(0)

    async def drop(count: int) -> None:
        for index in range(count):
            await (drop_speech() if index % 2 == 0 else drop_transcription())

    def settled() -> dict[str, Any]:
        stats: dict[str, Any] = httpx.get(stats_url, params={"drain": 30}, timeout=60).json()
        return stats

    asyncio.run(drop(4))  # warm: models loaded, pools at their working size
    before = settled()
    asyncio.run(drop(100))
    after = settled()
    deadline = time.monotonic() + 30  # worker threads a burst added leave after their idle time
    while time.monotonic() < deadline and (stray_threads(before, after) or after["tasks"] > before["tasks"]):
        time.sleep(1)
        after = settled()
    assert after["streams"] == 0 and after["lanes"] == 0
    assert after["queued_units"] == 0 and after["running_units"] == 0 and after["decoding"] == 0
    assert all(refs == 0 for refs in after["model_leases"].values()), after["model_leases"]
    assert not stray_threads(before, after), (before["thread_names"], after["thread_names"])
    decoders = sum(name.startswith("mynah-live-stt") for name in after["thread_names"])
    assert decoders <= real_server.runtime.settings.realtime.transcription_workers
    assert sum(name.startswith("asyncio_") for name in after["thread_names"]) <= min(
        32, (os.cpu_count() or 1) + 4
    )
    assert after["tasks"] <= before["tasks"], (before, after)
    assert after["synthesis_workers"] == before["synthesis_workers"]


def test_opus_in_webm_as_a_browser_sends_it_is_transcribed(real_server: LiveServer, speech_dir: Path) -> None:
    import io

    import av

    audio = decode_audio((speech_dir / "jfk.flac").read_bytes(), 48000)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48000, layout="mono")
        frame = av.AudioFrame.from_ndarray(audio.reshape(1, -1), format="flt", layout="mono")
        frame.rate = 48000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    webm = buffer.getvalue()

    async def run() -> list[dict[str, Any]]:
        async with connect(ws(real_server, "/v1/mynah/transcriptions/stream")) as socket:
            await socket.send(json.dumps({"model": TINY, "encoding": "webm"}))
            await socket.recv()
            for start in range(0, len(webm), 4000):  # MediaRecorder's timeslice pieces, cut anywhere
                await socket.send(webm[start : start + 4000])
            await socket.send(json.dumps({"type": "close_stream"}))
            return [json.loads(m) async for m in socket]

    results = asyncio.run(run())
    text = " ".join(r["transcript"] for r in results if r["is_final"]).lower()
    assert "fellow americans" in text and "country" in text
    assert results[-1]["is_last"]


def test_bytes_that_are_not_webm_end_with_an_error(real_server: LiveServer) -> None:
    async def run() -> tuple[list[dict[str, Any]], int | None]:
        async with connect(ws(real_server, "/v1/mynah/transcriptions/stream")) as socket:
            await socket.send(json.dumps({"model": TINY, "encoding": "webm"}))
            await socket.recv()
            await socket.send(b"this is not a webm file at all" * 100)
            await socket.send(json.dumps({"type": "close_stream"}))
            messages = []
            with contextlib.suppress(ConnectionClosed):
                async for message in socket:
                    messages.append(json.loads(message))
        return messages, socket.close_code

    messages, code = asyncio.run(run())
    assert messages[-1]["type"] == "error" and messages[-1]["error"]["code"] == "invalid_audio"
    assert code == 4400
