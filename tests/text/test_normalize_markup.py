"""Markdown and HTML are stripped without losing words, and markup characters are silent tokens."""

from __future__ import annotations

import pytest

from mynah.text import normalize
from tests.text.helpers import said

MARKUP = [
    ("**bold** text", "bold text"),
    ("*italic* and _also italic_", "italic and also italic"),
    ("__strong__ words", "strong words"),
    ("~~struck~~ out", "struck out"),
    ("Run `pip install mynah` now", "run pip install mynah now"),
    ("# Heading", "heading"),
    ("### Third level ###", "third level"),
    ("Read [the docs](https://example.com/docs) first.", "read the docs first"),
    ("![a cat](cat.png)", "a cat"),
    ("See [this][ref] too", "see this too"),
    ("- milk\n- eggs", "milk eggs"),
    ("* one item", "one item"),
    ("1. Preheat the oven", "one preheat the oven"),
    ("> quoted line", "quoted line"),
    ("- [x] done task", "done task"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "a b one two"),
    ("text\n\n---\n\nmore", "text more"),
    ("<b>bold</b> and <i>italic</i>", "bold and italic"),
    ('<a href="https://x.com">link</a>', "link"),
    ("Fish &amp; chips", "fish and chips"),
    ("5 &lt; 6", "five less than six"),
    ("caf&eacute;", "café"),
    ("a&nbsp;b", "a b"),
    ("<p>Hello</p><p>World</p>", "hello world"),
    ("<!-- a comment -->visible", "visible"),
    ("<script>var x = 1;</script>after", "after"),
    ("snake_case_name stays", "snake case name stays"),
    ("2 * 3 = 6", "two times three equals six"),
    ("**$5** only", "five dollars only"),
    ("Call **555-123-4567**", "call five five five one two three four five six seven"),
]


@pytest.mark.parametrize(("text", "expected"), MARKUP)
def test_markup_is_stripped(text: str, expected: str) -> None:
    assert said(text) == expected


def test_markup_characters_are_silent_tokens() -> None:
    result = normalize("**Hi** [there](http://x.io)")
    silent = "".join(result.source[t.start : t.end] for t in result.tokens if t.is_silent)
    assert silent == "****[](http://x.io)"
    assert result.text == "Hi there"


def test_headings_and_list_items_end_sentences() -> None:
    result = normalize("# Shopping\n- milk\n- eggs\nDone")
    assert result.text == "Shopping. milk. eggs. Done"


def test_markup_category_off_keeps_the_characters() -> None:
    assert "link" in said("[link](x)", categories={"cardinal"})
    assert normalize("&amp;", categories={"symbol"}).text == "and amp,"
    assert normalize("&amp;", categories={"markup"}).text == "&"
    assert normalize("&amp;").text == "and"
