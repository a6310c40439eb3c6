"""The public API: spans back to the input, limited categories, disabled mode, languages, errors."""

from __future__ import annotations

import importlib

import pytest

import mynah.text
from mynah.errors import InvalidRequest
from mynah.text import CATEGORIES, NormalizedText, NormalizerRegistry, Span, Token, normalize
from mynah.text.normalize import NeutralNormalizer, Normalizer, default_registry, split_sentences

SENTENCES = [
    "Dr. Smith paid $3.50 on 2024-03-15 at 3:30 p.m.",
    "In 1999, 1,234 people ran 5 km; the FBI and NASA watched.",
    "Email john.doe@example.com or call (555) 123-4567.",
    "King George III read Chapter IV of **the book** &amp; more.",
    "COVID-19 hit in 2020, e.g. in the U.S. and the UK.",
    "It's 72°F — ½ the 1990s' heat! Really?",
]


def test_public_api_is_pinned() -> None:
    assert set(mynah.text.__all__) == {
        "CATEGORIES",
        "NormalizedText",
        "Normalizer",
        "NormalizerRegistry",
        "Span",
        "SpanMap",
        "Token",
        "normalize",
        "split_sentences",
    }
    package = importlib.import_module("mynah.text.normalize")  # the attribute is the function
    assert set(mynah.text.__all__) <= set(package.__all__)
    for name in package.__all__:
        assert hasattr(package, name)


@pytest.mark.parametrize("text", SENTENCES)
def test_plain_tokens_slice_the_input_to_what_they_read(text: str) -> None:
    result = normalize(text)
    for token in result.tokens:
        assert text[token.start : token.end] == token.span.slice(text)
        if token.category == "plain":
            assert token.spoken == text[token.start : token.end]


@pytest.mark.parametrize(
    ("text", "piece", "spoken", "category"),
    [
        ("Paid $3.50 today", "$3.50", "three dollars fifty cents", "money"),
        ("on 2024-03-15.", "2024-03-15", "march fifteenth twenty twenty four", "date"),
        ("at 3:30 p.m. sharp", "3:30 p.m.", "three thirty p m", "time"),
        ("King George III", "III", "the third", "roman"),
        ("the FBI", "FBI", "f b i", "acronym"),
        ("Dr. Who", "Dr.", "doctor", "abbreviation"),
        ("ran 5 km", "5 km", "five kilometers", "measure"),
        ("in 1999", "1999", "nineteen ninety nine", "date"),
        ("1,234 people", "1,234", "one thousand two hundred thirty four", "cardinal"),
        ("the 3rd", "3rd", "third", "ordinal"),
        ("mail a@b.com", "a@b.com", "a at b dot com", "electronic"),
        (
            "call 555-123-4567",
            "555-123-4567",
            "five five five, one two three, four five six seven",
            "telephone",
        ),
        ("a B2B deal", "B2B", "b two b", "code"),
        ("salt & pepper", "&", "and", "symbol"),
        ("3/4", "3/4", "three quarters", "fraction"),
        ("3.14", "3.14", "three point one four", "decimal"),
        ("10-20", "10-20", "ten to twenty", "range"),
    ],
)
def test_each_token_knows_its_span_and_category(text: str, piece: str, spoken: str, category: str) -> None:
    result = normalize(text)
    matching = [t for t in result.tokens if t.spoken == spoken]
    assert len(matching) == 1, result.tokens
    token = matching[0]
    assert text[token.start : token.end] == piece
    assert token.category == category


def test_span_map_maps_spoken_offsets_back_to_the_input() -> None:
    text = "Dr. Smith paid $3.50."
    result = normalize(text)
    assert result.text == "doctor Smith paid three dollars fifty cents."
    spans = result.span_map()
    assert spans.source_span(result.text.index("doctor")) == Span(0, 3)
    assert spans.source_span(result.text.index("fifty")) == Span(15, 20)
    assert spans.source_span(result.text.index("Smith") + 2) == Span(4, 9)
    assert spans.source_span(result.text.index(" paid")) is None  # the space between words
    assert spans.source_span(len(result.text) - 1) == Span(20, 21)  # the full stop
    assert spans.source_range(0, len(result.text)) == Span(0, 21)
    assert spans.source_range(result.text.index("three"), result.text.index("three") + 5) == Span(15, 20)
    for piece in spans.pieces:
        assert result.text[piece.start : piece.end] == piece.token.spoken
    token = spans.token_at(result.text.index("dollars"))
    assert token is not None and token.category == "money"


def test_limited_categories_expand_only_those() -> None:
    text = "On 2024-03-15 I paid $5 for 3 apples."
    only_money = normalize(text, categories={"money"})
    assert only_money.text == "On 2024-03-15 I paid five dollars for 3 apples."
    only_cardinals = normalize(text, categories=["cardinal"])
    assert only_cardinals.text == "On 2024-03-15 I paid $5 for three apples."
    nothing = normalize(text, categories=())
    assert nothing.text == "On 2024-03-15 I paid $5 for 3 apples."
    assert {t.category for t in nothing.tokens} <= {"plain", "punct", "silent"}


def test_limited_categories_keep_spans_and_punctuation() -> None:
    result = normalize("Dr. Smith, 1999.", categories={"cardinal"})
    assert result.text == "Dr. Smith, 1999."
    for token in result.tokens:
        if token.category == "plain":
            assert result.source[token.start : token.end] == token.spoken


def test_unknown_category_is_an_invalid_request() -> None:
    with pytest.raises(InvalidRequest) as info:
        normalize("5", categories={"money", "bogus"})
    assert info.value.param == "categories"
    assert "bogus" in info.value.message
    with pytest.raises(InvalidRequest):
        normalize("5", categories="money")


def test_disabled_returns_the_text_as_is() -> None:
    """Nothing is expanded, but each word keeps its own span (word timings point at it) and the marks
    that end sentences stay punctuation, so sentences are still cut (issue 19)."""
    text = "Dr. Smith paid $3.50\n\non 2024-03-15. Then he left!"
    result = normalize(text, enabled=False)
    assert result.text == "Dr. Smith paid $3.50 on 2024-03-15. Then he left!"
    assert [(t.spoken, t.category) for t in result.tokens] == [
        ("Dr.", "plain"),
        ("Smith", "plain"),
        ("paid", "plain"),
        ("$3.50", "plain"),
        ("on", "plain"),
        ("2024-03-15", "plain"),
        (".", "punct"),
        ("Then", "plain"),
        ("he", "plain"),
        ("left", "plain"),
        ("!", "punct"),
    ]
    assert all(text[t.start : t.end] == t.spoken for t in result.tokens)
    assert result.span_map().source_span(5) == Span(4, 9)  # "Smith"
    assert [s.text for s in split_sentences(result)] == [
        "Dr. Smith paid $3.50 on 2024-03-15.",
        "Then he left!",
    ]
    assert normalize("", enabled=False).tokens == ()


def test_empty_and_blank_input() -> None:
    assert normalize("").text == ""
    assert normalize("   \n\t ").text == ""
    assert normalize("").tokens == ()


def test_emoji_and_control_characters_are_reported_unspoken() -> None:
    text = "Great job 👍🏽 ok\x07!"
    result = normalize(text)
    assert result.text == "Great job ok!"
    assert [text[s.start : s.end] for s in result.unspoken] == ["👍🏽", "\x07"]


def test_combining_marks_stay_with_their_word() -> None:
    text = "cafe\u0301 ne\u0301e"
    result = normalize(text)
    assert [t.spoken for t in result.words] == ["cafe\u0301", "ne\u0301e"]


def test_registry_serves_english_and_falls_back_for_other_languages() -> None:
    registry = default_registry()
    assert "en" in registry.languages()
    assert isinstance(registry.get("en-GB"), Normalizer)
    assert registry.get("en_US").language == "en"
    french = normalize("J'ai 21 ans et 3,5 kilos.", language="fr")
    assert french.language == "fr"
    assert "vingt et un" in french.text
    unknown = normalize("Zahl 42 hier", language="xx")
    assert unknown.text == "Zahl 42 hier"
    assert normalize("42", language="").text == "42"


def test_neutral_normalizer_honours_categories_and_markup() -> None:
    german = NeutralNormalizer("de-DE")
    assert german.language == "de-DE"
    result = german.normalize("**Es sind 7 Tage.**", categories=CATEGORIES)
    assert result.text == "Es sind sieben Tage."
    assert german.normalize("7", categories=frozenset()).text == "7"


def test_a_new_language_plugs_in() -> None:
    class Shouting:
        language = "x-shout"

        def normalize(self, text: str, *, categories: frozenset[str]) -> NormalizedText:
            return NormalizedText(text, (Token(text.upper(), 0, len(text), "plain"),), (), "x-shout")

    registry = NormalizerRegistry([Shouting()])
    assert registry.get("X-SHOUT").normalize("hi", categories=CATEGORIES).text == "HI"
    assert isinstance(registry.get("fr"), NeutralNormalizer)


def test_normalized_text_helpers() -> None:
    result = normalize("Hi, 5!")
    assert str(result) == "Hi, five!"
    assert [t.spoken for t in result.words] == ["Hi", "five"]
    assert result.span == Span(0, 6)
    assert len(Span(2, 5)) == 3
    assert [p.token.spoken for p in result.iter_pieces()] == ["Hi", ",", "five", "!"]


def test_the_documented_example_holds() -> None:
    import doctest

    package = importlib.import_module("mynah.text.normalize")
    assert doctest.testmod(package).failed == 0


def test_results_are_immutable_and_text_is_required() -> None:
    import dataclasses

    result = normalize("5")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "six"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.tokens[0].spoken = "six"  # type: ignore[misc]
    with pytest.raises(TypeError):
        normalize(None)  # type: ignore[arg-type]


def test_english_rules_declare_every_category() -> None:
    from mynah.text.normalize.en.normalizer import RULES

    declared = set().union(*(rule.categories for rule in RULES))
    assert declared == CATEGORIES - {"markup"}
    assert len({rule.name for rule in RULES}) == len(RULES)
