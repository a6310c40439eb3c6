"""`RuleNormalizer`: one `Language` turned into the ordered rules of the single tokenising pass.

Order matters (the first rule matching at a position wins): phone numbers, times and dates before
money and measures, those before bare ranges, fractions, ordinals and numbers; abbreviations and Roman
numerals before plain words.
"""

from __future__ import annotations

from collections.abc import Sequence

from mynah.text.normalize.common import ANY, NON_SPEECH, PUNCTUATION, WHITESPACE, report_non_speech
from mynah.text.normalize.context import Context, Rule, Tokenizer
from mynah.text.normalize.intl.calendar import (
    day_range_rule,
    named_date_rules,
    numeric_date_rule,
    ordinal_rule,
    time_rule,
)
from mynah.text.normalize.intl.language import Language
from mynah.text.normalize.intl.quantities import (
    fraction_rule,
    measure_rule,
    money_rule,
    number_rule,
    phone_rule,
    range_rule,
)
from mynah.text.normalize.intl.words import abbreviation_rule, roman_rule, symbol_rule, word_rule
from mynah.text.normalize.markup import mask, unmasked
from mynah.text.normalize.model import MARKUP, NormalizedText


def build_rules(lang: Language) -> list[Rule]:
    ordinal = ordinal_rule(lang)
    day_range = day_range_rule(lang)
    rules: list[Rule] = [
        WHITESPACE,
        NON_SPEECH,
        *lang.early_rules(),
        *([day_range] if day_range is not None else []),
        numeric_date_rule(lang),
        phone_rule(lang),
        time_rule(lang),
        *named_date_rules(lang),
        *([ordinal] if ordinal is not None else []),
        money_rule(lang),
        measure_rule(lang),
        range_rule(lang),
        fraction_rule(lang),
        *lang.late_rules(),
        number_rule(lang),
        abbreviation_rule(lang),
        roman_rule(lang),
        word_rule(),
        symbol_rule(lang),
        PUNCTUATION,
        ANY,
    ]
    return rules


class RuleNormalizer:
    """The normaliser of one language other than English."""

    def __init__(self, lang: Language, rules: Sequence[Rule] | None = None) -> None:
        self._lang = lang
        self._tokenizer = Tokenizer(rules if rules is not None else build_rules(lang))

    @property
    def language(self) -> str:
        return self._lang.code

    def normalize(self, text: str, *, categories: frozenset[str]) -> NormalizedText:
        masked = mask(text) if MARKUP in categories else unmasked(text)
        ctx = Context(text, masked, categories)
        self._tokenizer.run(ctx)
        tokens, unspoken = report_non_speech(text, *ctx.finish(masked.masks))
        return NormalizedText(text, tokens, unspoken, self._lang.code)


LANGUAGES: dict[str, str] = {
    code: f"mynah.text.normalize.{code}.language"
    for code in ("cs", "da", "de", "es", "fi", "fr", "it", "nb", "nl", "pl", "pt", "ru", "sv", "tr", "uk")
}
LANGUAGES["no"] = LANGUAGES["nb"]  # "no" (Norwegian) is read as Bokmål, as espeak-ng's "nb" voice speaks it
"""Languages with their own rules -> the module defining their `LANGUAGE`."""


class LazyNormalizer:
    """Imports a language's module and compiles its rules on first use."""

    def __init__(self, code: str, module: str) -> None:
        self._code = code
        self._module = module
        self._built: RuleNormalizer | None = None

    @property
    def language(self) -> str:
        return self._code

    def normalize(self, text: str, *, categories: frozenset[str]) -> NormalizedText:
        if self._built is None:
            import importlib

            lang = importlib.import_module(self._module).LANGUAGE
            self._built = RuleNormalizer(lang)
        return self._built.normalize(text, categories=categories)


def language_normalizers() -> list[LazyNormalizer]:
    return [LazyNormalizer(code, module) for code, module in LANGUAGES.items()]
