"""Jobs spend a key's daily budget as requests do, over real HTTP with the server's own workers and
store: a job whose characters do not fit is refused at submission (429, Retry-After), and what a
finished job used counts against the key's next request, job or not."""

from __future__ import annotations

import httpx

from tests.jobs.conftest import wait_finished
from tests.platform.conftest import ServerFactory, bearer, keys_of, speak

JOBS = {"poll_seconds": 0.05}
SSML = "<speak>Your order has <emphasis>shipped</emphasis>.</speak>"  # 23 billable characters


def _job(client: httpx.Client, text: str) -> httpx.Response:
    return client.post(
        "/v1/mynah/jobs/speech", json={"input": text, "voice": "espeak:en-us", "response_format": "wav"}
    )


def test_a_job_spends_the_days_characters_and_one_that_does_not_fit_is_refused(
    make_server: ServerFactory,
) -> None:
    with make_server(jobs=JOBS) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        made = keys_of(server).create("batch", scopes=["jobs", "speech"], limits={"chars_per_day": 40})
        client.headers.update(bearer(made.token))
        first = _job(client, SSML)
        assert first.status_code == 202, first.text
        assert wait_finished(client, first.json()["id"])["status"] == "succeeded"

        refused = _job(client, SSML)  # 23 + 23 > 40
        assert refused.status_code == 429, refused.text
        assert refused.json()["error"]["code"] == "rate_limit_exceeded" and "characters" in refused.text
        assert int(refused.headers["retry-after"]) > 0
        assert refused.headers["x-ratelimit-remaining-characters"] == "17"

        assert speak(client, "Hello there, friend.").status_code == 429, "20 more do not fit either"
        assert speak(client, "Hello there.").status_code == 200, "12 still do"
        listed = client.get("/v1/mynah/jobs").json()["data"]
        assert [job["id"] for job in listed] == [first.json()["id"]], "the refused job was never queued"


def test_a_finished_jobs_audio_counts_against_the_next_request(make_server: ServerFactory) -> None:
    with make_server(jobs=JOBS) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        made = keys_of(server).create(
            "batch",
            scopes=["jobs", "speech"],
            limits={"audio_minutes_per_day": 0.02},  # 1.2 s: 1 whole second
        )
        client.headers.update(bearer(made.token))
        job = _job(client, "Hello there, how are you today? I hope you are well.")
        assert job.status_code == 202, job.text
        assert wait_finished(client, job.json()["id"])["status"] == "succeeded"  # several seconds of audio

        spoken = speak(client, "Hi.")
        assert spoken.status_code == 429, spoken.text
        assert spoken.headers["x-ratelimit-remaining-audio-seconds"] == "0"
        again = _job(client, "Hi.")
        assert again.status_code == 429, again.text
        assert int(again.headers["retry-after"]) > 0
