"""Times and dates spoken aloud (or half written, as Whisper writes them), read into one written form.

    time_at(tokens, i) -> (text, consumed) | None    "three thirty p m"             -> "3:30 p.m."
    date_at(tokens, i) -> (text, consumed) | None    "march third twenty twenty four" -> "March 3, 2024"

The date forms, each with an optional year after it (spoken "twenty twenty four", "two thousand and
five", or written "2024") and an optional weekday before it ("friday the fourth of october" ->
"Friday, October 4"):

    month day              "march third", "march the third", "december twenty fourth", "March 3rd"
    day of month           "the third of march", "third of march", "twenty fourth of december",
                           "3rd of March", "the 24th of December"
    day month year         "3 March 2024" (written day first, with a year)
    month year             "march twenty twenty four" -> "March 2024"
    weekday the day        "monday the third" -> "Monday the 3rd" (no month named)

Every date is written month first, "March 3, 2024", the way Whisper writes most of them. Tokens are
`spoken.plain` words (lower case, no punctuation around them); a span of tokens becomes one written
token that spans their words (`mynah.transcript.format`).
"""

from __future__ import annotations

import re

from mynah.text.normalize.en.dates import MONTHS
from mynah.transcript.spoken import parse_number, parse_year

__all__ = ["DAYS", "MONTH_NAMES", "date_at", "ordinal_suffix", "time_at"]

MONTH_NAMES = {m: m.capitalize() for m in MONTHS}
DAYS = {
    d: d.capitalize() for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}
_MERIDIEM = {("a", "m"): "a.m.", ("p", "m"): "p.m.", ("am",): "a.m.", ("pm",): "p.m."}
_WRITTEN_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
_WRITTEN_YEAR = re.compile(r"^(1\d{3}|20\d{2})$")


def ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


# ------------------------------------------------------------------------------ times


def time_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """ "three thirty p m" -> "3:30 p.m.", "nine oh five p m" -> "9:05 p.m.", "four o'clock"."""
    hour = parse_number(tokens, i)
    if hour is None or hour.ordinal or hour.decimals or not 1 <= hour.whole <= 12 or hour.consumed > 2:
        return None
    j = i + hour.consumed
    minutes = ""
    if (
        j + 1 < len(tokens)
        and tokens[j] in ("oh", "o")
        and (m := parse_number(tokens, j + 1))
        and m.whole < 10
    ):
        minutes, j = f"0{m.whole}", j + 1 + m.consumed
    elif (m := parse_number(tokens, j)) is not None and 10 <= m.whole <= 59 and not m.ordinal:
        minutes, j = f"{m.whole:02d}", j + m.consumed
    if j < len(tokens) and tokens[j] in ("oclock", "o'clock") and not minutes:
        return f"{hour.whole} o'clock", j + 1 - i
    for spoken, written in _MERIDIEM.items():
        if tuple(tokens[j : j + len(spoken)]) == spoken:
            clock = f"{hour.whole}:{minutes}" if minutes else str(hour.whole)
            return f"{clock} {written}", j + len(spoken) - i
    return None


# ------------------------------------------------------------------------------ dates


def _day(tokens: list[str], i: int) -> tuple[int, int, bool] | None:
    """A day of the month at tokens[i]: (day, consumed, ordinal), spoken ("twenty fourth") or
    written ("24th", "24")."""
    if i >= len(tokens):
        return None
    if (written := _WRITTEN_DAY.match(tokens[i])) is not None:
        day = int(written.group(1))
        return (day, 1, written.group(2) is not None) if 1 <= day <= 31 else None
    spoken = parse_number(tokens, i)
    if spoken is None or spoken.decimals or not 1 <= spoken.whole <= 31:
        return None
    return spoken.whole, spoken.consumed, spoken.ordinal


def _year(tokens: list[str], i: int) -> tuple[int, int] | None:
    if i < len(tokens) and (written := _WRITTEN_YEAR.match(tokens[i])) is not None:
        return int(written.group(1)), 1
    return parse_year(tokens, i)


def _is_year_at(tokens: list[str], j: int) -> bool:
    year = _year(tokens, j)
    return year is not None and (year[1] >= 2 or tokens[j].isdigit())


def _with_year(tokens: list[str], written: str, j: int, i: int) -> tuple[str, int]:
    year = _year(tokens, j)
    if year is not None:
        return f"{written}, {year[0]}", j + year[1] - i
    return written, j - i


def _month_first(tokens: list[str], i: int) -> tuple[str, int] | None:
    """ "march third", "march the third", "March 3rd, 2024", "march twenty twenty four"."""
    month = tokens[i]
    j = i + 1 + (i + 1 < len(tokens) and tokens[i + 1] == "the")
    day = _day(tokens, j)
    if day is not None and month == "may" and not day[2]:
        return None  # "you may two" is not a date
    if day is None or (not day[2] and day[1] == 1 and day[0] > 9 and _is_year_at(tokens, j)):
        year = _year(tokens, i + 1)
        if year is not None:
            return f"{MONTH_NAMES[month]} {year[0]}", 1 + year[1]
        return None
    return _with_year(tokens, f"{MONTH_NAMES[month]} {day[0]}", j + day[1], i)


def _day_first(tokens: list[str], i: int) -> tuple[str, int] | None:
    """ "the third of march", "third of march", "24th of December 2024", "3 March 2024"."""
    j = i + (tokens[i] == "the")
    day = _day(tokens, j)
    if day is None:
        return None
    k = j + day[1]
    if day[2] and tokens[k : k + 1] == ["of"] and k + 1 < len(tokens) and tokens[k + 1] in MONTH_NAMES:
        return _with_year(tokens, f"{MONTH_NAMES[tokens[k + 1]]} {day[0]}", k + 2, i)
    if (  # written day first, then the month and a year: "3 March 2024", "3rd March 2024"
        tokens[j].isalnum()
        and tokens[j][0].isdigit()
        and k < len(tokens)
        and tokens[k] in MONTH_NAMES
        and _WRITTEN_YEAR.match(tokens[k + 1] if k + 1 < len(tokens) else "")
    ):
        return _with_year(tokens, f"{MONTH_NAMES[tokens[k]]} {day[0]}", k + 1, i)
    return None


def _plain_date(tokens: list[str], i: int) -> tuple[str, int] | None:
    if tokens[i] in MONTH_NAMES:
        return _month_first(tokens, i)
    return _day_first(tokens, i)


def date_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """The date spoken at tokens[i:] as (written, tokens consumed), or None."""
    if tokens[i] in DAYS:
        weekday = DAYS[tokens[i]]
        if i + 1 < len(tokens) and (found := _plain_date(tokens, i + 1)) is not None:
            return f"{weekday}, {found[0]}", 1 + found[1]
        if tokens[i + 1 : i + 2] == ["the"] and (day := _day(tokens, i + 2)) is not None and day[2]:
            return f"{weekday} the {day[0]}{ordinal_suffix(day[0])}", 2 + day[1]
        return None
    return _plain_date(tokens, i)
