"""Properties over arbitrary input: no crash, spans in bounds, ordered, non-overlapping, nothing lost."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mynah.text import CATEGORIES, NormalizedText, normalize, split_sentences
from mynah.text.normalize.en.plain import EXPANDED_WORDS

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that exercises the rules: digits, separators, currency, letters of both cases, markup, emoji.
_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "\n",
        "\n\n",
        ".",
        ",",
        ":",
        "/",
        "-",
        "–",
        "$",
        "€",
        "£",
        "%",
        "°",
        "@",
        "#",
        "&",
        "*",
        "_",
        "(",
        ")",
        "[",
        "]",
        "<b>",
        "</b>",
        "&amp;",
        "**",
        "`",
        "'",
        '"',
        "+",
        "=",
        "x",
        "½",
        "😀",
        "\u0301",
        "\u200d",
        "\x00",
        "1",
        "3",
        "0",
        "12",
        "1999",
        "2024",
        "3.5",
        "1,234",
        "st",
        "nd",
        "th",
        "am",
        "p.m.",
        "km",
        "kg",
        "mph",
        "Dr.",
        "St.",
        "Mr",
        "III",
        "IV",
        "I",
        "MIX",
        "FBI",
        "NASA",
        "mRNA",
        "e.g.",
        "U.S.",
        "etc",
        "vs",
        "www.",
        ".com",
        "http://",
        "March",
        "May",
        "Jan.",
        "the",
        "in",
        "é",
        "中文",
        "COVID",
        "v",
        "A",
        "B",
        "b",
    ]
)
structured_text = st.lists(_PIECES, max_size=24).map("".join)
any_text = st.text(max_size=60)
categories = st.frozensets(st.sampled_from(sorted(CATEGORIES)))


def check_coverage(text: str, result: NormalizedText) -> None:
    spans = sorted(
        [(t.start, t.end) for t in result.tokens] + [(s.start, s.end) for s in result.unspoken],
    )
    assert [(t.start, t.end) for t in result.tokens] == sorted((t.start, t.end) for t in result.tokens)
    covered = bytearray(len(text))
    last_end = 0
    for start, end in spans:
        assert 0 <= start <= end <= len(text)
        assert start >= last_end, f"overlap at {start} in {text!r}"
        last_end = end
        covered[start:end] = b"\x01" * (end - start)
    for i, ch in enumerate(text):
        assert ch.isspace() or covered[i], f"{ch!r} at {i} of {text!r} is lost"
    for token in result.tokens:
        assert token.start < token.end or token.is_punct
        if not token.is_silent:
            assert token.spoken and token.spoken == token.spoken.strip()
            assert "  " not in token.spoken
    for piece in result.span_map().pieces:
        assert result.text[piece.start : piece.end] == piece.token.spoken
    assert "  " not in result.text
    assert result.text == result.text.strip()


@SETTINGS
@given(any_text)
def test_arbitrary_unicode_never_loses_a_character(text: str) -> None:
    check_coverage(text, normalize(text))


@SETTINGS
@given(structured_text)
def test_rule_heavy_text_never_loses_a_character(text: str) -> None:
    check_coverage(text, normalize(text))


@SETTINGS
@given(structured_text, categories)
def test_limited_categories_never_lose_a_character(text: str, chosen: frozenset[str]) -> None:
    result = normalize(text, categories=chosen)
    check_coverage(text, result)
    produced = {t.category for t in result.tokens} - {"plain", "punct", "silent"}
    assert produced <= chosen


@SETTINGS
@given(st.one_of(any_text, structured_text), st.sampled_from(["fr", "de-DE", "xx", "ja"]))
def test_other_languages_never_lose_a_character(text: str, language: str) -> None:
    check_coverage(text, normalize(text, language=language))


@SETTINGS
@given(st.one_of(any_text, structured_text))
def test_sentences_partition_the_tokens(text: str) -> None:
    result = normalize(text)
    parts = split_sentences(result)
    assert [t for part in parts for t in part.tokens] == list(result.tokens)
    assert sorted(s for part in parts for s in part.unspoken) == sorted(result.unspoken)


@SETTINGS
@given(any_text)
def test_disabled_speaks_the_words_as_written(text: str) -> None:
    # with normalisation off each word is a token of its own (so timings point at it): the words are
    # the input's, only the whitespace between them is one space
    # (a run of marks after a word, "?." or "!?", is spoken as one mark: the sentence end it makes)
    result = normalize(text, enabled=False)
    spoken, written = result.text.split(), text.split()
    assert len(spoken) == len(written)
    for said, word in zip(spoken, written, strict=True):
        if said != word:
            marks = len(word) - len(word.rstrip(".?!,;:…"))
            assert said == word[:-marks] + said[-1], (said, word)
            assert said[-1] in word[-marks:], (said, word)
    assert result.source == text


lower_words = st.lists(st.from_regex(r"[a-z]{1,12}", fullmatch=True), min_size=1, max_size=20)


@SETTINGS
@given(lower_words)
def test_every_plain_lowercase_word_survives(words: list[str]) -> None:
    expected = " ".join(EXPANDED_WORDS.get(w, w) for w in words)
    assert normalize(" ".join(words)).text == expected


@SETTINGS
@given(st.lists(st.from_regex(r"[A-Za-z]{1,10}", fullmatch=True), min_size=1, max_size=12))
def test_every_alphabetic_word_is_spoken(words: list[str]) -> None:
    text = " ".join(words)
    result = normalize(text)
    pos = 0
    for word in words:
        start = text.index(word, pos)
        pos = start + len(word)
        covering = [t for t in result.tokens if t.start < pos and t.end > start]
        assert covering and any(not t.is_silent for t in covering), (word, result.tokens)
