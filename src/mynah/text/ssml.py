"""SSML 1.1 in, a SpeechDoc out: a flat list of units that remember their span in the ORIGINAL input.

    <speak>Hello <break time="300ms"/><prosody rate="slow">world</prosody><mark name="end"/></speak>
      -> Text("Hello ", span=(7, 13)), Break(0.3), Text("world", prosody=rate 0.8), Mark("end")

Parsing uses expat directly (not ElementTree) because expat reports the byte offset of every event, which
is what lets each unit point back at the characters the user wrote. Safety: a DOCTYPE, an entity
declaration or an external entity is refused outright (no billion laughs, no XXE); depth, element count
and input size are bounded. Malformed input raises `InvalidText` naming line and column.

Styles nest: each element pushes a Context (prosody, voice, language, say-as, active lexicons) derived
from its parent; units carry the Context in force where they occur. What an engine cannot do natively
(rate, pitch, volume, pauses) is applied later in DSP, so here everything is just numbers.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from mynah.errors import InvalidText
from mynah.text import ssml_values as values
from mynah.text.speech_doc import (
    AudioClip,
    Boundary,
    Break,
    Context,
    LexiconRef,
    Mark,
    Phoneme,
    Prosody,
    SayAs,
    Span,
    SpeechDoc,
    Text,
    Unit,
)
from mynah.text.ssml_values import EMPHASIS
from mynah.text.xsampa import xsampa_to_ipa

__all__ = [
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_SSML_CHARS",
    "AudioClip",
    "Boundary",
    "Break",
    "Context",
    "LexiconRef",
    "Mark",
    "Phoneme",
    "Prosody",
    "SayAs",
    "Span",
    "SpeechDoc",
    "SsmlSize",
    "Text",
    "Unit",
    "looks_like_ssml",
    "parse_ssml",
    "ssml_size",
]

MAX_SSML_CHARS = 200_000
MAX_DEPTH = 64
MAX_ELEMENTS = 20_000
_T = TypeVar("_T")

_CONTAINERS = {"speak", "p", "s", "prosody", "emphasis", "lang", "voice", "lookup", "paragraph", "sentence"}
_KNOWN = _CONTAINERS | {"break", "say-as", "sub", "phoneme", "mark", "audio", "desc", "lexicon", "meta",
                        "metadata", "token", "w"}  # fmt: skip


def looks_like_ssml(text: str) -> bool:
    """True when a request's input is an SSML document rather than plain text. A document that opens
    with a DOCTYPE counts (so the parser refuses it with a 400) rather than being read aloud as text."""
    stripped = text.lstrip()
    if stripped.startswith("<?xml"):
        stripped = stripped[stripped.find("?>") + 2 :].lstrip() if "?>" in stripped else stripped
    return stripped.startswith("<speak") or stripped[:9].upper() == "<!DOCTYPE"


_EMBEDDED = re.compile(r"""\bsrc\s*=\s*(?:"(data:[^"]*)"|'(data:[^']*)')""")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class SsmlSize:
    """How big an SSML document is, by what each limit counts."""

    markup: int
    """Characters of the document without the `data:` URIs of <audio src> (MAX_SSML_CHARS)."""
    text: int
    """Characters outside the tags: what is read aloud (the request's text limit)."""
    audio_bytes: int
    """Bytes of audio embedded as base64 `data:` URIs (the embedded-audio byte limit)."""


def ssml_size(source: str) -> SsmlSize:
    """Measure `source` for the limits: embedded audio counts toward its own byte limit, never
    toward the character limits of the markup or the text."""
    uris = [m.group(1) or m.group(2) or "" for m in _EMBEDDED.finditer(source)]
    without = _EMBEDDED.sub('src=""', source)
    audio = sum(_base64_bytes(uri.partition(",")[2]) for uri in uris)
    return SsmlSize(markup=len(without), text=len(_TAG.sub("", without)), audio_bytes=audio)


def _base64_bytes(payload: str) -> int:
    """How many bytes a base64 payload decodes to (whitespace ignored)."""
    text = "".join(payload.split())
    return len(text) * 3 // 4 - len(text) + len(text.rstrip("="))


def parse_ssml(source: str) -> SpeechDoc:
    """Parse an SSML document. Raises InvalidText with line and column for anything malformed."""
    markup = ssml_size(source).markup
    if markup > MAX_SSML_CHARS:
        raise InvalidText(
            f"SSML is {markup:,} characters (not counting embedded audio); the limit is {MAX_SSML_CHARS:,}",
            param="input",
        )
    return _Parser(source).parse()


# ------------------------------------------------------------------------------------------ parsing


@dataclass
class _Frame:
    tag: str
    context: Context
    start: int
    units: list[Unit] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    text: list[tuple[str, Span]] = field(default_factory=list)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.encoded = source.encode("utf-8")
        self.char_at = _byte_to_char_index(source, self.encoded)
        self.stack: list[_Frame] = []
        self.root: _Frame | None = None
        self.elements = 0
        self.lexicons: list[LexiconRef] = []
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._chars
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_entity
        self.parser.ExternalEntityRefHandler = self._refuse_external
        self.parser.buffer_text = False

    # -- driver

    def parse(self) -> SpeechDoc:
        try:
            self.parser.Parse(self.encoded, True)
        except xml.parsers.expat.ExpatError as exc:
            message = xml.parsers.expat.ErrorString(exc.code) if exc.code else str(exc)
            line, column = exc.lineno, exc.offset + 1
            raise InvalidText(
                f"malformed SSML at line {line}, column {column}: {message}",
                param="input",
                line=line,
                column=column,
            ) from None
        except RecursionError:
            raise InvalidText("SSML nests too deeply", param="input") from None
        if self.root is None:
            raise InvalidText("SSML has no <speak> element", param="input")
        language = self.root.attrs.get("lang")
        return SpeechDoc(
            units=tuple(_merge_text(self.root.units)), language=language, lexicons=tuple(self.lexicons)
        )

    def _fail(self, message: str) -> InvalidText:
        line, column = self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1
        return InvalidText(
            f"invalid SSML at line {line}, column {column}: {message}",
            param="input",
            line=line,
            column=column,
        )

    def _refuse_doctype(self, *_: object) -> None:
        raise self._fail("DOCTYPE declarations are not allowed")

    def _refuse_entity(self, *_: object) -> None:
        raise self._fail("entity declarations are not allowed")

    def _refuse_external(self, *_: object) -> int:
        raise self._fail("external entities are not allowed")

    def _pos(self) -> int:
        return self.char_at[min(self.parser.CurrentByteIndex, len(self.encoded))]

    # -- events

    def _start(self, name: str, raw_attrs: dict[str, str]) -> None:
        tag = name.rsplit(" ", 1)[-1]
        attrs = {key.rsplit(" ", 1)[-1]: value for key, value in raw_attrs.items()}
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise self._fail(f"more than {MAX_ELEMENTS:,} elements")
        if len(self.stack) >= MAX_DEPTH:
            raise self._fail(f"elements nest deeper than {MAX_DEPTH}")
        if not self.stack:
            if tag != "speak":
                raise self._fail(f"the root element must be <speak>, not <{tag}>")
        elif tag == "speak":
            raise self._fail("<speak> cannot be nested")
        if tag not in _KNOWN:
            raise self._fail(f"unknown element <{tag}>")
        parent = self.stack[-1].context if self.stack else Context()
        frame = _Frame(tag=tag, context=self._context(tag, attrs, parent), start=self._pos(), attrs=attrs)
        self.stack.append(frame)
        if tag == "speak":
            self.root = frame

    def _end(self, name: str) -> None:
        frame = self.stack.pop()
        end = self._pos()
        produced = self._finish(frame, end)
        if self.stack:
            self.stack[-1].units.extend(produced)
        else:
            frame.units = produced

    def _chars(self, data: str) -> None:
        if not self.stack:
            return
        start_byte = self.parser.CurrentByteIndex
        if self.encoded.startswith(b"<![CDATA[", start_byte):
            start_byte += len(b"<![CDATA[")
        if self.encoded.startswith(b"&", start_byte):
            end_byte = self.encoded.find(b";", start_byte) + 1
        else:
            end_byte = start_byte + len(data.encode("utf-8"))
        span = (self.char_at[start_byte], self.char_at[min(end_byte, len(self.encoded))])
        frame = self.stack[-1]
        frame.text.append((data, span))
        if frame.tag not in ("sub", "phoneme", "desc", "audio", "lexicon", "meta", "metadata"):
            frame.units.append(Text(data, span, frame.context))

    # -- elements

    def _context(self, tag: str, attrs: dict[str, str], parent: Context) -> Context:
        context = parent
        if "lang" in attrs:
            context = replace(context, language=attrs["lang"])
        if tag == "prosody":
            context = replace(context, prosody=self._prosody(attrs, parent.prosody))
        elif tag == "emphasis":
            level = attrs.get("level", "moderate")
            if level not in EMPHASIS:
                raise self._fail(f"emphasis level must be one of {', '.join(EMPHASIS)}, not {level!r}")
            e = EMPHASIS[level]
            p = parent.prosody
            context = replace(
                context,
                prosody=Prosody(
                    rate=p.rate * e.rate, pitch=p.pitch * e.pitch, volume_db=p.volume_db + e.volume_db
                ),
            )
        elif tag == "voice":
            name = attrs.get("name")
            gender = attrs.get("gender")
            if not name and not gender and "languages" not in attrs and "lang" not in attrs:
                raise self._fail("<voice> needs a name, gender or languages attribute")
            context = replace(context, voice=name or None, voice_gender=gender or None)
            if "languages" in attrs and "lang" not in attrs:
                context = replace(context, language=attrs["languages"].split()[0])
        elif tag == "say-as":
            kind = attrs.get("interpret-as")
            if not kind:
                raise self._fail("<say-as> needs an interpret-as attribute")
            context = replace(
                context, say_as=SayAs(kind.strip().lower(), attrs.get("format"), attrs.get("detail"))
            )
        elif tag == "lookup":
            ref = attrs.get("ref")
            if not ref:
                raise self._fail("<lookup> needs a ref attribute")
            context = replace(context, lexicons=(ref, *context.lexicons))
        return context

    def _value(self, read: Callable[..., _T], *args: object) -> _T:
        """An attribute value read by `ssml_values`; its ValueError becomes an error naming where."""
        try:
            return read(*args)
        except ValueError as e:
            raise self._fail(str(e)) from None

    def _prosody(self, attrs: dict[str, str], parent: Prosody) -> Prosody:
        rate, pitch, volume = parent.rate, parent.pitch, parent.volume_db
        if "rate" in attrs:
            rate = parent.rate * self._value(values.rate, attrs["rate"])
        if "pitch" in attrs:
            pitch = parent.pitch * self._value(values.pitch, attrs["pitch"])
        if "volume" in attrs:
            volume = self._value(values.volume, attrs["volume"], parent.volume_db)
        if "duration" in attrs:
            raise self._fail("prosody duration is not supported; use rate")
        return Prosody(rate=rate, pitch=pitch, volume_db=volume)

    def _finish(self, frame: _Frame, end: int) -> list[Unit]:
        span = (frame.start, end)
        tag, attrs = frame.tag, frame.attrs
        if tag == "break":
            return [Break(self._value(values.break_seconds, attrs), span)]
        if tag == "mark":
            if not attrs.get("name"):
                raise self._fail("<mark> needs a name attribute")
            return [Mark(attrs["name"], span)]
        if tag == "sub":
            alias = attrs.get("alias")
            if alias is None:
                raise self._fail("<sub> needs an alias attribute")
            return [Text(alias, _content_span(frame, span), replace(frame.context, say_as=None))]
        if tag == "phoneme":
            return [self._phoneme(frame, span)]
        if tag in ("desc", "lexicon", "meta", "metadata"):
            if tag == "lexicon":
                self._lexicon(attrs)
            return []
        if tag == "audio":
            if not attrs.get("src"):
                raise self._fail("<audio> needs a src attribute")
            fallback = tuple(u for u in frame.units if not isinstance(u, AudioClip | Boundary))
            fallback += tuple(Text(t, s, frame.context) for t, s in frame.text)
            return [AudioClip(attrs["src"], span, tuple(sorted(fallback, key=_unit_start)))]
        units = frame.units
        if tag in ("s", "sentence"):
            units = [*units, Boundary("sentence", (end, end))]
        elif tag in ("p", "paragraph"):
            units = [*units, Boundary("paragraph", (end, end))]
        return units

    def _phoneme(self, frame: _Frame, span: Span) -> Phoneme:
        ph = frame.attrs.get("ph")
        if not ph:
            raise self._fail("<phoneme> needs a ph attribute")
        alphabet = frame.attrs.get("alphabet", "ipa").strip().lower()
        if alphabet in ("x-sampa", "xsampa", "sampa"):
            ipa = xsampa_to_ipa(ph)
        elif alphabet == "ipa":
            ipa = ph
        else:
            raise self._fail(f"phoneme alphabet must be ipa or x-sampa, not {alphabet!r}")
        text = "".join(t for t, _ in frame.text)
        return Phoneme(ipa=ipa.strip(), text=text, span=_content_span(frame, span), context=frame.context)

    def _lexicon(self, attrs: dict[str, str]) -> None:
        uri = attrs.get("uri")
        lexicon_id = attrs.get("id") or uri
        if not uri or not lexicon_id:
            raise self._fail("<lexicon> needs a uri attribute")
        self.lexicons.append(LexiconRef(id=lexicon_id, uri=uri))


def _content_span(frame: _Frame, element: Span) -> Span:
    if frame.text:
        return (frame.text[0][1][0], frame.text[-1][1][1])
    return element


def _unit_start(unit: Unit) -> int:
    return unit.span[0]


def _merge_text(units: list[Unit]) -> list[Unit]:
    """Join adjacent Text pieces that expat split (entities, buffer edges) when their context matches."""
    merged: list[Unit] = []
    for unit in units:
        last = merged[-1] if merged else None
        if (
            isinstance(unit, Text)
            and isinstance(last, Text)
            and last.context == unit.context
            and last.span[1] == unit.span[0]
        ):
            merged[-1] = Text(last.text + unit.text, (last.span[0], unit.span[1]), unit.context)
        else:
            merged.append(unit)
    return merged


def _byte_to_char_index(source: str, encoded: bytes) -> list[int]:
    """index[b] = the character index at UTF-8 byte offset b (and len(source) at the end)."""
    if len(encoded) == len(source):
        return list(range(len(source) + 1))
    index = [0] * (len(encoded) + 1)
    byte = 0
    for char_index, char in enumerate(source):
        width = len(char.encode("utf-8"))
        for k in range(width):
            index[byte + k] = char_index
        byte += width
    index[byte] = len(source)
    return index
