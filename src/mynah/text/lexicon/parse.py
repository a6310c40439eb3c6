"""Which format a lexicon document is in (its content type, or else its first character), and
parsing it with the right parser. A content type that is neither raises `UnsupportedMediaType`."""

from __future__ import annotations

from typing import Literal

from mynah.errors import InvalidRequest, UnsupportedMediaType
from mynah.text.lexicon.jsonform import parse_json
from mynah.text.lexicon.model import Lexicon
from mynah.text.lexicon.pls import parse_pls

LexiconFormat = Literal["pls", "json"]
PLS_CONTENT_TYPES = ("application/pls+xml", "application/xml", "text/xml")
JSON_CONTENT_TYPES = ("application/json",)
CANONICAL_CONTENT_TYPE: dict[LexiconFormat, str] = {"pls": "application/pls+xml", "json": "application/json"}
# Content types that say nothing about the document: the format is read from its first character.
_SNIFFED_CONTENT_TYPES = ("", "application/octet-stream", "text/plain")


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
