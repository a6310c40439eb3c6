"""A client that hangs up on a long transcription: how soon does the server stop using CPU?

    .venv/bin/python bench/disconnect.py [--minutes 10] [--rounds 3] [--model-cache DIR]

A `mynah` server process with faster-whisper tiny.en (the test tier's model cache,
tests/fixtures/real_weights.py). Each round uploads a real recording (jfk.flac, 11 s) repeated to
`--minutes` as 16 kHz WAV, waits until the server works on it (its CPU time, from /proc, rising by at
least half a core), then closes the connection without reading the answer, and samples the server's
CPU time every 20 ms: the stop time is from the hang-up to the start of the first 200 ms in which
the server used less than 5 % of one core. For comparison, faster-whisper alone on the same
audio in this process (no server): the seconds it would have kept going, which is what happened
before cancellation existed (the transcription ran to its end).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import sys
import tempfile
import time
import uuid
import wave
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile.server import API_KEY, Server, start_server  # noqa: E402


def long_wav(source: Path, minutes: float) -> tuple[bytes, np.ndarray]:
    with av.open(str(source)) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=16000)
        pcm = b"".join(
            bytes(out.planes[0])[: out.samples * 2]
            for frame in container.decode(audio=0)
            for out in resampler.resample(frame)
        )
    repeats = int(minutes * 60 * 16000 * 2 / len(pcm)) + 1
    data = pcm * repeats
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(16000)
        target.writeframes(data)
    samples = np.frombuffer(data, dtype=np.int16).astype(np.float32) / 32768.0
    return out.getvalue(), samples


def cpu_rate(server: Server, window: float) -> float:
    start = server.cpu_seconds()
    time.sleep(window)
    return (server.cpu_seconds() - start) / window


def one_round(server: Server, audio: bytes) -> float:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\ncontent-disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n'
            f'--{boundary}\r\ncontent-disposition: form-data; name="file"; filename="long.wav"\r\n'
            "content-type: audio/wav\r\n\r\n"
        ).encode()
        + audio
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST /v1/audio/transcriptions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {API_KEY}\r\n"
        f"content-type: multipart/form-data; boundary={boundary}\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(head + body)
    deadline = time.monotonic() + 120
    while cpu_rate(server, 0.2) < 0.5:  # wait until it is really transcribing
        if time.monotonic() > deadline:
            raise SystemExit("the server never got busy")
    time.sleep(2.0)  # well into the work
    hung_up = time.monotonic()
    sock.close()
    samples: list[tuple[float, float]] = []
    while time.monotonic() - hung_up < 30:
        samples.append((time.monotonic(), server.cpu_seconds()))
        time.sleep(0.02)
        # the first 200 ms window under 5 % of a core, starting after the hang-up
        for i, (t0, c0) in enumerate(samples):
            later = [(t, c) for t, c in samples[i:] if t - t0 >= 0.2]
            if later and (later[0][1] - c0) / (later[0][0] - t0) < 0.05:
                return t0 - hung_up
    raise SystemExit("the server kept working for 30 s after the client left")


def library_alone(samples: np.ndarray, cache: Path) -> float:
    """faster-whisper tiny.en on the same audio in this process: seconds to finish."""
    from faster_whisper import WhisperModel

    model_dir = next(p for p in (cache / "whisper").glob("*tiny.en*") if p.is_dir())
    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8")
    start = time.monotonic()
    segments, _ = model.transcribe(samples, language="en", vad_filter=True)
    for _ in segments:
        pass
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model-cache", help="a model cache holding whisper:tiny.en")
    parser.add_argument("--no-library", action="store_true", help="skip faster-whisper alone")
    args = parser.parse_args()
    from tests.fixtures.real_weights import real_model_cache

    cache = Path(args.model_cache) if args.model_cache else real_model_cache()
    shared = next(p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.is_dir())
    audio, samples = long_wav(shared / "data" / "speech" / "jfk.flac", args.minutes)
    env = {
        "MYNAH_MODELS__CACHE_DIR": str(cache),
        "MYNAH_ENGINES": json.dumps(["whisper", "espeak"]),
        "MYNAH_STT__DEFAULT_MODEL": json.dumps(["whisper:tiny.en"]),
        "MYNAH_STT__CACHE": "false",
    }
    stops: list[float] = []
    with tempfile.TemporaryDirectory() as data, start_server(Path(data), **env) as server:
        for _ in range(args.rounds):
            stops.append(one_round(server, audio))
            while cpu_rate(server, 0.5) > 0.05:  # quiet before the next round
                pass
        cancelled = server.log().count("cancelled work stopped")
    report: dict[str, object] = {
        "audio_minutes": args.minutes,
        "stop_after_hangup_s": [round(s, 2) for s in stops],
        "stop_after_hangup_max_s": round(max(stops), 2),
        "cancellations_logged": cancelled,
        "cpus": os.cpu_count(),
    }
    if not args.no_library:
        report["library_alone_total_s"] = round(library_alone(samples, cache), 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
