"""Words, symbols and the code reader shared by the English rules.

Words are spoken as written unless they are acronyms (see `acronyms`), one of the few bare
abbreviations in `EXPANDED_WORDS`, or a Greek letter. Hyphenated words stay one token when no part
changes ("mother-in-law"); otherwise each part is read and the hyphens are silent ("FBI-led").
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.en.acronyms import read_letters_part, spell
from mynah.text.normalize.model import ABBREVIATION, ACRONYM, CODE, PLAIN, SYMBOL

EXPANDED_WORDS: dict[str, str] = {
    "vs": "versus",
    "etc": "et cetera",
    "aka": "also known as",
    "approx": "approximately",
}
"""Bare (undotted) words that are always expanded, matched case-insensitively."""

GREEK: dict[str, str] = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "Δ": "delta",
    "ε": "epsilon",
    "θ": "theta",
    "λ": "lambda",
    "μ": "mu",
    "π": "pi",
    "σ": "sigma",
    "Σ": "sigma",
    "τ": "tau",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "Ω": "omega",
}

WORD_PATTERN = r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*"
_PART = re.compile(r"[^-]+")
_POSSESSIVE = re.compile(r"^(.+?)(['’][sS]|(?<=[A-Z])s)$")


def _shouting(ctx: Context, end: int) -> bool:
    prev = ctx.prev_word()
    if len(prev) >= 2 and prev.isupper() and prev.isalpha():
        return True
    nxt = ctx.next_word(end)
    return len(nxt) >= 2 and nxt.isupper() and nxt.isalpha()


def part_reading(part: str, *, shouting: bool) -> tuple[str, str] | None:
    """(spoken, category) for one hyphen-free word, or None when it is spoken as written."""
    expanded = EXPANDED_WORDS.get(part.lower())
    if expanded is not None:
        return expanded, ABBREVIATION
    if len(part) == 1:
        greek = GREEK.get(part)
        return (greek, SYMBOL) if greek else None
    suffix = ""
    base = part
    m = _POSSESSIVE.match(part)
    if m and (m.group(1).isupper() or (m.group(2)[0] in "'’" and len(m.group(1)) > 1)):
        base, suffix = m.group(1), m.group(2)
    spoken, changed = read_letters_part(base, shouting=shouting)
    if not changed:
        return None
    if suffix:
        spoken += "'s"
    return spoken, ACRONYM


def _odd_characters(ctx: Context, text: str, start: int) -> None:
    """A "word" holding letter-like characters that are not letters ("x²", "n①"): read them apart."""
    pos = start
    for is_letter, group in itertools.groupby(text, key=lambda c: c.isalpha() or c in "'’-"):
        chunk = "".join(group)
        if is_letter:
            ctx.plain(pos, pos + len(chunk))
            pos += len(chunk)
            continue
        for ch in chunk:
            spoken = _SYMBOLS.get(ch)
            if spoken is None:
                value = unicodedata.numeric(ch, -1.0)
                spoken = numwords.cardinal(int(value)) if value >= 0 and value == int(value) else None
            if spoken is None or not ctx.on(SYMBOL):
                ctx.plain(pos, pos + 1)
            else:
                ctx.word(spoken, pos, pos + 1, SYMBOL)
            pos += 1


def _word(m: re.Match[str], ctx: Context) -> None:
    text = m.group()
    start, end = m.start(), m.end()
    if not text.replace("-", "").replace("'", "").replace("’", "").isalpha():
        _odd_characters(ctx, text, start)
        return
    if (
        len(text) > 1
        and "-" not in text
        and (text.islower() or text.istitle())
        and text.lower() not in EXPANDED_WORDS
    ):
        ctx.plain(start, end)  # the common case, fast
        return
    shouting = _shouting(ctx, end)
    parts = [(p.group(), start + p.start(), start + p.end()) for p in _PART.finditer(text)]
    readings = [part_reading(p, shouting=shouting) for p, _, _ in parts]
    if all(r is None or not ctx.on(r[1]) for r in readings):
        ctx.plain(start, end)
        return
    for (_, a, b), reading in zip(parts, readings, strict=True):
        if reading is None or not ctx.on(reading[1]):
            ctx.plain(a, b)
        else:
            ctx.word(reading[0], a, b, reading[1])
        if b < end:
            ctx.silent(b, b + 1)


WORD = Rule(
    "word", frozenset({ACRONYM, ABBREVIATION, SYMBOL}), re.compile(WORD_PATTERN), _word, needs_groups=False
)


def _fast_word(m: re.Match[str], ctx: Context) -> None:
    if m.group().lower() in EXPANDED_WORDS:
        _word(m, ctx)
    else:
        ctx.plain(m.start(), m.end())


FAST_WORD = Rule(
    "fastword",
    frozenset({ABBREVIATION}),
    re.compile(
        r"(?!(?:Mr|Mrs|Ms|Dr|St|Prof|Jr|Sr|Ave|Blvd|Rd|Ln|Pkwy|Hwy|Expy)(?![a-z]))"
        r"[A-Z]?[a-z]+(?![\w.@'’/:&-]|[ \t]+\d)"
    ),
    _fast_word,
    needs_groups=False,
)
"""Ordinary lower-case and capitalised words that no earlier rule could claim, tried first for speed."""


# ------------------------------------------------------------------------------------------- codes

_CODE_PIECE = re.compile(r"[^\W\d_]+|\d+|.", re.S)
_CODE_SYMBOLS = {
    "/": "slash",
    "_": "underscore",
    "+": "plus",
    "#": "hash",
    "&": "and",
    "@": "at",
    "*": "star",
    "%": "percent",
}


def read_digits_in_code(d: str) -> str:
    """Digit runs inside codes: up to two digits as a number, round hundreds as a number, four digits
    from 1000 to 2099 in pairs, else digit by digit."""
    if len(d) <= 2 and not (len(d) == 2 and d[0] == "0"):
        return numwords.cardinal(int(d))
    if len(d) <= 4 and d[0] != "0" and int(d) % 100 == 0:
        return numwords.cardinal(int(d))
    if len(d) == 4 and 1000 <= int(d) <= 2099:
        return numwords.year(int(d))  # "FY2023", "A1234": read in pairs
    return numwords.digits(d)


_DECADE_PART = re.compile(r"(\d0|1\d{2}0|20\d0)['’]?s")
_ORDINAL_PART = re.compile(r"(\d+)(st|nd|rd|th)")


def _read_part(part: str) -> str:
    """One hyphen-free part of a code: a decade, an ordinal, a year-like number, or letters and digits."""
    if part.isdecimal():
        if len(part) == 4 and 1000 <= int(part) <= 2099:
            return numwords.year(int(part))
        return read_digits_in_code(part)
    m = _DECADE_PART.fullmatch(part)
    if m:
        return numwords.pluralize_last(
            numwords.cardinal(int(m.group(1))) if len(m.group(1)) == 2 else numwords.year(int(m.group(1)))
        )
    m = _ORDINAL_PART.fullmatch(part)
    if m:
        return numwords.ordinal(int(m.group(1)))
    words: list[str] = []
    pieces = [p.group() for p in _CODE_PIECE.finditer(part)]
    for i, piece in enumerate(pieces):
        if piece == "s" and i == len(pieces) - 1 and i > 0 and pieces[i - 1][0].isdecimal():
            words[-1] = _plural_number(words[-1])  # "MP3s" -> "m p threes"
        elif piece[0].isdecimal():
            words.append(read_digits_in_code(piece))
        elif piece[0].isalpha():
            words.append(letters_in_code(piece))
        elif piece == ".":
            between_digits = (
                0 < i < len(pieces) - 1 and pieces[i - 1][0].isdecimal() and pieces[i + 1][0].isdecimal()
            )
            words.append("point" if between_digits else "dot")
        elif piece in _CODE_SYMBOLS:
            words.append(_CODE_SYMBOLS[piece])
    return " ".join(w for w in words if w)


def _plural_number(words: str) -> str:
    if words.endswith(("x", "s")):
        return words + "es"
    return numwords.pluralize_last(words)


def read_code(text: str) -> str:
    """ "COVID-19" -> "covid nineteen", "B2B" -> "b two b", "MP3" -> "m p three", "mid-1980s"."""
    return " ".join(r for r in (_read_part(p) for p in text.split("-")) if r)


def letters_in_code(part: str) -> str:
    if len(part) == 1:
        return part.lower()
    spoken, changed = read_letters_part(part, shouting=False)
    if changed:
        return spoken
    if part.islower() and len(part) <= 3:
        from mynah.text.normalize.en.acronyms import pronounceable

        return part if len(part) == 3 and pronounceable(part) else spell(part)
    return part


_VERSION = re.compile(r"[vV]\d+(?:\.\d+)+")


def _code(m: re.Match[str], ctx: Context) -> None:
    if not ctx.on(CODE):
        ctx.verbatim(m.start(), m.end())
        return
    text = m.group()
    if _VERSION.fullmatch(text):
        spoken = "version " + " point ".join(numwords.integer(p) for p in text[1:].split("."))
    else:
        spoken = read_code(text)
    ctx.word(spoken, m.start(), m.end(), CODE)


CODE_RULE = Rule(
    "code",
    frozenset({CODE}),
    re.compile(
        r"(?<![\w.])(?!\d+(?:\.\d+)?(?:bn|mn|tn|M)(?!\w)|\d+\.\d+[BT](?!\w))(?=[\w.-]{0,40}\d)(?=[\w.-]{0,40}[^\W\d_])[^\W_]+(?:[-.][^\W_]+)*(?:['’]s)?(?![\w])(?!\.\w)"
    ),
    _code,
    needs_groups=False,
)


# ----------------------------------------------------------------------------------------- symbols

_SYMBOLS: dict[str, str] = {
    "&": "and",
    "+": "plus",
    "=": "equals",
    "×": "times",
    "÷": "divided by",
    "±": "plus or minus",
    "≈": "approximately",
    "≠": "not equal to",
    "≤": "less than or equal to",
    "≥": "greater than or equal to",
    "<": "less than",
    ">": "greater than",
    "→": "to",
    "%": "percent",
    "‰": "per mille",
    "@": "at",
    "°": "degrees",
    "°C": "degrees celsius",
    "°F": "degrees fahrenheit",
    "§": "section",
    "§§": "sections",
    "¶": "paragraph",
    "©": "copyright",
    "²": "squared",
    "³": "cubed",
    "√": "square root of",
    "∞": "infinity",
    "−": "minus",
    "$": "dollar",
    "€": "euro",
    "£": "pound",
    "¥": "yen",
    "₹": "rupee",
    "₩": "won",
    "¢": "cent",
}
_SILENT_SYMBOLS = frozenset("*|\\_/^~#-–—'\"`®™†‡•·")


def _digit_near(view: str, i: int, step: int) -> bool:
    """A digit at `i`, or one space further in the direction of `step`."""
    if 0 <= i < len(view) and view[i] == " ":
        i += step
    return 0 <= i < len(view) and view[i].isdecimal()


def _symbol(m: re.Match[str], ctx: Context) -> None:
    s = m.group()
    start, end = m.start(), m.end()
    view = ctx.view
    before = view[start - 1] if start else ""
    after = ctx.next_char(end)
    spoken = _SYMBOLS.get(s)
    if s == "#":
        if after.isdecimal():
            spoken = "number"
        elif before in "ABCDEFG" and (start < 2 or not view[start - 2].isalnum()):
            spoken = "sharp"
    elif s == "~" and (after.isdecimal() or (after == " " and ctx.next_char(end + 1).isdecimal())):
        spoken = "approximately"
    elif s == "^" and before.isalnum() and after.isalnum():
        spoken = "to the power of"
    elif s == "-" and _digit_near(view, start - 1, -1) and _digit_near(view, end, 1):
        spoken = "minus"
    elif s == "*" and _digit_near(view, start - 1, -1) and _digit_near(view, end, 1):
        spoken = "times"
    elif s == "." and before.isalnum() and after.isalnum():
        if after.isupper() and not before.isdecimal():
            ctx.punct(".", start, end)
            return
        spoken = "dot"
    elif s in "<>" and not (before.isalnum() or before == " ") and not (after.isalnum() or after == " "):
        spoken = None
    if spoken is None:
        ctx.silent(start, end)
    elif not ctx.on(SYMBOL):
        ctx.word(s, start, end, PLAIN)
    else:
        ctx.word(spoken, start, end, SYMBOL)


SYMBOL_RULE = Rule(
    "symbol",
    frozenset({SYMBOL}),
    re.compile(r"§§|°[CF](?![^\W_])|(?<=\w)\.(?=\w)|[&+=×÷±≈≠≤≥<>→%‰@°§¶©²³√∞−$€£¥₹₩¢*|\\_/^~#'\"`®™†‡•·-]"),
    _symbol,
    needs_groups=False,
)


# ------------------------------------------------------------------------------------ fixed phrases

FIXED_PHRASES: dict[str, str] = {
    "401(k)": "four oh one k",
    "403(b)": "four oh three b",
    "457(b)": "four fifty seven b",
    "7-Eleven": "seven eleven",
    "911": "nine one one",
}


def _fixed(m: re.Match[str], ctx: Context) -> None:
    if ctx.on(CODE):
        ctx.word(FIXED_PHRASES[m.group()], m.start(), m.end(), CODE)
    else:
        ctx.verbatim(m.start(), m.end())


FIXED_RULE = Rule(
    "fixed",
    frozenset({CODE}),
    re.compile(
        r"(?<![\w])(?:"
        + "|".join(re.escape(k) for k in sorted(FIXED_PHRASES, key=len, reverse=True))
        + r")(?![\w]|[.,]\d)"
    ),
    _fixed,
    needs_groups=False,
)
