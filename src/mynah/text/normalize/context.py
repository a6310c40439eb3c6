"""The single tokenising pass that rule-based normalisers are built on.

A language supplies an ordered list of `Rule`s. `Tokenizer` joins their patterns into one alternation and
walks the input once with `finditer`: at each position the first rule whose pattern matches wins, and its
handler emits tokens into a `Context`. A handler whose reading is in a category the caller disabled
speaks the characters it matched as written (`Context.verbatim`), so "$5" stays "$5" when "money" is off
rather than falling through to "dollar five".

Handlers may look around (`Context.next_word`, `Context.prev_words`) but never rescan the document.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from mynah.text.normalize.markup import Masked
from mynah.text.normalize.model import PLAIN, PUNCT, SENTENCE_END, SILENT, Span, Token

Handler = Callable[[re.Match[str], "Context"], None]

_NEXT_WORD = re.compile(r"[ \t\u00a0]{0,16}(?:\n[ \t]{0,16})?([^\W\d_][\w'’.-]{0,63}|\d[\w.,:/-]{0,63})")
_WS_SPLIT = re.compile(r"\S+")
_SKIPPED_AFTER_DOT = frozenset(" \t\u00a0\r\n\"'”’)]")


@dataclass(frozen=True)
class Rule:
    """One reading: `pattern` finds it, `handle` emits its tokens.

    `categories` are the categories the rule can produce (besides plain, punct and silent), for readers
    and tests. `needs_groups` False lets the handler work on the big alternation's match (no group
    access), saving a second match for the most frequent rules.
    """

    name: str
    categories: frozenset[str]
    pattern: re.Pattern[str]
    handle: Handler
    needs_groups: bool = True


_GROUP_NAME = re.compile(r"\(\?P([<=])(\w+)")


def _scoped(rule: Rule) -> str:
    """The rule's pattern with its group names prefixed, so rules can reuse names in the alternation."""
    return _GROUP_NAME.sub(lambda m: f"(?P{m.group(1)}{rule.name}_{m.group(2)}", rule.pattern.pattern)


class Tokenizer:
    """A compiled alternation of rules, built once per language and shared by every call."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = {rule.name: rule for rule in rules}
        self._master = re.compile("|".join(f"(?P<{r.name}>{_scoped(r)})" for r in rules))

    def run(self, ctx: Context) -> None:
        view = ctx.view
        rules = self._rules
        for m in self._master.finditer(view):
            name = m.lastgroup
            assert name is not None
            if name == "ws" and "\n" not in m.group():
                continue  # the most frequent match: a plain space
            rule = rules[name]
            if not rule.needs_groups:
                rule.handle(m, ctx)
                continue
            own = rule.pattern.match(view, m.start())
            if own is None or own.end() != m.end():  # pragma: no cover - same pattern, same position
                ctx.verbatim(m.start(), m.end())
                continue
            rule.handle(own, ctx)


class Context:
    """Collects the tokens of one call, in input order, and answers questions about their surroundings."""

    __slots__ = ("_audible", "_recent", "breaks", "enabled", "source", "tokens", "unspoken", "view")

    def __init__(self, source: str, masked: Masked, enabled: frozenset[str]) -> None:
        self.source = source
        self.view = masked.view
        self.breaks = masked.breaks
        self.enabled = enabled
        self.tokens: list[Token] = []
        self.unspoken: list[Span] = []
        self._recent: list[str] = []
        self._audible = -1  # index of the last token that is not silent

    # ------------------------------------------------------------------------------------- emitting

    def on(self, category: str) -> bool:
        return category in self.enabled

    def word(self, spoken: str, start: int, end: int, category: str) -> None:
        """Emit a spoken token reading `source[start:end]`."""
        if not spoken:
            self.silent(start, end)
            return
        self._audible = len(self.tokens)
        self.tokens.append(Token(spoken, start, end, category))
        recent = self._recent
        recent.append(self.view[start:end])
        if len(recent) > 16:
            del recent[:8]

    def plain(self, start: int, end: int) -> None:
        """Speak a word as written, gluing it to a previous word it continues (after a combining mark)."""
        tokens = self.tokens
        text = self.view[start:end]
        if (
            tokens
            and tokens[-1].end == start
            and tokens[-1].category == PLAIN
            and unicodedata.category(self.view[start - 1])[0] == "M"
        ):
            last = tokens[-1]
            tokens[-1] = Token(last.spoken + text, last.start, end, PLAIN)
            return
        self._audible = len(tokens)
        tokens.append(Token(text, start, end, PLAIN))
        recent = self._recent
        recent.append(text)
        if len(recent) > 16:
            del recent[:8]

    def silent(self, start: int, end: int) -> None:
        if start < end:
            self.tokens.append(Token("", start, end, SILENT))

    def verbatim(self, start: int, end: int) -> None:
        """Speak `view[start:end]` exactly as written, one plain token per whitespace-separated chunk."""
        for m in _WS_SPLIT.finditer(self.view, start, end):
            self.word(m.group(), m.start(), m.end(), PLAIN)

    def attach(self, start: int, end: int) -> bool:
        """Glue combining marks to the plain word or unreadable run they follow; False if neither."""
        tokens = self.tokens
        if tokens and tokens[-1].end == start and tokens[-1].category == PLAIN:
            last = tokens[-1]
            tokens[-1] = Token(last.spoken + self.view[start:end], last.start, end, PLAIN)
            return True
        if self.unspoken and self.unspoken[-1].end == start:
            self.lost(start, end)
            return True
        return False

    def lost(self, start: int, end: int) -> None:
        """Report characters we cannot read."""
        if self.unspoken and self.unspoken[-1].end == start:
            start = self.unspoken.pop().start
        self.unspoken.append(Span(start, end))

    def punct(self, mark: str, start: int, end: int) -> None:
        """Emit prosodic punctuation, folding runs (`?!`, `!!!`, `,.`) into the strongest mark."""
        i = self._audible
        if i < 0:
            self.silent(start, end)
            return
        prev = self.tokens[i]
        if prev.category == PUNCT:
            if mark in SENTENCE_END and prev.spoken not in SENTENCE_END:
                self.tokens[i] = Token("", prev.start, prev.end, SILENT)
                self._audible = len(self.tokens)
                self.tokens.append(Token(mark, start, end, PUNCT))
            else:
                self.silent(start, end)
            self._recent.append(mark)
            return
        self._audible = len(self.tokens)
        self.tokens.append(Token(mark, start, end, PUNCT))
        self._recent.append(mark)

    def sentence_break(self, start: int, end: int) -> None:
        """A paragraph or block boundary: a full stop unless the last audible token already is one."""
        i = self._audible
        if i < 0 or self.tokens[i].category == PUNCT:
            return
        self._audible = len(self.tokens)
        self.tokens.append(Token(".", start, end, PUNCT))
        self._recent.append(".")

    # ---------------------------------------------------------------------------------- looking around

    def prev_words(self, n: int = 1) -> list[str]:
        """The input text of the last `n` spoken tokens (or punctuation marks), newest first."""
        return self._recent[: -n - 1 : -1] if n else []

    def prev_word(self) -> str:
        return self._recent[-1] if self._recent else ""

    def next_word(self, pos: int) -> str:
        """The word (or number-led chunk) following `pos` on the same or the next line, else ""."""
        m = _NEXT_WORD.match(self.view, pos)
        return m.group(1) if m else ""

    def next_char(self, pos: int) -> str:
        return self.view[pos] if pos < len(self.view) else ""

    def sentence_ends_after(self, pos: int, starters: Iterable[str] | None = None) -> bool:
        """Whether a `.` ending at `pos` also ends the sentence.

        True at the end of the text, before a blank line, or before a capitalised word (restricted to
        `starters`, lower-cased, when given).
        """
        view = self.view
        i = pos
        n = len(view)
        newlines = 0
        while i < n and (view[i] in _SKIPPED_AFTER_DOT or unicodedata.category(view[i])[0] == "S"):
            if view[i] == "\n":
                newlines += 1
            i += 1
        if i >= n or newlines >= 2:
            return True
        if pos == i or not view[i].isupper():
            return False
        if starters is None:
            return True
        word = _NEXT_WORD.match(view, i)
        return word is not None and word.group(1).rstrip(".").lower() in starters

    def finish(self, masks: Sequence[tuple[int, int]]) -> tuple[tuple[Token, ...], tuple[Span, ...]]:
        """Add silent tokens for markup not already inside a token; return tokens and unspoken spans."""
        tokens = self.tokens
        if masks:
            tokens = _merge_masks(tokens, masks)
        return tuple(tokens), tuple(self.unspoken)


def _merge_masks(tokens: list[Token], masks: Sequence[tuple[int, int]]) -> list[Token]:
    extra: list[Token] = []
    ti = 0
    for a, b in masks:
        # parts of [a, b) not covered by any token become silent tokens
        while ti < len(tokens) and tokens[ti].end <= a:
            ti += 1
        pos = a
        j = ti
        while pos < b:
            if j < len(tokens) and tokens[j].start < b:
                tok = tokens[j]
                if tok.start > pos:
                    extra.append(Token("", pos, tok.start, SILENT))
                pos = max(pos, tok.end)
                j += 1
            else:
                extra.append(Token("", pos, b, SILENT))
                pos = b
    if not extra:
        return tokens
    return list(heapq.merge(tokens, extra, key=lambda t: t.start))
