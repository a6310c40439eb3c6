"""A job records the API key that submitted it as its owner (the fairness of claims goes by owner)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.platform.conftest import ServerFactory, bearer, keys_of


def test_a_job_is_owned_by_the_key_that_submitted_it(make_server: ServerFactory, data_dir: Path) -> None:
    audio = (data_dir / "speech" / "goforward.wav").read_bytes()
    with make_server() as server, httpx.Client(base_url=server.url) as client:
        made = keys_of(server).create("batch", scopes=["jobs"])
        client.headers.update(bearer(made.token))
        response = client.post(
            "/v1/mynah/jobs/transcriptions",
            data={"model": "pocketsphinx:en-us"},
            files={"file": ("g.wav", audio)},
        )
        assert response.status_code == 202, response.text
        assert response.json()["owner"] == made.key.id
        assert client.get(f"/v1/mynah/jobs/{response.json()['id']}").json()["owner"] == made.key.id
