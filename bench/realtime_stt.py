"""Live transcription on real weights (Whisper tiny.en): latency of partials and finals, and WER
against a batch transcription of the same recordings.

    .venv/bin/python bench/realtime_stt.py [--model-cache DIR] [--pace 1.0] [--modes speculative,after-silence]

Every recording of ../shared/data/speech (bench/corpus.py: jfk, goforward, forever, cards,
LJSpeech) is sent to /v1/mynah/transcriptions/stream of a live server (uvicorn in this process) as
a microphone would: 100 ms of s16le at 16 kHz every 100 ms (`--pace` 1.0 is real time), then
`close_stream`. The same files are transcribed in batch by faster-whisper alone (WhisperModel, the
same tiny.en files, the same beam size mynah uses, word timestamps on) in the same run: its words
say where the first word and each utterance end in the audio.

first partial   when the first partial arrived, in audio time (seconds of audio sent), after the
                end of the first word (batch word times)
final           when each final arrived after its utterance's end (its last word's end)
WER             concatenated finals vs batch, both against the human references, one normaliser

One server per mode takes the recordings in turn (A/B in one run): `speculative` (the defaults:
an utterance's final is decoded once 0.2 s of its silence have passed, and no partial is started
in a pause, `partial_hold`), `after-silence` (the final decoded only once `final_silence` has ended
the utterance, as before), `partials-in-pauses` (`partial_hold` 0: a partial may start as the
voice stops and hold the decoder when the final wants it) and `beam5` (partials and finals decoded
with the engine's beam, 5, as before the live `beam_size` setting; the default is greedy).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import jiwer
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import normalise, recordings  # noqa: E402

TINY = "whisper:tiny.en"


async def live(url: str, pcm: bytes, pace: float) -> list[tuple[float, dict[str, object]]]:
    from websockets.asyncio.client import connect

    results: list[tuple[float, dict[str, object]]] = []
    async with connect(url.replace("http://", "ws://") + "/v1/mynah/transcriptions/stream") as socket:
        await socket.send(json.dumps({"model": TINY, "sample_rate": 16000}))
        await socket.recv()
        start = time.perf_counter()

        async def send() -> None:
            for index in range(0, len(pcm), 3200):
                await socket.send(pcm[index : index + 3200])
                target = start + (index + 3200) / 32000 / pace
                await asyncio.sleep(max(0.0, target - time.perf_counter()))
            await socket.send(json.dumps({"type": "close_stream"}))

        sender = asyncio.create_task(send())
        async for message in socket:
            audio_time = (time.perf_counter() - start) * pace
            results.append((audio_time, json.loads(message)))
        await sender
    return results


MODES: dict[str, dict[str, object]] = {
    "speculative": {},
    "after-silence": {"speculative_finals": False},
    "partials-in-pauses": {"partial_hold": 0.0},
    "beam5": {"beam_size": None},
}
"""The `RealtimeSettings` of each mode: the defaults (the final decoded while the silence runs, no
partial started in a pause); the final decoded only after the silence; partials started in pauses
too (before `partial_hold`); partials and finals decoded with the engine's beam (5), instead of
greedily (`beam_size` 1, the default)."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-cache")
    parser.add_argument("--pace", type=float, default=1.0)
    parser.add_argument("--modes", default=",".join(MODES), help="A/B in one run: " + ", ".join(MODES))
    args = parser.parse_args()
    from faster_whisper import WhisperModel

    from mynah.audio.decode import decode_audio
    from mynah.config import ModelSettings, RealtimeSettings, Settings
    from tests.fixtures.real_weights import real_model_cache
    from tests.support import start_live_server

    cache = Path(args.model_cache) if args.model_cache else real_model_cache()
    model_dir = next(p.parent for p in (cache / "whisper").rglob("model.bin") if "tiny" in str(p))
    batch_model = WhisperModel(str(model_dir), device="cpu", compute_type="int8")
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    refs, batch_texts = [], []
    live_texts: dict[str, list[str]] = {m: [] for m in modes}
    first_partials: dict[str, list[float]] = {m: [] for m in modes}
    finals: dict[str, list[float]] = {m: [] for m in modes}
    late: dict[str, list[str]] = {m: [] for m in modes}
    with contextlib.ExitStack() as stack:
        servers = {
            mode: stack.enter_context(
                start_live_server(
                    Settings(
                        data_dir=Path(tempfile.mkdtemp()),
                        models=ModelSettings(cache_dir=cache, offline=True),
                        realtime=RealtimeSettings(**MODES[mode]),  # type: ignore[arg-type]
                    )
                )
            )
            for mode in modes
        }
        for recording in recordings():
            audio = decode_audio(recording.path.read_bytes(), 16000)
            segments, _ = batch_model.transcribe(audio, language="en", beam_size=5, word_timestamps=True)
            segments = list(segments)
            words = [w for s in segments for w in (s.words or [])]
            batch_texts.append(" ".join(s.text.strip() for s in segments))
            refs.append(recording.reference)
            pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
            for mode, server in servers.items():  # the modes alternate, recording by recording
                results = asyncio.run(live(server.url, pcm, args.pace))
                texts = [str(r["transcript"]) for _, r in results if r["is_final"] and not r["is_last"]]
                live_texts[mode].append(" ".join(texts))
                partials = [t for t, r in results if not r["is_final"]]
                if partials and words:
                    first_partials[mode].append(partials[0] - words[0].end)
                for arrived, result in results:
                    spoken = result.get("words") or []
                    if result["is_final"] and not result["is_last"] and spoken:
                        end, begin = float(spoken[-1]["end"]), float(spoken[0]["start"])  # type: ignore[index]
                        finals[mode].append(arrived - end)
                        if arrived - end > 1.0:
                            late[mode].append(
                                f"{recording.path.name} {arrived - end:.2f} s after its end "
                                f"(utterance {begin:.1f}-{end:.1f} s, {len(spoken)} words)"
                            )
                print(f"{recording.path.name:16} {mode:13} live: {live_texts[mode][-1][:60]!r}")
    norm_refs = [normalise(r) for r in refs]
    batch_wer = jiwer.wer(norm_refs, [normalise(t) for t in batch_texts])
    for mode in modes:
        live_wer = jiwer.wer(norm_refs, [normalise(t) for t in live_texts[mode]])
        print(
            f"[{mode}] first partial after the first word's end: median "
            f"{statistics.median(first_partials[mode]):.2f} s, max {max(first_partials[mode]):.2f} s "
            f"({len(first_partials[mode])} recordings with a partial; target <= 1.0 s)"
        )
        print(
            f"[{mode}] final after its utterance's end: median {statistics.median(finals[mode]):.2f} s, "
            f"max {max(finals[mode]):.2f} s ({len(finals[mode])} finals; target: each <= 1.0 s)"
        )
        for line in late[mode]:
            print(f"[{mode}]   late: {line}")
        print(
            f"[{mode}] WER: live finals {live_wer * 100:.1f} %, batch faster-whisper {batch_wer * 100:.1f} % "
            f"({(live_wer - batch_wer) * 100:+.1f} points; target within 2)"
        )


if __name__ == "__main__":
    main()
