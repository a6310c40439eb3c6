"""Per-key limits over real HTTP: requests a minute (exact, with a Retry-After that is honoured),
concurrent streams, characters and audio minutes a day; and one limit shared by two server processes
through one real Redis."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mynah.config import LimitSettings, PlatformSettings, Settings
from mynah.platform.keys import KeyStore
from mynah.store import Store, database_url
from tests.platform.conftest import ServerFactory, bearer, keys_of, platform_settings, serve_process, speak

REDIS_URL = os.environ.get("MYNAH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LONG = " ".join(["This sentence is here to keep the stream open for a while."] * 12)


def _redis_or_skip() -> None:
    try:
        import redis
    except ImportError:
        pytest.skip("the redis client is not installed (pip install 'mynah[redis]')")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception as exc:
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")


def test_ten_a_minute_means_ten_then_429_with_a_retry_after_that_works(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url) as client:
        key = keys_of(server).create("app", scopes=["speech"], limits={"requests_per_minute": 10})
        client.headers.update(bearer(key.token))
        answers = [speak(client, "Hi.") for _ in range(15)]
        statuses = [a.status_code for a in answers]
        assert statuses == [200] * 10 + [429] * 5, statuses
        assert answers[0].headers["x-ratelimit-limit-requests"] == "10"
        assert answers[9].headers["x-ratelimit-remaining-requests"] == "0"
        refused = answers[-1]
        assert refused.json()["error"]["code"] == "rate_limit_exceeded"
        wait = int(refused.headers["retry-after"])
        assert 1 <= wait <= 60
        assert refused.headers["x-ratelimit-remaining-requests"] == "0"
        time.sleep(wait)  # honouring the Retry-After is the behaviour under test
        assert speak(client, "Hi.").status_code == 200


def test_concurrent_streams(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url, timeout=120) as client:
        key = keys_of(server).create("app", scopes=["speech"], limits={"concurrent_streams": 1})
        client.headers.update(bearer(key.token))
        body = {"model": "tts-1", "input": LONG, "voice": "espeak:en-us", "response_format": "pcm"}
        with client.stream("POST", "/v1/audio/speech", json=body) as first:
            assert first.status_code == 200
            chunks = first.iter_bytes()
            next(chunks)
            second = speak(client, "Hi.")
            assert second.status_code == 429
            assert second.json()["error"]["message"].startswith("rate limit reached: 1 concurrent streams")
            for _ in chunks:
                pass
        for _ in range(200):  # the slot is given back once the server has finished the response
            again = speak(client, "Hi.")
            if again.status_code != 429:
                break
            time.sleep(0.02)
        assert again.status_code == 200


def test_characters_and_audio_minutes_a_day(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url) as client:
        store = keys_of(server)
        chars = store.create("chars", scopes=["speech"], limits={"chars_per_day": 30})
        client.headers.update(bearer(chars.token))
        assert speak(client, "Hello there.").status_code == 200  # 12
        assert speak(client, "Hello there.").status_code == 200  # 24
        over = speak(client, "Hello there.")
        assert over.status_code == 429
        assert over.headers["x-ratelimit-remaining-characters"] == "6"
        assert int(over.headers["retry-after"]) > 0
        assert speak(client, "Hi.").status_code == 200, "what still fits is served"

        audio = store.create("audio", scopes=["speech"], limits={"audio_minutes_per_day": 0.02})  # 1.2 s
        client.headers.update(bearer(audio.token))
        assert speak(client, "Hello there, how are you today?").status_code == 200
        spent = speak(client, "Hi.")
        assert spent.status_code == 429
        assert spent.headers["x-ratelimit-remaining-audio-seconds"] == "0"


def test_server_defaults_apply_to_keys_without_their_own(make_server: ServerFactory) -> None:
    defaults = PlatformSettings(limits=LimitSettings(requests_per_minute=2))
    with make_server(platform=defaults) as server, httpx.Client(base_url=server.url) as client:
        plain = keys_of(server).create("plain", scopes=["speech"])
        roomy = keys_of(server).create("roomy", scopes=["speech"], limits={"requests_per_minute": 5})
        client.headers.update(bearer(plain.token))
        assert [speak(client, "Hi.").status_code for _ in range(3)] == [200, 200, 429]
        client.headers.update(bearer(roomy.token))
        assert [speak(client, "Hi.").status_code for _ in range(3)] == [200, 200, 200]


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[list[str], KeyStore]]:
    _redis_or_skip()
    prefix = f"mynah-test-{uuid.uuid4().hex}"
    data = tmp_path / "shared"
    env = {
        "MYNAH_DATA_DIR": str(data),
        "MYNAH_ENGINES": '["espeak"]',
        "MYNAH_MODELS__OFFLINE": "true",
        "MYNAH_REDIS_URL": REDIS_URL,
        "MYNAH_PLATFORM__REDIS_PREFIX": prefix,
    }
    settings: Settings = platform_settings(data)
    store = Store.open(database_url(settings))
    keys = KeyStore(store)
    processes = []
    try:
        urls = []
        for _ in range(2):
            process, url = serve_process(env, tmp_path)
            processes.append(process)
            urls.append(url)
        yield urls, keys
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        store.close()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for name in client.scan_iter(f"{prefix}*"):
            client.delete(name)


def test_two_processes_share_one_limit_through_redis(two_servers: tuple[list[str], KeyStore]) -> None:
    urls, keys = two_servers
    key = keys.create("shared", scopes=["speech"], limits={"requests_per_minute": 10})
    statuses: list[int] = []
    clients = [httpx.Client(base_url=u, headers=bearer(key.token), timeout=60) for u in urls]
    try:
        for index in range(15):
            statuses.append(speak(clients[index % 2], "Hi.").status_code)
        assert statuses.count(200) == 10, statuses
        assert statuses[:10] == [200] * 10
        assert statuses[10:] == [429] * 5
        assert {speak(c, "Hi.").status_code for c in clients} == {429}, "both servers see the spent window"
    finally:
        for c in clients:
            c.close()
