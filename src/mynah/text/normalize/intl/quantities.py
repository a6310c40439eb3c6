"""Rules for numbers and what they count: money, measures and percentages, ranges, fractions, phone
numbers and plain numbers, built from one `Language`.

Each rule emits one token for its whole match, so the token's span is exactly the characters it reads.
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.language import Language, Noun
from mynah.text.normalize.intl.numbers import SPACE, VULGAR, alternation, number_pattern, parse, say
from mynah.text.normalize.model import CARDINAL, DECIMAL, FRACTION, MEASURE, MONEY, RANGE, TELEPHONE

_BEFORE = r"(?<![\w.,])"
_AFTER = r"(?![\w]|[.,]\d)"


def _emit(ctx: Context, m: re.Match[str], spoken: str, category: str) -> None:
    if ctx.on(category):
        ctx.word(spoken, m.start(), m.end(), category)
    else:
        ctx.verbatim(m.start(), m.end())


def money_rule(lang: Language) -> Rule:
    num = number_pattern(lang)
    cur = alternation(list(lang.currencies))
    scale = alternation(list(lang.scales))
    pattern = re.compile(
        rf"{_BEFORE}(?:(?P<a>{num})(?:[.,][-–]{{1,2}})?{SPACE}?(?:(?P<s>{scale}){SPACE}?)?(?P<c>{cur})"
        rf"|(?P<c2>{cur}){SPACE}?(?P<a2>{num})(?:{SPACE}?(?P<s2>{scale}))?{_AFTER})"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        amount = parse(m.group("a") or m.group("a2"), lang)
        currency = lang.currencies[m.group("c") or m.group("c2")]
        scale_text = m.group("s") or m.group("s2")
        if scale_text:
            power, noun = lang.scales[scale_text]
            spoken = lang.scaled(say(amount, lang), noun, amount.whole, amount.fractional)
            word = currency.major.form(lang.plural_index(10**power))
            spoken = f"{spoken} {lang.of_link(word) if power >= 6 else ''}{word}"
        elif amount.frac and len(amount.frac) <= 2:
            cents = int(amount.frac.ljust(2, "0"))
            spoken = lang.money(amount.whole, cents, currency)
        elif amount.frac:
            spoken = lang.count_decimal(amount.whole, amount.frac, currency.major)
        else:
            spoken = lang.money(amount.whole, None, currency)
            spoken = lang.governed(spoken, amount.whole, currency.major, ctx.prev_word().lower())
        end = m.end()
        if m.group("c") and m.group("c").endswith(".") and ctx.on(MONEY) and ctx.sentence_ends_after(end):
            ctx.word(spoken, m.start(), end - 1, MONEY)  # "125 kr. Toget ...": the dot also ends the sentence
            ctx.punct(".", end - 1, end)
            return
        _emit(ctx, m, spoken, MONEY)

    return Rule("money", frozenset({MONEY}), pattern, handle)


def counted_nouns(lang: Language) -> dict[str, Noun]:
    """Unit abbreviations, and every written form of the unit and currency nouns ("21 kilómetros")."""
    nouns: dict[str, Noun] = {}
    for noun in [*lang.units.values(), *(c.major for c in lang.currencies.values())]:
        for form in noun.forms:
            if form.isalpha():
                nouns.setdefault(form, noun)
    nouns.update(lang.units)
    return nouns


def measure_rule(lang: Language) -> Rule:
    num = number_pattern(lang)
    nouns = counted_nouns(lang)
    ordinary = {form: noun for noun in lang.nouns for form in noun.forms}
    nouns.update({form: noun for form, noun in ordinary.items() if form not in nouns})
    unit = alternation(list(nouns))
    pattern = re.compile(
        rf"{_BEFORE}(?P<neg>[-−])?(?P<a>{num})(?:{SPACE}?[-–]{SPACE}?(?P<b>{num}))?{SPACE}?(?P<u>{unit})"
        r"(?![^\W_])"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        noun = nouns[m.group("u")]
        a = parse(m.group("a"), lang)
        if m.group("u") in ordinary and not m.group("b") and not m.group("neg") and not a.frac:
            # an ordinary noun: the number agrees with it, the noun is read as written
            words = lang.governed(lang.count(a.whole, noun), a.whole, noun, ctx.prev_word().lower())
            number = words[: len(words) - len(noun.form(lang.plural_index(a.whole)))].rstrip()
            if ctx.on(CARDINAL):
                ctx.word(number or say(a, lang), m.start("a"), m.end("a"), CARDINAL)
            else:
                ctx.verbatim(m.start("a"), m.end("a"))
            ctx.plain(m.start("u"), m.end("u"))
            return
        if m.group("neg"):
            a = type(a)(a.whole, a.frac, True)
        if m.group("b"):
            b = parse(m.group("b"), lang)
            b_words = lang.agree(say(b, lang), b.whole, noun) if not b.frac else say(b, lang)
            a_words = lang.agree(say(a, lang), a.whole, noun) if not a.frac else say(a, lang)
            spoken = f"{lang.range(a_words, b_words, a.whole, b.whole)} {lang.range_noun(noun, b.whole, b.fractional)}"
        elif a.frac:
            spoken = lang.count_decimal(a.whole, a.frac, noun)
            spoken = lang.governed(spoken, a.whole, noun, ctx.prev_word().lower(), fractional=True)
            if a.negative:
                spoken = f"{lang.minus} {spoken}"
        else:
            spoken = lang.governed(lang.count(a.whole, noun), a.whole, noun, ctx.prev_word().lower())
            if a.negative:
                spoken = f"{lang.minus} {spoken}"
        _emit(ctx, m, spoken, MEASURE)

    return Rule("measure", frozenset({MEASURE}), pattern, handle)


def range_rule(lang: Language) -> Rule:
    pattern = re.compile(rf"{_BEFORE}(?P<a>\d{{1,6}}){SPACE}?[-–]{SPACE}?(?P<b>\d{{1,6}}){_AFTER}")

    def handle(m: re.Match[str], ctx: Context) -> None:
        a, b = int(m.group("a")), int(m.group("b"))
        if len(m.group("a")) == 4 and len(m.group("b")) == 4:
            spoken = lang.range(lang.year(a), lang.year(b), a, b)
        else:
            spoken = lang.range(lang.cardinal(a), lang.cardinal(b), a, b)
        _emit(ctx, m, spoken, RANGE)

    return Rule("range", frozenset({RANGE}), pattern, handle)


def fraction_rule(lang: Language) -> Rule:
    vulgar = "[" + "".join(VULGAR) + "]"
    pattern = re.compile(
        rf"{_BEFORE}(?:(?P<w>\d+){SPACE}?)?(?:(?P<v>{vulgar})|(?P<n>\d{{1,2}})/(?P<d>[2-9]|10)(?![\d/]))"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        num, den = VULGAR[m.group("v")] if m.group("v") else (int(m.group("n")), int(m.group("d")))
        whole = m.group("w")
        spoken = lang.mixed(int(whole), num, den) if whole else lang.fraction(num, den)
        _emit(ctx, m, spoken, FRACTION)

    return Rule("fraction", frozenset({FRACTION}), pattern, handle)


_PHONE_GROUP = re.compile(r"\d+")


def phone_rule(lang: Language) -> Rule:
    """International (`+49 30 1234567`) or trunk-prefixed (`030 1234 5678`, `(11) 98765-4321`)."""
    sep = r"[ \u00a0./-]"
    pattern = re.compile(
        r"(?<![\w+.,])(?:(?P<plus>\+)\d{1,3}(?:" + sep + r"?\(0\))?(?:" + sep + r"?\(?\d{1,5}\)?)+"
        r"|\(0?\d{1,4}\)" + sep + r"?\d{2,5}(?:" + sep + r"\d{2,5})+"
        r"|0\d{1,4}" + sep + r"\d{2,8}(?:" + sep + r"\d{2,5})*)(?![\w]|[.,]\d)"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        text = m.group()
        if sum(c.isdecimal() for c in text) < 7:
            ctx.verbatim(m.start(), m.end()) if not ctx.on(CARDINAL) else _number_words(m, ctx, lang)
            return
        groups = [g.group() for g in _PHONE_GROUP.finditer(text.replace("(0)", ""))]
        words = [lang.phone_group(g) for g in groups]
        if m.group("plus"):
            words[0] = f"{lang.plus_word} {lang.cardinal(int(groups[0]))}"
        _emit(ctx, m, " ".join(words), TELEPHONE)

    return Rule("phone", frozenset({TELEPHONE}), pattern, handle)


def _number_words(m: re.Match[str], ctx: Context, lang: Language) -> None:
    pos = m.start()
    for g in _PHONE_GROUP.finditer(m.group()):
        start, end = m.start() + g.start(), m.start() + g.end()
        if start > pos:
            ctx.silent(pos, start)
        ctx.word(lang.cardinal(int(g.group())), start, end, CARDINAL)
        pos = end
    if pos < m.end():
        ctx.silent(pos, m.end())


def number_rule(lang: Language) -> Rule:
    pattern = re.compile(rf"(?<![\w.,])(?P<neg>[-−](?=\d))?{number_pattern(lang)}(?![\d])")

    def handle(m: re.Match[str], ctx: Context) -> None:
        number = parse(m.group(), lang)
        category = DECIMAL if number.frac else CARDINAL
        if not ctx.on(category):
            ctx.verbatim(m.start(), m.end())
            return
        digits = m.group().lstrip("-−")
        if len(digits) > 1 and digits[0] == "0" and not number.frac:
            spoken = lang.digits(digits)  # "007", postcodes and codes with a leading zero
        elif len(digits) > 15 and not number.frac:
            spoken = lang.digits(digits)
        elif not number.frac and len(digits) == 4 and 1000 <= number.whole <= 2099 and not number.negative:
            spoken = lang.four_digits(number.whole, ctx.prev_word().lower(), ctx.next_word(m.end()))
        else:
            spoken = say(number, lang)
        ctx.word(spoken, m.start(), m.end(), category)

    return Rule("number", frozenset({CARDINAL, DECIMAL}), pattern, handle)
