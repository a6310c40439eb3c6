"""Where an HTTP synthesis's time goes: before Piper's first runs, in Piper's runs, between them, after.

    .venv/bin/python bench/tts_trace.py [--rounds 6] [--model-cache DIR]

One in-process server (`tests.support.start_live_server`, bench/realtime_tts.py's settings) with Piper
joe-medium (real weights), speech cache off; the client asks for bench/realtime_tts.py's first clause alone and for its whole
302-word text, alternating, `/v1/audio/speech` as raw pcm at the voice's rate, 0.3 s apart. Each
ONNX Runtime run of the voice (`ArenaSession.run`, wrapped for the run: the front of a sentence and
each decoded piece, `mynah.engines.piper_decode`) is timed in the server. Per request: the first byte
at the client; from the request to the first run; the runs that ended before the first byte (the
first sentence's front and first piece); from their end to the first byte; for the whole text the
runs' count, their sum and the gaps between them.
The library alone on the same clause (`PiperVoice.load`, spinning) is timed in the same rounds.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from realtime_tts import FIRST_CLAUSE, TEXT, http_once, piper_alone, real_cache, server_settings

RUNS: list[tuple[float, float]] = []


def _timed_runs() -> None:
    from mynah.engines.piper_sessions import ArenaSession

    original = ArenaSession.run

    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            RUNS.append((start, time.perf_counter()))

    ArenaSession.run = timed  # type: ignore[method-assign]


def request(client: httpx.Client, url: str, text: str) -> dict[str, Any]:
    RUNS.clear()
    start = time.perf_counter()
    first_byte, total = http_once(client, url, text)
    first = start + first_byte
    runs = sorted(RUNS)
    if not first_byte or not runs:
        raise SystemExit("no audio, or no Piper run seen")
    return {
        "first_byte": first_byte,
        "before_run": runs[0][0] - start,
        "first_run": sum(end - begin for begin, end in runs if end <= first),
        "after_run": first - max(end for _, end in runs if end <= first),
        "total": total,
        "runs": len(runs),
        "in_runs": sum(end - begin for begin, end in runs),
        "gaps": sum(b[0] - a[1] for a, b in itertools.pairwise(runs)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--model-cache")
    args = parser.parse_args()
    from tests.support import start_live_server

    cache = real_cache(args.model_cache)
    _timed_runs()
    alone = piper_alone(cache)
    settings = server_settings(cache)
    rows: dict[str, list[dict[str, Any]]] = {"clause": [], "text": []}
    library: list[float] = []
    with start_live_server(settings) as server, httpx.Client() as client:
        request(client, server.url, TEXT)  # the voice loads
        alone(FIRST_CLAUSE)
        for _ in range(args.rounds):
            for name, text in (("clause", FIRST_CLAUSE), ("text", TEXT)):
                time.sleep(0.3)
                rows[name].append(request(client, server.url, text))
            time.sleep(0.3)
            library.append(alone(FIRST_CLAUSE)[1])

    def ms(name: str, key: str) -> str:
        values = [row[key] * 1000 for row in rows[name]]
        return f"{statistics.median(values):.0f} ms ({min(values):.0f}-{max(values):.0f})"

    print(f"{args.rounds} rounds; median (min-max)")
    print(f"library alone on the first clause: {statistics.median(library) * 1000:.0f} ms")
    for name in rows:
        print(
            f"{name:<7} first byte {ms(name, 'first_byte')}: before Piper's first run {ms(name, 'before_run')}, "
            f"the runs before it {ms(name, 'first_run')}, after them {ms(name, 'after_run')}"
        )
    text = rows["text"]
    print(
        f"text    total {ms('text', 'total')}: {text[0]['runs']} Piper runs, in them {ms('text', 'in_runs')}, "
        f"between them {ms('text', 'gaps')}"
    )


if __name__ == "__main__":
    main()
