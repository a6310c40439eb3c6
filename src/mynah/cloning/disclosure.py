"""Speaking in a cloned voice: who may, what the audio says of itself, and the audit of each use.

    cloned = authorise(cloning, resolved, key)       # None unless `resolved` is a cloned voice;
                                                     # NotFound for a voice `key` may not use
    token = AUTHORISED.set(cloned.voice.id)          # the engine speaks only the voice allowed here
    cloned.headers / cloned.metadata / cloned.event  # the disclosure: headers, file tags, stream event
    cloned.audited(chunks, chars)                    # one `voice.synthesis` audit entry when they end
    audit = StreamAudit(cloned)                      # a live stream: one entry per utterance

Every route that speaks (the OpenAI and native routes, the live sockets, the Waves routes) and
`mynah say` go through `authorise`: the engine refuses a voice no caller was checked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from mynah.cloning.voices import ClonedVoice, Cloning
from mynah.engines.pocket import AUTHORISED
from mynah.errors import InvalidRequest
from mynah.platform.keys import ANONYMOUS, ApiKey

if TYPE_CHECKING:
    from mynah.tts.speech import ResolvedVoice

__all__ = ["AUTHORISED", "ClonedSpeech", "StreamAudit", "authorise", "disclosure_tags"]

POCKET = "pocket"
T = TypeVar("T", str, bytes)
R = TypeVar("R")
M = TypeVar("M")


def authorise(cloning: Cloning, resolved: ResolvedVoice, key: ApiKey | None) -> ClonedSpeech | None:
    """None unless `resolved` speaks in a cloned voice; then `key`'s right to it is checked: NotFound
    (404) for a voice it may not use, or a revoked one. (Blocking: it reads the store.) The caller
    then sets `AUTHORISED` in the context the synthesis runs in."""
    voices = [resolved.voice, *(v for _, v in resolved.alternatives)]
    cloned = [v for v in voices if v.engine == POCKET]
    if not cloned:
        return None
    if len(voices) > 1:
        raise InvalidRequest("a cloned voice cannot be part of a fallback chain", param="voice")
    voice = cloning.get(cloned[0].name, key)
    return ClonedSpeech(voice, cloning, (key or ANONYMOUS).id)


@dataclass(frozen=True)
class ClonedSpeech:
    """A speech request in a cloned voice, allowed for its caller: the disclosure it must carry
    (response headers, the file's own tags, a stream's event) and where its synthesis is audited."""

    voice: ClonedVoice
    cloning: Cloning
    key_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"x-mynah-cloned-voice": self.voice.id, "x-mynah-consent-record": self.voice.consent_record}

    @property
    def metadata(self) -> dict[str, str]:
        return disclosure_tags(self.voice)

    @property
    def event(self) -> dict[str, str]:
        """What a stream's messages say (the `ready` event, the Waves socket's messages)."""
        return {"cloned_voice": self.voice.id, "consent_record": self.voice.consent_record}

    def record(self, chars: int, size: int, sha256: str, complete: bool) -> None:
        """One `voice.synthesis` audit entry: the key, the characters, the bytes sent and their
        SHA-256, and whether the response was complete."""
        self.cloning.audit.append(
            "voice.synthesis",
            key_id=self.key_id,
            voice_id=self.voice.id,
            details={"chars": chars, "bytes": size, "audio_sha256": sha256, "complete": complete},
        )

    def audited(self, chunks: Iterator[T], chars: int) -> Iterator[T]:
        """`chunks` as they are, and one audit entry when they end (the hash is of the audio; for
        SSE, of the event stream)."""
        digest, size, complete = hashlib.sha256(), 0, False
        try:
            for chunk in chunks:
                data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
                digest.update(data)
                size += len(data)
                yield chunk
            complete = True
        finally:
            self.record(chars, size, digest.hexdigest(), complete)

    def audited_call(
        self, synthesise: Callable[[], tuple[R, M, bytes]], chars: int
    ) -> Callable[[], tuple[R, M, bytes]]:
        """`synthesise` (a whole render: its result ends with the audio), audited like `audited`."""

        def run() -> tuple[R, M, bytes]:
            result: tuple[R, M, bytes] | None = None
            try:
                result = synthesise()
                return result
            finally:
                audio = result[2] if result is not None else b""
                self.record(chars, len(audio), hashlib.sha256(audio).hexdigest(), result is not None)

        return run


@dataclass
class StreamAudit:
    """The audit of a live stream in a cloned voice: one `voice.synthesis` entry per utterance (its
    characters, the audio bytes handed to the client and their SHA-256), complete when it ended in
    `done`, not when it was cancelled or the client left. (Blocking: `ended` writes to the store.)"""

    cloned: ClonedSpeech
    _digest: Any = field(default_factory=hashlib.sha256)
    _size: int = 0
    _start: int = 0
    _failed: bool = False

    def audio(self, data: bytes) -> None:
        self._digest.update(data)
        self._size += len(data)

    def failed(self) -> None:
        """A unit of this utterance failed (an error event): it is not complete."""
        self._failed = True

    def ended(self, offset: int, *, complete: bool) -> None:
        """The utterance up to character `offset` of the stream is over (nothing to record if it
        held neither text nor audio)."""
        chars = max(offset - self._start, 0)
        if chars or self._size:
            self.cloned.record(chars, self._size, self._digest.hexdigest(), complete and not self._failed)
        self._digest, self._size, self._start, self._failed = hashlib.sha256(), 0, offset, False

    def saw(self, event: dict[str, Any]) -> None:
        """Note a stream event (blocking: `done` and `cancelled` end the utterance, writing its entry)."""
        kind = event.get("type")
        if kind == "error":
            self.failed()
        elif kind in ("done", "cancelled"):
            self.ended(int(event.get("offset", self._start)), complete=kind == "done")


def disclosure_tags(voice: ClonedVoice) -> dict[str, str]:
    """What a file spoken in a cloned voice says of itself (ID3v2 / Vorbis comments; WAV keeps the
    title and comment as RIFF INFO INAM / ICMT)."""
    return {
        "title": f"Synthetic speech: cloned voice {voice.name} ({voice.id})",
        "comment": (
            f"Synthetic speech in the cloned voice {voice.id} of {voice.speaker}, made with their recorded "
            f"consent (consent record {voice.consent_record}) by mynah"
        ),
        "mynah_cloned_voice": voice.id,
        "mynah_consent_record": voice.consent_record,
    }
