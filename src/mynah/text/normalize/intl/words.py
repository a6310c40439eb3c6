"""Rules for letters: abbreviations, Roman numerals (centuries, regnal numbers), words and symbols."""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.calendar import roman_value
from mynah.text.normalize.intl.language import Language
from mynah.text.normalize.intl.numbers import SPACE
from mynah.text.normalize.model import ABBREVIATION, PLAIN, ROMAN, SYMBOL

WORD_PATTERN = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
_BEFORE_NUMBER = "#"
"""An abbreviation key ending in this is only expanded before a number ("S. 5", "Nr. 3")."""
_BEFORE_NAME = "^"
"""An abbreviation key ending in this is only expanded before a capitalised word ("M. Dupont")."""
_MARKERS = _BEFORE_NUMBER + _BEFORE_NAME


def _abbreviation_pattern(key: str) -> str:
    before_number = key.endswith(_BEFORE_NUMBER)
    before_name = key.endswith(_BEFORE_NAME)
    key = key.rstrip(_MARKERS)
    pieces = key.split(".")
    body = rf"\.{SPACE}?".join(re.escape(p) for p in pieces[:-1])
    if len(pieces) > 1:
        body += r"\." + re.escape(pieces[-1])
    else:
        body = re.escape(key)
    if key[-1].isalnum():
        body += r"(?![^\W_])"
    if before_number:
        body += rf"(?={SPACE}?\d)"
    if before_name:
        body += rf"(?={SPACE}[A-ZÀ-ÖØ-ÞА-ЯЁ])"
    return body


def abbreviation_rule(lang: Language) -> Rule:
    keys = sorted(lang.abbreviations, key=lambda k: len(k.rstrip(_MARKERS)), reverse=True)
    spoken_by_key = {re.sub(rf"{SPACE}", "", k.rstrip(_MARKERS)): v for k, v in lang.abbreviations.items()}
    pattern = re.compile(
        r"(?<![\w.])(?:" + "|".join(_abbreviation_pattern(k) for k in keys) + ")" if keys else "(?!)"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        text = m.group()
        start, end = m.start(), m.end()
        if not ctx.on(ABBREVIATION):
            ctx.verbatim(start, end)
            return
        spoken = spoken_by_key[re.sub(rf"{SPACE}", "", text)]
        if text.endswith(".") and ctx.sentence_ends_after(end):
            ctx.word(spoken, start, end - 1, ABBREVIATION)
            ctx.punct(".", end - 1, end)
        else:
            ctx.word(spoken, start, end, ABBREVIATION)

    return Rule("abbrev", frozenset({ABBREVIATION}), pattern, handle)


def roman_rule(lang: Language) -> Rule:
    """Roman numerals next to a century word, or after a capitalised name (a ruler, a pope)."""
    century = re.compile(lang.century_words, re.I) if lang.century_words else None
    pattern = re.compile(
        r"(?<![\w'’-])(?=[IVXLCDM])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
        r"(?P<dot>\.(?=" + SPACE + r"[^\W\d_]))?(?![\w'’-])"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        text = m.group().rstrip(".")
        start, end = m.start(), m.end()
        if not ctx.on(ROMAN):
            _plain_word(m, ctx)
            return
        value = roman_value(text)
        prev = ctx.prev_word()
        nxt = ctx.next_word(end)
        if century is not None and (
            century.fullmatch(nxt.rstrip(".")) or century.fullmatch(prev.rstrip("."))
        ):
            word = (nxt if century.fullmatch(nxt.rstrip(".")) else prev).rstrip(".")
            ctx.word(lang.century(value, word.lower(), prev.lower()), start, end, ROMAN)
            return
        bare = prev.replace("-", "")
        regnal = (
            len(bare) >= 2 and bare[0].isupper() and bare.isalpha() and not bare.isupper() and value <= 40
        )
        if regnal and (len(text) > 1 or text in "IV" or prev in lang.rulers):
            before = tuple(w.lower() for w in ctx.prev_words(3)[1:])  # "при королеве Марии I"
            ctx.word(lang.regnal_in_context(value, prev, before, nxt.lower()), start, end, ROMAN)
            return
        _plain_word(m, ctx)

    return Rule("roman", frozenset({ROMAN}), pattern, handle)


def _plain_word(m: re.Match[str], ctx: Context) -> None:
    end = m.end() - 1 if m.group().endswith(".") else m.end()
    ctx.plain(m.start(), end)
    if end < m.end():
        ctx.punct(".", end, m.end())


def word_rule() -> Rule:
    def handle(m: re.Match[str], ctx: Context) -> None:
        ctx.plain(m.start(), m.end())

    return Rule("word", frozenset(), re.compile(WORD_PATTERN), handle, needs_groups=False)


def symbol_rule(lang: Language) -> Rule:
    chars = "".join(lang.symbols)
    pattern = re.compile("[" + re.escape(chars) + "]" if chars else "(?!)")

    def handle(m: re.Match[str], ctx: Context) -> None:
        s = m.group()
        if ctx.on(SYMBOL):
            ctx.word(lang.symbols[s], m.start(), m.end(), SYMBOL)
        else:
            ctx.word(s, m.start(), m.end(), PLAIN)

    return Rule("symbol", frozenset({SYMBOL}), pattern, handle, needs_groups=False)
