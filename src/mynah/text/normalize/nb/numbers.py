"""Norwegian Bokmål number words, written here rather than taken from num2words: num2words 0.5 writes
"en hundre" and "en tusen" for 100 and 1000 (Bokmål says "hundre"/"ett hundre", "tusen"/"ett tusen")
and "en hundrede" for the 100th.

Tens first ("tjueen", "trettifire"), "og" before the last part below a hundred ("to hundre og tre",
"to tusen og tjuefire"); words stay apart above a hundred, as Språkrådet allows.
"""

from __future__ import annotations

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


def below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return below_hundred(rest)
    head = "hundre" if hundreds == 1 else f"{ONES[hundreds]} hundre"
    return f"{head} og {below_hundred(rest)}" if rest else head


def _join(head: str, rest: int) -> str:
    if not rest:
        return head
    if rest < 100:
        return f"{head} og {below_hundred(rest)}"
    tail = cardinal(rest)
    return f"{head} {'ett ' if tail.startswith('hundre') else ''}{tail}"  # "tusen ett hundre"


def cardinal(n: int) -> str:
    if n < 0:
        return "minus " + cardinal(-n)
    if n < 1000:
        return below_thousand(n)
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        return _join("tusen" if thousands == 1 else f"{below_thousand(thousands)} tusen", rest)
    for size, one, many in ((10**9, "milliard", "milliarder"), (10**6, "million", "millioner")):
        if n >= size:
            count, rest = divmod(n, size)
            if count >= 1000:
                break
            return _join(f"en {one}" if count == 1 else f"{cardinal(count)} {many}", rest)
    return " ".join(ONES[int(d)] for d in str(n))


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


def year(n: int) -> str:
    """ "nitten hundre og nittini"; from 2000 as a cardinal ("to tusen og tjuefire")."""
    if 1100 <= n <= 1999:
        hi, lo = divmod(n, 100)
        head = f"{below_hundred(hi)} hundre"
        return f"{head} og {below_hundred(lo)}" if lo else head
    return cardinal(n)
