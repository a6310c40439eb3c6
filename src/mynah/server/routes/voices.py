"""Cloned voices over HTTP (the `voices` scope; see mynah.cloning.voices).

POST   /v1/mynah/voices/consent        {"speaker_name", "organisation"?} -> a challenge to read aloud
POST   /v1/mynah/voices                multipart: name, speaker_name, challenge_id,
                                       consent_recording, reference_recording
                                       -> 201 the voice, its checks and the speaker's revocation token
GET    /v1/mynah/voices                the cloned voices this key may use
GET    /v1/mynah/voices/{id}           one of them (404 for another key's, or a revoked one)
POST   /v1/mynah/voices/{id}/share     {"key_id"}: admin only
POST   /v1/mynah/voices/{id}/revoke    the owner's or an admin's key
POST   /v1/mynah/consent/revoke        {"voice_id", "token"}: the speaker's token, no key needed
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from mynah.cloning.disclosure import AUTHORISED, POCKET, ClonedSpeech, StreamAudit, authorise
from mynah.cloning.voices import Cloning
from mynah.errors import InvalidRequest
from mynah.platform.context import context_of
from mynah.platform.keys import ANONYMOUS, ApiKey
from mynah.server.deps import require_api_key, runtime_of

if TYPE_CHECKING:
    from mynah.runtime import Runtime
    from mynah.tts.speech import ResolvedVoice

__all__ = [
    "VoiceGate",
    "authorise_cloned_voice",
    "cloning_of",
    "key_of",
    "router",
    "speaker",
]

router = APIRouter(dependencies=[Depends(require_api_key)], tags=["voice cloning"])
speaker = APIRouter(tags=["voice cloning"])
"""Routes the speaker calls without a key."""
_lock = threading.Lock()
MAX_UPLOAD_BYTES = 25 * 1024 * 1024


def cloning_of(conn: HTTPConnection) -> Cloning:
    """The app's Cloning (made on first use, in a worker thread: it creates tables)."""
    with _lock:
        found = getattr(conn.app.state, "cloning", None)
        if found is None:
            runtime: Runtime = conn.app.state.runtime
            found = conn.app.state.cloning = Cloning(runtime, recogniser=runtime.settings.cloning.recogniser)
        cloning: Cloning = found
        return cloning


def key_of(conn: HTTPConnection) -> ApiKey | None:
    """The calling key (None on a server that asks for none)."""
    ctx = context_of(conn.scope)
    return ctx.key if ctx is not None else None


def _owner(request: Request) -> str:
    key = key_of(request)
    return key.id if key is not None else ANONYMOUS.id


class ConsentRequest(BaseModel):
    speaker_name: str = Field(description="The person whose voice will be copied, as they will say it")
    organisation: str | None = Field(
        None, description="Who may copy it (default: settings.cloning.organisation)"
    )


class ShareRequest(BaseModel):
    key_id: str


class SpeakerRevokeRequest(BaseModel):
    voice_id: str
    token: str = Field(description="The speaker's revocation token, given when the voice was made")


@router.post("/v1/mynah/voices/consent", status_code=201)
async def issue_consent(request: Request, body: ConsentRequest) -> dict[str, Any]:
    """A consent statement for the speaker to read aloud: valid for ten minutes and one attempt."""

    def issue() -> dict[str, Any]:
        cloning = cloning_of(request)
        organisation = body.organisation or runtime_of(request).settings.cloning.organisation
        return cloning.challenges.issue(
            _owner(request), speaker=body.speaker_name, organisation=organisation
        ).as_json()

    return await run_in_threadpool(issue)


async def _read(upload: UploadFile | None, param: str) -> bytes:
    if upload is None:
        raise InvalidRequest(f"{param} is required (an audio file)", param=param)
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidRequest(f"{param} is larger than {MAX_UPLOAD_BYTES // 2**20} MB", param=param)
    return data


@router.post("/v1/mynah/voices", status_code=201)
async def create_voice(
    request: Request,
    name: str | None = Form(None),
    speaker_name: str | None = Form(None),
    challenge_id: str | None = Form(None),
    consent_recording: UploadFile | None = File(None),
    reference_recording: UploadFile | None = File(None),
) -> JSONResponse:
    """Create a cloned voice from a verified consent (recordings of at most two minutes each)."""
    for value, param in ((name, "name"), (speaker_name, "speaker_name"), (challenge_id, "challenge_id")):
        if not value:
            raise InvalidRequest(f"{param} is required", param=param)
    assert name is not None and speaker_name is not None and challenge_id is not None
    consent = await _read(consent_recording, "consent_recording")
    reference = await _read(reference_recording, "reference_recording")

    def create() -> dict[str, Any]:
        created = cloning_of(request).create(
            _owner(request),
            name=name,
            speaker=speaker_name,
            challenge_id=challenge_id,
            consent=consent,
            reference=reference,
        )
        return {
            **created.voice.as_json(),
            "revocation_token": created.revocation_token,
            "checks": created.checks,
        }

    return JSONResponse(await run_in_threadpool(create), status_code=201)


@router.get("/v1/mynah/voices")
async def list_voices(request: Request) -> dict[str, Any]:
    voices = await run_in_threadpool(lambda: cloning_of(request).list(key_of(request)))
    return {"object": "list", "data": [v.as_json() for v in voices]}


@router.get("/v1/mynah/voices/{voice_id}")
async def get_voice(request: Request, voice_id: str) -> dict[str, Any]:
    voice = await run_in_threadpool(lambda: cloning_of(request).get(voice_id, key_of(request)))
    return voice.as_json()


@router.post("/v1/mynah/voices/{voice_id}/share")
async def share_voice(request: Request, voice_id: str, body: ShareRequest) -> dict[str, Any]:
    key = key_of(request) or ANONYMOUS
    voice = await run_in_threadpool(lambda: cloning_of(request).share(voice_id, body.key_id, admin=key))
    return voice.as_json()


@router.post("/v1/mynah/voices/{voice_id}/revoke")
async def revoke_voice(request: Request, voice_id: str) -> dict[str, Any]:
    """Revoke as the voice's owner or an admin: no more synthesis; its recordings are erased."""
    await run_in_threadpool(lambda: cloning_of(request).revoke(voice_id, key=key_of(request) or ANONYMOUS))
    return {"id": voice_id, "object": "cloned_voice", "revoked": True}


@router.delete("/v1/mynah/voices/{voice_id}")
async def delete_voice(request: Request, voice_id: str) -> dict[str, Any]:
    """Delete as the owner or an admin: as a revocation (files erased, hashes and audit kept)."""
    key = key_of(request) or ANONYMOUS
    await run_in_threadpool(lambda: cloning_of(request).revoke(voice_id, key=key, event="voice.deleted"))
    return {"id": voice_id, "object": "cloned_voice", "deleted": True}


@speaker.post("/v1/mynah/consent/revoke")
async def revoke_by_speaker(request: Request, body: SpeakerRevokeRequest) -> dict[str, Any]:
    """The speaker withdraws consent with their revocation token (no API key needed)."""
    await run_in_threadpool(lambda: cloning_of(request).revoke(body.voice_id, token=body.token))
    return {"id": body.voice_id, "object": "cloned_voice", "revoked": True}


async def authorise_cloned_voice(conn: HTTPConnection, resolved: ResolvedVoice) -> ClonedSpeech | None:
    """None unless the request (HTTP or WebSocket) speaks in a cloned voice; then the caller's right to
    it is checked (404 for a voice it may not use, or a revoked one) and the engine is told, in this
    request's context, that it may speak it."""
    if not any(v.engine == POCKET for v in (resolved.voice, *(v for _, v in resolved.alternatives))):
        return None
    cloning = await run_in_threadpool(cloning_of, conn)
    cloned = await run_in_threadpool(authorise, cloning, resolved, key_of(conn))
    if cloned is not None:
        AUTHORISED.set(cloned.voice.id)
    return cloned


class VoiceGate:
    """The voice check of a live speech socket (`SpeechStream.open`'s hook): after it, `cloned` is the
    allowed cloned voice (None for any other) and `audit` its per-utterance audit."""

    def __init__(self, conn: HTTPConnection) -> None:
        self.conn = conn
        self.cloned: ClonedSpeech | None = None
        self.audit: StreamAudit | None = None

    async def check(self, resolved: ResolvedVoice) -> dict[str, str] | None:
        self.cloned = await authorise_cloned_voice(self.conn, resolved)
        if self.cloned is None:
            return None
        self.audit = StreamAudit(self.cloned)
        return self.cloned.metadata

    @property
    def event(self) -> dict[str, str]:
        """What the stream's messages say of the voice (nothing for a voice that is not cloned)."""
        return self.cloned.event if self.cloned is not None else {}

    def audio(self, data: bytes) -> None:
        if self.audit is not None:
            self.audit.audio(data)

    async def saw(self, event: dict[str, Any]) -> None:
        if self.audit is not None and event.get("type") in ("done", "cancelled", "error"):
            await run_in_threadpool(self.audit.saw, event)

    async def close(self, offset: int) -> None:
        """The socket ended: an utterance still open is recorded as incomplete."""
        if self.audit is not None:
            await run_in_threadpool(self.audit.ended, offset, complete=False)
