"""Danish number words, written here rather than taken from num2words: num2words 0.5 writes "en
millioner" for a million, "ettusinde og tohundrede" for 1200 (the ordinal "tusinde" in a cardinal, an
"og" after the thousands) and "ethundredete" for the 100th.

Tens count in scores ("halvtreds" 50, "tres" 60, "halvfjerds" 70, "firs" 80, "halvfems" 90) and the
ones come first ("enogtyve"); "og" stands before the last part below a hundred ("to hundrede og tre",
"to tusind og fireogtyve"). Words stay apart above a hundred, as Retskrivningsordbogen allows.
"""

from __future__ import annotations

from mynah.text.normalize.intl.scandinavian import ScandinavianNumbers
from mynah.text.normalize.wordlist import word_list

ONES = word_list(
    "nul en to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten seksten sytten atten "
    "nitten"
)
TENS = word_list("_ _ tyve tredive fyrre halvtreds tres halvfjerds firs halvfems")
SMALL_ORDINALS = word_list(
    "_ første anden tredje fjerde femte sjette syvende ottende niende tiende ellevte tolvte trettende "
    "fjortende femtende sekstende syttende attende nittende"
)
TENS_ORDINALS = word_list(
    "_ _ tyvende tredivte fyrretyvende halvtredsindstyvende tresindstyvende halvfjerdsindstyvende "
    "firsindstyvende halvfemsindstyvende"
)


def below_hundred(n: int) -> str:
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return f"{ONES[ones]}og{TENS[tens]}" if ones else TENS[tens]


_WRITER = ScandinavianNumbers(ONES, below_hundred, "hundrede", "tusind", "et")
below_thousand = _WRITER.below_thousand
cardinal = _WRITER.cardinal
year = _WRITER.year


def ordinal(n: int) -> str:
    rest = n % 100
    if rest == 0:
        words = cardinal(n)
        return words + "e" if words.endswith("tusind") else words  # "hundrede", "tusinde"
    if rest < 20:
        last = SMALL_ORDINALS[rest]
    else:
        tens, ones = divmod(rest, 10)
        last = f"{ONES[ones]}og{TENS_ORDINALS[tens]}" if ones else TENS_ORDINALS[tens]
    return f"{cardinal(n - rest)} og {last}" if n - rest else last
