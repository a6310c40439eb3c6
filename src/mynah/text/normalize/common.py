"""Rules every language shares: whitespace, prosodic punctuation and the catch-all for any other
character (combining marks glue to their word, format characters are silent, emoji, control and
unassigned characters are reported as unspoken)."""

from __future__ import annotations

import re
import unicodedata

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.model import Span, Token

ALWAYS: frozenset[str] = frozenset()
"""Rules with no category run whatever the caller enables."""


def _whitespace(m: re.Match[str], ctx: Context) -> None:
    ws = m.group()
    if "\n" not in ws:
        return
    start = m.start()
    first = ws.find("\n")
    if ws.count("\n") >= 2:
        ctx.sentence_break(start + first, start + first + 1)
        return
    if ctx.breaks and (start + first) in ctx.breaks:
        ctx.sentence_break(start + first, start + first + 1)


WHITESPACE = Rule("ws", ALWAYS, re.compile(r"\s+"), _whitespace, needs_groups=False)


def _punct(m: re.Match[str], ctx: Context) -> None:
    s = m.group()
    c = s[0]
    if c in "?!":
        ctx.punct("?" if "?" in s else "!", m.start(), m.end())
    elif c == "." and len(s) == 1:
        ctx.punct(".", m.start(), m.end())
    elif c in ".…":
        ctx.punct("...", m.start(), m.end())
    elif c in ",;:、，；：":
        ctx.punct(",", m.start(), m.end())
    elif c in "。！？":
        ctx.punct({"。": ".", "！": "!", "？": "?"}[c], m.start(), m.end())
    else:  # dashes used as pauses
        ctx.punct(",", m.start(), m.end())


PUNCTUATION = Rule(
    "punct",
    ALWAYS,
    re.compile(r"[?!]+|\.{2,}|…+|\.|[,;:、，；：。！？]|(?<=\s)(?:--?|[—–])(?=\s)|—|--"),
    _punct,
    needs_groups=False,
)


def _any(m: re.Match[str], ctx: Context) -> None:
    start, end = m.start(), m.end()
    ch = m.group()
    cat = unicodedata.category(ch)
    major = cat[0]
    if major == "M" or cat == "Cf":
        if not ctx.attach(start, end):
            ctx.silent(start, end)
    elif major in "LN":
        ctx.plain(start, end)
    elif major == "P" or (major == "S" and ch.isascii()):
        ctx.silent(start, end)
    else:  # emoji and other symbols, control, private-use, unassigned, surrogates
        ctx.lost(start, end)


ANY = Rule("any", ALWAYS, re.compile(r"\S"), _any, needs_groups=False)


NON_SPEECH_TAGS = (
    r"laughter|laughs?|laughing|noise|background noise|music|applause|silence|inaudible|unintelligible|"
    r"crosstalk|coughs?|coughing|sighs?|breath|breathing|static|pause|blank_audio|sil|unk|spn|nsn|"
    r"vocalized-noise"
)
_NON_SPEECH_TAG = re.compile(r"<(?:" + NON_SPEECH_TAGS + r")\s*/?>", re.I)


def _non_speech(m: re.Match[str], ctx: Context) -> None:
    ctx.lost(m.start(), m.end())


NON_SPEECH = Rule(
    "nonspeech",
    ALWAYS,
    re.compile(r"[\[(](?i:" + NON_SPEECH_TAGS + r")[\])]"),
    _non_speech,
    needs_groups=False,
)
"""Transcript annotations ("[laughter]", "(applause)"): never read, reported as unspoken."""


def report_non_speech(
    source: str, tokens: tuple[Token, ...], unspoken: tuple[Span, ...]
) -> tuple[tuple[Token, ...], tuple[Span, ...]]:
    """Markup tags for non-speech (`<noise/>`, `<laughter/>`) are reported as unspoken, not silent."""
    if "<" not in source:
        return tokens, unspoken
    kept: list[Token] = []
    reported = list(unspoken)
    for token in tokens:
        if token.is_silent and _NON_SPEECH_TAG.fullmatch(source, token.start, token.end):
            reported.append(Span(token.start, token.end))
        else:
            kept.append(token)
    if len(kept) == len(tokens):
        return tokens, unspoken
    return tuple(kept), tuple(sorted(reported))
