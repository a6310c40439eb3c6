"""Metering over real HTTP: 1,000 mixed requests from three keys (some failing) add up exactly, by key
and by day, with costs as configured; nothing is lost on a clean shutdown."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from mynah.config import PlatformSettings, PriceSettings
from mynah.platform.usage import UsageMeter, parse_period
from mynah.store import Store
from tests.platform.conftest import ServerFactory, bearer, keys_of, speak
from tests.support import decoded_seconds

RATE = 16000
TEXTS = [
    "Hi.",
    "Hello there.",
    "Good morning, how are you?",
    "Press one for sales.",
    "Thank you for calling.",
]


FOX = "The quick brown fox jumps over the lazy dog."


def _wav(client: httpx.Client) -> tuple[bytes, float]:
    made = speak(client, FOX, sample_rate=RATE)
    assert made.status_code == 200
    return made.content, decoded_seconds(made.content)


def test_a_thousand_mixed_requests_add_up(make_server: ServerFactory) -> None:
    prices = PriceSettings(speech_per_million_chars=20.0, transcription_per_audio_hour=1.2)
    with make_server(platform=PlatformSettings(prices=prices)) as server:
        store = keys_of(server)
        admin = store.create("ops", scopes=["admin"])
        keys = [
            store.create("alpha", scopes=["speech", "transcription"]),
            store.create("beta", scopes=["speech"]),
            store.create("gamma", scopes=["speech"]),
        ]
        with httpx.Client(base_url=server.url, headers=bearer(admin.token), timeout=120) as ops:
            audio, audio_seconds = _wav(ops)
        plan = random.Random(12)
        jobs: list[tuple[int, str, Any]] = []
        for index in range(1000):
            key = index % 3
            roll = plan.random()
            if key == 0 and index % 100 == 0:
                jobs.append((key, "transcribe", None))
            elif roll < 0.6:
                jobs.append((key, "speak", plan.choice(TEXTS)))
            elif roll < 0.75:
                jobs.append((key, "bad_voice", plan.choice(TEXTS)))
            elif roll < 0.85:
                jobs.append((key, "models", None))
            else:
                jobs.append((key, "transcribe" if key else "empty", None))  # beta/gamma: 403

        expected: dict[str, Counter[str]] = defaultdict(Counter)
        seconds: dict[str, float] = defaultdict(float)
        clients = [httpx.Client(base_url=server.url, headers=bearer(k.token), timeout=120) for k in keys]

        def run(job: tuple[int, str, Any]) -> tuple[str, int, int, float]:
            key, what, text = job
            client = clients[key]
            if what == "speak":
                answer = speak(client, text, response_format="pcm", sample_rate=RATE)
                served = answer.status_code == 200  # one shed with 503 on a busy machine is not billed
                return (
                    keys[key].key.id,
                    answer.status_code,
                    len(text) if served else 0,
                    len(answer.content) / 2 / RATE * served,
                )
            if what == "bad_voice":
                answer = speak(client, text, voice="espeak:no-such-voice")
            elif what == "empty":
                answer = speak(client, "   ")
            elif what == "models":
                answer = client.get("/v1/models")
            else:
                answer = client.post(
                    "/v1/audio/transcriptions",
                    files={"file": ("a.wav", audio, "audio/wav")},
                    data={"model": "pocketsphinx"},
                )
                if answer.status_code == 200:
                    return keys[key].key.id, 200, 0, audio_seconds
            return keys[key].key.id, answer.status_code, 0, 0.0

        try:
            with ThreadPoolExecutor(4) as pool:
                results = list(pool.map(run, jobs))
        finally:
            for c in clients:
                c.close()
        for key_id, status, chars, secs in results:
            expected[key_id]["requests"] += 1
            expected[key_id]["errors"] += status >= 400
            expected[key_id]["chars"] += chars
            seconds[key_id] += secs
        statuses = Counter(status for _, status, _, _ in results)
        assert statuses[400] > 50 and statuses[403] > 50 and statuses[200] > 600, statuses

        with httpx.Client(base_url=server.url, headers=bearer(admin.token)) as ops:
            by_key = ops.get("/v1/mynah/usage", params={"group_by": "key"}).json()
            by_day = ops.get("/v1/mynah/usage", params={"group_by": "day"}).json()
            mine = httpx.get(
                server.url + "/v1/mynah/usage", headers=bearer(keys[1].token), params={"group_by": "key"}
            ).json()
        groups = {g["group"]: g for g in by_key["data"]}
        for key in keys:
            got, want = groups[key.key.id], expected[key.key.id]
            assert got["requests"] == want["requests"]
            assert got["errors"] == want["errors"]
            assert got["chars"] == want["chars"]
            assert got["audio_seconds"] == pytest.approx(seconds[key.key.id], abs=0.01)
            transcribed = sum(1 for k, w, _ in jobs if k == keys.index(key) and w == "transcribe")
            stt = audio_seconds * transcribed if key is keys[0] else 0.0
            cost = want["chars"] / 1e6 * 20.0 + stt / 3600 * 1.2
            assert got["cost_usd"] == pytest.approx(cost, abs=2e-6)
        assert [g["group"] for g in mine["data"]] == [keys[1].key.id], "a key sees its own usage only"
        (today,) = [g for g in by_day["data"] if g["group"] != "(none)"]
        assert today["chars"] == sum(e["chars"] for e in expected.values()) + len(FOX)  # + the admin's
        assert today["requests"] >= 1000
        assert by_day["total"]["chars"] == by_key["total"]["chars"]
        assert by_day["total"]["cost_usd"] == pytest.approx(by_key["total"]["cost_usd"])


def test_usage_is_written_once_and_none_is_lost_on_shutdown(make_server: ServerFactory) -> None:
    slow = PlatformSettings(usage_flush_seconds=3600, usage_batch_size=100_000)
    with make_server(platform=slow) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        store_url = server.runtime.settings.data_dir / "mynah.db"
        for text in TEXTS:
            assert speak(client, text).status_code == 200
        assert client.get("/v1/models").status_code == 200
        assert speak(client, "").status_code == 400
    store = Store.open(f"sqlite:///{store_url}")
    try:
        report = UsageMeter(store).report(None, None, group_by="model", prices=PriceSettings())
    finally:
        store.close()
    assert report["total"]["requests"] == len(TEXTS) + 2
    assert report["total"]["chars"] == sum(len(t) for t in TEXTS)
    assert report["total"]["errors"] == 1
    assert {g["group"] for g in report["data"]} == {"espeak", "(none)"}


def test_periods_parse_as_utc_days_or_moments() -> None:
    start = parse_period("2026-12-01", param="from")
    end = parse_period("2026-12-01", param="to", end=True)
    assert start is not None and end is not None
    assert (end - start).days == 1
    assert parse_period("2026-12-01T10:00:00", param="from").tzinfo is not None  # type: ignore[union-attr]
    with pytest.raises(Exception, match="ISO date"):
        parse_period("yesterday", param="from")
