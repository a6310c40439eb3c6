"""Consent challenges: a statement the speaker must read aloud, and whether a transcript says it.

    challenges = ConsentChallenges(store, audit)
    challenge = challenges.issue(key_id, speaker="Ada Lovelace", organisation="Acme")
    challenge.statement   # "I, Ada Lovelace, agree that Acme may create a synthetic copy of my voice.
                          #  My code is seven four one nine."
    challenges.take(challenge.id, key_id)   # once, before it expires; else InvalidRequest saying why
    statement_heard(challenge, transcript)  # (ok, reason, measured word error rate)

The code is four random digits spoken as words (10^4 codes, and a challenge is good for one attempt
within `CHALLENGE_TTL`), so an old recording of the speaker cannot be replayed. The transcript must
hold the code words exactly and in order (digits, or a digit's homophone: "for" is four); the rest of the statement may differ from what the
recogniser heard by at most `STATEMENT_TOLERANCE` word errors per statement word (names and
organisations are often outside a recogniser's vocabulary).
"""

from __future__ import annotations

import difflib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mynah.cloning.audit import AuditLog
from mynah.errors import InvalidRequest, NotFound
from mynah.store import Store
from mynah.store.models import Base, UtcDateTime

__all__ = [
    "CHALLENGE_TTL",
    "STATEMENT_TOLERANCE",
    "ConsentChallenge",
    "ConsentChallenges",
    "statement_heard",
    "words_of",
]

CHALLENGE_TTL = timedelta(minutes=10)
STATEMENT_TOLERANCE = 0.35
"""Word errors per statement word (outside the code) that still count as heard (README "Voice cloning")."""
CODE_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_NAME = re.compile(r"^[^\W\d_][\w .'-]{0,99}$", re.UNICODE)


class ChallengeRow(Base):
    __tablename__ = "consent_challenges"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(32))
    speaker: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(100))
    statement: Mapped[str] = mapped_column(Text)
    code: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


@dataclass(frozen=True)
class ConsentChallenge:
    id: str
    key_id: str
    speaker: str
    organisation: str
    statement: str
    code: str
    """The code words, space-separated ("seven four one nine")."""
    created_at: datetime
    expires_at: datetime

    def as_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "object": "consent_challenge",
            "speaker": self.speaker,
            "organisation": self.organisation,
            "statement": self.statement,
            "expires_at": self.expires_at.isoformat().replace("+00:00", "Z"),
        }


def _checked_name(value: str, param: str) -> str:
    value = " ".join(value.split())
    if not _NAME.fullmatch(value):
        raise InvalidRequest(f"{param} must be 1-100 characters starting with a letter", param=param)
    return value


class ConsentChallenges:
    def __init__(self, store: Store, audit: AuditLog) -> None:
        self._store = store
        self._audit = audit
        with store.session(write=True) as session:
            Base.metadata.create_all(session.connection(), tables=[ChallengeRow.__table__])  # type: ignore[list-item]

    def issue(self, key_id: str, *, speaker: str, organisation: str) -> ConsentChallenge:
        speaker = _checked_name(speaker, "speaker_name")
        organisation = _checked_name(organisation, "organisation")
        code = " ".join(secrets.choice(CODE_WORDS) for _ in range(4))
        statement = f"I, {speaker}, agree that {organisation} may create a synthetic copy of my voice. My code is {code}."
        now = datetime.now(UTC)
        row = ChallengeRow(
            id="ch_" + secrets.token_hex(12),
            key_id=key_id,
            speaker=speaker,
            organisation=organisation,
            statement=statement,
            code=code,
            created_at=now,
            expires_at=now + CHALLENGE_TTL,
            used_at=None,
        )
        with self._store.session(write=True) as session:
            session.add(row)
            self._audit.append(
                "consent.issued",
                key_id=key_id,
                details={"challenge": row.id, "speaker": speaker, "organisation": organisation},
                session=session,
            )
        return _challenge(row)

    def take(self, challenge_id: str, key_id: str) -> ConsentChallenge:
        """Spend the challenge: NotFound (unknown, or another key's), InvalidRequest when used or expired.
        It is spent whatever the verification then decides: one attempt per challenge."""
        with self._store.session(write=True) as session:
            row = session.get(ChallengeRow, challenge_id)
            if row is None or row.key_id != key_id:
                raise NotFound(
                    f"no consent challenge {challenge_id!r}", param="challenge_id", code="unknown_challenge"
                )
            if row.used_at is not None:
                raise InvalidRequest(
                    "this consent challenge was already used: ask for a new one",
                    param="challenge_id",
                    code="challenge_used",
                )
            now = datetime.now(UTC)
            if row.expires_at <= now:
                raise InvalidRequest(
                    "this consent challenge has expired: ask for a new one",
                    param="challenge_id",
                    code="challenge_expired",
                )
            row.used_at = now
            return _challenge(row)


def _challenge(row: ChallengeRow) -> ConsentChallenge:
    return ConsentChallenge(
        row.id,
        row.key_id,
        row.speaker,
        row.organisation,
        row.statement,
        row.code,
        row.created_at,
        row.expires_at,
    )


_DIGITS = dict(zip("0123456789", CODE_WORDS, strict=True))
_HOMOPHONES = {"oh": "zero", "won": "one", "to": "two", "too": "two", "for": "four", "ate": "eight"}
"""Words a recogniser writes for a spoken digit: the code must be heard, not spelt."""


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation; each digit becomes its word ("7" -> "seven")."""
    spaced = re.sub(r"\d", lambda m: f" {_DIGITS[m.group(0)]} ", text.lower())
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?", spaced)


@dataclass(frozen=True)
class HeardStatement:
    ok: bool
    reason: str
    code: str | None
    """The refusal's code (None when heard)."""
    word_error_rate: float
    heard: str


def statement_heard(challenge: ConsentChallenge, transcript: str) -> HeardStatement:
    """Whether `transcript` says the challenge's statement: the code words exactly and in order, the
    rest within `STATEMENT_TOLERANCE`."""
    heard = words_of(transcript)
    code = challenge.code.split()
    expected = words_of(challenge.statement)
    body = expected[: len(expected) - len(code)]
    position = _find([_HOMOPHONES.get(w, w) for w in heard], code)
    rest = heard[:position] + heard[position + len(code) :] if position >= 0 else heard
    wer = _word_errors(body, rest) / max(1, len(body))
    text = " ".join(heard)
    if position < 0:
        return HeardStatement(
            False,
            f"the code words were not heard (heard: {text!r})",
            "consent_code_mismatch",
            wer,
            text,
        )
    if wer > STATEMENT_TOLERANCE:
        return HeardStatement(
            False,
            f"the statement was not heard: {wer:.0%} of its words differ (at most {STATEMENT_TOLERANCE:.0%}; "
            f"heard: {text!r})",
            "consent_statement_mismatch",
            wer,
            text,
        )
    return HeardStatement(True, "", None, wer, text)


def _find(haystack: list[str], needle: list[str]) -> int:
    for start in range(len(haystack) - len(needle) + 1):
        if haystack[start : start + len(needle)] == needle:
            return start
    return -1


def _word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Substitutions, deletions and insertions turning `reference` into `hypothesis`."""
    errors = 0
    matcher = difflib.SequenceMatcher(a=reference, b=hypothesis, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            errors += max(a1 - a0, b1 - b0)
    return errors
