"""Long-form documents for speech jobs: Markdown to SSML, one chapter per heading.

A heading is spoken on its own, with a longer pause before it (a chapter break) and after it; a blank
line ends a paragraph; emphasis, code spans, images and link targets are dropped and the link text is
kept; fenced code blocks and HTML are not read out. Every chapter starts with an SSML
`<mark name="chapter-N"/>`, so timings give where each chapter begins.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"`([^`]*)`")
_HTML = re.compile(r"<[^>]+>")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_QUOTE = re.compile(r"^\s*>\s?")


def _inline(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):
        text = _EMPHASIS.sub(r"\2", text)
    return _HTML.sub("", text).strip()


def markdown_to_ssml(markdown: str) -> str:
    """An SSML document that reads `markdown` aloud, chapter by chapter."""
    blocks: list[str] = []
    paragraph: list[str] = []
    chapter = 0
    fenced = False

    def flush() -> None:
        text = " ".join(p for p in paragraph if p)
        paragraph.clear()
        if text:
            blocks.append(f"<p>{escape(text)}</p>")

    def heading(title: str) -> None:
        nonlocal chapter
        flush()
        chapter += 1
        pause = '<break time="1200ms"/>' if blocks else ""
        blocks.append(f'{pause}<mark name="chapter-{chapter}"/><p>{escape(title)}</p><break time="600ms"/>')

    for line in markdown.splitlines():
        if line.strip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        if match := _HEADING.match(line):
            heading(_inline(match.group(2)))
            continue
        if _SETEXT.match(line) and paragraph and len(paragraph) == 1:
            title = paragraph.pop()
            heading(title)
            continue
        if not line.strip():
            flush()
            continue
        line = _QUOTE.sub("", _LIST.sub("", line))
        paragraph.append(_inline(line))
    flush()
    return "<speak>" + "".join(blocks) + "</speak>"
