"""Pronunciation lexicons: W3C PLS 1.0 and a small JSON form, parsed into one shape, and a fast matcher.

A lexicon maps graphemes (how a word is written) to an alias (other text to speak instead) or to a
pronunciation in IPA. Both input formats produce the same `Lexicon`:

PLS 1.0 (https://www.w3.org/TR/pronunciation-lexicon/)::

    <lexicon version="1.0" alphabet="ipa" xml:lang="en-US"
             xmlns="http://www.w3.org/2005/01/pronunciation-lexicon">
      <lexeme><grapheme>tomato</grapheme><phoneme>təˈmɑːtoʊ</phoneme></lexeme>
      <lexeme><grapheme>SQL</grapheme><alias>sequel</alias></lexeme>
    </lexicon>

  A lexeme has one or more <grapheme> and one or more <alias> / <phoneme>; the first of those marked
  prefer="true" is used, else the first in document order. <meta>, <metadata> and <example> are ignored.
  The alphabet (of the lexicon, or of one <phoneme>) must be "ipa" or "x-sampa" (converted to IPA).
  Parsing is safe by construction: a DOCTYPE, an entity declaration or an external entity is refused
  (no XXE, no billion laughs), and size, depth and entry count are bounded.

JSON::

    {"tomato": {"ipa": "təˈmɑːtoʊ"}, "SQL": {"alias": "sequel"}, "data": {"x-sampa": "\\"deIt@"},
     "nginx": "engine x"}

  A plain object maps each grapheme to either a string (an alias) or an object with exactly one of
  "alias", "ipa" or "x-sampa". The wrapped form adds the language::

    {"language": "en-US", "entries": {"tomato": {"ipa": "təˈmɑːtoʊ"}}}
    {"language": "en-US", "entries": [{"graphemes": ["colour", "color"], "ipa": "ˈkʌlɚ"}]}

  It is recognised when the top-level object has an "entries" object or array and no keys other than
  "language" and "entries" (so a plain map whose only word is "entries" must use the wrapped form).
  In the array form each item has "grapheme" (a string) or "graphemes" (a list) and one of
  "alias", "ipa" or "x-sampa". Duplicate keys are refused.

Matching (`LexiconMatcher`):

- Whole words only: a match is never preceded or followed by a letter, a digit or a combining mark, so
  "tomato" does not match inside "tomatoes". Graphemes may contain apostrophes, hyphens and spaces
  ("New York"); a space in a grapheme matches any run of whitespace in the text.
- Case: a grapheme written all in lower case matches the text in any case ("tomato" matches "Tomato"
  and "TOMATO"; compared with `str.casefold`). A grapheme with any upper-case letter matches only that
  exact spelling ("US" does not match "us", "SQL" does not match "sql").
- Left to right, never overlapping, the longest match at each position first. When several entries
  match the same text, the earlier lexicon in the list wins; within one lexicon an exact-case grapheme
  wins over a lower-case one, and otherwise the first entry wins.

Errors are `InvalidRequest` naming line and column (or the JSON entry); documents over the size or
entry limit raise `PayloadTooLarge`; a content type that is neither raises `UnsupportedMediaType`.
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.parsers.expat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from mynah.errors import InvalidRequest, PayloadTooLarge, UnsupportedMediaType
from mynah.text.xsampa import xsampa_to_ipa

MAX_LEXICON_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 100_000
MAX_GRAPHEME_CHARS = 200
MAX_DEPTH = 32

PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"

LexiconFormat = Literal["pls", "json"]
PLS_CONTENT_TYPES = ("application/pls+xml", "application/xml", "text/xml")
JSON_CONTENT_TYPES = ("application/json",)
CANONICAL_CONTENT_TYPE: dict[LexiconFormat, str] = {"pls": "application/pls+xml", "json": "application/json"}
# Content types that say nothing about the document: the format is read from its first character.
_SNIFFED_CONTENT_TYPES = ("", "application/octet-stream", "text/plain")

_IPA_ALPHABETS = ("ipa",)
_XSAMPA_ALPHABETS = ("x-sampa", "xsampa", "sampa")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LexiconEntry:
    """One lexeme: the spellings it covers, and what to say for them (exactly one of alias / ipa)."""

    graphemes: tuple[str, ...]
    alias: str | None = None
    """Text to speak instead of the grapheme."""
    ipa: str | None = None
    """The pronunciation in IPA (X-SAMPA input is converted when parsed)."""

    def __post_init__(self) -> None:
        if not self.graphemes:
            raise InvalidRequest("a lexicon entry needs at least one grapheme")
        if (self.alias is None) == (self.ipa is None):
            raise InvalidRequest(f"lexicon entry {self.graphemes[0]!r} needs exactly one of alias or ipa")


@dataclass(frozen=True)
class Lexicon:
    name: str
    language: str | None
    entries: tuple[LexiconEntry, ...]


@dataclass(frozen=True)
class LexiconMatch:
    """`text[start:end]` is spoken as `entry` says."""

    start: int
    end: int
    entry: LexiconEntry


# ------------------------------------------------------------------------------------------ detecting


def media_type(content_type: str | None) -> str:
    """`Application/JSON; charset=utf-8` -> `application/json`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def detect_format(data: bytes | str, content_type: str | None = None) -> LexiconFormat:
    """PLS or JSON, from the content type when it says, else from the document's first character."""
    kind = media_type(content_type)
    if kind in JSON_CONTENT_TYPES or kind.endswith("+json"):
        return "json"
    if kind in PLS_CONTENT_TYPES or kind.endswith("+xml"):
        return "pls"
    if kind not in _SNIFFED_CONTENT_TYPES:
        accepted = ", ".join((*PLS_CONTENT_TYPES, *JSON_CONTENT_TYPES))
        raise UnsupportedMediaType(
            f"a lexicon cannot be of type {kind!r}; send one of {accepted}", param="content-type"
        )
    head = data[:64].decode("utf-8", "replace") if isinstance(data, bytes) else data[:64]
    head = head.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return "pls"
    if head.startswith(("{", "[")):
        return "json"
    raise InvalidRequest("a lexicon must be a PLS (XML) or JSON document", param="lexicon")


def parse_lexicon(data: bytes | str, name: str, *, content_type: str | None = None) -> Lexicon:
    """Parse a PLS or JSON lexicon; the content type decides, or else the document's first character."""
    if detect_format(data, content_type) == "json":
        return parse_json(data, name)
    return parse_pls(data, name)


def _check_size(data: bytes | str) -> bytes:
    encoded = data.encode("utf-8") if isinstance(data, str) else data
    if len(encoded) > MAX_LEXICON_BYTES:
        raise PayloadTooLarge(
            f"lexicon is {len(encoded):,} bytes; the limit is {MAX_LEXICON_BYTES:,}", param="lexicon"
        )
    return encoded


def _clean(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _language(value: str | None, where: str) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _LANGUAGE.fullmatch(value) or len(value) > 64:
        raise InvalidRequest(f"{where}: {value!r} is not a language tag such as en-US", param="lexicon")
    return value


def _grapheme(text: str, where: str) -> str:
    grapheme = _clean(text)
    if not grapheme:
        raise InvalidRequest(f"{where}: empty grapheme", param="lexicon")
    if len(grapheme) > MAX_GRAPHEME_CHARS:
        raise InvalidRequest(
            f"{where}: grapheme is {len(grapheme)} characters; the limit is {MAX_GRAPHEME_CHARS}",
            param="lexicon",
        )
    return grapheme


def _too_many() -> PayloadTooLarge:
    return PayloadTooLarge(f"lexicon has more than {MAX_ENTRIES:,} entries", param="lexicon")


# ------------------------------------------------------------------------------------------ PLS


def parse_pls(data: bytes | str, name: str) -> Lexicon:
    """Parse a W3C PLS 1.0 document. Raises InvalidRequest naming line and column."""
    _check_size(data)
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
                    raise _too_many()
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
            return _language(value, "xml:lang")
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
                lexeme.graphemes[-1] = _grapheme("".join(self.text), "<grapheme>")
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
        text = _clean("".join(chosen.text))
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


# ------------------------------------------------------------------------------------------ JSON

_JSON_KEYS = ("alias", "ipa", "x-sampa")


def parse_json(data: bytes | str, name: str) -> Lexicon:
    """Parse the JSON lexicon form described in the module docstring."""
    _check_size(data)
    try:
        document = json.loads(data, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            f"malformed JSON lexicon at line {exc.lineno}, column {exc.colno}: {exc.msg}", param="lexicon"
        ) from None
    except UnicodeDecodeError:
        raise InvalidRequest("JSON lexicon is not UTF-8 text", param="lexicon") from None
    except RecursionError:
        raise InvalidRequest("JSON lexicon nests too deeply", param="lexicon") from None
    if not isinstance(document, dict):
        raise InvalidRequest("a JSON lexicon must be an object", param="lexicon")
    language: str | None = None
    entries: Any = document
    if isinstance(document.get("entries"), dict | list) and set(document) <= {"language", "entries"}:
        raw_language = document.get("language")
        if raw_language is not None and not isinstance(raw_language, str):
            raise InvalidRequest('"language" must be a string such as "en-US"', param="lexicon")
        language = _language(raw_language, '"language"')
        entries = document["entries"]
    if isinstance(entries, dict):
        if len(entries) > MAX_ENTRIES:
            raise _too_many()
        parsed = [_json_entry((key,), value, f"entry {key!r}") for key, value in entries.items()]
    else:
        if len(entries) > MAX_ENTRIES:
            raise _too_many()
        parsed = [_json_list_item(item, index) for index, item in enumerate(entries)]
    return Lexicon(name=name, language=language, entries=tuple(parsed))


def entry_json(entry: LexiconEntry) -> dict[str, Any]:
    """An entry in the array form of a JSON lexicon, so a listing can be uploaded again."""
    spoken = {"alias": entry.alias} if entry.alias is not None else {"ipa": entry.ipa}
    return {"graphemes": list(entry.graphemes), **spoken}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidRequest(f"JSON lexicon has {key!r} twice", param="lexicon")
        result[key] = value
    return result


def _json_list_item(item: Any, index: int) -> LexiconEntry:
    where = f"entries[{index}]"
    if not isinstance(item, dict):
        raise InvalidRequest(f"{where}: must be an object", param="lexicon")
    item = dict(item)
    if "grapheme" in item and "graphemes" in item:
        raise InvalidRequest(f'{where}: give "grapheme" or "graphemes", not both', param="lexicon")
    if "grapheme" in item:
        graphemes: Any = [item.pop("grapheme")]
    elif "graphemes" in item:
        graphemes = item.pop("graphemes")
    else:
        raise InvalidRequest(f'{where}: needs "grapheme" or "graphemes"', param="lexicon")
    if not isinstance(graphemes, list) or not graphemes or not all(isinstance(g, str) for g in graphemes):
        raise InvalidRequest(f'{where}: "graphemes" must be a non-empty list of strings', param="lexicon")
    return _json_entry(tuple(graphemes), item, where)


def _json_entry(graphemes: tuple[str, ...], value: Any, where: str) -> LexiconEntry:
    cleaned = tuple(dict.fromkeys(_grapheme(g, where) for g in graphemes))
    if isinstance(value, str):
        spec: dict[str, Any] = {"alias": value}
    elif isinstance(value, dict):
        spec = value
    else:
        raise InvalidRequest(
            f'{where}: must be a string (an alias) or an object with "alias", "ipa" or "x-sampa"',
            param="lexicon",
        )
    unknown = sorted(set(spec) - set(_JSON_KEYS))
    if unknown:
        raise InvalidRequest(
            f'{where}: unknown key {unknown[0]!r}; use one of "alias", "ipa" or "x-sampa"', param="lexicon"
        )
    if len(spec) != 1:
        raise InvalidRequest(f'{where}: needs exactly one of "alias", "ipa" or "x-sampa"', param="lexicon")
    ((key, raw),) = spec.items()
    if not isinstance(raw, str) or not _clean(raw):
        raise InvalidRequest(f'{where}: "{key}" must be a non-empty string', param="lexicon")
    text = _clean(raw)
    if key == "alias":
        return LexiconEntry(cleaned, alias=text)
    return LexiconEntry(cleaned, ipa=xsampa_to_ipa(text) if key == "x-sampa" else text)


# ------------------------------------------------------------------------------------------ matching


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.value: tuple[tuple[int, int], LexiconEntry] | None = None
        """The entry ending here, with its precedence (lexicon index, 0 exact / 1 any case)."""


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


class LexiconMatcher:
    """Find lexicon graphemes in text. The rules (words, case, precedence) are in the module docstring.

    The lexicons are compiled once into two tries (exact spellings, and case-folded lower-case
    spellings); `find` walks them from each place a word can start, so its cost grows with the length
    of the text, not with the number of entries."""

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        self.lexicons = tuple(lexicons)
        self._exact = _Node()
        self._folded = _Node()
        for index, lexicon in enumerate(self.lexicons):
            for entry in lexicon.entries:
                for grapheme in entry.graphemes:
                    grapheme = _clean(grapheme)
                    if not grapheme:
                        continue
                    if grapheme == grapheme.lower():
                        self._insert(self._folded, grapheme.casefold(), (index, 1), entry)
                    else:
                        self._insert(self._exact, grapheme, (index, 0), entry)

    @staticmethod
    def _insert(root: _Node, key: str, rank: tuple[int, int], entry: LexiconEntry) -> None:
        node = root
        for char in key:
            node = node.children.setdefault(char, _Node())
        if node.value is None or rank < node.value[0]:
            node.value = (rank, entry)

    def __bool__(self) -> bool:
        return bool(self._exact.children or self._folded.children)

    def find(self, text: str) -> list[LexiconMatch]:
        """Every match in `text`, left to right, never overlapping."""
        matches: list[LexiconMatch] = []
        if not self:
            return matches
        size = len(text)
        position = 0
        previous_is_word = False
        while position < size:
            char = text[position]
            if not previous_is_word and not char.isspace():
                found = self._longest_at(text, position)
                if found is not None:
                    end, entry = found
                    matches.append(LexiconMatch(position, end, entry))
                    position = end
                    previous_is_word = _is_word_char(text[end - 1])
                    continue
            previous_is_word = _is_word_char(char)
            position += 1
        return matches

    def _longest_at(self, text: str, start: int) -> tuple[int, LexiconEntry] | None:
        exact = self._walk(text, start, self._exact, fold=False)
        folded = self._walk(text, start, self._folded, fold=True)
        if exact is None or folded is None:
            best = exact or folded
        elif exact[0] != folded[0]:
            best = max(exact, folded, key=lambda found: found[0])
        else:
            best = min(exact, folded, key=lambda found: found[1])
        return None if best is None else (best[0], best[2])

    @staticmethod
    def _walk(
        text: str, start: int, root: _Node, *, fold: bool
    ) -> tuple[int, tuple[int, int], LexiconEntry] | None:
        """The longest grapheme in `root` that starts at `start` and ends at a word boundary."""
        best: tuple[int, tuple[int, int], LexiconEntry] | None = None
        node: _Node | None = root
        size = len(text)
        position = start
        while node is not None and position < size:
            char = text[position]
            if char.isspace():
                node = node.children.get(" ")
                position += 1
                while position < size and text[position].isspace():
                    position += 1
                continue
            position += 1
            for key in char.casefold() if fold else char:
                node = node.children.get(key)
                if node is None:
                    break
            if (
                node is not None
                and node.value is not None
                and (position == size or not _is_word_char(text[position]))
            ):
                best = (position, node.value[0], node.value[1])
        return best
