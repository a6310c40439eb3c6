"""E-mail addresses, URLs, domains and file names, handles, hashtags, telephone numbers."""

from __future__ import annotations

import pytest

from tests.text.helpers import said

ELECTRONIC = [
    ("john.doe@example.com", "john dot doe at example dot com"),
    ("Write to info@mynah.org today.", "write to info at mynah dot org today"),
    ("jane_roe42@mail.co.uk", "jane underscore roe four two at mail dot co dot u k"),
    ("a-b@test.io", "a dash b at test dot i o"),
    ("https://www.example.com/path", "h t t p s colon slash slash w w w dot example dot com slash path"),
    ("http://example.org", "h t t p colon slash slash example dot org"),
    ("www.example.com", "w w w dot example dot com"),
    ("Visit example.com.", "visit example dot com"),
    (
        "Go to https://example.com/a-b?x=1 now",
        "go to h t t p s colon slash slash example dot com slash a dash b question mark x equals one now",
    ),
    ("see github.com/mynah/mynah", "see github dot com slash mynah slash mynah"),
    ("the file report.pdf", "the file report dot p d f"),
    ("edit config.yaml", "edit config dot yaml"),
    ("open index.html", "open index dot h t m l"),
    ("Node.js", "node dot j s"),
    ("(https://example.com)", "h t t p s colon slash slash example dot com"),
    ("<https://example.com>", "h t t p s colon slash slash example dot com"),
    ("@user", "at user"),
    ("Follow @mynah_tts for news", "follow at mynah tts for news"),
    ("#TBT", "hashtag t b t"),
    ("#ThrowbackThursday", "hashtag throwback thursday"),
    ("#AI", "hashtag a i"),
    ("#love", "hashtag love"),
    ("#2024goals", "hashtag two thousand twenty four goals"),
]

TELEPHONE = [
    ("1-800-555-0100", "one eight hundred five five five zero one zero zero"),
    ("(555) 123-4567", "five five five one two three four five six seven"),
    ("555-123-4567", "five five five one two three four five six seven"),
    ("555.123.4567", "five five five one two three four five six seven"),
    ("+44 20 7946 0958", "plus four four two zero seven nine four six zero nine five eight"),
    ("+1 (212) 555-0199", "plus one two one two five five five zero one nine nine"),
    ("+1-212-555-0199", "plus one two one two five five five zero one nine nine"),
    ("+33 1 23 45 67 89", "plus three three one two three four five six seven eight nine"),
    ("Call 555-0123 now.", "call five five five zero one two three now"),
    ("Call me at (555) 987-6543.", "call me at five five five nine eight seven six five four three"),
    ("1-800-FLOWERS", "one eight hundred flowers"),
]


@pytest.mark.parametrize(("text", "expected"), ELECTRONIC)
def test_electronic(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), TELEPHONE)
def test_telephone(text: str, expected: str) -> None:
    assert said(text) == expected


def test_telephone_groups_are_paused() -> None:
    from mynah.text import normalize

    assert normalize("(555) 123-4567").text == "five five five, one two three, four five six seven"
