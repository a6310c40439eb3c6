"""What the platform costs a short espeak-ng request, one run, requests interleaved:

    off        the same server with the platform off (MYNAH_PLATFORM__ENABLED=false)
    metering   keys, limits, usage metering, request ids and metrics (quality monitoring off)
    full       the same, and the audio quality measured on every response
    off-again  a second server exactly like `off`: how far two identical servers differ in this
               run, the floor under which no difference means anything

    .venv/bin/python bench/platform_overhead.py [--requests 300]

Three real servers, each its own `mynah serve` process as deployed (its default logging, to a
file; its own SQLite file), with the speech cache off so every request is synthesised; the client is
this process. The metered arms are called with a key made through the admin route, with a
requests-per-minute limit (never reached) and a daily character budget, so the limiter and the meter
both work on every request. The same text is also synthesised by the engine directly (no HTTP), for
scale. Medians are reported with a 95 % interval for each arm's difference from `off` (a
bootstrap over the rounds, each round one request per arm), and each server's own CPU time per request (user + system, from
/proc, over the timed requests, its background threads included: the usage writer, the quality
thread): what the platform's work costs, which the wall-clock median on an idle VM blurs (a server
that does a little work after each response answers the next one faster there).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mynah.engines.base import EngineConfig, SynthesisOptions
from mynah.engines.espeak import EspeakEngine

TEXT = "Your call is important to us."


ARMS = {
    "off": {"MYNAH_PLATFORM__ENABLED": "false"},
    "metering": {"MYNAH_PLATFORM__QUALITY__ENABLED": "false"},
    "full": {},
    "off-again": {"MYNAH_PLATFORM__ENABLED": "false"},
}
"""Each arm's settings on top of the common ones (`COMMON`)."""

COMMON = {"MYNAH_ENGINES": '["espeak"]', "MYNAH_PLATFORM__SPEECH_CACHE__ENABLED": "false"}


ADMIN = "bench-admin-key"
AUTH = {"Authorization": f"Bearer {ADMIN}"}


@contextlib.contextmanager
def mynah_serve(data: Path, **env: str) -> Iterator[tuple[str, int]]:
    """`mynah serve` on a free port over `data`, its log in `data/server.log`; its URL and process id
    once healthy."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MYNAH_")}
    environment |= {
        "MYNAH_DATA_DIR": str(data),
        "MYNAH_MODELS__OFFLINE": "true",
        "MYNAH_SERVER__API_KEY": ADMIN,
    }
    mynah = Path(sys.executable).with_name("mynah")
    with (data / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [str(mynah), "serve", "--port", str(port)], env=environment | env, stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"mynah serve did not start: {(data / 'server.log').read_text()[-2000:]}")
            time.sleep(0.1)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` and its children so far (every thread included)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rpartition(")")[2].split()
            if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's id
                total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def key_for(url: str) -> dict[str, str]:
    """A fresh key with limits on a metered server (made by its admin), as request headers."""
    body = {
        "name": "bench",
        "scopes": ["speech"],
        "limits": {"requests_per_minute": 10**6, "chars_per_day": 10**9},
    }
    answer = httpx.post(url + "/v1/mynah/keys", json=body, headers=AUTH, timeout=60)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['key']}"}


def timed(client: httpx.Client) -> float:
    body = {"model": "tts-1", "input": TEXT, "voice": "espeak:en-us", "response_format": "pcm"}
    started = time.perf_counter()
    answer = client.post("/v1/audio/speech", json=body)
    elapsed = time.perf_counter() - started
    answer.raise_for_status()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        root = Path(tmp)
        clients = {}
        pids = {}
        for name, env in ARMS.items():
            (root / name).mkdir()
            url, pids[name] = stack.enter_context(mynah_serve(root / name, **COMMON, **env))
            headers = key_for(url) if "MYNAH_PLATFORM__ENABLED" not in env else AUTH
            clients[name] = stack.enter_context(httpx.Client(base_url=url, headers=headers, timeout=60))
        times: dict[str, list[float]] = {name: [] for name in clients}
        order = list(clients)
        for _ in range(20):  # warm up
            for client in clients.values():
                timed(client)
        cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
        for i in range(args.requests):
            turn = i % len(order)
            for name in order[turn:] + order[:turn]:  # each arm first, second, ... in turn
                times[name].append(timed(clients[name]))
        time.sleep(2)  # the usage flush (every second), and the quality thread's last measurements
        cpu = {name: (cpu_seconds(pid) - cpu[name]) / args.requests for name, pid in pids.items()}
        usage = clients["metering"].get("/v1/mynah/usage", params={"group_by": "key"}).json()
    engine = EspeakEngine(EngineConfig(cache_dir=Path(tempfile.mkdtemp()) / "espeak"))
    direct = []
    for _ in range(args.requests // 4):
        started = time.perf_counter()
        for _chunk in engine.synthesize(TEXT, SynthesisOptions(voice="en-us")):
            pass
        direct.append(time.perf_counter() - started)
    median = {name: statistics.median(values) for name, values in times.items()}
    base = median["off"]
    print(f"{args.requests} short espeak-ng requests per arm, interleaved ({TEXT!r}, pcm)")
    print(f"  {'platform off':<44}: {base * 1000:7.2f} ms")
    labels = (
        ("metering", "keys, limits, usage, request ids, metrics"),
        ("full", "+ audio quality measurement"),
        ("off-again", "platform off again (a second such server)"),
    )
    for name, label in labels:
        extra = median[name] - base
        low, high = interval(times["off"], times[name])
        print(
            f"  {label:<44}: {median[name] * 1000:7.2f} ms  ({extra * 1000:+.2f} ms, {extra / base * 100:+.1f} %;"
            f" 95 % interval {low:+.1f} to {high:+.1f} %)"
        )
    print(f"  {'engine alone (no HTTP)':<44}: {statistics.median(direct) * 1000:7.2f} ms")
    print("server CPU time per request (user + system, every thread)")
    print(f"  {'platform off':<44}: {cpu['off'] * 1000:7.2f} ms")
    for name, label in labels:
        extra = cpu[name] - cpu["off"]
        print(
            f"  {label:<44}: {cpu[name] * 1000:7.2f} ms  ({extra * 1000:+.2f} ms, {extra / cpu['off'] * 100:+.1f} %)"
        )
    share = (median["metering"] - base) / base * 100
    floor = (median["off-again"] - base) / base * 100
    print(
        f"TARGET metering adds <= 2 % to the median: {share:+.1f} % -> {'met' if share <= 2.0 else 'NOT met'}"
        f" (two identical servers differ by {floor:+.1f} % in this run)"
    )
    work = (cpu["metering"] - cpu["off"]) / base * 100
    print(f"  the metering arm's extra CPU per request, over the off arm's median latency: {work:+.1f} %")
    print(
        f"  metered on the metering arm: {usage['total']['requests']} requests, {usage['total']['chars']:,} characters"
    )


def interval(base: list[float], other: list[float], draws: int = 2000) -> tuple[float, float]:
    """95 % bootstrap interval of `other`'s median over `base`'s, in percent: rounds (one request of
    each arm, in the order they ran) resampled with replacement, a fixed seed."""
    import random

    pick = random.Random(0)
    rounds = len(base)
    shares = []
    for _ in range(draws):
        sample = [pick.randrange(rounds) for _ in range(rounds)]
        a = statistics.median(base[i] for i in sample)
        b = statistics.median(other[i] for i in sample)
        shares.append((b - a) / a * 100)
    shares.sort()
    return shares[int(0.025 * draws)], shares[int(0.975 * draws) - 1]


if __name__ == "__main__":
    main()
