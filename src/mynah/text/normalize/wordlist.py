"""Word lists written as prose, for readable tables of abbreviations, names and acronyms."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` as a set."""
    return frozenset(text.split())


def word_list(text: str) -> list[str]:
    """The whitespace-separated words of `text`, in order."""
    return text.split()
