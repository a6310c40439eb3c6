"""Cloned voices: created only through a verified consent, owned by a key, revocable.

    cloning = Cloning(runtime)                       # tables in the runtime's store, files in data_dir
    challenge = cloning.challenges.issue(key_id, speaker=..., organisation=...)
    created = cloning.create(key_id, name=..., speaker=..., challenge_id=..., consent=bytes, reference=bytes)
    created.revocation_token                         # for the speaker: shown once, only its hash is kept
    cloning.list(key)                                # the voices this key may use
    cloning.revoke(voice_id, key=key) / cloning.revoke(voice_id, token=...)

`create` checks, in order, and refuses at the first that fails (an InvalidRequest whose code names
the reason; the refusal is written to the audit log and nothing else is kept): the challenge (this
key's, unused, unexpired: it is spent by the attempt), both recordings' quality
(`speaker.check_quality`), the statement heard in the consent recording by the installed recogniser
(`consent.statement_heard`), and the same speaker in both (`speaker.distance`). A created voice's
files live in `<data_dir>/cloned-voices/<voice id>/`; revoking erases that directory (reference,
consent recording, speaker profile) and keeps only the row with the recordings' hashes, and the
audit log.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, mapped_column

from mynah.audio.decode import decode_audio
from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.cloning.audit import AuditLog
from mynah.cloning.consent import ConsentChallenge, ConsentChallenges, statement_heard
from mynah.cloning.speaker import SAME_SPEAKER_THRESHOLD, SpeakerProfile, check_quality, distance
from mynah.errors import Forbidden, InvalidRequest, MynahError, NotFound
from mynah.store.models import Base, UtcDateTime

if TYPE_CHECKING:
    from mynah.platform.keys import ApiKey
    from mynah.runtime import Runtime

__all__ = ["ClonedVoice", "Cloning", "CreatedVoice"]

RATE = 16000
MAX_RECORDING_SECONDS = 120.0


class ClonedVoiceRow(Base):
    __tablename__ = "cloned_voices"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    owner: Mapped[str] = mapped_column(String(32), index=True)
    speaker: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(100))
    challenge_id: Mapped[str] = mapped_column(String(32))
    consent_record: Mapped[str] = mapped_column(String(64))
    """The hash of the audit entry that recorded the verified consent."""
    consent_sha256: Mapped[str] = mapped_column(String(64))
    reference_sha256: Mapped[str] = mapped_column(String(64))
    revocation_hash: Mapped[str] = mapped_column(String(64))
    shared_with: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


@dataclass(frozen=True)
class ClonedVoice:
    id: str
    name: str
    owner: str
    speaker: str
    organisation: str
    consent_record: str
    shared_with: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "cloned_voice",
            "name": self.name,
            "owner": self.owner,
            "speaker": self.speaker,
            "organisation": self.organisation,
            "consent_record": self.consent_record,
            "shared_with": list(self.shared_with),
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
        }


@dataclass(frozen=True)
class CreatedVoice:
    voice: ClonedVoice
    revocation_token: str
    checks: dict[str, Any]


class Cloning:
    def __init__(self, runtime: Runtime, *, recogniser: str | None = None) -> None:
        self._runtime = runtime
        store = runtime.store
        self._store = store
        self.audit = AuditLog(store)
        self.challenges = ConsentChallenges(store, self.audit)
        self._recogniser = recogniser
        self.root = runtime.settings.data_dir / "cloned-voices"
        with store.session(write=True) as session:
            Base.metadata.create_all(session.connection(), tables=[ClonedVoiceRow.__table__])  # type: ignore[list-item]

    # ----------------------------------------------------------------------------------- create

    def create(
        self, key_id: str, *, name: str, speaker: str, challenge_id: str, consent: bytes, reference: bytes
    ) -> CreatedVoice:
        name = " ".join(name.split())
        if not name or len(name) > 100:
            raise InvalidRequest("a voice needs a name of 1 to 100 characters", param="name")
        hashes = {"consent_sha256": _sha(consent), "reference_sha256": _sha(reference)}
        try:
            challenge = self.challenges.take(challenge_id, key_id)
        except MynahError as exc:
            self._refuse(key_id, challenge_id, exc, hashes)
            raise
        try:
            checks = self._verify(challenge, speaker, consent, reference)
        except MynahError as exc:
            self._refuse(key_id, challenge_id, exc, hashes)
            raise
        return self._store_voice(key_id, name, challenge, consent, reference, hashes, checks)

    def _verify(
        self, challenge: ConsentChallenge, speaker: str, consent: bytes, reference: bytes
    ) -> dict[str, Any]:
        if " ".join(speaker.split()).casefold() != challenge.speaker.casefold():
            raise InvalidRequest(
                f"the challenge was issued for {challenge.speaker!r}, not {speaker!r}",
                param="speaker_name",
                code="consent_speaker_mismatch",
            )
        consent_audio = _decode(consent, "consent_recording")
        reference_audio = _decode(reference, "reference_recording")
        quality = {
            "consent": check_quality(consent_audio, RATE, "consent").as_json(),
            "reference": check_quality(reference_audio, RATE, "reference").as_json(),
        }
        transcript = self._transcribe(consent)
        heard = statement_heard(challenge, transcript)
        if not heard.ok:
            raise InvalidRequest(heard.reason, param="consent_recording", code=heard.code)
        score = distance(SpeakerProfile.of(consent_audio, RATE), SpeakerProfile.of(reference_audio, RATE))
        if score > SAME_SPEAKER_THRESHOLD:
            raise InvalidRequest(
                f"the consent and reference recordings do not sound like the same speaker "
                f"(distance {score:.2f}, at most {SAME_SPEAKER_THRESHOLD} for one speaker)",
                param="reference_recording",
                code="speaker_mismatch",
            )
        return {
            "quality": quality,
            "heard": heard.heard,
            "statement_word_error_rate": round(heard.word_error_rate, 3),
            "name_similarity": round(heard.name_similarity, 3),
            "speaker_distance": round(score, 3),
            "speaker_threshold": SAME_SPEAKER_THRESHOLD,
        }

    def _transcribe(self, consent: bytes) -> str:
        service = self._runtime.transcription
        prepared = service.prepare(self._recogniser)
        return service.transcribe(consent, prepared).transcription.text

    def _refuse(self, key_id: str, challenge_id: str, exc: MynahError, hashes: dict[str, str]) -> None:
        self.audit.append(
            "consent.refused",
            key_id=key_id,
            details={"challenge": challenge_id, "reason": exc.code, "message": exc.message, **hashes},
        )

    def _store_voice(
        self,
        key_id: str,
        name: str,
        challenge: ConsentChallenge,
        consent: bytes,
        reference: bytes,
        hashes: dict[str, str],
        checks: dict[str, Any],
    ) -> CreatedVoice:
        voice_id = "clone_" + secrets.token_hex(8)
        token = "mynah_revoke_" + secrets.token_urlsafe(24)
        folder = self.root / voice_id
        folder.mkdir(parents=True)
        try:
            (folder / "consent.wav").write_bytes(_wav(consent))
            reference_audio = decode_audio(reference, 24000, max_seconds=MAX_RECORDING_SECONDS)
            (folder / "reference.wav").write_bytes(encode_audio(reference_audio, 24000, AudioFormat.wav))
            profile = SpeakerProfile.of(reference_audio, 24000)
            (folder / "profile.json").write_text(json.dumps(profile.as_json()))
            with self._store.session(write=True) as session:
                verified = self.audit.append(
                    "consent.verified",
                    key_id=key_id,
                    voice_id=voice_id,
                    details={
                        "challenge": challenge.id,
                        "speaker": challenge.speaker,
                        **hashes,
                        "checks": checks,
                    },
                    session=session,
                )
                row = ClonedVoiceRow(
                    id=voice_id,
                    name=name,
                    owner=key_id,
                    speaker=challenge.speaker,
                    organisation=challenge.organisation,
                    challenge_id=challenge.id,
                    consent_record=verified.hash,
                    revocation_hash=_sha(token.encode()),
                    shared_with=[],
                    created_at=datetime.now(UTC),
                    revoked_at=None,
                    **hashes,
                )
                session.add(row)
                self.audit.append(
                    "voice.created",
                    key_id=key_id,
                    voice_id=voice_id,
                    details={"name": name, "consent_record": verified.hash},
                    session=session,
                )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return CreatedVoice(_voice(row), token, checks)

    # ------------------------------------------------------------------------------------ use

    def list(self, key: ApiKey | None) -> list[ClonedVoice]:
        """The live voices `key` may use: its own and those shared with it; every one for an admin."""
        with self._store.session() as session:
            rows = session.scalars(
                select(ClonedVoiceRow)
                .where(ClonedVoiceRow.revoked_at.is_(None))
                .order_by(ClonedVoiceRow.created_at)
            ).all()
            return [_voice(r) for r in rows if _may_use(r, key)]

    def get(self, voice_id: str, key: ApiKey | None) -> ClonedVoice:
        """The voice, or NotFound when it does not exist, is revoked, or `key` may not see it."""
        with self._store.session() as session:
            row = session.get(ClonedVoiceRow, voice_id)
            if row is None or row.revoked_at is not None or not _may_use(row, key):
                raise NotFound(f"no cloned voice {voice_id!r}", param="voice", code="unknown_voice")
            return _voice(row)

    def share(self, voice_id: str, with_key: str, *, admin: ApiKey) -> ClonedVoice:
        if not admin.allows("admin"):
            raise Forbidden("only an admin key may share a cloned voice", code="insufficient_scope")
        with self._store.session(write=True) as session:
            row = session.get(ClonedVoiceRow, voice_id)
            if row is None or row.revoked_at is not None:
                raise NotFound(f"no cloned voice {voice_id!r}", param="voice", code="unknown_voice")
            if with_key not in row.shared_with:
                row.shared_with = [*row.shared_with, with_key]
            self.audit.append(
                "voice.shared",
                key_id=admin.id,
                voice_id=voice_id,
                details={"with": with_key},
                session=session,
            )
            return _voice(row)

    def revoke(
        self,
        voice_id: str,
        *,
        key: ApiKey | None = None,
        token: str | None = None,
        event: str = "voice.revoked",
    ) -> None:
        """Revoke with the speaker's token, or as the owner or an admin: no more synthesis, files erased.
        `event` is "voice.deleted" when the owner deletes it (the same erasure, said as such)."""
        with self._store.session(write=True) as session:
            row = session.get(ClonedVoiceRow, voice_id)
            if row is None or row.revoked_at is not None:
                raise NotFound(f"no cloned voice {voice_id!r}", param="voice", code="unknown_voice")
            by_token = token is not None and secrets.compare_digest(_sha(token.encode()), row.revocation_hash)
            by_key = key is not None and (key.id == row.owner or key.allows("admin"))
            if not by_token and not by_key:
                if token is not None:
                    raise Forbidden("wrong revocation token", param="token", code="invalid_revocation_token")
                raise NotFound(f"no cloned voice {voice_id!r}", param="voice", code="unknown_voice")
            row.revoked_at = datetime.now(UTC)
            self.audit.append(
                event,
                key_id=key.id if key is not None else None,
                voice_id=voice_id,
                details={
                    "by": "speaker_token" if by_token else "key",
                    "consent_sha256": row.consent_sha256,
                    "reference_sha256": row.reference_sha256,
                },
                session=session,
            )
        shutil.rmtree(self.root / voice_id, ignore_errors=True)

    def folder(self, voice_id: str) -> Path:
        return self.root / voice_id


def _may_use(row: ClonedVoiceRow, key: ApiKey | None) -> bool:
    if key is None:
        return True  # a server that asks for no key has one user
    return row.owner == key.id or key.id in row.shared_with or key.allows("admin")


def _voice(row: ClonedVoiceRow) -> ClonedVoice:
    return ClonedVoice(
        row.id,
        row.name,
        row.owner,
        row.speaker,
        row.organisation,
        row.consent_record,
        tuple(row.shared_with),
        row.created_at,
        row.revoked_at,
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _decode(data: bytes, param: str) -> Any:
    if not data:
        raise InvalidRequest(f"{param} is empty", param=param)
    try:
        return decode_audio(data, RATE, max_seconds=MAX_RECORDING_SECONDS)
    except InvalidRequest as exc:
        raise InvalidRequest(f"{param}: {exc.message}", param=param, code=exc.code) from None


def _wav(data: bytes) -> bytes:
    return encode_audio(decode_audio(data, RATE, max_seconds=MAX_RECORDING_SECONDS), RATE, AudioFormat.wav)
