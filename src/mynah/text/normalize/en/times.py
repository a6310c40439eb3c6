"""Clock times: "3:30 p.m." -> "three thirty p m", "15:45" -> "fifteen forty five", "10am" -> "ten a m",
"3:00" -> "three o'clock", "9:05" -> "nine oh five", "2pm-5pm" -> "two p m to five p m",
"1:59 p.m. EST" -> "one fifty nine p m e s t", "14:10:30" -> "fourteen hours ten minutes and thirty
seconds". Time zones are spelled letter by letter.
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.model import TIME

_AMPM = r"[AaPp]\.?[ \t]?[Mm](?:\.(?![\w]))?(?![A-Za-z])"
_ZONES = (
    r"[ECMP][SD]?T|AK[SD]T|H[SD]T|UTC|GMT|BST|CET|CEST|EET|EEST|IST|JST|KST|AEST|AEDT|ACST|AWST|NZST|NZDT"
    r"|WET|WEST|MSK|SGT|HKT|[ecmp]\.?[sd]\.?t\.?(?![\w])|E\.S\.T\.?|P\.S\.T\.?"
)


def _tz(name: str) -> str:
    return r"(?:[ \t]?\(?(?P<" + name + r">(?:" + _ZONES + r")(?:[+-]\d{1,2}(?::?\d{2})?)?)\)?)?(?![\w])"


def _minutes(m: int) -> str:
    return "oh " + numwords.DIGITS[m] if m < 10 else numwords.cardinal(m)


def clock(h: int, m: int, ampm: str | None) -> str:
    """Hours and minutes: "three thirty", "three o'clock", "three" (before a m / p m)."""
    if m == 0:
        if ampm:
            return numwords.cardinal(h)
        if h == 0:
            return "midnight"
        return numwords.cardinal(h) + " o'clock"
    return f"{numwords.cardinal(h)} {_minutes(m)}"


def _unit(n: int, word: str) -> str:
    return f"{numwords.cardinal(n)} {word}{'' if n == 1 else 's'}"


def _ampm(raw: str | None) -> str | None:
    if not raw:
        return None
    return "a m" if raw[0] in "Aa" else "p m"


def _zone(raw: str | None) -> str:
    if not raw:
        return ""
    words = []
    for piece in re.finditer(r"[A-Za-z]|\d+|[+-]", raw):
        p = piece.group()
        if p.isdecimal():
            words.append(numwords.cardinal(int(p)))
        elif p in "+-":
            words.append("plus" if p == "+" else "minus")
        else:
            words.append(p.lower())
    return " " + " ".join(words)


def reading(h: int, m: int, s: int | None, ampm_raw: str | None) -> str | None:
    ampm = _ampm(ampm_raw)
    if m > 59 or (s is not None and s > 59):
        return None
    if ampm and not 0 <= h <= 12:
        return None
    if h > 24:
        return None
    if s is not None:
        spoken = f"{_unit(h, 'hour')} {_unit(m, 'minute')} and {_unit(s, 'second')}"
    else:
        spoken = clock(h, m, ampm)
    return f"{spoken} {ampm}" if ampm else spoken


def _time(m: re.Match[str], ctx: Context) -> None:
    g = m.group
    start, end = m.start(), m.end()
    if g("h") is not None:
        spoken = reading(int(g("h")), int(g("m")), int(g("s")) if g("s") else None, g("ampm"))
        zone = g("tz")
    else:
        spoken = reading(int(g("h2")), int(g("m2") or 0), None, g("ampm2"))
        zone = g("tz2")
    n = "3" if g("h3") is not None else "4"
    if spoken is not None and g("h" + n) is not None:
        ampm3 = g("ampm" + n)
        second = reading(int(g("h" + n)), int(g("m" + n) or 0), None, ampm3)
        if second is None or (g("m" + n) is None and ampm3 is None):
            spoken = None
        else:
            spoken = f"{spoken} to {second}"
    if spoken is None or not ctx.on(TIME):
        ctx.verbatim(start, end)
        return
    spoken += _zone(zone)
    text = m.group()
    if text.endswith(".") and ctx.sentence_ends_after(end):
        ctx.word(spoken, start, end - 1, TIME)
        ctx.punct(".", end - 1, end)
        return
    ctx.word(spoken, start, end, TIME)


def _range_end(n: str) -> str:
    return (
        r"(?:[ \t]?[-–][ \t]?(?P<h" + n + r">\d{1,2})(?::(?P<m" + n + r">[0-5]\d))?"
        r"(?:[ \t]?(?P<ampm" + n + r">" + _AMPM + r"))?(?![\w:]))?"
    )


TIME_RULE = Rule(
    "time",
    frozenset({TIME}),
    re.compile(
        r"(?<![\w:.,])(?:"
        r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?![\d:])(?:[ \t]?(?P<ampm>"
        + _AMPM
        + r"))?"
        + _tz("tz")
        + _range_end("3")
        + r"|(?P<h2>\d{1,2})(?:[.:](?P<m2>\d{2}))?[ \t]?(?P<ampm2>"
        + _AMPM
        + r")"
        + _tz("tz2")
        + _range_end("4")
        + r")"
    ),
    _time,
)
