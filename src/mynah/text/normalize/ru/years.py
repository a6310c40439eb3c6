"""Russian years: an ordinal in the case of "год" after it or of the preposition before it.

- One year: "в 2024 году" -> "в две тысячи двадцать четвёртом году", "к 2030 г." -> "к две тысячи
  тридцатому году".
- Two years joined by "по", "до", "и", "или" or a dash before one "год": each year takes its own case
  ("с 2010 по 2020 год" -> "с две тысячи десятого по две тысячи двадцатый год": "с" the genitive, "по"
  the accusative of "год"), and the ordinals stay singular before a plural "годы" ("в 1941–1945 годах"
  -> "в тысяча девятьсот сорок первом, тысяча девятьсот сорок пятом годах").
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.language import Language
from mynah.text.normalize.intl.numbers import SPACE
from mynah.text.normalize.intl.slavic import emit_year, year_rule
from mynah.text.normalize.model import DATE

GENITIVE_PREPOSITIONS = frozenset({"с", "до", "от", "после", "около", "со", "из", "для", "без", "кроме"})

_WRITTEN_CASE = {
    "году": "m_pre",
    "года": "m_gen",
    "год": "m_nom",
    "годом": "m_ins",
    "годах": "m_pre",
    "годы": "m_nom",
    "годов": "m_gen",
    "годам": "m_dat",
    "годами": "m_ins",
}
"""The year's case before each written form of "год" (singular, as one year is: "в 1990 и 2000 годах"
-> "в тысяча девятьсот девяностом и двухтысячном годах")."""
_ONE_YEAR = {"m_pre": "году", "m_dat": "году", "m_gen": "года", "m_nom": "год", "m_ins": "годом"}
""""г." spoken in the case its year is in."""
_YEARS = {"m_pre": "годах", "m_dat": "годам", "m_gen": "годов", "m_nom": "годы", "m_ins": "годами"}
""""гг." spoken in the case its years are in."""
_YEAR_WORDS = r"г\.|гг\.|годами|годам|годах|годов|годы|годом|году|года|год"


def case_after(prev: str) -> str:
    """The case a preposition gives the year after it ("в 2024 г." prepositional)."""
    if prev in ("в", "во", "о", "об", "на", "при"):
        return "m_pre"
    if prev in ("к", "ко"):
        return "m_dat"
    if prev in GENITIVE_PREPOSITIONS:
        return "m_gen"
    if prev in ("между", "над", "перед"):
        return "m_ins"
    return "m_nom"


def _second_case(written: str, joiner: str, first_prev: str) -> str:
    """The case of the year just before the year word `written`, `joiner` the word before that year
    ("по", "и", or "" for a dash or none) and `first_prev` the word before the first year."""
    if joiner == "до":
        return "m_gen"
    if written in ("г.", "гг."):
        return "m_nom" if joiner == "по" else case_after(first_prev)
    if written == "году" and joiner in ("к", "ко", "по"):
        return "m_dat"
    return _WRITTEN_CASE[written]


def _word_for(written: str, case: str) -> str:
    if written == "г.":
        return _ONE_YEAR.get(case, "год")
    if written == "гг.":
        return _YEARS.get(case, "годы")
    return written


def year_rules(lang: Language) -> list[Rule]:
    return [_year_range_rule(lang), year_rule("ruyear", lang, _YEAR_WORDS, _one_year)]


def _year_range_rule(lang: Language) -> Rule:
    """ "с 2010 по 2020 год", "в 1990–2000 годах", "между 2010 и 2020 гг.": two years before one year
    word, the first in the case of its preposition (else the word's), the second in the word's."""
    pattern = re.compile(
        rf"(?<![\w.,])(?P<a>\d{{3,4}})(?:{SPACE}+(?P<j>по|до|и|или){SPACE}+|{SPACE}?(?P<dash>[–—-]){SPACE}?)"
        rf"(?P<b>\d{{3,4}}){SPACE}(?P<w>{_YEAR_WORDS})(?![\w])"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(DATE):
            ctx.verbatim(m.start(), m.end())
            return
        prev = ctx.prev_word().lower()
        joiner = m.group("j") or ""
        written = m.group("w")
        second = _second_case(written, joiner, prev)
        first = case_after(prev)
        if first == "m_nom":  # no preposition: both in the word's case ("2010–2020 годы")
            first = second
        ctx.word(lang.ordinal(int(m.group("a")), first), m.start("a"), m.end("a"), DATE)
        if joiner:
            ctx.plain(m.start("j"), m.end("j"))
        else:
            ctx.punct(",", m.start("dash"), m.end("dash"))
        spoken = f"{lang.ordinal(int(m.group('b')), second)} {_word_for(written, second)}"
        emit_year(ctx, spoken, m.start("b"), m.end())

    return Rule("ruyearrange", frozenset({DATE}), pattern, handle)


def _one_year(written: str, ctx: Context) -> tuple[str, str]:
    """ "в 2024 году", "2024 год", "к 2030 г.": the case of "год", or of the word before "г."."""
    prev = ctx.prev_word().lower()
    case = case_after(prev) if written in ("г.", "гг.") else _WRITTEN_CASE[written]
    if written == "году" and prev in ("к", "ко", "по"):
        case = "m_dat"
    return case, _word_for(written, case)
