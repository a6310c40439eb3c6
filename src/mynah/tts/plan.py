"""From a request's input (plain text or SSML) to the steps the synthesiser runs, in order.

    input ──ssml?──> SSML units ──lexicons──> units ──normalise / say-as──> tokens (original offsets)
          ──group by voice, language, prosody; split into sentences──> Say | Pause | MarkAt | Clip

Sentences are split here, once, by the normaliser's splitter (`mynah.text.normalize.split_sentences`,
which knows "Dr." from a full stop); a sentence longer than `MAX_SAY_CHARS` is cut at its last clause
mark (or word) before the limit, so streaming stays responsive. Engines speak each Say as one piece
and never split again.

Every word a Say will speak is a token that remembers the span of the ORIGINAL input it reads, so the
word timings an engine reports can be mapped back to what the user wrote, whatever normalisation,
say-as, sub, lexicon aliases or phonemes did in between.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mynah.errors import PayloadTooLarge
from mynah.text.normalize import PUNCT, SILENT, NormalizedText, Token, normalize, split_sentences
from mynah.text.say_as import say_as
from mynah.text.ssml import (
    AudioClip,
    Boundary,
    Break,
    Context,
    Mark,
    Phoneme,
    Prosody,
    Text,
    Unit,
    looks_like_ssml,
    parse_ssml,
)
from mynah.tts.cuts import MAX_SAY_CHARS, bounded, first_unit

PARAGRAPH_PAUSE = 0.35
"""Seconds of silence added at the end of an SSML <p>, on top of the voice's own sentence pause."""


class LexiconEntryLike(Protocol):
    @property
    def alias(self) -> str | None: ...

    @property
    def ipa(self) -> str | None: ...


class LexiconMatchLike(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def entry(self) -> LexiconEntryLike: ...


class Matcher(Protocol):
    def find(self, text: str) -> Sequence[LexiconMatchLike]: ...


MatcherFor = Callable[[tuple[str, ...]], Matcher | None]
"""Given lexicon names (innermost first), a matcher for them, or None when there are none."""


@dataclass(frozen=True)
class Normalization:
    enabled: bool = True
    categories: frozenset[str] | None = None


@dataclass(frozen=True)
class Script:
    """What one engine call speaks: `text`, and for each piece of it the input span it reads."""

    text: str
    pieces: tuple[tuple[int, int, int, int], ...]
    """(text_start, text_end, source_start, source_end), ordered."""

    def source_range(self, start: int, end: int) -> tuple[int, int] | None:
        """The input span covering every piece that overlaps `text[start:end]`."""
        hits = [p for p in self.pieces if p[0] < max(end, start + 1) and p[1] > start]
        if not hits:
            return None
        return (min(p[2] for p in hits), max(p[3] for p in hits))

    @property
    def span(self) -> tuple[int, int]:
        if not self.pieces:
            return (0, 0)
        return (min(p[2] for p in self.pieces), max(p[3] for p in self.pieces))


@dataclass(frozen=True)
class Say:
    script: Script
    prosody: Prosody = field(default_factory=Prosody)
    voice: str | None = None
    """A voice asked for inside the document (<voice name>), None for the request's voice."""
    voice_gender: str | None = None
    language: str | None = None
    ipa: bool = False
    """`script.text` is IPA; `fallback` is the orthographic reading for engines without phonemes."""
    fallback: Script | None = None
    sentence_start: bool = True
    """This Say begins a sentence (False for the later parts of a sentence cut at MAX_SAY_CHARS)."""
    sentence_span: tuple[int, int] | None = None
    """The whole sentence's input span when it was cut into several Says; None: the script's own."""


@dataclass(frozen=True)
class Pause:
    seconds: float
    span: tuple[int, int]


@dataclass(frozen=True)
class MarkAt:
    name: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Clip:
    src: str
    span: tuple[int, int]
    fallback: tuple[Say | Pause | MarkAt, ...] = ()


Step = Say | Pause | MarkAt | Clip


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    source: str
    unspoken: tuple[tuple[int, int], ...] = ()
    """Input characters nobody could read (emoji, control characters)."""
    language: str | None = None
    ssml: bool = False
    lexicons: tuple[str, ...] = field(default=())
    """Lexicons declared by the document (<lexicon>), by name."""

    @property
    def words(self) -> int:
        return sum(len(s.script.pieces) for s in self.steps if isinstance(s, Say))

    @property
    def pause_seconds(self) -> float:
        """The silence the plan's pauses add up to (inside <audio> fallbacks too)."""
        steps = [*self.steps, *(f for s in self.steps if isinstance(s, Clip) for f in s.fallback)]
        return sum(s.seconds for s in steps if isinstance(s, Pause))


class SpokenBudget:
    """Counts the characters a plan will speak, AFTER normalisation, say-as, SSML and lexicon
    expansion, and refuses (PayloadTooLarge) the moment they pass `limit`, before the expensive step."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, chars: int) -> None:
        self.used += chars
        if self.limit is not None and self.used > self.limit:
            raise PayloadTooLarge(
                f"the input expands to more than {self.limit:,} spoken characters after normalisation, "
                "SSML and lexicons; the limit is MYNAH_TTS__MAX_SPOKEN_CHARS",
                param="input",
                code="spoken_chars_limit",
            )

    def check_ahead(self, chars: int) -> None:
        """Refuse now if `chars` more (e.g. an alias about to be expanded) cannot fit."""
        self.spend(chars)
        self.used -= chars


def build_plan(
    source: str,
    *,
    language: str = "en",
    lexicons: Sequence[str] = (),
    matcher_for: MatcherFor | None = None,
    normalization: Normalization = Normalization(),
    ssml: bool | None = None,
    max_spoken_chars: int | None = None,
) -> Plan:
    """Plan the synthesis of `source`. `ssml=None` detects an SSML document by its <speak> root.
    More than `max_spoken_chars` spoken characters (after every expansion) is PayloadTooLarge."""
    is_ssml = looks_like_ssml(source) if ssml is None else ssml
    doc_lexicons: tuple[str, ...] = ()
    if is_ssml:
        doc = parse_ssml(source)
        units: Sequence[Unit] = doc.units
        language = doc.language or language
        doc_lexicons = tuple(_lexicon_name(ref.uri) for ref in doc.lexicons)
    else:
        units = [Text(source, (0, len(source)), Context(language=language))]
    budget = SpokenBudget(max_spoken_chars)
    builder = _Builder(source, language, (*lexicons, *doc_lexicons), matcher_for, normalization, budget)
    for unit in units:
        builder.add(unit)
    return Plan(
        steps=tuple(builder.finish()),
        source=source,
        unspoken=tuple(builder.unspoken),
        language=language,
        ssml=is_ssml,
        lexicons=doc_lexicons,
    )


def _lexicon_name(uri: str) -> str:
    """<lexicon uri="..."> names a stored lexicon: `names`, `lexicon:names` or `.../names.pls` all work."""
    name = uri.rsplit("/", 1)[-1].split(":", 1)[-1]
    return name.rsplit(".", 1)[0] if name.endswith((".pls", ".json", ".xml")) else name


# ------------------------------------------------------------------------------------------ builder


@dataclass
class _Run:
    """Consecutive tokens spoken with the same voice, language and prosody."""

    key: tuple[object, ...]
    context: Context
    tokens: list[Token] = field(default_factory=list)


class _Builder:
    def __init__(
        self,
        source: str,
        language: str,
        lexicons: tuple[str, ...],
        matcher_for: MatcherFor | None,
        normalization: Normalization,
        budget: SpokenBudget,
    ) -> None:
        self.source = source
        self.budget = budget
        self.language = language
        self.lexicons = lexicons
        self.matcher_for = matcher_for
        self.normalization = normalization
        self.steps: list[Step] = []
        self.run: _Run | None = None
        self.unspoken: list[tuple[int, int]] = []

    # -- units

    def add(self, unit: Unit) -> None:
        if isinstance(unit, Text):
            self._text(unit)
        elif isinstance(unit, Phoneme):
            self._phoneme(unit.ipa, unit.text, unit.span, unit.context)
        elif isinstance(unit, Break):
            self._flush()
            self.steps.append(Pause(unit.seconds, unit.span))
        elif isinstance(unit, Mark):
            self._flush()
            self.steps.append(MarkAt(unit.name, unit.span))
        elif isinstance(unit, Boundary):
            self._flush()
            if unit.kind == "paragraph":
                self.steps.append(Pause(PARAGRAPH_PAUSE, unit.span))
        elif isinstance(unit, AudioClip):
            self._flush()
            inner = _Builder(
                self.source, self.language, self.lexicons, self.matcher_for, self.normalization, self.budget
            )
            for fallback_unit in unit.fallback:
                inner.add(fallback_unit)
            fallback = tuple(s for s in inner.finish() if not isinstance(s, Clip))
            self.unspoken.extend(inner.unspoken)
            self.steps.append(Clip(unit.src, unit.span, fallback))

    def _text(self, unit: Text) -> None:
        matcher = self._matcher(unit.context) if unit.context.say_as is None else None
        matches = list(matcher.find(unit.text)) if matcher is not None else []
        exact = self.source[unit.span[0] : unit.span[1]] == unit.text
        cursor = 0
        for match in matches:
            if match.start > cursor:
                self._plain(unit, cursor, match.start, exact)
            span = self._sub_span(unit, match.start, match.end, exact)
            if match.entry.ipa:
                self._phoneme(match.entry.ipa, unit.text[match.start : match.end], span, unit.context)
            else:
                alias = match.entry.alias or ""
                self.budget.check_ahead(len(alias))
                self._tokens(_pinned(self._normalize(alias, unit.context), span), unit.context)
            cursor = match.end
        if cursor < len(unit.text):
            self._plain(unit, cursor, len(unit.text), exact)

    def _plain(self, unit: Text, start: int, end: int, exact: bool) -> None:
        text = unit.text[start:end]
        if not text.strip():
            return
        context = unit.context
        if exact:
            offset = unit.span[0] + start
            if context.say_as is not None:
                normalized = say_as(text, context.say_as, offset=offset, language=self._language(context))
            else:
                normalized = _shifted(self._normalize(text, context), offset, self.source)
        else:  # entities or a <sub> alias: the text is not the input's, so every word reads the whole span
            span = self._sub_span(unit, start, end, exact)
            if context.say_as is not None:
                normalized = _pinned(say_as(text, context.say_as, language=self._language(context)), span)
            else:
                normalized = _pinned(self._normalize(text, context), span)
        self._tokens(normalized, context)

    def _phoneme(self, ipa: str, text: str, span: tuple[int, int], context: Context) -> None:
        self._flush()
        self.budget.spend(len(ipa) + 1)
        fallback_tokens = _pinned(self._normalize(text, context), span).tokens if text.strip() else ()
        fallback = _script(list(fallback_tokens), self.source) if fallback_tokens else None
        script = Script(ipa, ((0, len(ipa), span[0], span[1]),))
        self.steps.append(
            Say(
                script=script,
                prosody=context.prosody,
                voice=context.voice,
                voice_gender=context.voice_gender,
                language=self._language(context),
                ipa=True,
                fallback=fallback,
            )
        )

    # -- runs

    def _tokens(self, normalized: NormalizedText, context: Context) -> None:
        self.budget.spend(sum(len(t.spoken) + 1 for t in normalized.tokens if t.spoken))
        self.unspoken.extend((s.start, s.end) for s in normalized.unspoken)
        key = (context.voice, context.voice_gender, self._language(context), context.prosody)
        if self.run is None or self.run.key != key:
            self._flush()
            self.run = _Run(key, context)
        self.run.tokens.extend(normalized.tokens)

    def _flush(self) -> None:
        run, self.run = self.run, None
        if run is None or not any(t.spoken and t.category not in (SILENT, PUNCT) for t in run.tokens):
            return
        whole = NormalizedText(self.source, tuple(run.tokens), (), self._language(run.context))
        for sentence in split_sentences(whole):
            tokens = [t for t in sentence.tokens if t.spoken]
            first = not any(isinstance(step, Say) for step in self.steps)
            pieces = first_unit(tokens, self._language(run.context)) if first else [tokens]
            sized = [part for piece in pieces for part in bounded(piece, MAX_SAY_CHARS)]
            parts = [p for p in sized if any(t.category != PUNCT for t in p)]
            whole_span = (tokens[0].start, tokens[-1].end) if len(parts) > 1 else None
            for index, part in enumerate(parts):
                self.steps.append(
                    Say(
                        script=_script(part, self.source),
                        prosody=run.context.prosody,
                        voice=run.context.voice,
                        voice_gender=run.context.voice_gender,
                        language=self._language(run.context),
                        sentence_start=index == 0,
                        sentence_span=whole_span,
                    )
                )

    def finish(self) -> list[Step]:
        self._flush()
        return self.steps

    # -- helpers

    def _language(self, context: Context) -> str:
        return context.language or self.language

    def _normalize(self, text: str, context: Context) -> NormalizedText:
        language = self._language(context).split("-")[0].lower()
        n = self.normalization
        return normalize(text, categories=n.categories, enabled=n.enabled, language=language)

    def _matcher(self, context: Context) -> Matcher | None:
        if self.matcher_for is None:
            return None
        names = (*context.lexicons, *self.lexicons)
        return self.matcher_for(tuple(dict.fromkeys(names))) if names else None

    @staticmethod
    def _sub_span(unit: Text, start: int, end: int, exact: bool) -> tuple[int, int]:
        if exact:
            return (unit.span[0] + start, unit.span[0] + end)
        return unit.span


def _shifted(normalized: NormalizedText, offset: int, source: str) -> NormalizedText:
    """Move token spans from a piece of the input to the whole input (`source`)."""
    tokens = tuple(Token(t.spoken, t.start + offset, t.end + offset, t.category) for t in normalized.tokens)
    unspoken = tuple(type(s)(s.start + offset, s.end + offset) for s in normalized.unspoken)
    return NormalizedText(source, tokens, unspoken, normalized.language)


def _pinned(normalized: NormalizedText, span: tuple[int, int]) -> NormalizedText:
    """Every token reads the whole of `span` (for text that is not the input's own: aliases, entities)."""
    tokens = tuple(Token(t.spoken, span[0], span[1], t.category) for t in normalized.tokens)
    unspoken = tuple(type(s)(span[0], span[1]) for s in normalized.unspoken)
    return NormalizedText(normalized.source, tokens, unspoken, normalized.language)


def _script(tokens: list[Token], source: str) -> Script:
    """Join tokens into engine text; record where each landed and which input span it reads."""
    whole = NormalizedText(source, tuple(tokens))
    pieces = tuple((p.start, p.end, p.token.start, p.token.end) for p in whole.iter_pieces())
    return Script(whole.text, pieces)


def categories_of(value: bool | Collection[str] | None) -> Normalization:
    """A request's `normalize` field: true/false, or a list of categories to expand."""
    if value is None or value is True:
        return Normalization()
    if value is False:
        return Normalization(enabled=False)
    return Normalization(categories=frozenset(value))
