"""The English normaliser: one tokenising pass over an ordered list of rules.

Order matters: at each position the first rule that matches wins, so the specific readings (URLs,
phone numbers, times, dates, money, measures) come before the general ones (numbers, words, symbols).
"""

from __future__ import annotations

from mynah.text.normalize.common import ANY, NON_SPEECH, PUNCTUATION, WHITESPACE, report_non_speech
from mynah.text.normalize.context import Context, Rule, Tokenizer
from mynah.text.normalize.en.abbreviations import ABBREVIATION_RULE, DOTTED_LETTERS, INITIAL
from mynah.text.normalize.en.dates import DECADE, ERA, NAMED_DATE, NUMERIC_DATE
from mynah.text.normalize.en.electronic import ELECTRONIC_RULE
from mynah.text.normalize.en.measures import FEET_INCHES, MEASURE_RULE, SPACED_PATTERN
from mynah.text.normalize.en.money import MONEY_RULE
from mynah.text.normalize.en.numbers import (
    DOTTED,
    FRACTION_RULE,
    NUMBER,
    ORDINAL_RULE,
    RANGE_RULE,
    RATIO,
    dimensions_rule,
)
from mynah.text.normalize.en.plain import CODE_RULE, FAST_WORD, FIXED_RULE, SYMBOL_RULE, WORD
from mynah.text.normalize.en.roman import ROMAN_RULE
from mynah.text.normalize.en.slips import (
    DIRECTION_RULE,
    INCHES_RULE,
    QUARTER_RULE,
    RATE_RULE,
    SSN_RULE,
    STATE_ZIP_RULE,
    WORD_SLASH,
)
from mynah.text.normalize.en.telephone import PHONE_RULE
from mynah.text.normalize.en.times import TIME_RULE
from mynah.text.normalize.markup import mask, unmasked
from mynah.text.normalize.model import MARKUP, NormalizedText

RULES: tuple[Rule, ...] = (
    WHITESPACE,
    FAST_WORD,
    NON_SPEECH,
    FIXED_RULE,
    ELECTRONIC_RULE,
    QUARTER_RULE,
    SSN_RULE,
    STATE_ZIP_RULE,
    PHONE_RULE,
    TIME_RULE,
    RATIO,
    NUMERIC_DATE,
    NAMED_DATE,
    DECADE,
    ERA,
    MONEY_RULE,
    dimensions_rule(SPACED_PATTERN),
    FEET_INCHES,
    INCHES_RULE,
    MEASURE_RULE,
    RANGE_RULE,
    FRACTION_RULE,
    ORDINAL_RULE,
    DOTTED,
    CODE_RULE,
    NUMBER,
    DIRECTION_RULE,
    INITIAL,
    ROMAN_RULE,
    ABBREVIATION_RULE,
    DOTTED_LETTERS,
    WORD,
    PUNCTUATION,
    RATE_RULE,
    WORD_SLASH,
    SYMBOL_RULE,
    ANY,
)


class EnglishNormalizer:
    """English text normalisation (US readings)."""

    def __init__(self) -> None:
        self._tokenizer = Tokenizer(RULES)

    @property
    def language(self) -> str:
        return "en"

    def normalize(self, text: str, *, categories: frozenset[str]) -> NormalizedText:
        masked = mask(text) if MARKUP in categories else unmasked(text)
        ctx = Context(text, masked, categories)
        self._tokenizer.run(ctx)
        tokens, unspoken = report_non_speech(text, *ctx.finish(masked.masks))
        return NormalizedText(text, tokens, unspoken, "en")
