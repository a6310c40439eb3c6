"""Markdown and HTML stripping that keeps every offset.

`mask(text)` returns a *view* of the text with exactly the same length: markup characters are replaced by
spaces and HTML entities by the character they stand for (padded with spaces), so every later rule works
on the view while its offsets stay offsets of the original text. The masked ranges are reported so they
become `silent` tokens, and the ends of block lines (headings, list items, table rows, ...) are reported
as sentence breaks.

Stripped: HTML tags, comments, `<script>`/`<style>` bodies, entities; Markdown headings, emphasis,
strike-through, inline code ticks, code fences, links and images (the link text or alt text is kept,
the URL is silent), reference-link definitions, block quotes, bullets, task boxes, table pipes and
rules. Ordered-list numbers are kept: "1. Preheat" is read "one. Preheat".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_CHEAP_CHECK = re.compile(r"[<>&*_#`\[\]|~=+•-]")

# (pattern, group numbers whose ranges are masked; empty = whole match)
_HTML_BLOCKS = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s+[^<>]*?)?/?>")
_AUTOLINK = re.compile(r"(<)(?:https?://|mailto:|www\.)[^\s<>]+(>)|(<)[\w.+-]+@[\w-]+(?:\.[\w-]+)+(>)")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")

_FENCE = re.compile(r"^[ \t]*(?:```|~~~).*$", re.M)
_HEADING = re.compile(r"^([ \t]{0,3}#{1,6})(?:[ \t]+|$)(?:.*?([ \t]+#+[ \t]*)$)?", re.M)
_SETEXT_OR_RULE = re.compile(r"^[ \t]{0,3}(?:=+|-{2,}|(?:[-*_][ \t]*){3,})[ \t]*$", re.M)
_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.M)
_BULLET = re.compile(r"^[ \t]*([-*+•])[ \t]+(\[[ xX]\][ \t]+)?", re.M)
_TABLE_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?)?[ \t]*$", re.M)
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_LINK_DEF = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.M)
_IMAGE_OR_LINK = re.compile(
    r"(!?\[)([^\[\]\n]*)(\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:[ \t]+\"[^\"\n]*\")?\)|\]\[[^\]\n]*\])"
)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPH_STAR = re.compile(r"(?<![\w*])(\*)(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EMPH_UNDER = re.compile(r"(?<![\w_])(_)(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"(~~)(?=\S)(.+?)(?<=\S)~~")
_CODE_TICKS = re.compile(r"(`+)(?=[^`])(.+?)(?<=[^`])\1")


@dataclass(frozen=True)
class Masked:
    """`view` has the length of the original text; `masks` are sorted, merged, non-empty ranges."""

    view: str
    masks: tuple[tuple[int, int], ...] = ()
    breaks: frozenset[int] = frozenset()


def unmasked(text: str) -> Masked:
    return Masked(text)


def mask(text: str) -> Masked:
    """Blank out markup in `text`, keeping its length; see the module docstring."""
    if not _CHEAP_CHECK.search(text):
        return Masked(text)
    chars = list(text)
    ranges: list[tuple[int, int]] = []
    breaks: set[int] = set()

    def blank(a: int, b: int) -> None:
        if a < b:
            chars[a:b] = " " * (b - a)
            ranges.append((a, b))

    def blank_groups(m: re.Match[str], *groups: int) -> None:
        for g in groups:
            if m.group(g) is not None:
                blank(m.start(g), m.end(g))

    def line_break_after(m: re.Match[str]) -> None:
        nl = text.find("\n", m.end())
        if nl >= 0:
            breaks.add(nl)

    for m in _HTML_BLOCKS.finditer(text):
        blank(m.start(), m.end())
    for m in _AUTOLINK.finditer(text):
        blank_groups(m, 1, 2, 3, 4)
    for m in _HTML_TAG.finditer(text):
        if chars[m.start()] == "<":  # not already blanked
            blank(m.start(), m.end())
    for m in _ENTITY.finditer(text):
        if chars[m.start()] != "&":
            continue
        decoded = html.unescape(m.group())
        width = m.end() - m.start()
        if decoded == m.group() or len(decoded) > width:
            continue
        if decoded.isspace():
            blank(m.start(), m.end())
            continue
        chars[m.start() : m.start() + len(decoded)] = decoded
        blank(m.start() + len(decoded), m.end())
    for m in _FENCE.finditer(text):
        blank(m.start(), m.end())
        line_break_after(m)
    for m in _LINK_DEF.finditer(text):
        blank(m.start(), m.end())
    for m in _TABLE_RULE.finditer(text):
        blank(m.start(), m.end())
    for m in _TABLE_ROW.finditer(text):
        row = m.group()
        for i, ch in enumerate(row):
            if ch == "|":
                blank(m.start() + i, m.start() + i + 1)
        line_break_after(m)
    for m in _SETEXT_OR_RULE.finditer(text):
        blank(m.start(), m.end())
        if m.start() > 0:
            breaks.add(m.start() - 1)
    for m in _HEADING.finditer(text):
        blank_groups(m, 1, 2)
        line_break_after(m)
    for m in _QUOTE.finditer(text):
        blank(m.start(), m.end())
    for m in _BULLET.finditer(text):
        blank_groups(m, 1, 2)
        line_break_after(m)
    for m in _IMAGE_OR_LINK.finditer(text):
        blank_groups(m, 1, 3)
    for pattern in (_STRONG, _STRIKE, _EMPH_STAR, _EMPH_UNDER, _CODE_TICKS):
        for m in pattern.finditer("".join(chars)):
            blank(m.start(1), m.end(1))
            closing = m.end() - len(m.group(1))
            blank(closing, m.end())
    if not ranges:
        return Masked(text)
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for a, b in ranges:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return Masked("".join(chars), tuple(merged), frozenset(breaks))
