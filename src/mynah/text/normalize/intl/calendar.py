"""Rules for dates, times and ordinals, built from one `Language`."""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.language import Language
from mynah.text.normalize.intl.numbers import SPACE, alternation
from mynah.text.normalize.model import DATE, ORDINAL, TIME


def roman_value(s: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, c in enumerate(s):
        v = values[c]
        total += -v if i + 1 < len(s) and values[s[i + 1]] > v else v
    return total


def _emit(ctx: Context, m: re.Match[str], spoken: str, category: str) -> None:
    if ctx.on(category):
        ctx.word(spoken, m.start(), m.end(), category)
    else:
        ctx.verbatim(m.start(), m.end())


def month_table(lang: Language) -> dict[str, int]:
    """Every written form of every month (and the form without its dot) -> month number."""
    table: dict[str, int] = {}
    for i, forms in enumerate(lang.months, start=1):
        for form in forms.split("|"):
            table[form] = i
            table[form.capitalize()] = i
    return table


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 50 else 1900
    return y


def numeric_date_rule(lang: Language) -> Rule:
    """ "03.05.2024", "3/5/24" (day first), "2024-05-03" (ISO); day and month alone as "24.12." or
    "24/12" (a slash only where it cannot be a fraction: the day or the month above ten)."""
    seps = "[" + re.escape(lang.date_separators) + "]"
    pattern = re.compile(
        r"(?<![\w.,/-])(?:(?P<d>0?[1-9]|[12]\d|3[01])(?P<s>" + seps + r")(?P<m>0?[1-9]|1[0-2])(?P=s)"
        r"(?P<y>\d{4}|\d{2})"
        r"|(?P<iy>[12]\d{3})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])"
        + (
            r"|(?P<dd>0?[1-9]|[12]\d|3[01])\.(?P<dm>0?[1-9]|1[0-2])(?P<dot>\.)"
            if "." not in lang.bare_time_separators  # "8.05." is a time where "." separates hours
            else r"|(?P<dd>(?!))(?P<dm>(?!))(?P<dot>(?!))"
        )
        + r"|(?P<sd>[12]\d|3[01])/(?P<sm>0?[1-9]|1[0-2])|(?P<sd2>0?[1-9])/(?P<sm2>1[0-2]))(?![\w]|[.,/-]\d)"
        rf"(?:{SPACE}(?:{lang.year_words})(?![\w]))?"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        prev = ctx.prev_word().lower()
        end = m.end()
        year: int | None
        if m.group("d"):
            day, month, year = int(m.group("d")), int(m.group("m")), _year(m.group("y"))
        elif m.group("iy"):
            day, month, year = int(m.group("id")), int(m.group("im")), int(m.group("iy"))
        else:
            day = int(m.group("dd") or m.group("sd") or m.group("sd2"))
            month = int(m.group("dm") or m.group("sm") or m.group("sm2"))
            year = None
            if m.group("dot") and end == m.end("dot") and ctx.sentence_ends_after(end):
                end -= 1  # "Heute ist der 24.12." - the last dot also ends the sentence
        if not ctx.on(DATE):
            ctx.verbatim(m.start(), m.end())
            return
        ctx.word(lang.date(day, month, year, prev), m.start(), end, DATE)
        if end < m.end():
            ctx.punct(".", end, m.end())

    return Rule("numdate", frozenset({DATE}), pattern, handle)


def named_date_rules(lang: Language) -> list[Rule]:
    """ "3. Mai 2024", "1er mai", "3 de mayo de 2024", "1.º de maio"; and "Mai 2024" (month, year)."""
    months = month_table(lang)
    month_alt = alternation(list(months))
    of = rf"(?:{lang.date_of}{SPACE}+)?" if lang.date_of else ""
    day_first = re.compile(
        rf"(?<![\w.,])(?P<d>0?[1-9]|[12]\d|3[01])(?P<mk>{lang.day_marker})?{SPACE}+{of}(?P<mon>{month_alt})"
        rf"(?:{SPACE}+{of}(?P<y>\d{{4}})(?![\w]|[.,]\d)(?:{SPACE}(?:{lang.year_words})(?![\w]))?)?"
    )
    of_named = rf"(?:(?P<of>{lang.date_of}){SPACE}+)?" if lang.date_of else "(?P<of>(?!))?"
    month_first = re.compile(rf"(?<![\w])(?P<mon>{month_alt}){SPACE}+{of_named}(?P<y>\d{{4}})(?![\w]|[.,]\d)")

    def day_first_handle(m: re.Match[str], ctx: Context) -> None:
        year = m.group("y")
        spoken = lang.date(
            int(m.group("d")),
            months[m.group("mon")],
            int(year) if year else None,
            ctx.prev_word().lower(),
            m.group("mk") or "",
        )
        _emit(ctx, m, spoken, DATE)

    def month_first_handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(DATE):
            ctx.verbatim(m.start(), m.end())
            return
        ctx.word(lang.month(months[m.group("mon")]), m.start(), m.end("mon"), DATE)
        if m.group("of"):
            ctx.plain(m.start("of"), m.end("of"))
        ctx.word(lang.year(int(m.group("y"))), m.start("y"), m.end(), DATE)

    return [
        Rule("dayfirst", frozenset({DATE}), day_first, day_first_handle),
        Rule("monthfirst", frozenset({DATE}), month_first, month_first_handle),
    ]


def day_range_rule(lang: Language) -> Rule | None:
    """ "с 1 по 5 мая", "od 1 do 5 maja", "od 1. do 5. května": the first day of a range before a month
    is a date too, in the case its own preposition asks for ("с первого по пятое мая"); the second day
    is read by the date rules with the range word before it."""
    if not lang.day_range_words:
        return None
    day = rf"(?:0?[1-9]|[12]\d|3[01])(?:{lang.day_marker})?"
    months = alternation(list(month_table(lang)))
    pattern = re.compile(
        rf"(?<![\w.,])(?P<d>0?[1-9]|[12]\d|3[01])(?P<mk>{lang.day_marker})?"
        rf"(?={SPACE}+(?:{lang.day_range_words}){SPACE}+{day}{SPACE}+(?:{months}))"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        _emit(ctx, m, lang.day(int(m.group("d")), ctx.prev_word().lower(), m.group("mk") or ""), DATE)

    return Rule("dayrange", frozenset({DATE}), pattern, handle)


def time_rule(lang: Language) -> Rule:
    """ "14:30", "14.30 Uhr", "14h30", "14 h", "8 Uhr"."""
    seps = "[" + re.escape(lang.time_separators) + "]"
    words = lang.time_words or "(?!)"
    pattern = re.compile(
        rf"(?<![\w.,:])(?P<h>[01]?\d|2[0-4])(?:(?:{seps}|{SPACE}?h{SPACE}?)(?P<m>[0-5]\d)"
        rf"(?:{SPACE}?(?P<w>{words}))?|{SPACE}?(?P<w2>{words}))(?![\w]|[.,:]\d)"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        text = m.group()
        minutes = m.group("m")
        word = m.group("w") or m.group("w2") or ""
        if minutes is not None and not word:
            sep = text[len(m.group("h")) :].lstrip(" \u00a0\u202f\u2009")[0]
            if sep not in lang.bare_time_separators:  # "14.30" alone may be a decimal
                ctx.verbatim(m.start(), m.end()) if not ctx.on(TIME) else _fallback(m, ctx, lang)
                return
        spoken = lang.time(int(m.group("h")), int(minutes) if minutes else None, word)
        _emit(ctx, m, spoken, TIME)

    return Rule("time", frozenset({TIME}), pattern, handle)


def _fallback(m: re.Match[str], ctx: Context, lang: Language) -> None:
    h, mm = m.group("h"), m.group("m")
    ctx.word(lang.cardinal(int(h)), m.start("h"), m.end("h"), TIME)
    ctx.silent(m.end("h"), m.start("m"))
    ctx.word(lang.cardinal(int(mm)), m.start("m"), m.end("m"), TIME)


def ordinal_rule(lang: Language) -> Rule | None:
    """The language's written ordinals ("3.", "1.º", "1ère", "5-го", "3:e"), when it has them."""
    if not lang.ordinal_pattern:
        return None
    pattern = re.compile(lang.ordinal_pattern)

    def handle(m: re.Match[str], ctx: Context) -> None:
        written = m.group("n")
        n = int(written) if written.isdecimal() else roman_value(written)
        spoken = lang.ordinal_in_context(n, m.group("mk"), ctx.prev_word().lower(), ctx.next_word(m.end()))
        _emit(ctx, m, spoken, ORDINAL)

    return Rule("ordinal", frozenset({ORDINAL}), pattern, handle)
