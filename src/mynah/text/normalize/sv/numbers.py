"""Swedish number words, written here rather than taken from num2words: num2words 0.5 writes
"etttusen niohundranittionio" for 1999 (a tripled t and a space inside the word), where Swedish writes
"ettusen niohundranittionio" and reads years as "nittonhundranittionio".

Compounds are one word below a million ("tvåtusentrehundrafyrtiofem"); "miljon"/"miljard" stand apart
("en miljon tvåhundratusen").
"""

from __future__ import annotations

from mynah.text.normalize.wordlist import word_list

ONES = word_list(
    "noll ett två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton sjutton "
    "arton nitton"
)
TENS = word_list("_ _ tjugo trettio fyrtio femtio sextio sjuttio åttio nittio")
SMALL_ORDINALS = word_list(
    "_ första andra tredje fjärde femte sjätte sjunde åttonde nionde tionde elfte tolfte trettonde "
    "fjortonde femtonde sextonde sjuttonde artonde nittonde"
)


def below_hundred(n: int) -> str:
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return TENS[tens] + (ONES[ones] if ones else "")


def below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    head = ("" if hundreds == 1 else ONES[hundreds]) + "hundra" if hundreds else ""
    return head + (below_hundred(rest) if rest or not head else "")


def cardinal(n: int) -> str:
    if n < 0:
        return "minus " + cardinal(-n)
    if n < 1000:
        return below_thousand(n)
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        head = (
            "tusen"
            if thousands == 1
            else (below_thousand(thousands) + "tusen").replace("etttusen", "ettusen")
        )
        return head + (below_thousand(rest) if rest else "")
    for size, one, many in ((10**9, "miljard", "miljarder"), (10**6, "miljon", "miljoner")):
        if n >= size:
            count, rest = divmod(n, size)
            if count >= 1000:
                break
            head = f"en {one}" if count == 1 else f"{cardinal(count)} {many}"
            return head + (f" {cardinal(rest)}" if rest else "")
    return " ".join(ONES[int(d)] for d in str(n))


def ordinal(n: int) -> str:
    rest = n % 100
    head = cardinal(n - rest) if n - rest else ""
    if rest == 0:
        return cardinal(n) + "de"  # "hundrade", "tusende"
    if rest < 20:
        return head + SMALL_ORDINALS[rest]
    tens, ones = divmod(rest, 10)
    return head + TENS[tens] + (SMALL_ORDINALS[ones] if ones else "nde")  # "tjugoförsta", "tjugonde"


def year(n: int) -> str:
    """ "nittonhundranittionio"; from 2000 as a cardinal ("tvåtusentjugofyra")."""
    if 1100 <= n <= 1999:
        hi, lo = divmod(n, 100)
        return below_hundred(hi) + "hundra" + (below_hundred(lo) if lo else "")
    return cardinal(n)
