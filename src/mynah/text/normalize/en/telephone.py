"""Telephone numbers, read digit by digit in their groups, with commas between groups for pauses:
"(555) 123-4567" -> "five five five, one two three, four five six seven",
"+44 20 7946 0958" -> "plus four four, two zero, seven nine four six, zero nine five eight",
"1-800-555-0100" -> "one, eight hundred, five five five, zero one zero zero".

A toll-free "800" area code reads "eight hundred". A bare "555-0123" is a phone number unless both
sides are round numbers ("100-1000" is a range).
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.en.acronyms import read_caps
from mynah.text.normalize.model import RANGE, TELEPHONE

_GROUP = re.compile(r"\d+|[A-Z]{2,}|\+")


def read_phone(text: str) -> str:
    groups: list[str] = []
    plus = False
    for m in _GROUP.finditer(text):
        g = m.group()
        if g == "+":
            plus = True
            continue
        if g == "800" and len(groups) <= 1:
            groups.append("eight hundred")
        elif g.isdecimal():
            groups.append(numwords.digits(g))
        else:
            groups.append(read_caps(g) or g.lower())
        if plus:
            groups[-1] = "plus " + groups[-1]
            plus = False
    return ", ".join(groups)


def _phone(m: re.Match[str], ctx: Context) -> None:
    text = m.group()
    if m.group("local"):
        a, b = m.group("la"), m.group("lb")
        if int(a) % 10 == 0 and int(b) % 10 == 0 and int(a) < int(b):
            from mynah.text.normalize.en.numbers import RANGE_RULE

            own = RANGE_RULE.pattern.match(ctx.view, m.start())
            if own is not None and own.end() == m.end():
                RANGE_RULE.handle(own, ctx)
                return
    if not ctx.on(TELEPHONE):
        ctx.verbatim(m.start(), m.end())
        return
    ctx.word(read_phone(text), m.start(), m.end(), TELEPHONE)


PHONE_RULE = Rule(
    "phone",
    frozenset({TELEPHONE, RANGE}),
    re.compile(
        r"(?<![\w+.-])(?:"
        # international: +CC then 2-5 groups, at least 7 digits in all
        r"\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?)(?=(?:[ .-]?\(?\d){6})(?:[ .-]?\(?\d{1,5}\)?){1,5}"
        # North American with optional leading 1
        r"|(?:1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}"
        r"|(?:1(?P<s0>[-.]))?\d{3}(?P<s1>[-.])\d{3}(?P=s1)\d{4}(?:(?P=s1)\d{1,4})?"
        r"|1-8\d\d-(?:[A-Z]{2,}|\d{3})(?:-[A-Z\d]+)+"
        r"|(?P<local>(?P<la>[2-9]\d{2})-(?P<lb>\d{4}))"
        r")(?![\w-])"
    ),
    _phone,
)
