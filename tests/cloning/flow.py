"""The consent flow as a client runs it, for the tests that speak in a cloned voice: a voice made
through the real server (Piper reads the statement and the reference, whisper:base hears it) and
what a file spoken in it says of itself."""

from __future__ import annotations

import io
from typing import Any

import av
import httpx

__all__ = ["REFERENCE_TEXT", "create_voice", "say", "tags"]

REFERENCE_TEXT = (
    "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. "
    "It is easy to tell the depth of a well. These days a chicken leg is a rare dish. "
    "Rice is often served in round bowls. The juice of lemons makes fine punch."
)


def say(
    client: httpx.Client, text: str, voice: str = "piper:en_US-joe-medium", fmt: str = "wav", **headers: str
) -> httpx.Response:
    body = {"model": "tts-1", "input": text, "voice": voice, "response_format": fmt}
    return client.post("/v1/audio/speech", json=body, headers=headers)


def tags(data: bytes) -> dict[str, str]:
    """The container's and the audio stream's metadata (the file decodes to some audio)."""
    with av.open(io.BytesIO(data)) as container:
        found = dict(container.metadata)
        found.update(container.streams.audio[0].metadata)
        frames = sum(f.samples for f in container.decode(audio=0))
    assert frames > 0
    return found


def create_voice(client: httpx.Client, speaker: str = "Mary Smith") -> dict[str, Any]:
    """A cloned voice made by `client`'s key through the whole consent flow (the 201 body)."""
    challenge = client.post(
        "/v1/mynah/voices/consent", json={"speaker_name": speaker, "organisation": "Acme"}
    ).json()
    consent = say(client, challenge["statement"]).content
    reference = say(client, REFERENCE_TEXT).content
    created = client.post(
        "/v1/mynah/voices",
        data={"name": "Ada narrator", "speaker_name": speaker, "challenge_id": challenge["id"]},
        files={"consent_recording": ("c.wav", consent), "reference_recording": ("r.wav", reference)},
    )
    assert created.status_code == 201, created.text
    voice: dict[str, Any] = created.json()
    return voice
