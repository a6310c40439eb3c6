"""Normalisers per language, and the `normalize` entry point.

A language plugs in by implementing `Normalizer` and registering it:

    registry.register(MyFrenchNormalizer())

Lookup tries the full tag ("en-GB", case- and separator-insensitive), then its primary subtag ("en").
A language without a normaliser gets the language-neutral pass (`NeutralNormalizer`): digits read by
num2words when it knows the language, everything else verbatim. That is a fallback, never an error.

Normalisers hold no per-call state, so one registry serves every thread.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Protocol, runtime_checkable

from mynah.errors import InvalidRequest
from mynah.text.normalize.model import CATEGORIES, PLAIN, PUNCT, NormalizedText, Token


@runtime_checkable
class Normalizer(Protocol):
    """Turns written text of one language into its spoken form."""

    @property
    def language(self) -> str:
        """The BCP-47 tag this normaliser serves ("en", "fr", ...)."""
        ...

    def normalize(self, text: str, *, categories: frozenset[str]) -> NormalizedText:
        """Expand `text`; only readings in `categories` are applied, others are kept as written."""
        ...


def _key(language: str) -> str:
    return language.strip().replace("_", "-").lower()


class NormalizerRegistry:
    """Normalisers keyed by language tag, with a language-neutral fallback."""

    def __init__(self, normalizers: Iterable[Normalizer] = ()) -> None:
        self._by_language: dict[str, Normalizer] = {}
        self._neutral: dict[str, Normalizer] = {}
        for normalizer in normalizers:
            self.register(normalizer)

    def register(self, normalizer: Normalizer) -> None:
        self._by_language[_key(normalizer.language)] = normalizer

    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._by_language))

    def get(self, language: str) -> Normalizer:
        """The normaliser for `language`, or the neutral pass for it when none is registered."""
        key = _key(language)
        found = self._by_language.get(key) or self._by_language.get(key.split("-")[0])
        if found is not None:
            return found
        neutral = self._neutral.get(key)
        if neutral is None:
            from mynah.text.normalize.neutral import NeutralNormalizer

            neutral = self._neutral[key] = NeutralNormalizer(language)
        return neutral


def _default_registry() -> NormalizerRegistry:
    from mynah.text.normalize.en.normalizer import EnglishNormalizer
    from mynah.text.normalize.intl.normalizer import language_normalizers

    return NormalizerRegistry([EnglishNormalizer(), *language_normalizers()])


class _Lazy:
    """Builds the default registry on first use, so importing mynah compiles no rule tables."""

    def __init__(self) -> None:
        self._registry: NormalizerRegistry | None = None

    def get(self) -> NormalizerRegistry:
        if self._registry is None:
            self._registry = _default_registry()
        return self._registry


_default = _Lazy()


def default_registry() -> NormalizerRegistry:
    """The registry `normalize` uses; register more languages on it."""
    return _default.get()


def check_categories(categories: Collection[str] | None) -> frozenset[str]:
    """Validate a caller's category selection; None means all."""
    if categories is None:
        return CATEGORIES
    if isinstance(categories, str):
        raise InvalidRequest("categories must be a collection of names, not a string", param="categories")
    chosen = frozenset(categories)
    unknown = chosen - CATEGORIES
    if unknown:
        raise InvalidRequest(
            f"unknown normalisation categories: {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(CATEGORIES))}",
            param="categories",
        )
    return chosen


def normalize(
    text: str,
    *,
    categories: Collection[str] | None = None,
    enabled: bool = True,
    language: str = "en",
) -> NormalizedText:
    """Turn written `text` into what a careful narrator would say, word for word.

    `categories` limits which readings are expanded (see `mynah.text.CATEGORIES`); everything else is
    spoken as written. `enabled=False` speaks the text as written: a plain token per word (with its
    own span, so word timings point at that word) and the marks that end a sentence or a clause as
    punctuation, so sentences are still cut where they end.
    Raises `InvalidRequest` for unknown category names.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() takes a str, not {type(text).__name__}")
    chosen = check_categories(categories)
    if not enabled:
        return NormalizedText(text, _as_written(text), (), language)
    return default_registry().get(language).normalize(text, categories=chosen)


_WORD = re.compile(r"\S+")
_TRAILING_MARKS = re.compile(r"(\.\.\.|…|[.?!,;:]+)$")


_KEEPS_ITS_DOT = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "mt",
        "jr",
        "sr",
        "prof",
        "gen",
        "col",
        "capt",
        "lt",
        "sgt",
        "rev",
        "vs",
        "etc",
        "e.g",
        "i.e",
    ]
)
"""Words whose dot is part of the word, not a sentence's end (with normalisation off there is no
abbreviation reader; these, and single letters (initials), are the common cases)."""


def _as_written(text: str) -> tuple[Token, ...]:
    """A plain token per whitespace-separated word, and a word's trailing marks (`.`, `?`, `!`, `...`,
    `,`, `;`, `:`) as a punctuation token of their own; the dot of an abbreviation (Dr.) or an
    initial (J.) stays with its word."""
    tokens: list[Token] = []
    for match in _WORD.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        marks = _TRAILING_MARKS.search(word)
        if marks is not None and marks.group() == "." and _keeps_its_dot(word[:-1]):
            marks = None
        cut = end - len(marks.group()) if marks is not None and marks.start() > 0 else end
        tokens.append(Token(text[start:cut], start, cut, PLAIN))
        if cut < end:
            mark = text[cut:end]
            tokens.append(Token(_one_mark(mark), cut, end, PUNCT))
    return tuple(tokens)


def _one_mark(marks: str) -> str:
    """The one mark a run of them is spoken as: an ellipsis, else the strongest sentence end in the
    run (`?` over `!` over `.`: "Really?." is a question), else the first clause mark."""
    if marks in ("...", "…"):
        return "..."
    return next((mark for mark in "?!." if mark in marks), marks[0])


def _keeps_its_dot(word: str) -> bool:
    bare = word.lower()
    return bare in _KEEPS_ITS_DOT or (len(word) == 1 and word.isalpha())
