"""The language-neutral pass for languages without their own normaliser.

Digits are read by num2words when it supports the language (`num2words(n, lang="fr")`), words and
everything else are kept as written. Punctuation, markup and unreadable characters are handled exactly
as in English, so the coverage contract holds for every language.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mynah.text.normalize.common import ANY, PUNCTUATION, WHITESPACE
from mynah.text.normalize.context import Context, Rule, Tokenizer
from mynah.text.normalize.markup import mask, unmasked
from mynah.text.normalize.model import CARDINAL, DECIMAL, MARKUP, NormalizedText

_MAX_DIGITS = 15


def num2words_language(language: str) -> str | None:
    """The num2words code for a BCP-47 tag ("pt-BR" -> "pt_BR", "fr-CA" -> "fr"), or None."""
    from num2words import CONVERTER_CLASSES

    parts = language.strip().replace("-", "_").split("_")
    if not parts or not parts[0]:
        return None
    base = parts[0].lower()
    if len(parts) > 1:
        full = f"{base}_{parts[1].upper()}"
        if full in CONVERTER_CLASSES:
            return full
    return base if base in CONVERTER_CLASSES else None


@lru_cache(maxsize=4096)
def _say(value: str, lang: str) -> str:
    from num2words import num2words

    try:
        if "." in value:
            return str(num2words(float(value), lang=lang))
        return str(num2words(int(value), lang=lang))
    except (NotImplementedError, OverflowError, ValueError, ArithmeticError):
        return value


class NeutralNormalizer:
    """Digits through num2words (when it knows the language); all else verbatim."""

    def __init__(self, language: str) -> None:
        self._language = language
        self._lang = num2words_language(language)
        lang = self._lang

        def number(m: re.Match[str], ctx: Context) -> None:
            text = m.group()
            if lang is None or len(text) > _MAX_DIGITS or not text.isascii():
                ctx.plain(m.start(), m.end())
                return
            category = DECIMAL if "." in text else CARDINAL
            if not ctx.on(category):
                ctx.plain(m.start(), m.end())
                return
            ctx.word(_say(text, lang), m.start(), m.end(), category)

        def word(m: re.Match[str], ctx: Context) -> None:
            ctx.plain(m.start(), m.end())

        self._tokenizer = Tokenizer(
            [
                WHITESPACE,
                Rule("number", frozenset(), re.compile(r"\d+(?:\.\d+)?(?![\d.]\d)"), number, False),
                Rule("word", frozenset(), re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*"), word, False),
                PUNCTUATION,
                ANY,
            ]
        )

    @property
    def language(self) -> str:
        return self._language

    def normalize(self, text: str, *, categories: frozenset[str]) -> NormalizedText:
        masked = mask(text) if MARKUP in categories else unmasked(text)
        ctx = Context(text, masked, categories)
        self._tokenizer.run(ctx)
        tokens, unspoken = ctx.finish(masked.masks)
        return NormalizedText(text, tokens, unspoken, self._language)
