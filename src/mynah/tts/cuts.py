"""Where a plan cuts a sentence into the pieces one engine call speaks (`mynah.tts.plan`).

first_unit(tokens, language)   a long FIRST sentence: its first phrase, then the rest, so the
                               first audio is out after a few words, not the whole sentence
bounded(tokens, limit)         any sentence: parts under `limit` spoken characters, cut at a
                               clause mark (or a word), so streaming stays responsive
"""

from __future__ import annotations

from mynah.text.normalize import PUNCT, Token

MAX_SAY_CHARS = 400
"""The longest text one engine call speaks; longer sentences are cut at a clause mark or a word."""

FIRST_SAY_CHARS = 80
"""A plan's first sentence longer than this is cut at its first clause mark (after a few words), so
the first audio is out after the engine has spoken that clause, not the whole sentence."""

FIRST_UNIT_MAX_WORDS = 10
"""When that first clause mark comes later than this many words (or never), an English sentence is
cut instead before the first conjunction or preposition after a few words: Piper needs about 20 ms
a word on two cores (bench/piper_phrases.py, load 1-3: 3 words 86 ms, 13 words 302 ms), so a
30-word clause would hold the first audio back for over half a second."""

_CLAUSE_MARKS = frozenset({",", ";", ":", "—", "–"})
_FIRST_CLAUSE_MIN_WORDS = 3
_FIRST_PHRASE_MIN_WORDS = 4
_ENGLISH_OPENERS = (
    "about above across after against along among around at because before behind below beneath "
    "beside between beyond but by despite during for from if in inside into near nor of off on "
    "onto or over since through throughout toward towards under unless until upon whereas "
    "whether which while who whom whose with within without"
)
_PHRASE_OPENERS = {"en": frozenset(_ENGLISH_OPENERS.split())}
"""Words a phrase begins with, so a cut before one falls where a speaker may breathe. Left out: words
that as often begin no phrase ("that", "so", "to", "and" between two nouns, "as")."""


def bounded(tokens: list[Token], limit: int) -> list[list[Token]]:
    """`tokens` in parts whose spoken text stays under `limit` characters: a part that would grow past
    it ends after its last clause mark in its second half, else before the word that overflows.
    Punctuation always stays with the word before it; a single word longer than `limit` is a part."""
    parts: list[list[Token]] = []
    current: list[Token] = []
    size = 0
    for token in tokens:
        if current and token.category != PUNCT and size + len(token.spoken) > limit:
            cut = _clause_cut(current) or len(current)
            parts.append(current[:cut])
            current = current[cut:]
            size = sum(len(t.spoken) + 1 for t in current)
        current.append(token)
        size += len(token.spoken) + 1
    if current:
        parts.append(current)
    return parts


def first_unit(tokens: list[Token], language: str) -> list[list[Token]]:
    """A long first sentence as its first phrase and the rest. The cut is at a pause the sentence
    already has (a clause mark after a few words, with words after it), so it cannot be heard; when
    no clause mark comes within FIRST_UNIT_MAX_WORDS words, before the first phrase opener after a
    few words (English). No comma is added there: Piper joe then pauses 0.13 s at the cut (0.05 s
    speaking the sentence whole); with a comma added, 0.35 s, longer than at a real comma (0.21 s);
    bench/realtime_tts.py measures both seams."""
    if sum(len(t.spoken) + 1 for t in tokens) <= FIRST_SAY_CHARS:
        return [tokens]
    words = 0
    opener: int | None = None
    openers = _PHRASE_OPENERS.get(language.split("-")[0].lower(), frozenset())
    for index, token in enumerate(tokens):
        if token.category == PUNCT:
            if token.spoken in _CLAUSE_MARKS and words >= _FIRST_CLAUSE_MIN_WORDS:
                if words <= FIRST_UNIT_MAX_WORDS or opener is None:
                    return _cut_after(tokens, index + 1) or [tokens]
                break
            continue
        if (
            opener is None
            and words >= _FIRST_PHRASE_MIN_WORDS
            and words < FIRST_UNIT_MAX_WORDS
            and token.spoken.lower() in openers
        ):
            opener = index
        words += 1
    if opener is None:
        return [tokens]
    return _cut_after(tokens, opener) or [tokens]


def _cut_after(tokens: list[Token], index: int) -> list[list[Token]] | None:
    """`tokens` as `tokens[:index]` and the rest, if the rest has a few words to speak."""
    rest = tokens[index:]
    if sum(t.category != PUNCT for t in rest) < _FIRST_CLAUSE_MIN_WORDS:
        return None
    return [tokens[:index], rest]


def _clause_cut(tokens: list[Token]) -> int | None:
    """Where to end a part: just after the last clause mark in the second half of `tokens`."""
    for index in range(len(tokens) - 1, len(tokens) // 2 - 1, -1):
        if tokens[index].category == PUNCT and tokens[index].spoken in _CLAUSE_MARKS:
            return index + 1
    return None
