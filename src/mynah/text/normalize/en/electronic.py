"""URLs, e-mail addresses, domains, file names, @handles and #hashtags.

Read piece by piece: "john.doe@example.com" -> "john dot doe at example dot com",
"https://www.example.com/path" -> "h t t p s colon slash slash w w w dot example dot com slash path".
Letter runs are read as words unless they have no vowel, are one or two letters, or are in `SPELLED`
("www", "http", "pdf", ...); digits are read one by one. Hashtags split their CamelCase words:
"#ThrowbackThursday" -> "hashtag throwback thursday", "#TBT" -> "hashtag t b t".
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.en.acronyms import read_caps, spell
from mynah.text.normalize.model import ELECTRONIC
from mynah.text.normalize.wordlist import words

SPELLED = words(
    "www http https ftp sftp ssh html htm php pdf jpg png svg css js ts csv xml sql api url uri xyz io "
    "tv gg ly mp gif doc docx xls xlsx ppt pptx txt md py rb exe dll tar gz zip iso dmg apk rss cgi asp "
    "jsp cdn dns ip"
)
_WORDS = {"gif": "gif", "zip": "zip", "doc": "doc", "co": "co"}
_SYMBOLS = {
    ".": "dot",
    "@": "at",
    "/": "slash",
    ":": "colon",
    "-": "dash",
    "_": "underscore",
    "~": "tilde",
    "?": "question mark",
    "=": "equals",
    "&": "and",
    "#": "hash",
    "%": "percent",
    "+": "plus",
    "!": "exclamation mark",
    "*": "star",
    ",": "comma",
    ";": "semicolon",
    "'": "apostrophe",
    "$": "dollar",
}
_TLDS = (
    "COM|ORG|NET|EDU|GOV|com|org|net|edu|gov|mil|int|io|ai|co|us|uk|ca|de|fr|it|es|nl|be|ch|at|se|no|dk|fi|pl|cz|ru|jp|cn|"
    "kr|in|au|nz|br|mx|ar|za|ie|eu|info|biz|app|dev|me|tv|ly|gg|xyz|online|site|tech|news|blog|sm|museum|"
    "html|htm|php|pdf|txt|csv|json|yaml|yml|xml|md|py|js|ts|jpg|jpeg|png|gif|svg|mp3|mp4|wav|zip|gz|tar|"
    "exe|docx?|xlsx?|pptx?|sh|css|toml|ini|cfg|log"
)
_PIECE = re.compile(r"[A-Za-z]+|\d+|.", re.S)


def _letters(run: str) -> str:
    low = run.lower()
    if low in _WORDS:
        return _WORDS[low]
    if low in SPELLED or len(run) <= 2 or not re.search("[aeiouy]", low):
        return spell(run)
    return low


def read_electronic(text: str) -> str:
    words = []
    for m in _PIECE.finditer(text):
        p = m.group()
        if p.isalpha():
            words.append(_letters(p))
        elif p.isdecimal():
            words.append(numwords.digits(p))
        elif p in _SYMBOLS:
            words.append(_SYMBOLS[p])
    return " ".join(words)


_CAMEL = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def read_tag(name: str) -> str:
    """A handle or hashtag body: CamelCase split, acronyms spelled, digits as numbers."""
    words = []
    for m in _CAMEL.finditer(name):
        p = m.group()
        if p.isdecimal():
            words.append(numwords.integer(p))
        elif p.isupper():
            words.append(read_caps(p) or p.lower())
        else:
            words.append(p.lower())
    return " ".join(words)


def _electronic(m: re.Match[str], ctx: Context) -> None:
    if not ctx.on(ELECTRONIC):
        ctx.verbatim(m.start(), m.end())
        return
    text = m.group()
    if m.group("handle"):
        spoken = f"at {read_tag(text[1:])}".strip()  # a handle read as nothing is just "at"
    elif m.group("tag"):
        spoken = f"hashtag {read_tag(text[1:])}".strip()
    else:
        spoken = read_electronic(text)
    ctx.word(spoken, m.start(), m.end(), ELECTRONIC)


_URL_TAIL = r"(?:[^\s<>\"'()\[\]{}]*[^\s<>\"'()\[\]{}.,;:!?])?"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?"  # bounded like DNS labels: no quadratic scans

ELECTRONIC_RULE = Rule(
    "electronic",
    frozenset({ELECTRONIC}),
    re.compile(
        r"(?:(?i:https?|ftp|file|mailto)://?"
        + _URL_TAIL
        + r"|(?<![\w.@])(?i:www)\."
        + _URL_TAIL
        + r"|(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63}[A-Za-z0-9_])?@"
        + _LABEL
        + r"(?:\."
        + _LABEL
        + r")*"
        + r"\.[A-Za-z]{2,}(?![\w-])"
        + r"|(?<![\w.@/-])"
        + _LABEL
        + r"(?:\."
        + _LABEL
        + r")*\.(?:"
        + _TLDS
        + r")(?![\w-])"
        + r"(?:/"
        + _URL_TAIL
        + r")?"
        + r"|(?<![\w@])(?P<handle>@[A-Za-z0-9_]{1,30})(?![\w@])"
        + r"|(?<![\w#&])(?P<tag>#(?=[0-9_]*[A-Za-z])[A-Za-z0-9_]+)(?![\w])"
        + r")"
    ),
    _electronic,
)
