"""Abbreviations, titles and dotted initialisms.

"Dr." is "doctor" before a name and "drive" after a street name ("Dr. Smith lives on Elm Dr."); "St." is
"saint" or "street" the same way. "No. 5" is "number five" but "No." alone stays "no". A few readings
need a number after them ("p. 12", "ca. 1850", "est. 1901"). "U.S.", "Ph.D." and "a.m." are spelled;
single initials ("C. S. Lewis") are read as letters.

The final dot of an abbreviation also ends the sentence when the text ends there, at a blank line, or
when the next word starts a sentence ("... Apple Inc. The company ..."); titles such as "Dr." never end
one. `SENTENCE_STARTERS` is the list of words that count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.model import ABBREVIATION, ACRONYM, PLAIN, ROMAN, SYMBOL
from mynah.text.normalize.wordlist import word_list, words

SENTENCE_STARTERS = words(
    """the a an this that these those it its he she they we i you there here in on at but and or so yet
    then after before when while if as for however meanwhile also our my his her their what who why how
    where no yes some many most all each every one today tomorrow yesterday now later still even just
    please let do does did is are was were will can could should would may might must since although
    though because unless until once with without from by to of not instead thus therefore"""
)

NEVER = 0
"""The dot never ends a sentence (titles, "e.g.")."""
STARTERS = 1
"""The dot ends a sentence before a sentence starter or at the end."""
ANY_CAPITAL = 2
"""The dot ends a sentence before any capitalised word ("etc.")."""


Reader = Callable[[Context, int, int, bool], str | None]


class Entry(NamedTuple):
    read: Reader
    ends: int
    needs_dot: bool = True


def _fixed(words: str) -> Reader:
    return lambda ctx, start, end, dot: words


def _before_number(words: str) -> Reader:
    def read(ctx: Context, start: int, end: int, dot: bool) -> str | None:
        nxt = ctx.next_char(end)
        if nxt.isdecimal() or (nxt == " " and ctx.next_char(end + 1).isdecimal()):
            return words
        return None

    return read


def _est(ctx: Context, start: int, end: int, dot: bool) -> str | None:
    return "established" if _before_number("x")(ctx, start, end, dot) else "estimated"


def _capital(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _prev_is_name(ctx: Context) -> bool:
    """The previous word is capitalised (and not just because it starts the sentence) or a number."""
    prev = ctx.prev_words(2)
    if not prev:
        return False
    word = prev[0]
    if word[:1].isdecimal():
        return True
    if not _capital(word) or word.endswith("."):  # "Dr." or "St." before is not a street name
        return False
    before = prev[1] if len(prev) > 1 else ""
    return before not in ("", ".", "?", "!", "...")


def _place_or_title(title: str, place: str) -> Reader:
    def read(ctx: Context, start: int, end: int, dot: bool) -> str | None:
        next_capital = _capital(ctx.next_word(end))
        after_name = _prev_is_name(ctx)
        if next_capital and not after_name:
            return title
        if after_name:
            return place
        if not dot:
            return None
        return title if next_capital else place

    return read


def _title(words: str) -> Reader:
    def read(ctx: Context, start: int, end: int, dot: bool) -> str | None:
        return words if dot or _capital(ctx.next_word(end)) else None

    return read


def _after_name(words: str) -> Reader:
    def read(ctx: Context, start: int, end: int, dot: bool) -> str | None:
        return words if dot or _prev_is_name(ctx) else None

    return read


def _versus(ctx: Context, start: int, end: int, dot: bool) -> str | None:
    return "versus" if _capital(ctx.prev_word()) and _capital(ctx.next_word(end)) else None


def _et_al(ctx: Context, start: int, end: int, dot: bool) -> str | None:
    return "al" if ctx.prev_word().lower() == "et" else None


_CASED: dict[str, Entry] = {
    "Mr": Entry(_title("mister"), NEVER, False),
    "Mrs": Entry(_title("misses"), NEVER, False),
    "Ms": Entry(_title("miz"), NEVER, False),
    "Mx": Entry(_title("mix"), NEVER),
    "Dr": Entry(_place_or_title("doctor", "drive"), STARTERS, False),
    "St": Entry(_place_or_title("saint", "street"), STARTERS, False),
    "Ft": Entry(_fixed("fort"), NEVER),
    "Mt": Entry(_fixed("mount"), NEVER),
    "Prof": Entry(_title("professor"), NEVER, False),
    "Rev": Entry(_fixed("reverend"), NEVER),
    "Hon": Entry(_fixed("honorable"), NEVER),
    "Gen": Entry(_fixed("general"), NEVER),
    "Col": Entry(_fixed("colonel"), NEVER),
    "Capt": Entry(_fixed("captain"), NEVER),
    "Lt": Entry(_fixed("lieutenant"), NEVER),
    "Sgt": Entry(_fixed("sergeant"), NEVER),
    "Cpl": Entry(_fixed("corporal"), NEVER),
    "Adm": Entry(_fixed("admiral"), NEVER),
    "Maj": Entry(_fixed("major"), NEVER),
    "Gov": Entry(_fixed("governor"), NEVER),
    "Sen": Entry(_fixed("senator"), NEVER),
    "Rep": Entry(_fixed("representative"), NEVER),
    "Pres": Entry(_fixed("president"), NEVER),
    "Supt": Entry(_fixed("superintendent"), NEVER),
    "Fr": Entry(_fixed("father"), NEVER),
    "Jr": Entry(_after_name("junior"), STARTERS, False),
    "Sr": Entry(_after_name("senior"), STARTERS, False),
    "Inc": Entry(_fixed("incorporated"), STARTERS),
    "Ltd": Entry(_fixed("limited"), STARTERS),
    "Co": Entry(_fixed("company"), STARTERS),
    "Corp": Entry(_fixed("corporation"), STARTERS),
    "Bros": Entry(_fixed("brothers"), STARTERS),
    "Ave": Entry(_fixed("avenue"), STARTERS, False),
    "Blvd": Entry(_fixed("boulevard"), STARTERS, False),
    "Rd": Entry(_fixed("road"), STARTERS, False),
    "Ln": Entry(_after_name("lane"), STARTERS, False),
    "Ct": Entry(_after_name("court"), STARTERS),
    "Pl": Entry(_after_name("place"), STARTERS),
    "Sq": Entry(_after_name("square"), STARTERS),
    "Pkwy": Entry(_fixed("parkway"), STARTERS, False),
    "Hwy": Entry(_fixed("highway"), STARTERS, False),
    "Expy": Entry(_fixed("expressway"), STARTERS, False),
    "Apt": Entry(_fixed("apartment"), NEVER),
    "Ste": Entry(_fixed("suite"), NEVER),
    "Bldg": Entry(_fixed("building"), NEVER),
    "Univ": Entry(_fixed("university"), STARTERS),
    "Assn": Entry(_fixed("association"), STARTERS),
    "Intl": Entry(_fixed("international"), STARTERS),
    "Natl": Entry(_fixed("national"), STARTERS),
    "Sec": Entry(_fixed("section"), NEVER),
    "Ph.D": Entry(_fixed("p h d"), STARTERS),
}
for _i, _month in enumerate(
    word_list("January February March April May June July August September October November December")
):
    _abbr = _month[:4] if _month == "September" else _month[:3]
    if _abbr != "May":
        _CASED[_abbr] = Entry(_fixed(_month.lower()), STARTERS)
for _day in word_list("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"):
    _CASED[_day[:3]] = Entry(_fixed(_day.lower()), STARTERS)
_CASED["Tues"] = Entry(_fixed("tuesday"), STARTERS)
_CASED["Thurs"] = Entry(_fixed("thursday"), STARTERS)
_CASED["Thur"] = Entry(_fixed("thursday"), STARTERS)

_ANY_CASE: dict[str, Entry] = {
    "etc": Entry(_fixed("et cetera"), ANY_CAPITAL, False),
    "e.g": Entry(_fixed("for example"), NEVER),
    "i.e": Entry(_fixed("that is"), NEVER),
    "vs": Entry(_fixed("versus"), NEVER, False),
    "v": Entry(_versus, NEVER),
    "cf": Entry(_fixed("compare"), NEVER),
    "viz": Entry(_fixed("namely"), NEVER),
    "a.k.a": Entry(_fixed("also known as"), NEVER),
    "approx": Entry(_fixed("approximately"), NEVER, False),
    "no": Entry(_before_number("number"), NEVER),
    "nos": Entry(_before_number("numbers"), NEVER),
    "vol": Entry(_fixed("volume"), NEVER),
    "vols": Entry(_fixed("volumes"), NEVER),
    "fig": Entry(_fixed("figure"), NEVER),
    "figs": Entry(_fixed("figures"), NEVER),
    "eq": Entry(_before_number("equation"), NEVER),
    "ch": Entry(_before_number("chapter"), NEVER),
    "chap": Entry(_fixed("chapter"), NEVER),
    "pp": Entry(_before_number("pages"), NEVER),
    "p": Entry(_before_number("page"), NEVER),
    "art": Entry(_before_number("article"), NEVER),
    "ca": Entry(_before_number("circa"), NEVER),
    "c": Entry(_before_number("circa"), NEVER),
    "est": Entry(_est, NEVER),
    "avg": Entry(_fixed("average"), STARTERS),
    "misc": Entry(_fixed("miscellaneous"), STARTERS),
    "dept": Entry(_fixed("department"), STARTERS),
    "govt": Entry(_fixed("government"), STARTERS),
    "incl": Entry(_fixed("including"), NEVER),
    "excl": Entry(_fixed("excluding"), NEVER),
    "tel": Entry(_fixed("telephone"), NEVER),
    "ext": Entry(_fixed("extension"), NEVER),
    "qty": Entry(_fixed("quantity"), NEVER),
    "al": Entry(_et_al, STARTERS),
    "w/": Entry(_fixed("with"), NEVER, False),
    "w/o": Entry(_fixed("without"), NEVER, False),
    "b/c": Entry(_fixed("because"), NEVER, False),
}


def _alternation(keys: list[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


def _lookup(key: str) -> Entry | None:
    return _CASED.get(key) or _ANY_CASE.get(key.lower())


def _abbreviation(m: re.Match[str], ctx: Context) -> None:
    key = m.group("key")
    dot = m.group("dot") is not None
    start, end = m.start(), m.end()
    entry = _lookup(key)
    spoken = None
    if entry is not None and (dot or not entry.needs_dot) and ctx.on(ABBREVIATION):
        spoken = entry.read(ctx, start, end, dot)
    if spoken is None or entry is None:
        key_end = start + len(key)
        if dot and ctx.sentence_ends_after(end, SENTENCE_STARTERS):
            ctx.word(ctx.view[start:key_end], start, key_end, PLAIN)
            ctx.punct(".", key_end, end)
        else:
            ctx.word(ctx.view[start:end], start, end, PLAIN)
        return
    emit_dotted(ctx, spoken, start, end, dot, NEVER if spoken in _TITLES else entry.ends, ABBREVIATION)


_TITLES = frozenset({"doctor", "saint"})
"""Readings of "Dr." and "St." before a name: their dot never ends a sentence."""


def emit_dotted(ctx: Context, spoken: str, start: int, end: int, dot: bool, ends: int, category: str) -> None:
    """Emit an abbreviation whose final dot may also end the sentence."""
    if (
        dot
        and ends != NEVER
        and ctx.sentence_ends_after(end, None if ends == ANY_CAPITAL else SENTENCE_STARTERS)
    ) or (dot and ends == NEVER and ctx.sentence_ends_after(end, ())):
        ctx.word(spoken, start, end - 1, category)
        ctx.punct(".", end - 1, end)
    else:
        ctx.word(spoken, start, end, category)


ABBREVIATION_RULE = Rule(
    "abbr",
    frozenset({ABBREVIATION}),
    re.compile(
        r"(?<![\w.])(?P<key>(?i:" + _alternation(list(_ANY_CASE)) + r")|" + _alternation(list(_CASED)) + r")"
        r"(?:(?<!/)(?P<dot>\.)(?![\w])|(?![\w.]))"
    ),
    _abbreviation,
)


# ------------------------------------------------------------------------------- dotted initials


def _dotted_letters(m: re.Match[str], ctx: Context) -> None:
    text = m.group()
    start, end = m.start(), m.end()
    letters = [c.lower() for c in text if c.isalpha()]
    if len(letters) == 1:
        # a lone initial: only when a name follows ("C. S. Lewis"), otherwise the dot ends a sentence
        nxt = ctx.next_word(end)
        if not (_capital(nxt) and nxt.lower() not in SENTENCE_STARTERS) or not ctx.on(ACRONYM):
            if text[0] in "IVX":  # "World War I." is a numeral, not an initial
                from mynah.text.normalize.en.roman import ROMAN_RULE

                letter = ROMAN_RULE.pattern.match(ctx.view, start)
                assert letter is not None
                ROMAN_RULE.handle(letter, ctx)
            else:
                ctx.word(text[0], start, start + 1, PLAIN)
            ctx.punct(".", start + 1, end)
            return
        ctx.word(letters[0], start, end, ACRONYM)
        return
    if not ctx.on(ACRONYM):
        ctx.verbatim(start, end)
        return
    emit_dotted(ctx, " ".join(letters), start, end, text.endswith("."), STARTERS, ACRONYM)


DOTTED_LETTERS = Rule(
    "initialism",
    frozenset({ACRONYM}),
    re.compile(r"(?<![\w.])(?:[A-Za-z]\.(?:[A-Za-z]\.)+|[A-Za-z]\.(?:[A-Za-z]\.)*[A-Za-z](?![\w.]))"),
    _dotted_letters,
)

INITIAL = Rule(
    "initial",
    frozenset({ACRONYM, ROMAN, ABBREVIATION, SYMBOL}),
    re.compile(r"(?<![\w.])[A-Z]\.(?=[ \t]+[A-Z])"),
    _dotted_letters,
    needs_groups=False,
)
"""A single capital and its dot before a capitalised word: an initial, or the end of a sentence."""
