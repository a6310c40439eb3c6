"""Shared helpers for the normaliser tests."""

from __future__ import annotations

import re
from collections.abc import Collection

from mynah.text import normalize

_NOT_SPOKEN = re.compile(r"[^\w\s']|(?<!\w)'|'(?!\w)")


def said(text: str, *, categories: Collection[str] | None = None) -> str:
    """What the normaliser says for `text`, lower-cased and without punctuation (as a judge compares)."""
    spoken = normalize(text, categories=categories).text.lower()
    return " ".join(_NOT_SPOKEN.sub(" ", spoken).split())


def said_in(language: str, text: str, *, categories: Collection[str] | None = None) -> str:
    """What the normaliser of `language` says for `text`, compared as `said` compares."""
    spoken = normalize(text, categories=categories, language=language).text.lower()
    return " ".join(_NOT_SPOKEN.sub(" ", spoken).split())
