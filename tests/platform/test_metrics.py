"""/metrics parses with prometheus_client's own parser and moves after requests; request ids are
accepted or made, and show in headers, error bodies and log lines (JSON logs as an option)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.platform.conftest import ServerFactory, bearer, keys_of, serve_process, speak


def _samples(client: httpx.Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_parse_and_the_speech_histograms_move(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url, timeout=120) as client:
        before = _samples(client)
        assert speak(client, "Metrics should move after this request.").status_code == 200
        assert speak(client, "x", voice="espeak:nope").status_code == 400
        audio = speak(client, "Testing one two three.", sample_rate=16000).content
        heard = client.post(
            "/v1/audio/transcriptions",
            files={"file": ("a.wav", audio, "audio/wav")},
            data={"model": "pocketsphinx"},
        )
        assert heard.status_code == 200
        after = _samples(client)
        voice = {"engine": "espeak", "voice": "espeak:en-us"}
        assert _value(after, "mynah_speech_first_byte_seconds_count", **voice) == (
            _value(before, "mynah_speech_first_byte_seconds_count", **voice) + 2
        )
        assert _value(after, "mynah_speech_real_time_factor_count", **voice) == 2
        assert _value(after, "mynah_speech_real_time_factor_sum", **voice) > 0
        assert _value(after, "mynah_transcription_real_time_factor_count", model="pocketsphinx:en-us") == 1
        route = {"route": "/v1/audio/speech", "method": "POST"}
        assert _value(after, "mynah_http_requests_total", status="200", **route) == 2
        assert _value(after, "mynah_http_requests_total", status="400", **route) == 1
        assert _value(after, "mynah_http_request_duration_seconds_count", route="/v1/audio/speech") == 3
        assert ("mynah_active_streams", ()) in after
        assert ("mynah_models_loaded", ()) in after
        assert ("mynah_usage_events_pending", ()) in after


def test_metrics_need_an_admin_key_once_keys_exist(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url) as client:
        admin = keys_of(server).create("ops", scopes=["admin"])
        speech = keys_of(server).create("app", scopes=["speech"])
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers=bearer(speech.token)).status_code == 403
        assert client.get("/metrics", headers=bearer(admin.token)).status_code == 200


def test_request_ids_are_kept_or_made_and_reach_logs_and_error_bodies(
    make_server: ServerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mynah")
    with make_server() as server, httpx.Client(base_url=server.url) as client:
        mine = client.post(
            "/v1/audio/speech",
            json={"model": "tts-1", "input": "Hi.", "voice": "espeak:en-us"},
            headers={"x-request-id": "order-42.retry:1"},
        )
        assert mine.headers["x-request-id"] == "order-42.retry:1"
        made = speak(client, "Hi.")
        assert len(made.headers["x-request-id"]) == 32
        odd = client.post(
            "/v1/audio/speech",
            json={"model": "tts-1", "input": "", "voice": "espeak:en-us"},
            headers={"x-request-id": "has spaces and {braces}"},
        )
        assert odd.status_code == 400
        rid = odd.headers["x-request-id"]
        assert rid != "has spaces and {braces}"
        assert odd.json()["error"]["request_id"] == rid
        missing = client.get("/v1/mynah/keys/nope", headers={"x-request-id": "abc"})
        assert missing.json()["error"]["request_id"] == "abc"
    rendered = [r for r in caplog.records if r.name == "mynah.tts.render"]
    assert "order-42.retry:1" in {getattr(r, "request_id", None) for r in rendered}


def test_json_logs_carry_the_request_id(tmp_path: Path) -> None:
    env = {
        "MYNAH_DATA_DIR": str(tmp_path / "data"),
        "MYNAH_ENGINES": '["espeak"]',
        "MYNAH_MODELS__OFFLINE": "true",
        "MYNAH_PLATFORM__JSON_LOGS": "true",
    }
    process, url = serve_process({**env, "PATH": os.environ.get("PATH", "")}, tmp_path, log_level="info")
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            answer = client.post(
                "/v1/audio/speech",
                json={"model": "tts-1", "input": "Hi.", "voice": "espeak:en-us"},
                headers={"x-request-id": "json-log-check"},
            )
            assert answer.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    (log,) = tmp_path.glob("server-*.log")
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    entries = [json.loads(line) for line in lines]
    assert any(e["request_id"] == "json-log-check" and e["logger"] == "mynah.tts.render" for e in entries), (
        lines
    )
