"""Text the rest of the code can handle, checked at the edge: a JSON body before any route parses it.

A body passes when it is UTF-8 JSON (RFC 8259: no NaN or Infinity) nested at most `MAX_JSON_DEPTH`
deep, with integers of at most `MAX_INTEGER_DIGITS` digits, and strings (keys too) that hold no lone
surrogate (`"\\ud800"`, which no encoder can write back out) and no NUL (which C libraries and
PostgreSQL cut text at). Other control characters are let through: the normaliser reports them as
unspoken. Each refusal is an `InvalidRequest` (400) naming the field and the character at fault.

The string rule itself is `mynah.text.checks.check_text`, which the lexicon parsers apply too, so
nothing stored can make a later read fail.
"""

from __future__ import annotations

import json
from typing import Any

from mynah.errors import InvalidRequest
from mynah.text.checks import MAX_INTEGER_DIGITS, check_text

__all__ = ["MAX_JSON_DEPTH", "check_json_body"]

MAX_JSON_DEPTH = 32


def check_json_body(data: bytes) -> None:
    """Refuse a JSON body the routes could not handle (see the module docstring); an empty body or
    one that is not JSON at all is left to the route, which says what it wanted."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid(f"the request body is not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        return
    try:
        document = json.loads(text, parse_int=_integer, parse_constant=_constant)
    except RecursionError:
        raise _invalid(f"the JSON body is nested more than {MAX_JSON_DEPTH} levels deep") from None
    except json.JSONDecodeError:
        return  # the route answers its own 400 ("request body is not valid JSON")
    _walk(document)


def _walk(document: Any) -> None:
    stack: list[tuple[Any, str, int]] = [(document, "body", 1)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            check_text(value, where)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise _invalid(f"the JSON body is nested more than {MAX_JSON_DEPTH} levels deep")
        if isinstance(value, dict):
            for key, item in value.items():
                check_text(key, f"{_child(where, '')}key")
                stack.append((item, _child(where, key), depth + 1))
        else:
            stack.extend((item, _child(where, str(index)), depth + 1) for index, item in enumerate(value))


def _child(where: str, name: str) -> str:
    return name if where == "body" else f"{where}.{name}"


def _integer(literal: str) -> int:
    digits = len(literal.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise _invalid(f"the JSON body has a {digits:,}-digit integer; the limit is {MAX_INTEGER_DIGITS}")
    return int(literal)


def _constant(name: str) -> float:
    raise _invalid(f"the JSON body has {name}, which is not JSON (RFC 8259)")


def _invalid(message: str) -> InvalidRequest:
    return InvalidRequest(message, param="body", code="invalid_json")
