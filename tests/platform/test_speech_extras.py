"""The speech cache (hits, and misses whenever anything that changes the audio changes), loudness on
request (exact for files, converging within the first sentence for streams), and audio quality
monitoring (a deliberate defect is counted for exactly the responses it was put in)."""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path

import av
import httpx
import numpy as np
import pyloudnorm
import pytest

from mynah.config import PlatformSettings, SpeechCacheSettings
from mynah.platform.cache import SpeechCache
from mynah.platform.context import current_request_id
from mynah.types import Samples
from tests.platform.conftest import ServerFactory, speak

WORDS = (
    "Thank you for calling the city library. Our opening hours are nine to six on weekdays and ten to "
    "four on Saturdays. To renew a loan, press one. To reserve a room, press two. "
)
PROMPT = " ".join([WORDS] * 9)  # about 300 words


def _decode(data: bytes) -> tuple[Samples, int]:
    with av.open(io.BytesIO(data)) as container:
        rate = container.streams.audio[0].rate
        frames = [f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]
    samples = np.concatenate(frames).astype(np.float32)
    if samples.dtype.kind == "i" or np.abs(samples).max() > 1.5:
        samples = samples / 32768.0
    return samples, rate


def _lufs(samples: Samples, rate: int) -> float:
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def _pcm(data: bytes) -> Samples:
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


# ------------------------------------------------------------------------------------------ cache


def test_a_repeated_prompt_is_a_hit_and_a_lexicon_edit_a_miss(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url, timeout=300) as client:
        lexicon = {"library": {"alias": "book house"}}
        assert client.put("/v1/lexicons/city", json=lexicon).status_code == 201
        first = speak(client, PROMPT, lexicons=["city"])
        assert first.status_code == 200
        assert first.headers["x-mynah-cache"] == "miss"
        again = speak(client, PROMPT, lexicons=["city"])
        assert again.headers["x-mynah-cache"] == "hit"
        assert again.content == first.content
        assert again.headers["x-mynah-voice"] == first.headers["x-mynah-voice"]
        assert speak(client, PROMPT, lexicons=["city"], speed=1.2).headers["x-mynah-cache"] == "miss"
        assert (
            speak(client, PROMPT, lexicons=["city"], response_format="mp3").headers["x-mynah-cache"] == "miss"
        )
        assert speak(client, PROMPT, lexicons=["city"], loudness=-20).headers["x-mynah-cache"] == "miss"
        assert speak(client, PROMPT).headers["x-mynah-cache"] == "miss", "without the lexicon: other words"

        edited = {"library": {"alias": "reading room"}}
        assert client.put("/v1/lexicons/city", json=edited).status_code in (200, 201)
        after = speak(client, PROMPT, lexicons=["city"])
        assert after.headers["x-mynah-cache"] == "miss"
        assert after.content != first.content
        assert speak(client, PROMPT, lexicons=["city"]).headers["x-mynah-cache"] == "hit"

        metrics = client.get("/metrics").text
        assert 'mynah_speech_cache_requests_total{result="hit"} 2.0' in metrics
        usage = client.get("/v1/mynah/usage", params={"group_by": "model"}).json()
        assert usage["total"]["cached"] == 2


class _FailsLate:
    """A sample stage that fails once it has passed a second of audio (a render dying mid-stream)."""

    def __init__(self) -> None:
        self.seen = 0

    def process(self, samples: Samples, spoken: bool) -> Samples:
        self.seen += len(samples)
        if self.seen > 24000:
            raise RuntimeError("the stage broke")
        return samples

    def finish(self) -> Samples:
        return np.zeros(0, dtype=np.float32)


def _sse(client: httpx.Client, text: str, **fields: object) -> httpx.Response:
    body = {"model": "tts-1", "input": text, "voice": "espeak:en-us", "response_format": "pcm"}
    return client.post("/v1/audio/speech", json={**body, "stream_format": "sse", **fields})


def test_sse_and_native_responses_are_cached_whole_so_a_hit_repeats_their_timings(
    make_server: ServerFactory,
) -> None:
    text = "Press one for opening hours. Press two to renew a loan."
    with make_server() as server, httpx.Client(base_url=server.url, timeout=300) as client:
        first = _sse(client, text, timings=True)
        assert first.headers["x-mynah-cache"] == "miss"
        assert '"speech.word"' in first.text and '"speech.audio.done"' in first.text
        again = _sse(client, text, timings=True)
        assert again.headers["x-mynah-cache"] == "hit"
        assert again.headers["content-type"].startswith("text/event-stream")
        assert again.text == first.text, "every event, timings and audio, as the render said them"
        plain = _sse(client, text)
        assert plain.headers["x-mynah-cache"] == "miss", "without timings: other events"
        assert '"speech.word"' not in plain.text
        assert _sse(client, text).text == plain.text
        assert speak(client, text, response_format="pcm").headers["x-mynah-cache"] == "miss", (
            "audio is not SSE"
        )

        for output, media in (("json", "application/json"), ("marks", "application/x-ndjson")):
            native = {"input": text, "voice": "espeak:en-us", "response_format": "wav", "output": output}
            miss = client.post("/v1/mynah/speech", json=native)
            assert miss.status_code == 200 and miss.headers["x-mynah-cache"] == "miss"
            hit = client.post("/v1/mynah/speech", json=native)
            assert hit.headers["x-mynah-cache"] == "hit"
            assert hit.headers["content-type"].startswith(media)
            assert hit.content == miss.content
            assert hit.headers["x-mynah-engine"] == miss.headers["x-mynah-engine"]
        respaced = client.post("/v1/mynah/speech", json={"input": text + "  ", "voice": "espeak:en-us"})
        assert respaced.headers["x-mynah-cache"] == "miss", "other input offsets: its own entry"

        server.platform.stage_factories.append(_FailsLate)
        long_text = "This stream will break after a second of its audio. " * 4
        broken = _sse(client, long_text)
        assert '"type": "error"' in broken.text and "speech.audio.done" not in broken.text
        server.platform.stage_factories.clear()
        after = _sse(client, long_text)
        assert after.headers["x-mynah-cache"] == "miss", "a stream that failed is never kept"
        assert "speech.audio.done" in after.text


def test_the_cache_stays_under_its_size_and_drops_the_least_recently_used(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "cache", max_bytes=20_000)
    for n in range(30):
        assert cache.put(f"k{n:02d}", bytes([n]) * 1500, headers={"x-mynah-voice": "v"}, seconds=1.0)
        assert cache.get("k00") is not None, "used all along: never the least recently used"
    assert cache.size <= 20_000
    assert sum(p.stat().st_size for p in cache.directory.iterdir()) <= 20_000
    assert cache.get("k01") is None, "the oldest unused entry is gone"
    hit = cache.get("k29")
    assert hit is not None and hit.audio == bytes([29]) * 1500 and hit.seconds == 1.0
    assert not cache.put("big", b"x" * 2_001, headers={}, seconds=1.0), "over a tenth of the cache"
    reopened = SpeechCache(tmp_path / "cache", max_bytes=20_000)
    assert reopened.size == cache.size
    assert reopened.get("k29") is not None


# ------------------------------------------------------------------------------------------ loudness


@pytest.mark.parametrize("target", [-16.0, -23.0])
def test_a_file_at_a_target_loudness_measures_it(make_server: ServerFactory, target: float) -> None:
    with make_server() as server, httpx.Client(base_url=server.url, timeout=120) as client:
        body = {"input": WORDS, "voice": "espeak:en-us", "response_format": "wav", "loudness": target}
        answer = client.post("/v1/mynah/speech", json=body)
        assert answer.status_code == 200, answer.text
        samples, rate = _decode(base64.b64decode(answer.json()["audio"]))
        assert _lufs(samples, rate) == pytest.approx(target, abs=0.5)


def test_a_stream_converges_within_its_first_sentence(make_server: ServerFactory) -> None:
    text = "Welcome to the show, everyone, it is great to have you here today. " + WORDS
    with make_server() as server, httpx.Client(base_url=server.url, timeout=120) as client:
        marks = client.post(
            "/v1/mynah/speech", json={"input": text, "voice": "espeak:en-us", "output": "marks"}
        ).text.splitlines()
        import json

        sentences = [json.loads(m) for m in marks if '"sentence"' in m]
        end_of_first = sentences[1]["time"]
        rate = 24000
        answer = speak(client, text, response_format="pcm", sample_rate=rate, loudness=-16)
        assert answer.status_code == 200
        samples = _pcm(answer.content)
        first = samples[: int(end_of_first * rate)]
        assert _lufs(first, rate) == pytest.approx(-16.0, abs=1.0)
        assert _lufs(samples, rate) == pytest.approx(-16.0, abs=1.0)
        assert np.abs(samples).max() <= 10 ** (-1 / 20) + 0.01
        plain = _pcm(speak(client, text, response_format="pcm", sample_rate=rate).content)
        assert abs(_lufs(plain[: len(first)], rate) + 16.0) > 1.0, "espeak-ng alone is not at -16 already"


def test_loudness_out_of_range_is_a_clear_400(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        answer = speak(client, "Hi.", loudness=3)
        assert answer.status_code == 400
        assert answer.json()["error"]["param"] == "loudness"


# ------------------------------------------------------------------------------------------ quality


class _Defect:
    """A broken DSP step: for requests whose id says so, two seconds of silence in the middle of the
    first sentence, or the audio driven eight times into clipping."""

    def __init__(self) -> None:
        request_id = current_request_id() or ""
        self.kind = request_id.split("-")[1] if request_id.startswith("defect-") else None
        self.done = False

    def process(self, samples: Samples, spoken: bool) -> Samples:
        if self.kind == "gap" and spoken and not self.done and len(samples) > 1000:
            self.done = True
            half = len(samples) // 2
            gap = np.zeros(int(2.0 * 22050), np.float32)
            return np.concatenate([samples[:half], gap, samples[half:]])
        if self.kind == "clip":
            return np.clip(samples * 8.0, -1.0, 1.0).astype(np.float32)
        return samples

    def finish(self) -> Samples:
        return np.zeros(0, np.float32)


def _anomalies(client: httpx.Client) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    found: dict[str, float] = {}
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == "mynah_speech_audio_anomalies_total":
                found[sample.labels["kind"]] = found.get(sample.labels["kind"], 0) + sample.value
    return found


def test_an_injected_defect_is_counted_for_exactly_those_responses(
    make_server: ServerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="mynah.platform")
    off = PlatformSettings(speech_cache=SpeechCacheSettings(enabled=False))
    with make_server(platform=off) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        server.platform.stage_factories.append(_Defect)
        sentence = "The quarterly report is ready for review by the whole team this afternoon."
        healthy = [
            sentence,
            "Short one.",
            '<speak>Please wait.<break time="2500ms"/>Thank you for waiting.</speak>',
            WORDS,
        ]
        for n, text in enumerate(healthy):
            answer = client.post(
                "/v1/audio/speech",
                json={"model": "tts-1", "input": text, "voice": "espeak:en-us", "response_format": "wav"},
                headers={"x-request-id": f"healthy-{n}"},
            )
            assert answer.status_code == 200
        assert _anomalies(client) == {}, "healthy speech, and a pause that was asked for, are no anomaly"
        for request_id in ("defect-gap-1", "defect-gap-2", "defect-clip-1"):
            answer = client.post(
                "/v1/audio/speech",
                json={"model": "tts-1", "input": sentence, "voice": "espeak:en-us", "response_format": "wav"},
                headers={"x-request-id": request_id},
            )
            assert answer.status_code == 200
        counted = _anomalies(client)
        assert counted.get("internal_silence") == 2
        assert counted.get("clipping") == 1
        flagged = {getattr(r, "request_id", None) for r in caplog.records if "anomaly" in r.getMessage()}
        assert flagged == {"defect-gap-1", "defect-gap-2", "defect-clip-1"}
