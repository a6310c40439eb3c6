"""W3C PLS 1.0 (https://www.w3.org/TR/pronunciation-lexicon/) parsed into a `Lexicon`::

    <lexicon version="1.0" alphabet="ipa" xml:lang="en-US"
             xmlns="http://www.w3.org/2005/01/pronunciation-lexicon">
      <lexeme><grapheme>tomato</grapheme><phoneme>təˈmɑːtoʊ</phoneme></lexeme>
      <lexeme><grapheme>SQL</grapheme><alias>sequel</alias></lexeme>
    </lexicon>

A lexeme has one or more <grapheme> and one or more <alias> / <phoneme>; the first of those marked
prefer="true" is used, else the first in document order. <meta>, <metadata> and <example> are ignored.
The alphabet (of the lexicon, or of one <phoneme>) must be "ipa" or "x-sampa" (converted to IPA).
Parsing is safe by construction: a DOCTYPE, an entity declaration or an external entity is refused
(no XXE, no billion laughs), and size, depth and entry count are bounded. Errors are `InvalidRequest`
naming line and column.
"""

from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass, field
from typing import Literal

from mynah.errors import InvalidRequest
from mynah.text.lexicon.model import (
    MAX_DEPTH,
    MAX_ENTRIES,
    Lexicon,
    LexiconEntry,
    check_size,
    clean,
    grapheme,
    language_tag,
    too_many,
)
from mynah.text.xsampa import xsampa_to_ipa

PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"

_IPA_ALPHABETS = ("ipa",)
_XSAMPA_ALPHABETS = ("x-sampa", "xsampa", "sampa")


def parse_pls(data: bytes | str, name: str) -> Lexicon:
    """Parse a W3C PLS 1.0 document. Raises InvalidRequest naming line and column."""
    check_size(data)
    return _PlsParser(name).parse(data)


@dataclass
class _Pronunciation:
    kind: Literal["alias", "phoneme"]
    prefer: bool
    alphabet: str
    text: list[str] = field(default_factory=list)


@dataclass
class _Lexeme:
    graphemes: list[str] = field(default_factory=list)
    pronunciations: list[_Pronunciation] = field(default_factory=list)


class _PlsParser:
    def __init__(self, name: str) -> None:
        self.name = name
        self.language: str | None = None
        self.alphabet = "ipa"
        self.entries: list[LexiconEntry] = []
        self.stack: list[str] = []
        self.lexeme: _Lexeme | None = None
        self.text: list[str] | None = None
        """Where character data goes: a grapheme's or a pronunciation's text, else nowhere."""
        self.metadata_depth = 0
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._chars
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_entity
        self.parser.ExternalEntityRefHandler = self._refuse_external
        self.parser.buffer_text = True

    def parse(self, data: bytes | str) -> Lexicon:
        try:
            self.parser.Parse(data, True)
        except xml.parsers.expat.ExpatError as exc:
            message = xml.parsers.expat.ErrorString(exc.code) if exc.code else str(exc)
            raise InvalidRequest(
                f"malformed PLS lexicon at line {exc.lineno}, column {exc.offset + 1}: {message}",
                param="lexicon",
            ) from None
        except UnicodeError as exc:
            raise InvalidRequest(f"PLS lexicon is not valid text: {exc}", param="lexicon") from None
        return Lexicon(name=self.name, language=self.language, entries=tuple(self.entries))

    def _fail(self, message: str) -> InvalidRequest:
        line, column = self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1
        return InvalidRequest(
            f"invalid PLS lexicon at line {line}, column {column}: {message}", param="lexicon"
        )

    def _refuse_doctype(self, *_: object) -> None:
        raise self._fail("DOCTYPE declarations are not allowed")

    def _refuse_entity(self, *_: object) -> None:
        raise self._fail("entity declarations are not allowed")

    def _refuse_external(self, *_: object) -> int:
        raise self._fail("external entities are not allowed")

    def _alphabet(self, value: str) -> str:
        alphabet = value.strip().lower()
        if alphabet not in (*_IPA_ALPHABETS, *_XSAMPA_ALPHABETS):
            raise self._fail(f"alphabet {value!r} is not supported; use ipa or x-sampa")
        return alphabet

    def _start(self, qualified: str, raw_attrs: dict[str, str]) -> None:
        namespace, _, tag = qualified.rpartition(" ")
        attrs = {key.rsplit(" ", 1)[-1]: value for key, value in raw_attrs.items()}
        if len(self.stack) >= MAX_DEPTH:
            raise self._fail(f"elements nest deeper than {MAX_DEPTH}")
        parent = self.stack[-1] if self.stack else None
        self.stack.append(tag)
        if self.metadata_depth:
            self.metadata_depth += 1
            return
        if namespace and namespace != PLS_NAMESPACE:
            raise self._fail(f"element <{tag}> is not in the PLS namespace {PLS_NAMESPACE}")
        if parent is None:
            self._root(tag, attrs)
        elif parent == "lexicon":
            if tag == "lexeme":
                if len(self.entries) >= MAX_ENTRIES:
                    raise too_many(MAX_ENTRIES)
                self.lexeme = _Lexeme()
            elif tag == "metadata":
                self.metadata_depth = 1
            elif tag != "meta":
                raise self._fail(f"unexpected <{tag}> in <lexicon>; expected <lexeme>, <meta> or <metadata>")
        elif parent == "lexeme" and self.lexeme is not None:
            if tag == "grapheme":
                self.text = []
                self.lexeme.graphemes.append("")
            elif tag in ("alias", "phoneme"):
                prefer = attrs.get("prefer", "false").strip().lower()
                if prefer not in ("true", "false"):
                    raise self._fail(f'prefer must be "true" or "false", not {attrs["prefer"]!r}')
                if tag == "alias" and "alphabet" in attrs:
                    raise self._fail("<alias> has no alphabet attribute")
                alphabet = self._alphabet(attrs["alphabet"]) if "alphabet" in attrs else self.alphabet
                pronunciation = _Pronunciation(
                    "alias" if tag == "alias" else "phoneme", prefer == "true", alphabet
                )
                self.lexeme.pronunciations.append(pronunciation)
                self.text = pronunciation.text
            elif tag == "example":
                self.text = None
            else:
                raise self._fail(
                    f"unexpected <{tag}> in <lexeme>; expected <grapheme>, <alias>, <phoneme> or <example>"
                )
        else:
            raise self._fail(f"unexpected <{tag}> inside <{parent}>")

    def _root(self, tag: str, attrs: dict[str, str]) -> None:
        if tag != "lexicon":
            raise self._fail(f"the root element must be <lexicon>, not <{tag}>")
        version = attrs.get("version", "1.0").strip()
        if version != "1.0":
            raise self._fail(f"PLS version {version!r} is not supported; only 1.0 is")
        if "alphabet" in attrs:
            self.alphabet = self._alphabet(attrs["alphabet"])
        self.language = self._language(attrs.get("lang"))

    def _language(self, value: str | None) -> str | None:
        try:
            return language_tag(value, "xml:lang")
        except InvalidRequest as exc:
            raise self._fail(exc.message) from None

    def _end(self, qualified: str) -> None:
        tag = self.stack.pop()
        if self.metadata_depth:
            self.metadata_depth -= 1
            return
        lexeme = self.lexeme
        if tag == "grapheme" and lexeme is not None and self.text is not None:
            try:
                lexeme.graphemes[-1] = grapheme("".join(self.text), "<grapheme>")
            except InvalidRequest as exc:
                raise self._fail(exc.message.removeprefix("<grapheme>: ")) from None
            self.text = None
        elif tag in ("alias", "phoneme", "example"):
            self.text = None
        elif tag == "lexeme" and lexeme is not None:
            self.entries.append(self._entry(lexeme))
            self.lexeme = None

    def _entry(self, lexeme: _Lexeme) -> LexiconEntry:
        if not lexeme.graphemes:
            raise self._fail("<lexeme> needs at least one <grapheme>")
        if not lexeme.pronunciations:
            raise self._fail(f"<lexeme> for {lexeme.graphemes[0]!r} needs an <alias> or a <phoneme>")
        chosen = next((p for p in lexeme.pronunciations if p.prefer), lexeme.pronunciations[0])
        text = clean("".join(chosen.text))
        if not text:
            raise self._fail(f"empty <{chosen.kind}> for {lexeme.graphemes[0]!r}")
        graphemes = tuple(dict.fromkeys(lexeme.graphemes))
        if chosen.kind == "alias":
            return LexiconEntry(graphemes, alias=text)
        ipa = xsampa_to_ipa(text) if chosen.alphabet in _XSAMPA_ALPHABETS else text
        return LexiconEntry(graphemes, ipa=ipa)

    def _chars(self, data: str) -> None:
        if self.metadata_depth:
            return
        if self.text is not None:
            self.text.append(data)
        elif data.strip() and (not self.stack or self.stack[-1] != "example"):
            where = f"<{self.stack[-1]}>" if self.stack else "the document"
            raise self._fail(f"unexpected text {data.strip()[:20]!r} in {where}")
