"""Real-time speech on real weights (Piper en_US-joe-medium): first audio, no underrun, fairness.

    .venv/bin/python bench/realtime_tts.py [--rounds 5] [--model-cache DIR]

A live mynah server over the test tier's real model cache (`--server process`, the default: a
`mynah serve` process, as deployed; `--server thread`: uvicorn in a thread of this process, sharing
its interpreter with the client and the library); the library alone (PiperVoice.synthesize, same .onnx, same config mynah uses) in the same run, rounds
alternating, medians reported.

http      300 words whose first sentence has 40 words, /v1/audio/speech pcm streamed with httpx:
          first body byte and total, against Piper alone speaking the text sentence by sentence
          (its first sentence's time is what the first byte cost before clause-first synthesis);
          A/B in the same run: the same request as SSE with timings, which holds each sentence whole
          (its mark carries its duration before its audio), as every stream did before; and the
          seams: the pause at the clause cut against the pause at that comma in the whole sentence,
          and the same for a first sentence the plan cuts before a preposition (no early comma).
          One httpx client for the run, so the times are the server's, not the client's set-up
ws        a scripted LLM writing a reply at 20 tokens a second into /v1/mynah/speech/stream:
          time from the first clause's closing punctuation to its first audio frame, and underruns
          (a frame arriving after the audio before it has finished playing, playback starting at
          the first frame)
fair      8 streams at once, each a three-sentence reply sent whole: when each stream's first audio
          arrived against when any stream's third sentence was synthesised (its sentence event), and
          the total time against the same 8 replies one after another
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VOICE = "piper:en_US-joe-medium"
FIRST = (
    "When the old lighthouse keeper finally climbed the narrow spiral stairs that evening, carrying "
    "a lantern, a flask of tea and the heavy logbook under his arm, he noticed that the great lamp "
    "had already begun to turn on its own."
)
REST = (
    "He stopped on the landing and listened. The wind was rising over the water, and somewhere below "
    "a door banged twice and fell silent. He had kept this light for thirty years, through storms that "
    "tore the shutters from the windows and winters so cold that the sea froze along the shore. "
    "Nothing like this had ever happened. The mechanism needed a key, and the only key hung on a nail "
    "beside his bed. He set the lantern down and looked at the brass gears turning slowly in the "
    "half light. They were clean, as if someone had oiled them that very afternoon. Outside, a ship "
    "was passing much closer to the rocks than any captain would dare on a night like this. Its "
    "lights blinked once, then twice, as though answering the lamp. The keeper opened the logbook and "
    "wrote the time, the direction of the wind and the height of the waves, as he always did. Then he "
    "added one more line, in smaller letters, at the bottom of the page. The lamp turned without me "
    "tonight. He closed the book, picked up the lantern and went back down the stairs, counting every "
    "step, the way he had counted them on his very first night. At the bottom he paused by the door. "
    "The banging had stopped, and the only sound was the sea. He decided that in the morning he would "
    "walk into the village and ask whether anyone had seen a stranger on the cliff path. For now, he "
    "would sleep, and the light would keep itself."
)
TEXT = FIRST + " " + REST
REPLY = "Sure, I can help with that. The next train leaves at nine from platform two. Do you want a ticket?"


def real_cache(given: str | None) -> Path:
    if given:
        return Path(given)
    from tests.fixtures.real_weights import real_model_cache

    return real_model_cache()


def server_settings(cache: Path) -> Any:
    """The benches' in-process server: the real weights offline, the speech cache off (every round
    synthesised)."""
    from mynah.config import ModelSettings, PlatformSettings, Settings, SpeechCacheSettings

    return Settings(
        data_dir=Path(tempfile.mkdtemp()),
        models=ModelSettings(cache_dir=cache, offline=True),
        platform=PlatformSettings(speech_cache=SpeechCacheSettings(enabled=False)),
    )


def piper_alone(cache: Path) -> Any:
    from piper import PiperVoice, SynthesisConfig

    onnx = next((cache / "piper").rglob("*.onnx"))
    voice = PiperVoice.load(onnx, config_path=onnx.with_name(onnx.name + ".json"), include_alignments=True)
    config = SynthesisConfig()

    def run(text: str = TEXT) -> tuple[float, float]:
        start = time.perf_counter()
        first = None
        for _chunk in voice.synthesize(text, config, include_alignments=True):  # one chunk a sentence
            first = first or time.perf_counter() - start
        return first or 0.0, time.perf_counter() - start

    return run


PARK = 0.5
"""Seconds between two timed arms: the library's session spins its threads for a while after a run,
and on two cores that takes CPU from whatever is timed next (bench/tts_piper.py saw the arm after
it 29-56 % slower without a pause)."""

FIRST_CLAUSE = FIRST.split(",")[0] + ","
"""What clause-first synthesis speaks first: the library alone on it is the floor for the first byte."""


def http_once(client: httpx.Client, url: str, text: str = TEXT) -> tuple[float, float]:
    """First body byte and total of the plain audio request. One client for the whole run: a new
    httpx client per request spent 19-33 ms building its TLS context before the request left."""
    body = {"model": "piper", "input": text, "voice": VOICE, "response_format": "pcm", "sample_rate": 22050}
    start = time.perf_counter()
    first = None
    with client.stream("POST", url + "/v1/audio/speech", json=body, timeout=120) as response:
        if response.status_code != 200:
            raise SystemExit(f"speech answered {response.status_code}: {response.read().decode()[:300]}")
        for data in response.iter_bytes():
            if data and first is None:
                first = time.perf_counter() - start
    return first or 0.0, time.perf_counter() - start


def http_held_once(client: httpx.Client, url: str) -> float:
    """The same request as SSE with timings: each sentence is held until it is spoken whole (its
    mark carries its duration before its audio), which is what every stream did before: the A of
    the A/B, in the same run. Read to its end, so the server is not still speaking it while the
    next round times Piper alone."""
    body = {
        "model": "piper",
        "input": TEXT,
        "voice": VOICE,
        "response_format": "pcm",
        "sample_rate": 22050,
        "stream_format": "sse",
        "timings": True,
    }
    start = time.perf_counter()
    first = None
    with client.stream("POST", url + "/v1/audio/speech", json=body, timeout=120) as response:
        if response.status_code != 200:
            raise SystemExit(f"speech answered {response.status_code}: {response.read().decode()[:300]}")
        for line in response.iter_lines():
            if first is None and line.startswith("data: ") and '"speech.audio.delta"' in line:
                first = time.perf_counter() - start
    if first is None:
        raise SystemExit("no audio in the SSE stream")
    return first


LATE_COMMA = (
    "The committee met on Tuesday afternoon in the main hall of the town library to discuss the "
    "budget, the roof and the new car park."
)
"""A first sentence whose first comma comes after 18 words: the plan cuts it before "in"."""


def seam(cache: Path, sentence: str = FIRST, head_text: str = FIRST_CLAUSE) -> tuple[float, float]:
    """The pause at the cut (Piper alone: the first part's trailing silence plus the rest's leading
    silence) against the pause Piper makes at that point speaking the sentence whole."""
    import numpy as np
    from piper import PiperVoice

    onnx = next((cache / "piper").rglob("*.onnx"))
    voice = PiperVoice.load(onnx, config_path=onnx.with_name(onnx.name + ".json"))

    def audio(text: str) -> tuple[Any, int]:
        chunks = list(voice.synthesize(text))
        return np.concatenate([c.audio_float_array for c in chunks]), chunks[0].sample_rate

    def quiet(samples: Any, rate: int) -> list[tuple[float, float]]:  # (start, seconds), 10 ms frames
        n = rate // 100
        frames = np.abs(samples[: len(samples) // n * n].reshape(-1, n)).max(axis=1) < 0.01
        runs, begin = [], None
        for index, silent in enumerate([*frames, False]):
            if silent and begin is None:
                begin = index
            elif not silent and begin is not None:
                runs.append((begin / 100, (index - begin) / 100))
                begin = None
        return runs

    whole, rate = audio(sentence)
    head, _ = audio(head_text)
    tail, _ = audio(sentence[len(head_text) :].strip())
    trailing = quiet(head, rate)[-1]
    ends = abs(trailing[0] + trailing[1] - len(head) / rate) < 0.02
    cut = (trailing[1] if ends else 0.0) + (quiet(tail, rate)[0][1] if quiet(tail, rate)[0][0] == 0 else 0.0)
    spoken_head = trailing[0] if ends else len(head) / rate  # where the first part's voice ends
    at_comma = min(quiet(whole, rate), key=lambda run: abs(run[0] - spoken_head))[1]
    return cut, at_comma


def llm_tokens(text: str) -> list[str]:
    out: list[str] = []
    for word in text.split(" "):
        core = word.rstrip(",.?!")
        out.append((" " if out else "") + core)
        out.extend(word[len(core) :])
    return out


async def ws_once(url: str, text: str) -> dict[str, float]:
    from websockets.asyncio.client import connect

    async with connect(url.replace("http://", "ws://") + "/v1/mynah/speech/stream") as socket:
        await socket.send(json.dumps({"voice": VOICE, "format": "pcm", "sample_rate": 22050}))
        rate = json.loads(await socket.recv())["sample_rate"]
        clause_sent: float | None = None
        arrivals: list[tuple[float, float]] = []

        async def write() -> None:
            nonlocal clause_sent
            for token in llm_tokens(text):
                await socket.send(json.dumps({"text": token}))
                if clause_sent is None and token in (",", ".", "?", "!"):
                    clause_sent = time.perf_counter()
                await asyncio.sleep(1 / 20)  # the LLM's pace: 20 tokens a second
            await socket.send(json.dumps({"text": ""}))

        writer = asyncio.create_task(write())
        async for message in socket:
            if isinstance(message, bytes):
                arrivals.append((time.perf_counter(), len(message) / 2 / rate))
            elif json.loads(message)["type"] == "done":
                break
        await writer
    assert clause_sent is not None
    played_until = arrivals[0][0]
    underruns = 0
    for arrived, seconds in arrivals:
        if arrived > played_until + 1e-3:
            underruns += 1
            played_until = arrived
        played_until += seconds
    return {"first_clause": arrivals[0][0] - clause_sent, "underruns": underruns, "frames": len(arrivals)}


async def fair_once(url: str, streams: int) -> dict[str, float]:
    from websockets.asyncio.client import connect

    start = time.perf_counter()

    async def one() -> tuple[float, float]:
        async with connect(url.replace("http://", "ws://") + "/v1/mynah/speech/stream") as socket:
            await socket.send(json.dumps({"voice": VOICE, "format": "pcm", "timings": True}))
            await socket.recv()
            await socket.send(json.dumps({"text": REPLY}))
            await socket.send(json.dumps({"text": ""}))
            first_audio = third = 0.0
            sentences = 0
            async for message in socket:
                now = time.perf_counter() - start
                if isinstance(message, bytes):
                    first_audio = first_audio or now
                    continue
                event = json.loads(message)
                if event["type"] == "sentence":
                    sentences += 1
                    if sentences == 3:
                        third = now
                if event["type"] == "done":
                    return first_audio, third
        raise RuntimeError("no done")

    results = await asyncio.gather(*(one() for _ in range(streams)))
    total = time.perf_counter() - start
    return {
        "last_first_audio": max(r[0] for r in results),
        "earliest_third_sentence": min(r[1] for r in results),
        "total": total,
    }


async def sequential(url: str, streams: int) -> float:
    start = time.perf_counter()
    for _ in range(streams):
        await fair_once(url, 1)
    return time.perf_counter() - start


@contextlib.contextmanager
def served(cache: Path, how: str) -> Iterator[Any]:
    """The server the bench talks to (its `.url`): `server_settings` in a thread of this process
    (uvicorn, sharing this process's interpreter with the client and the library), or the same
    settings in a `mynah serve` process, as a server runs when deployed."""
    from tests.support import free_port, start_live_server

    if how == "thread":
        with start_live_server(server_settings(cache)) as server:
            yield server
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("MYNAH_")},
            "MYNAH_DATA_DIR": data,
            "MYNAH_MODELS__CACHE_DIR": str(cache),
            "MYNAH_MODELS__OFFLINE": "true",
            "MYNAH_PLATFORM__SPEECH_CACHE__ENABLED": "false",
        }
        mynah = Path(sys.executable).with_name("mynah")
        process = subprocess.Popen(
            [str(mynah), "serve", "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(url + "/health", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("mynah serve did not start")
                time.sleep(0.2)
            yield types.SimpleNamespace(url=url)
        finally:
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--model-cache")
    parser.add_argument(
        "--server",
        choices=("process", "thread"),
        default="process",
        help="a `mynah serve` process, as deployed (default), or uvicorn in a thread of this process",
    )
    args = parser.parse_args()

    cache = real_cache(args.model_cache)
    alone = piper_alone(cache)
    print(f"{len(TEXT.split())} words, first sentence {len(FIRST.split())} words; {args.rounds} rounds")
    print("load average at the start:", Path("/proc/loadavg").read_text().split()[:3])
    with served(cache, args.server) as server, httpx.Client() as client:
        http_once(client, server.url)  # load the voice
        alone()
        keys = ("piper_first", "piper_total", "piper_clause", "http_first", "http_total", "held_first")
        rows: dict[str, list[float]] = {k: [] for k in keys}
        for _ in range(args.rounds):
            time.sleep(PARK)
            first, total = alone()
            rows["piper_first"].append(first)
            rows["piper_total"].append(total)
            time.sleep(PARK)
            rows["piper_clause"].append(alone(FIRST_CLAUSE)[1])
            time.sleep(PARK)
            first, total = http_once(client, server.url)
            rows["http_first"].append(first)
            rows["http_total"].append(total)
            rows["held_first"].append(http_held_once(client, server.url))
        med = {k: statistics.median(v) for k, v in rows.items()}
        ratio = statistics.median(h / p for h, p in zip(rows["http_total"], rows["piper_total"], strict=True))
        print(
            f"http  first byte {med['http_first'] * 1000:.0f} ms (Piper alone, whole first sentence: "
            f"{med['piper_first'] * 1000:.0f} ms; its first clause: {med['piper_clause'] * 1000:.0f} ms); total {med['http_total']:.2f} s vs Piper alone sentence by "
            f"sentence {med['piper_total']:.2f} s (x{ratio:.3f}; target: first byte <= 120 ms, total within 5 %)"
        )
        print(
            f"      A/B: the same text with the first sentence held whole (SSE with timings): first audio "
            f"{med['held_first'] * 1000:.0f} ms"
        )
        cut, at_comma = seam(cache)
        print(
            f"      seam: pause at the clause cut {cut * 1000:.0f} ms (first clause's trailing + rest's leading "
            f"silence) vs {at_comma * 1000:.0f} ms at that comma when Piper speaks the sentence whole"
        )
        from mynah.tts.plan import Say, build_plan

        late_head = next(s for s in build_plan(LATE_COMMA).steps if isinstance(s, Say)).script.text
        cut, there = seam(cache, LATE_COMMA, late_head)
        print(
            f"      seam before a preposition ({late_head!r} | ...): pause {cut * 1000:.0f} ms vs "
            f"{there * 1000:.0f} ms at that point when Piper speaks the sentence whole"
        )
        ws = [asyncio.run(ws_once(server.url, REPLY + " " + REST[:400])) for _ in range(args.rounds)]
        clause = statistics.median(alone(REPLY.split(",")[0] + ",")[1] for _ in range(args.rounds))
        unit = statistics.median(alone(REPLY.split(".")[0] + ".")[1] for _ in range(args.rounds))
        print(
            f"      Piper alone on that first clause ({REPLY.split(',')[0] + ','!r}): {clause * 1000:.0f} ms; "
            f"on its whole first sentence: {unit * 1000:.0f} ms"
        )
        print(
            f"ws    first clause audio {statistics.median(r['first_clause'] for r in ws) * 1000:.0f} ms after its "
            f"punctuation (max {max(r['first_clause'] for r in ws) * 1000:.0f} ms); underruns "
            f"{sum(int(r['underruns']) for r in ws)} in {sum(int(r['frames']) for r in ws)} frames "
            "(target: <= 150 ms, no underrun)"
        )
        fair = [asyncio.run(fair_once(server.url, 8)) for _ in range(args.rounds)]
        alone_8 = [asyncio.run(sequential(server.url, 8)) for _ in range(args.rounds)]
        ok = sum(r["last_first_audio"] < r["earliest_third_sentence"] for r in fair)
        throughput = statistics.median(s / r["total"] for s, r in zip(alone_8, fair, strict=True))
        print(
            f"fair  8 streams: every first audio before any third sentence in {ok}/{len(fair)} rounds "
            f"(last first audio {statistics.median(r['last_first_audio'] for r in fair):.2f} s, earliest third "
            f"sentence {statistics.median(r['earliest_third_sentence'] for r in fair):.2f} s); total "
            f"{statistics.median(r['total'] for r in fair):.2f} s vs one after another "
            f"{statistics.median(alone_8):.2f} s: throughput x{throughput:.3f}"
        )
    print("load average at the end:", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
