"""Norwegian Bokmål number words, written here rather than taken from num2words: num2words 0.5 writes
"en hundre" and "en tusen" for 100 and 1000 (Bokmål says "hundre"/"ett hundre", "tusen"/"ett tusen")
and "en hundrede" for the 100th.

Tens first ("tjueen", "trettifire"), "og" before the last part below a hundred ("to hundre og tre",
"to tusen og tjuefire"); words stay apart above a hundred, as Språkrådet allows.
"""

from __future__ import annotations

from mynah.text.normalize.intl.scandinavian import ScandinavianNumbers
from mynah.text.normalize.wordlist import word_list

ONES = word_list(
    "null en to tre fire fem seks sju åtte ni ti elleve tolv tretten fjorten femten seksten sytten atten "
    "nitten"
)
TENS = word_list("_ _ tjue tretti førti femti seksti sytti åtti nitti")
SMALL_ORDINALS = word_list(
    "_ første andre tredje fjerde femte sjette sjuende åttende niende tiende ellevte tolvte trettende "
    "fjortende femtende sekstende syttende attende nittende"
)


def below_hundred(n: int) -> str:
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return TENS[tens] + (ONES[ones] if ones else "")


_WRITER = ScandinavianNumbers(ONES, below_hundred, "hundre", "tusen", "ett")
below_thousand = _WRITER.below_thousand
cardinal = _WRITER.cardinal
year = _WRITER.year


def ordinal(n: int) -> str:
    rest = n % 100
    if rest == 0:
        words = cardinal(n)
        return words + ("de" if words.endswith(("hundre", "tusen")) else "te")  # "hundrede", "tusende"
    if rest < 20:
        last = SMALL_ORDINALS[rest]
    else:
        tens, ones = divmod(rest, 10)
        last = TENS[tens] + (SMALL_ORDINALS[ones] if ones else "ende")  # "tjueførste", "tjuende"
    return f"{cardinal(n - rest)} og {last}" if n - rest else last
