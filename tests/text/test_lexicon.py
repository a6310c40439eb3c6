"""Lexicon parsing (PLS 1.0 and JSON) and the matcher's rules: whole words, case, longest, precedence."""

from __future__ import annotations

import json
import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mynah.errors import InvalidRequest, PayloadTooLarge, UnsupportedMediaType
from mynah.text.lexicon import (
    MAX_ENTRIES,
    MAX_LEXICON_BYTES,
    Lexicon,
    LexiconEntry,
    LexiconMatcher,
    detect_format,
    entry_json,
    parse_json,
    parse_lexicon,
    parse_pls,
)
from mynah.text.lexicon import pls as pls_module

PLS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<lexicon version="1.0" alphabet="{alphabet}" xml:lang="en-US"'
    ' xmlns="http://www.w3.org/2005/01/pronunciation-lexicon">\n'
)


def pls(body: str, alphabet: str = "ipa") -> str:
    return PLS_HEAD.format(alphabet=alphabet) + body + "\n</lexicon>\n"


def lexicon(name: str, mapping: dict[str, str]) -> Lexicon:
    """A lexicon of aliases, in the order given."""
    return Lexicon(name, None, tuple(LexiconEntry((g,), alias=a) for g, a in mapping.items()))


def spoken(matcher: LexiconMatcher, text: str) -> list[tuple[str, str | None]]:
    return [(text[m.start : m.end], m.entry.alias or m.entry.ipa) for m in matcher.find(text)]


# ------------------------------------------------------------------------------------------ PLS


def test_pls_with_alias_phoneme_and_metadata() -> None:
    doc = pls(
        '<meta name="author" content="me"/>\n'
        '<metadata><dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">Tech</dc:title></metadata>\n'
        "<lexeme><grapheme>tomato</grapheme><phoneme>təˈmɑːtoʊ</phoneme></lexeme>\n"
        "<lexeme role='noun'><grapheme>SQL</grapheme><alias>sequel</alias>"
        "<example>SQL is a query language</example></lexeme>\n"
    )
    parsed = parse_pls(doc.encode("utf-8"), "tech")
    assert parsed == Lexicon(
        "tech",
        "en-US",
        (LexiconEntry(("tomato",), ipa="təˈmɑːtoʊ"), LexiconEntry(("SQL",), alias="sequel")),
    )


def test_pls_multiple_graphemes_and_preferred_pronunciation() -> None:
    doc = pls(
        "<lexeme>\n  <grapheme>colour</grapheme>\n  <grapheme>color</grapheme>\n"
        "  <phoneme>ˈkʌlə</phoneme>\n  <phoneme prefer='true'>ˈkʌlɚ</phoneme>\n</lexeme>\n"
        "<lexeme><grapheme>  New\n   York </grapheme><alias>new york</alias><alias>NYC</alias></lexeme>"
    )
    colour, york = parse_pls(doc, "x").entries
    assert colour == LexiconEntry(("colour", "color"), ipa="ˈkʌlɚ")
    assert york == LexiconEntry(("New York",), alias="new york")  # whitespace collapsed; first wins


def test_pls_preferred_alias_beats_an_earlier_phoneme() -> None:
    doc = pls(
        "<lexeme><grapheme>W3C</grapheme><phoneme>dʌbəl</phoneme><alias prefer='true'>W 3 C</alias></lexeme>"
    )
    assert parse_pls(doc, "x").entries[0] == LexiconEntry(("W3C",), alias="W 3 C")


def test_pls_x_sampa_is_converted_to_ipa() -> None:
    doc = pls('<lexeme><grapheme>tomato</grapheme><phoneme>t@"meItoU</phoneme></lexeme>', "x-sampa")
    assert parse_pls(doc, "x").entries[0].ipa == "təˈmeɪtoʊ"
    # a phoneme's own alphabet wins over the lexicon's
    mixed = pls('<lexeme><grapheme>data</grapheme><phoneme alphabet="x-sampa">"deIt@</phoneme></lexeme>')
    assert parse_pls(mixed, "x").entries[0].ipa == "ˈdeɪtə"


def test_pls_in_a_declared_legacy_encoding() -> None:
    doc = pls("<lexeme><grapheme>café</grapheme><alias>caff ay</alias></lexeme>")
    data = doc.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    assert parse_pls(data, "x").entries[0].graphemes == ("café",)


def test_pls_without_namespace_or_language() -> None:
    parsed = parse_pls(
        "<lexicon version='1.0' alphabet='ipa'><lexeme><grapheme>a</grapheme>"
        "<alias>b</alias></lexeme></lexicon>",
        "x",
    )
    assert parsed.language is None and len(parsed.entries) == 1


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (
            pls("<lexeme><grapheme>a</grapheme><alias>b</alias>\n</lexem>"),
            ["line 4", "column 3", "mismatched"],
        ),
        ("<lexicon", ["line 1", "column"]),
        ("", ["line 1"]),
        (pls("<lexeme><grapheme>a</grapheme></lexeme>"), ["line 3", "alias", "phoneme"]),
        (pls("<lexeme><alias>b</alias></lexeme>"), ["grapheme"]),
        (pls("<lexeme><grapheme> </grapheme><alias>b</alias></lexeme>"), ["empty grapheme"]),
        (pls("<lexeme><grapheme>a</grapheme><alias> </alias></lexeme>"), ["empty", "alias"]),
        (pls("<lexeme><grapheme>a</grapheme><phoneme>x</phoneme></lexeme>", "arpabet"), ["arpabet"]),
        (pls("<lexeme><grapheme>a</grapheme><phoneme alphabet='klingon'>x</phoneme></lexeme>"), ["klingon"]),
        (pls("<lexeme><grapheme>a</grapheme><bogus/></lexeme>"), ["bogus", "line 3"]),
        (pls("<word>a</word>"), ["word"]),
        (pls("stray text"), ["unexpected text"]),
        ("<speak>hi</speak>", ["root", "lexicon"]),
        ("<lexicon version='2.0'/>", ["version"]),
        ("<lexicon xmlns='urn:other'/>", ["namespace"]),
        ("<lexicon xml:lang='not a tag'/>", ["language tag"]),
        (pls("<lexeme><grapheme>a</grapheme><alias prefer='maybe'>b</alias></lexeme>"), ["prefer"]),
    ],
)
def test_bad_pls_names_the_problem(document: str, words: list[str]) -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_pls(document, "x")
    message = caught.value.message.lower()
    for word in words:
        assert word.lower() in message, message


@pytest.mark.parametrize(
    "document",
    [
        # billion laughs
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        "<lexicon>&lol2;</lexicon>",
        # XXE
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<lexicon><lexeme><grapheme>&xxe;</grapheme><alias>a</alias></lexeme></lexicon>",
        '<!DOCTYPE lexicon SYSTEM "http://example.com/pls.dtd"><lexicon/>',
    ],
)
def test_doctype_and_entities_are_refused(document: str) -> None:
    with pytest.raises(InvalidRequest, match="DOCTYPE"):
        parse_pls(document, "x")


def test_size_and_entry_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PayloadTooLarge, match="limit"):
        parse_pls(b" " * (MAX_LEXICON_BYTES + 1), "x")
    with pytest.raises(PayloadTooLarge, match="limit"):
        parse_json(" " * (MAX_LEXICON_BYTES + 1), "x")
    with pytest.raises(PayloadTooLarge, match="100,000 entries"):
        parse_json(json.dumps({f"w{i}": "x" for i in range(MAX_ENTRIES + 1)}), "x")
    # a PLS lexeme takes 50 bytes or more, so only a lower limit can be reached within the size limit
    monkeypatch.setattr(pls_module, "MAX_ENTRIES", 10)
    eleven = pls("<lexeme><grapheme>a</grapheme><alias>b</alias></lexeme>" * 11)
    with pytest.raises(PayloadTooLarge, match="10 entries"):
        parse_pls(eleven, "x")


# ------------------------------------------------------------------------------------------ JSON


def test_json_plain_map() -> None:
    data = {
        "word": "alias text",
        "tomato": {"ipa": "təˈmɑːtoʊ"},
        "SQL": {"alias": "sequel"},
        "data": {"x-sampa": '"deIt@'},
    }
    parsed = parse_json(json.dumps(data).encode(), "j")
    assert parsed == Lexicon(
        "j",
        None,
        (
            LexiconEntry(("word",), alias="alias text"),
            LexiconEntry(("tomato",), ipa="təˈmɑːtoʊ"),
            LexiconEntry(("SQL",), alias="sequel"),
            LexiconEntry(("data",), ipa="ˈdeɪtə"),
        ),
    )


def test_json_wrapped_forms() -> None:
    mapped = parse_json('{"language": "en-GB", "entries": {"tomato": {"ipa": "təˈmɑːtəʊ"}}}', "j")
    assert mapped.language == "en-GB"
    assert mapped.entries == (LexiconEntry(("tomato",), ipa="təˈmɑːtəʊ"),)
    listed = parse_json(
        '{"entries": [{"graphemes": ["colour", "color"], "ipa": "ˈkʌlɚ"}, {"grapheme": "nginx", '
        '"alias": "engine x"}]}',
        "j",
    )
    assert listed.language is None
    assert listed.entries == (
        LexiconEntry(("colour", "color"), ipa="ˈkʌlɚ"),
        LexiconEntry(("nginx",), alias="engine x"),
    )
    # a plain map with a word that happens to be "language" is still a plain map
    plain = parse_json('{"language": "lang gwidge", "entries": "en trees"}', "j")
    assert [e.graphemes[0] for e in plain.entries] == ["language", "entries"]


def test_json_round_trips_through_entry_json() -> None:
    original = parse_json('{"tomato": {"ipa": "təˈmɑːtoʊ"}, "SQL": "sequel"}', "j")
    again = parse_json(json.dumps({"entries": [entry_json(e) for e in original.entries]}), "j")
    assert again.entries == original.entries


def test_json_with_byte_order_mark() -> None:
    assert parse_json(b"\xef\xbb\xbf" + b'{"a": "b"}', "j").entries[0].alias == "b"


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ('{"a": "b",\n "c": }', ["line 2", "column"]),
        ("[1, 2]", ["object"]),
        ('"just text"', ["object"]),
        ('{"a": 3}', ["'a'", "string"]),
        ('{"a": {"ipa": "x", "alias": "y"}}', ["'a'", "exactly one"]),
        ('{"a": {}}', ["'a'", "exactly one"]),
        ('{"a": {"arpabet": "x"}}', ["'a'", "arpabet"]),
        ('{"a": {"ipa": ""}}', ["'a'", "non-empty"]),
        ('{"a": ""}', ["'a'", "non-empty"]),
        ('{" ": "b"}', ["empty grapheme"]),
        ('{"a": "b", "a": "c"}', ["'a'", "twice"]),
        ('{"language": 3, "entries": {}}', ["language"]),
        ('{"language": "no such tag!", "entries": {}}', ["language tag"]),
        ('{"entries": [{"alias": "x"}]}', ["entries[0]", "grapheme"]),
        ('{"entries": [{"graphemes": [], "alias": "x"}]}', ["entries[0]", "non-empty list"]),
        ('{"entries": ["x"]}', ["entries[0]", "object"]),
        ('{"' + "a" * 300 + '": "b"}', ["limit"]),
        ("[" * 100_000, ["deeply"]),
    ],
)
def test_bad_json_names_the_problem(document: str, words: list[str]) -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_json(document, "x")
    message = caught.value.message.lower()
    for word in words:
        assert word.lower() in message, message


def test_json_that_is_not_utf8() -> None:
    with pytest.raises(InvalidRequest, match="UTF-8"):
        parse_json(b'{"caf\xe9": "x"}', "x")


# ------------------------------------------------------------------------------------------ detecting


@pytest.mark.parametrize(
    ("content_type", "data", "expected"),
    [
        ("application/pls+xml", b"<lexicon/>", "pls"),
        ("application/xml; charset=utf-8", b"<lexicon/>", "pls"),
        ("TEXT/XML", b"<lexicon/>", "pls"),
        ("application/json", b"{}", "json"),
        (None, b"\xef\xbb\xbf  <?xml version='1.0'?><lexicon/>", "pls"),
        (None, b'\n {"a": "b"}', "json"),
        ("application/octet-stream", b"{}", "json"),
        ("text/plain", "<lexicon/>", "pls"),
    ],
)
def test_format_detection(content_type: str | None, data: bytes | str, expected: str) -> None:
    assert detect_format(data, content_type) == expected


def test_format_detection_refuses_other_documents_and_types() -> None:
    with pytest.raises(InvalidRequest, match=r"PLS .* or JSON"):
        detect_format(b"tomato = tomahto", None)
    with pytest.raises(UnsupportedMediaType, match="image/png"):
        detect_format(b"<lexicon/>", "image/png")


def test_parse_lexicon_dispatches() -> None:
    assert parse_lexicon(b'{"a": "b"}', "n").entries[0].alias == "b"
    doc = pls("<lexeme><grapheme>a</grapheme><alias>c</alias></lexeme>")
    assert parse_lexicon(doc.encode(), "n", content_type="application/pls+xml").entries[0].alias == "c"
    with pytest.raises(InvalidRequest, match="malformed JSON"):
        parse_lexicon(doc.encode(), "n", content_type="application/json")


def test_entry_needs_exactly_one_of_alias_and_ipa() -> None:
    with pytest.raises(InvalidRequest, match="exactly one"):
        LexiconEntry(("a",), alias="b", ipa="c")
    with pytest.raises(InvalidRequest, match="exactly one"):
        LexiconEntry(("a",))
    with pytest.raises(InvalidRequest, match="grapheme"):
        LexiconEntry((), alias="b")


# ------------------------------------------------------------------------------------------ matching


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomato Tomato TOMATO", [("tomato", "T"), ("Tomato", "T"), ("TOMATO", "T")]),
        ("US us Us", [("US", "you ess")]),
        ("SQL sql Sql", [("SQL", "sequel")]),
        ("tomatoes, tomato's, green-tomato", [("tomato", "T"), ("tomato", "T")]),
        ("xtomato tomato2 2tomato tomato_", [("tomato", "T")]),
        (
            "I ♥ New York. new york! NEW\n  YORK",
            [("New York", "NYC"), ("new york", "NYC"), ("NEW\n  YORK", "NYC")],
        ),
        ("New Yorker", []),
        ("rock 'n' roll", [("rock 'n' roll", "rocknroll")]),
        ("rock 'n' rolls", []),
        ("Ça va, ÇA VA, çava", [("Ça va", "sava"), ("ÇA VA", "sava")]),
        ("STRASSE Straße", [("STRASSE", "street"), ("Straße", "street")]),
        ("naïve naïvety", [("naïve", "nigh eve")]),
        ("cafe\u0301 cafe", [("cafe", "caff")]),  # a combining accent is part of the word
        ("東京 と 東京都", [("東京", "tokyo")]),  # no spaces in Japanese: 東京都 is one run of letters
        ("", []),
    ],
)
def test_matcher_rules(text: str, expected: list[tuple[str, str]]) -> None:
    matcher = LexiconMatcher(
        [
            lexicon(
                "rules",
                {
                    "tomato": "T",
                    "US": "you ess",
                    "SQL": "sequel",
                    "new york": "NYC",
                    "rock 'n' roll": "rocknroll",
                    "ça va": "sava",
                    "straße": "street",
                    "naïve": "nigh eve",
                    "cafe": "caff",
                    "東京": "tokyo",
                },
            )
        ]
    )
    assert spoken(matcher, text) == expected


def test_longest_match_first() -> None:
    matcher = LexiconMatcher([lexicon("l", {"new": "knew", "new york": "NYC", "new york city": "the city"})])
    assert spoken(matcher, "new york city hall, new york state, new yorkshire") == [
        ("new york city", "the city"),
        ("new york", "NYC"),
        ("new", "knew"),
    ]


def test_matches_do_not_overlap_and_run_left_to_right() -> None:
    matcher = LexiconMatcher([lexicon("l", {"a b": "1", "b c": "2", "c": "3"})])
    assert spoken(matcher, "a b c") == [("a b", "1"), ("c", "3")]


def test_earlier_lexicons_win() -> None:
    first = lexicon("first", {"tomato": "one"})
    second = lexicon("second", {"tomato": "two", "potato": "three"})
    assert spoken(LexiconMatcher([first, second]), "tomato potato") == [
        ("tomato", "one"),
        ("potato", "three"),
    ]
    assert spoken(LexiconMatcher([second, first]), "tomato") == [("tomato", "two")]


def test_exact_case_beats_any_case_within_a_lexicon_but_not_an_earlier_lexicon() -> None:
    both = lexicon("both", {"us": "uhs", "US": "you ess"})
    assert spoken(LexiconMatcher([both]), "US us Us") == [("US", "you ess"), ("us", "uhs"), ("Us", "uhs")]
    lower_first = LexiconMatcher([lexicon("a", {"us": "uhs"}), lexicon("b", {"US": "you ess"})])
    assert spoken(lower_first, "US") == [("US", "uhs")]


def test_first_entry_wins_within_a_lexicon() -> None:
    lex = Lexicon("l", None, (LexiconEntry(("read",), alias="reed"), LexiconEntry(("read",), alias="red")))
    assert spoken(LexiconMatcher([lex]), "read") == [("read", "reed")]


def test_a_shorter_match_is_used_when_the_longer_one_ends_inside_a_word() -> None:
    matcher = LexiconMatcher([lexicon("l", {"new": "knew", "new york": "NYC"})])
    assert spoken(matcher, "new yorkers") == [("new", "knew")]


def test_phoneme_entries_match_too() -> None:
    lex = parse_json('{"tomato": {"ipa": "təˈmɑːtoʊ"}}', "l")
    (match,) = LexiconMatcher([lex]).find("A tomato.")
    assert (match.start, match.end, match.entry.ipa) == (2, 8, "təˈmɑːtoʊ")


def test_empty_matcher() -> None:
    assert not LexiconMatcher([])
    assert LexiconMatcher([]).find("anything") == []


def test_ten_thousand_entries_over_ten_thousand_words() -> None:
    rng = random.Random(7)
    words = sorted(
        {"".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 10))) for _ in range(10_000)}
    )
    big = Lexicon("big", None, tuple(LexiconEntry((w, w.upper()), alias=w[::-1]) for w in words))
    text = " ".join(rng.choice(words) if rng.random() < 0.5 else "filler," for _ in range(10_000))
    matches = LexiconMatcher([big]).find(text)
    assert len(matches) == sum(1 for w in text.split() if w != "filler,")


# ------------------------------------------------------------------------------------------ properties

_ALPHABET = "abAB 'é-.\nßSs1"
_graphemes = (
    st.text(alphabet=_ALPHABET, min_size=1, max_size=6).map(lambda s: " ".join(s.split())).filter(bool)
)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "\u0301"


def _matches_grapheme(piece: str, grapheme: str) -> bool:
    piece = " ".join(piece.split())
    if grapheme == grapheme.lower():
        return piece.casefold() == grapheme.casefold()
    return piece == grapheme


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_graphemes, min_size=1, max_size=6), min_size=1, max_size=3),
    st.text(alphabet=_ALPHABET + "\u0301", max_size=60),
)
def test_matches_never_overlap_and_always_slice_to_a_grapheme(
    lexicon_graphemes: list[list[str]], text: str
) -> None:
    lexicons = [
        Lexicon(f"l{i}", None, tuple(LexiconEntry((g,), alias=f"{i}:{g}") for g in graphemes))
        for i, graphemes in enumerate(lexicon_graphemes)
    ]
    matches = LexiconMatcher(lexicons).find(text)
    previous_end = 0
    for match in matches:
        assert previous_end <= match.start < match.end <= len(text)
        previous_end = match.end
        piece = text[match.start : match.end]
        assert any(_matches_grapheme(piece, g) for g in match.entry.graphemes), (piece, match.entry)
        assert match.start == 0 or not _is_word(text[match.start - 1])
        assert match.end == len(text) or not _is_word(text[match.end])
