"""Text every layer can handle: no lone surrogate (`"\\ud800"` decodes from JSON, but no encoder can
write it back out, so it would fail a later response or database write) and no NUL (C libraries and
PostgreSQL cut text there). Applied at the edge (`mynah.server.textcheck`) and by the lexicon parsers,
so nothing stored can make a later read fail."""

from __future__ import annotations

import re

from mynah.errors import InvalidRequest

__all__ = ["MAX_INTEGER_DIGITS", "check_text"]

MAX_INTEGER_DIGITS = 100
"""Longest integer literal accepted in JSON input (Python refuses to convert past 4,300 digits)."""

_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


def check_text(value: str, param: str) -> str:
    """`value` if it holds no lone surrogate and no NUL; else InvalidRequest naming `param`."""
    found = _BAD_CHAR.search(value)
    if found is not None:
        char = found.group()
        what = "NUL" if char == "\x00" else f"a lone surrogate (U+{ord(char):04X})"
        raise InvalidRequest(
            f"{param}: character {found.start()} is {what}; send text as valid Unicode",
            param=param,
            code="invalid_text",
        )
    return value
