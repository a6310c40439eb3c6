"""Consent challenges: a statement the speaker must read aloud, and whether a transcript says it.

    challenges = ConsentChallenges(store, audit)
    challenge = challenges.issue(key_id, speaker="Ada Lovelace", organisation="Acme")
    challenge.statement   # "I, Ada Lovelace, agree that Acme may create a synthetic copy of my voice.
                          #  My code is seven four one nine."
    challenges.take(challenge.id, key_id)   # once, before it expires; else InvalidRequest saying why
    statement_heard(challenge, transcript)  # (ok, reason, measured word error rate)

The code is four random digits spoken as words (10^4 codes, and a challenge is good for one attempt
within `CHALLENGE_TTL`), so an old recording of the speaker cannot be replayed. The transcript must
hold the code words exactly and in order (digits, or a digit's homophone: "for" is four); the
statement's own words (outside the code and the names) may differ from what the recogniser heard by
at most `STATEMENT_TOLERANCE` word errors per word; and the speaker's name and the organisation are
checked on their own, where the statement says them: each must sound like itself (`name_heard`, a
rough sound key of each word against the best run of heard words, at least `NAME_SIMILARITY`), since
names are often outside a recogniser's vocabulary but another person's name does not sound like
them.
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
    "NAME_SIMILARITY",
    "ORGANISATION_SIMILARITY",
    "SPEAKER_SIMILARITY",
    "STATEMENT_TOLERANCE",
    "ConsentChallenge",
    "ConsentChallenges",
    "name_heard",
    "statement_heard",
    "words_of",
]

CHALLENGE_TTL = timedelta(minutes=10)
STATEMENT_TOLERANCE = 0.35
"""Word errors per word of the statement's own words (outside the code and the names) that still
count as heard (README "Voice cloning")."""
SPEAKER_SIMILARITY = 0.5
ORGANISATION_SIMILARITY = 0.25
"""How much the speaker's name, and the organisation, must sound like themselves in the transcript
(`name_heard`, 0..1; measured by bench/consent_statement.py, README "Voice cloning"). The
organisation's is low: whisper:base heard a Piper reading of "Initech" as "an eye" (0.29)."""
NAME_SIMILARITY = {"speaker": SPEAKER_SIMILARITY, "organisation": ORGANISATION_SIMILARITY}
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
    """Of the statement's own words (outside the code and the names)."""
    heard: str
    name_similarity: float = 1.0
    """The lower of the speaker's name's and the organisation's (`name_heard`)."""


def statement_heard(challenge: ConsentChallenge, transcript: str) -> HeardStatement:
    """Whether `transcript` says the challenge's statement: the code words exactly and in order, the
    statement's own words (outside the code and the names) within `STATEMENT_TOLERANCE`, and the
    speaker's name and the organisation each sounding like themselves where the statement says them
    (`NAME_SIMILARITY`)."""
    heard = words_of(transcript)
    code = challenge.code.split()
    expected = words_of(challenge.statement)
    body = expected[: len(expected) - len(code)]
    position = _find([_HOMOPHONES.get(w, w) for w in heard], code)
    rest = heard[:position] + heard[position + len(code) :] if position >= 0 else heard
    names = {"speaker": words_of(challenge.speaker), "organisation": words_of(challenge.organisation)}
    spans = _spans(body, names)
    template = [w for i, w in enumerate(body) if not any(a <= i < b for a, b in spans.values())]
    wer = _word_errors(template, _without(rest, body, spans)) / max(1, len(template))
    text = " ".join(heard)
    scores = {
        role: name_heard(body[start:end], _aligned(body, rest, start, end))
        for role, (start, end) in spans.items()
    }
    similarity = min((score for score, _ in scores.values()), default=1.0)  # reported in the checks
    if position < 0:
        return HeardStatement(
            False,
            f"the code words were not heard (heard: {text!r})",
            "consent_code_mismatch",
            wer,
            text,
            similarity,
        )
    if wer > STATEMENT_TOLERANCE:
        return HeardStatement(
            False,
            f"the statement was not heard: {wer:.0%} of its words differ (at most "
            f"{STATEMENT_TOLERANCE:.0%}; heard: {text!r})",
            "consent_statement_mismatch",
            wer,
            text,
            similarity,
        )
    for role, (score, said) in scores.items():
        if score < NAME_SIMILARITY[role]:
            start, end = spans[role]
            return HeardStatement(
                False,
                f"the {_ROLES[role]} {' '.join(body[start:end])!r} was not heard (closest: {' '.join(said)!r}, "
                f"similarity {score:.2f}, at least {NAME_SIMILARITY[role]}; heard: {text!r})",
                f"consent_{role}_not_heard",
                wer,
                text,
                similarity,
            )
    return HeardStatement(True, "", None, wer, text, similarity)


_ROLES = {"speaker": "speaker's name", "organisation": "organisation"}


def name_heard(name: list[str], heard: list[str]) -> tuple[float, list[str]]:
    """How much `heard` sounds like `name` (0..1), and the words that matched: each word of the name
    against its best run of one to three heard words (so a recogniser's "Love Lace" still lines up
    with "Lovelace"), scored one minus the edit distance of their sound keys over the longer; the
    mean over the name's words, weighted by their length."""
    total, weight, said = 0.0, 0, []
    for word in name:
        key, best, run = _sound(word), 0.0, []
        for start in range(len(heard)):
            for end in range(start + 1, min(len(heard), start + 3) + 1):
                candidate = "".join(_sound(w) for w in heard[start:end])
                if key and candidate:
                    score = 1 - _edits(key, candidate) / max(len(key), len(candidate))
                    if score > best:
                        best, run = score, heard[start:end]
        total += best * len(key)
        weight += len(key)
        said += [w for w in run if w not in said]
    joined = _joined(name, heard)  # a name heard as one word ("Wei Zhang" as "Ouijang") or more
    return max((total / weight if weight else 0.0, said), joined, key=lambda found: found[0])


def _joined(name: list[str], heard: list[str]) -> tuple[float, list[str]]:
    """The whole name's sound key against the best run of up to one word more than it has."""
    key, best, run = "".join(_sound(w) for w in name), 0.0, []
    for start in range(len(heard)):
        for end in range(start + 1, min(len(heard), start + len(name) + 1) + 1):
            candidate = "".join(_sound(w) for w in heard[start:end])
            if key and candidate:
                score = 1 - _edits(key, candidate) / max(len(key), len(candidate))
                if score > best:
                    best, run = score, heard[start:end]
    return best, run


_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("ph", "f"), ("ck", "k"), ("sch", "sk"), ("gh", "g"), ("th", "t"), ("wh", "w"), ("kn", "n"),
    ("q", "k"), ("x", "ks"), ("z", "s"), ("v", "f"), ("dg", "j"),
)  # fmt: skip


def _sound(word: str) -> str:
    """A rough sound key of an English spelling: letters that sound alike spelt one way, the vowels
    in three kinds (a; e, i, y; o, u), runs of one sound once ("Lovelace" -> "lufilasi")."""
    key = re.sub(r"[^a-z]", "", word.lower())
    for spelt, said in _SPELLINGS:
        key = key.replace(spelt, said)
    key = re.sub(r"c(?=[eiy])", "s", key).replace("c", "k")
    key = re.sub(r"[eiy]", "i", re.sub(r"[ou]", "u", key))
    return re.sub(r"(.)\1+", r"\1", key)


def _spans(body: list[str], names: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    """Where each name's words sit in the statement (the speaker's first, then the organisation's)."""
    spans, after = {}, 0
    for role, words in names.items():
        start = _find(body[after:], words)
        if start >= 0 and words:
            spans[role] = (after + start, after + start + len(words))
            after += start + len(words)
    return spans


def _bounds(
    expected: list[str], heard: list[str], start: int, end: int, *, short_anchors: bool = True
) -> tuple[int, int]:
    """The heard words between those aligned with the statement's words just before `start` and just
    after `end`, as a slice. Without `short_anchors` a lone word of one or two letters does not
    bound it: a recogniser moves those ("I, Mary Smith, agree" heard as "Mary Smith, I agree"),
    and the name would fall outside its slot."""
    low, high = 0, None
    matcher = difflib.SequenceMatcher(a=expected, b=heard, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        if not short_anchors and size == 1 and len(expected[a]) <= 2:
            continue  # "I", "a": too common to anchor on ("I, Mary Smith, agree" is heard "Mary Smith, I agree")
        if size and a < start:
            low = b + min(size, start - a)
        if size and a + size > end and high is None:
            high = b + max(0, end - a)
    return low, max(low, len(heard) if high is None else high)


def _aligned(expected: list[str], heard: list[str], start: int, end: int) -> list[str]:
    """Where `expected[start:end]` was heard: everything between the heard words that match the
    statement's on either side (a misheard neighbour widens it to the next word that matches; a
    lone short word is no neighbour). Only the names' scores look here: the template check drops
    just the words strictly between the neighbours (`_without`)."""
    low, high = _bounds(expected, heard, start, end, short_anchors=False)
    return heard[low:high]


def _without(heard: list[str], expected: list[str], spans: dict[str, tuple[int, int]]) -> list[str]:
    """`heard` without the words where the names were heard (what the template check compares)."""
    drop = {i for start, end in spans.values() for i in range(*_bounds(expected, heard, start, end))}
    return [w for i, w in enumerate(heard) if i not in drop]


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


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
