"""Polish decades: "w latach 90." -> "w latach dziewięćdziesiątych", "lata 80." -> "lata
osiemdziesiąte", "z lat 70. XX wieku" -> "z lat siedemdziesiątych dwudziestego wieku".

The decade is a plural ordinal in the case of the form of "lata" before it (PWN writes it with a dot,
"lata 90."; the colloquial "lata 90-te", "w latach 90-tych" are read the same). Two decades may share one
"lata": "w latach 80. i 90.", "lata 60.–70.".
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.language import Language
from mynah.text.normalize.intl.numbers import SPACE
from mynah.text.normalize.model import ORDINAL

_YEARS_CASE = {"lata": "pl_nom", "latach": "pl_loc", "lat": "pl_gen", "latami": "pl_ins", "latom": "pl_dat"}
"""Each form of "lata" -> the case of the decade after it."""
_ROMAN = re.compile("[IVXLC]+")
_DECADE = r"[1-9]0(?:\.|-(?:tych|ych|ch|te|e)(?![\w]))"


def _ends_sentence(ctx: Context, end: int) -> bool:
    """Whether the decade's dot also ends the sentence: not before a century ("lata 70. XX wieku")."""
    return ctx.sentence_ends_after(end) and not _ROMAN.fullmatch(ctx.next_word(end))


def decade_rule(lang: Language) -> Rule:
    pattern = re.compile(
        rf"(?<![\w])(?<!\d{SPACE})(?P<l>[Ll]ata|latach|latami|latom|lat){SPACE}+(?P<a>{_DECADE})"
        rf"(?:(?:{SPACE}+(?P<jw>i|oraz|lub|albo){SPACE}+|{SPACE}?(?P<jd>[–—-]){SPACE}?)(?P<b>{_DECADE}))?"
    )  # not "lat" after a number ("10 lat 20. maja": years counted, then a date)

    def handle(m: re.Match[str], ctx: Context) -> None:
        ctx.plain(m.start("l"), m.end("l"))
        if not ctx.on(ORDINAL):
            ctx.verbatim(m.start("a"), m.end())
            return
        case = _YEARS_CASE[m.group("l").lower()]
        last = "b" if m.group("b") else "a"
        for group in ("a", "b"):
            if not m.group(group):
                continue
            start, end = m.start(group), m.end(group)
            spoken = lang.ordinal(int(m.group(group)[:2]), case)
            if group == last and m.group(group).endswith(".") and _ends_sentence(ctx, end):
                ctx.word(spoken, start, end - 1, ORDINAL)  # "w latach 90." ends its sentence too
                ctx.punct(".", end - 1, end)
            else:
                ctx.word(spoken, start, end, ORDINAL)
            if group == "a" and m.group("jw"):
                ctx.plain(m.start("jw"), m.end("jw"))
            elif group == "a" and m.group("jd"):
                ctx.punct(",", m.start("jd"), m.end("jd"))

    return Rule("pldecade", frozenset({ORDINAL}), pattern, handle)
