"""Engines on a local Ray cluster behind an unchanged HTTP front (mynah.cluster): requests spread over
both replicas of a family, a replica killed mid-request costs the request nothing, a job survives its
replica being killed, and PostgreSQL holds jobs, usage and lexicons consistently afterwards."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.cluster.conftest import NAMESPACE, busy_replica, kill_replica, wait_for
from tests.support import LiveServer, decoded_seconds, run_mynah

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")


def _transcribe(server: LiveServer, audio: bytes, **form: str) -> httpx.Response:
    with httpx.Client(base_url=server.url, timeout=300) as client:
        return client.post(
            "/v1/audio/transcriptions",
            files={"file": ("clip.wav", audio, "audio/wav")},
            data={"model": "whisper-1", "response_format": "json", **form},
        )


LONGER_SPEECH = "The train to the coast leaves from platform two at nine. " * 6


def _speak(server: LiveServer, text_: str, **body: Any) -> httpx.Response:
    with httpx.Client(base_url=server.url, timeout=300) as client:
        return client.post(
            "/v1/audio/speech",
            json={
                "model": "tts-1",
                "voice": "espeak:en-us",
                "input": text_,
                "response_format": "wav",
                **body,
            },
        )


def test_requests_from_several_clients_spread_over_both_replicas(
    cluster_server: LiveServer, speech_dir: Path
) -> None:
    audio = (speech_dir / "goforward.wav").read_bytes()
    heard: dict[str, set[str]] = {"transcription": set(), "speech": set()}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as clients:
        # rounds of eight concurrent requests, until both replicas of each answered; each speech a
        # few sentences, so that one replica is still busy when the next arrives (a one-line espeak
        # reply could finish before it, and the router rightly keeps choosing the idle replica)
        for _ in range(10):
            transcriptions = [clients.submit(_transcribe, cluster_server, audio) for _ in range(4)]
            speeches = [
                clients.submit(_speak, cluster_server, f"Sentence number {i}. " + LONGER_SPEECH)
                for i in range(4)
            ]
            for future in transcriptions:
                response = future.result()
                assert response.status_code == 200, response.text
                assert response.json()["text"].lower().startswith("go forward")
                heard["transcription"].add(response.headers["x-mynah-replica"])
            for future in speeches:
                response = future.result()
                assert response.status_code == 200, response.text
                assert decoded_seconds(response.content) > 0.5
                heard["speech"].add(response.headers["x-mynah-replica"])
            if all(len(names) == 2 for names in heard.values()):
                break
    assert {name.split("#")[0] for name in heard["transcription"]} == {"transcription"}
    assert {name.split("#")[0] for name in heard["speech"]} == {"speech"}
    assert len(heard["transcription"]) == 2 and len(heard["speech"]) == 2, heard


def test_bad_input_is_refused_by_the_front_before_any_replica(cluster_server: LiveServer) -> None:
    response = _speak(cluster_server, "Hello.", voice="espeak:no-such-voice")
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "voice"
    assert "x-mynah-replica" not in response.headers


def test_a_replica_killed_mid_request_is_retried_on_the_other(
    cluster_server: LiveServer, ray_cluster: Any, long_recording: bytes
) -> None:
    runtime = cluster_server.runtime
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as client:
        pending = client.submit(_transcribe, cluster_server, long_recording)
        victim = wait_for(lambda: busy_replica(runtime, "transcription"), what="a replica taking the call")
        kill_replica(ray_cluster, victim)
        response = pending.result()
    assert response.status_code == 200, response.text
    assert response.headers["x-mynah-replica"] != victim["replica"]
    assert "printing" in response.json()["text"].lower()
    assert runtime.cluster is not None
    assert victim["replica"] in runtime.cluster.status()["lost"]


def test_a_speech_stream_whose_replica_dies_is_finished_by_another(
    cluster_server: LiveServer, ray_cluster: Any
) -> None:
    """The stream resumes where it was: the replacement replica replays the plan and skips what the
    listener already has, so the audio is as long as an uninterrupted answer's."""
    words = " ".join(f"This is sentence {i} of a long answer." for i in range(40))
    whole = _speak(cluster_server, words)
    assert whole.status_code == 200
    runtime = cluster_server.runtime
    with (
        httpx.Client(base_url=cluster_server.url, timeout=300) as client,
        client.stream(
            "POST",
            "/v1/audio/speech",
            json={"model": "tts-1", "voice": "espeak:en-us", "input": words, "response_format": "pcm"},
        ) as streamed,
    ):
        pieces = []
        victim = None
        for piece in streamed.iter_bytes():
            pieces.append(piece)
            if victim is None and (victim := busy_replica(runtime, "speech")) is not None:
                kill_replica(ray_cluster, victim)
    assert victim is not None, "the stream ended before its replica could be seen at work"
    pcm = b"".join(pieces)
    assert (
        abs(len(pcm) / 2 / int(streamed.headers["x-mynah-sample-rate"]) - decoded_seconds(whole.content))
        < 0.05
    )


def test_a_job_survives_its_replica_being_killed(
    cluster_server: LiveServer, ray_cluster: Any, long_recording: bytes
) -> None:
    runtime = cluster_server.runtime
    with httpx.Client(base_url=cluster_server.url, timeout=60) as client:
        submitted = client.post(
            "/v1/mynah/jobs/transcriptions", files={"file": ("long.wav", long_recording, "audio/wav")}
        )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["id"]
        victim = wait_for(lambda: busy_replica(runtime, "transcription"), what="a replica running the job")
        kill_replica(ray_cluster, victim)
        job = wait_for(
            lambda: (
                (body := client.get(f"/v1/mynah/jobs/{job_id}").json())["status"] in ("succeeded", "failed")
                and body
            ),
            what="the job finishing",
        )
        assert job["status"] == "succeeded", job
        result = client.get(f"/v1/mynah/jobs/{job_id}/result").json()
    assert "printing" in json.dumps(result).lower()


def test_jobs_usage_and_lexicons_are_consistent_in_postgresql(
    cluster_server: LiveServer, speech_dir: Path
) -> None:
    """A lexicon stored through the front is read by the replica that speaks (it lengthens the audio);
    every job is finished with no lease left; every answered request is one usage row."""
    with httpx.Client(base_url=cluster_server.url, timeout=120) as client:
        put = client.put(
            "/v1/lexicons/acronyms",
            content=json.dumps({"NATO": "North Atlantic Treaty Organization"}),
            headers={"content-type": "application/json"},
        )
        assert put.status_code in (200, 201), put.text
    plain = _speak(cluster_server, "NATO.")
    spelled = _speak(cluster_server, "NATO.", lexicons=["acronyms"])
    assert plain.status_code == spelled.status_code == 200
    assert decoded_seconds(spelled.content) > decoded_seconds(plain.content) + 0.5
    answered = {plain.headers["x-request-id"], spelled.headers["x-request-id"]}
    runtime = cluster_server.runtime
    url = runtime.settings.database_url
    assert url is not None and url.startswith("postgresql")
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            lexicons = db.execute(text("SELECT name FROM lexicons")).scalars().all()
            assert "acronyms" in lexicons
            states = db.execute(text("SELECT state, lease_token FROM jobs")).all()
            assert states and all(status in ("succeeded", "failed") for status, _ in states), states
            assert all(lease is None for _, lease in states)

        def recorded() -> bool:
            with engine.connect() as db:
                ids = db.execute(
                    text("SELECT request_id FROM usage_events WHERE kind = 'speech' AND status = 200")
                ).scalars()
                return answered <= set(ids)

        wait_for(recorded, what="the usage rows of both speech requests")
    finally:
        engine.dispose()


def test_status_in_health_and_metrics(cluster_server: LiveServer) -> None:
    """Both families healthy with two replicas each (a killed one is replaced by Serve: waited for)."""

    def healthy() -> dict[str, Any] | None:
        with httpx.Client(base_url=cluster_server.url, timeout=60) as client:
            cluster: dict[str, Any] = client.get("/health").json()["cluster"]
        running = {name: d["replicas"].get("RUNNING", 0) for name, d in cluster["deployments"].items()}
        families = [r["family"] for r in cluster["replicas"]]
        ready = running == {"speech": 2, "transcription": 2} and all(
            d["status"] == "HEALTHY" for d in cluster["deployments"].values()
        )
        return cluster if ready and families.count("speech") == families.count("transcription") == 2 else None

    cluster = wait_for(healthy, what="two healthy replicas per family")
    assert all(r["node"] and r["pid"] for r in cluster["replicas"])
    with httpx.Client(base_url=cluster_server.url, timeout=60) as client:
        metrics = client.get("/metrics").text
    assert 'mynah_cluster_replicas{deployment="speech",state="RUNNING"} 2.0' in metrics
    assert 'mynah_cluster_replicas{deployment="transcription",state="RUNNING"} 2.0' in metrics
    assert "mynah_cluster_replica_served_total" in metrics
    assert "mynah_cluster_replicas_lost" in metrics


def test_cluster_status_command(cluster_server: LiveServer, ray_cluster: Any, tmp_path: Path) -> None:
    """`mynah cluster status` as an operator runs it: joining the cluster by its address, and asking a
    front; `local` is refused with the way to ask instead."""
    address = ray_cluster.get_runtime_context().gcs_address
    joined = run_mynah(
        "cluster", "status", "--address", address, "--json", cwd=tmp_path, MYNAH_CLUSTER__NAMESPACE=NAMESPACE
    )
    assert joined.returncode == 0, joined.stderr
    report = json.loads(joined.stdout)
    assert set(report["deployments"]) == {"speech", "transcription"}
    assert {r["family"] for r in report["replicas"]} == {"speech", "transcription"}
    asked = run_mynah("cluster", "status", "--server", cluster_server.url, cwd=tmp_path, COLUMNS="200")
    assert asked.returncode == 0, asked.stderr
    assert "transcription#" in asked.stdout and "speech#" in asked.stdout
    local = run_mynah("cluster", "status", "--address", "local", cwd=tmp_path)
    assert local.returncode != 0
    assert "GET /health" in local.stderr


def _served(runtime: Any) -> int:
    """Calls the transcription replicas have finished, as the board reports them."""
    replicas = runtime.cluster.status()["replicas"]
    return sum(r["served"] for r in replicas if r["family"] == "transcription")


def _pcm(speech_dir: Path) -> bytes:
    from mynah.audio.decode import decode_audio

    samples = decode_audio((speech_dir / "goforward.wav").read_bytes(), 16000)
    return (samples * 32767).astype("<i2").tobytes()


def test_live_transcription_decodes_on_the_replicas(cluster_server: LiveServer, speech_dir: Path) -> None:
    """The WebSocket stream stays on the front; every decode of it runs on a transcription replica."""
    import asyncio

    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    runtime = cluster_server.runtime
    before = _served(runtime)
    pcm = _pcm(speech_dir)

    async def stream() -> list[dict[str, Any]]:
        url = cluster_server.url.replace("http://", "ws://") + "/v1/mynah/transcriptions/stream"
        messages: list[dict[str, Any]] = []
        async with connect(url, max_size=None) as ws:
            await ws.send(json.dumps({"model": "pocketsphinx:en-us"}))
            for start in range(0, len(pcm), 6400):  # 0.2 s frames, as a microphone sends them
                await ws.send(pcm[start : start + 6400])
            await ws.send(json.dumps({"type": "close_stream"}))
            try:
                async with asyncio.timeout(300):
                    async for message in ws:
                        messages.append(json.loads(message))
            except ConnectionClosed:
                pass
        return messages

    messages = asyncio.run(stream())
    finals = [m for m in messages if m.get("type") == "final"]
    assert finals and "go forward" in " ".join(m["text"] for m in finals).lower(), messages
    decoded_by = runtime.transcription.last_decoded_by
    assert decoded_by is not None and decoded_by.startswith("transcription#")
    wait_for(lambda: _served(runtime) >= before + len(finals), what="the replicas reporting the decodes")


def test_wyoming_transcription_decodes_on_the_replicas(cluster_server: LiveServer, speech_dir: Path) -> None:
    import asyncio

    from wyoming.asr import Transcribe, Transcript
    from wyoming.audio import AudioChunk, AudioStart, AudioStop
    from wyoming.client import AsyncTcpClient

    from mynah.realtime.hub import Realtime
    from mynah.realtime.wyoming import serve
    from tests.support import free_port

    runtime = cluster_server.runtime
    runtime.transcription.last_decoded_by = None
    before = _served(runtime)
    pcm = _pcm(speech_dir)
    port = free_port()

    async def run() -> str:
        hub = Realtime(runtime)
        ready = asyncio.Event()
        server = asyncio.create_task(serve(hub, f"tcp://127.0.0.1:{port}", ready=ready))
        try:
            await asyncio.wait_for(ready.wait(), 30)
            async with AsyncTcpClient("127.0.0.1", port) as client:
                await client.write_event(Transcribe(name="pocketsphinx:en-us", language="en").event())
                await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
                for start in range(0, len(pcm), 3200):
                    chunk = AudioChunk(rate=16000, width=2, channels=1, audio=pcm[start : start + 3200])
                    await client.write_event(chunk.event())
                await client.write_event(AudioStop().event())
                async with asyncio.timeout(300):
                    while True:
                        event = await client.read_event()
                        assert event is not None, "the server closed the connection"
                        if Transcript.is_type(event.type):
                            return Transcript.from_event(event).text
        finally:
            server.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await server
            hub.close()

    text_ = asyncio.run(run())
    assert "go forward" in text_.lower()
    decoded_by = runtime.transcription.last_decoded_by
    assert decoded_by is not None and decoded_by.startswith("transcription#")
    wait_for(lambda: _served(runtime) > before, what="the replicas reporting the decodes")
