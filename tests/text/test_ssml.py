from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mynah.errors import InvalidText
from mynah.text.ssml import AudioClip, Boundary, Break, Mark, Phoneme, Text, looks_like_ssml, parse_ssml
from mynah.text.xsampa import xsampa_to_ipa


def texts(doc_units: object) -> list[str]:
    return [u.text for u in doc_units if isinstance(u, Text)]  # type: ignore[attr-defined]


def test_spans_point_into_the_original_input() -> None:
    source = '<speak>Grüße &amp; <emphasis>hello</emphasis> <sub alias="World Wide Web">WWW</sub></speak>'
    doc = parse_ssml(source)
    for unit in doc.units:
        if isinstance(unit, Text) and unit.text.strip():
            original = source[unit.span[0] : unit.span[1]]
            assert original.replace("&amp;", "&") == unit.text or unit.text == "World Wide Web"
    sub = next(u for u in doc.units if isinstance(u, Text) and u.text == "World Wide Web")
    assert source[sub.span[0] : sub.span[1]] == "WWW"


@pytest.mark.parametrize(
    ("markup", "seconds"),
    [
        ('<break time="500ms"/>', 0.5),
        ('<break time="2s"/>', 2.0),
        ('<break time="1.5s"/>', 1.5),
        ('<break strength="x-strong"/>', 1.2),
        ('<break strength="none"/>', 0.0),
        ("<break/>", 0.4),
    ],
)
def test_breaks(markup: str, seconds: float) -> None:
    doc = parse_ssml(f"<speak>a {markup} b</speak>")
    assert [u.seconds for u in doc.units if isinstance(u, Break)] == [seconds]


@pytest.mark.parametrize(
    ("attrs", "rate", "pitch", "volume"),
    [
        ('rate="50%"', 0.5, 1.0, 0.0),
        ('rate="+50%"', 1.5, 1.0, 0.0),
        ('rate="x-slow"', 0.5, 1.0, 0.0),
        ('rate="1.25"', 1.25, 1.0, 0.0),
        ('pitch="+12st"', 1.0, 2.0, 0.0),
        ('pitch="x-high"', 1.0, 2**0.5, 0.0),
        ('pitch="-50%"', 1.0, 0.5, 0.0),
        ('volume="+6dB"', 1.0, 1.0, 6.0),
        ('volume="loud"', 1.0, 1.0, 6.0),
        ('volume="silent"', 1.0, 1.0, -math.inf),
    ],
)
def test_prosody_values(attrs: str, rate: float, pitch: float, volume: float) -> None:
    doc = parse_ssml(f"<speak><prosody {attrs}>word</prosody></speak>")
    (unit,) = [u for u in doc.units if isinstance(u, Text)]
    assert unit.context.prosody.rate == pytest.approx(rate)
    assert unit.context.prosody.pitch == pytest.approx(pitch)
    assert unit.context.prosody.volume_db == volume


def test_prosody_nests_multiplicatively() -> None:
    doc = parse_ssml('<speak><prosody rate="50%">a <prosody rate="50%">b</prosody></prosody></speak>')
    rates = {u.text.strip(): u.context.prosody.rate for u in doc.units if isinstance(u, Text)}
    assert rates == {"a": 0.5, "b": 0.25}


def test_every_element() -> None:
    doc = parse_ssml(
        '<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">'
        '<lexicon uri="https://example.com/names.pls" xml:id="names"/>'
        "<p><s>One.</s><s>Two.</s></p>"
        '<say-as interpret-as="date" format="mdy">12/25/2024</say-as>'
        '<phoneme alphabet="ipa" ph="təˈmɑːtəʊ">tomato</phoneme>'
        '<lang xml:lang="fr-FR">bonjour</lang>'
        '<voice name="espeak:de">hallo</voice>'
        '<mark name="here"/>'
        '<audio src="chime.wav">ding<desc>a chime</desc></audio>'
        '<lookup ref="names">Siobhan</lookup>'
        "</speak>"
    )
    kinds = [type(u).__name__ for u in doc.units]
    assert kinds.count("Boundary") == 3  # two sentences and a paragraph
    assert doc.language == "en-US"
    assert doc.lexicons[0].id == "names"
    say_as = next(u for u in doc.units if isinstance(u, Text) and u.context.say_as)
    assert say_as.context.say_as is not None and say_as.context.say_as.format == "mdy"
    assert next(u for u in doc.units if isinstance(u, Phoneme)).ipa == "təˈmɑːtəʊ"
    by_text = {u.text: u for u in doc.units if isinstance(u, Text)}
    assert by_text["bonjour"].context.language == "fr-FR"
    assert by_text["hallo"].context.voice == "espeak:de"
    assert by_text["Siobhan"].context.lexicons == ("names",)
    assert any(isinstance(u, Mark) and u.name == "here" for u in doc.units)
    clip = next(u for u in doc.units if isinstance(u, AudioClip))
    assert clip.src == "chime.wav" and [f.text for f in clip.fallback if isinstance(f, Text)] == ["ding"]
    assert "a chime" not in " ".join(texts(doc.units))
    assert isinstance(doc.units[-1], Text | Boundary)


def test_xsampa() -> None:
    assert xsampa_to_ipa('t@"meItoU') == "təˈmeɪtoʊ"
    assert xsampa_to_ipa("r\\") == "ɹ"
    assert xsampa_to_ipa("t_h") == "tʰ"
    doc = parse_ssml('<speak><phoneme alphabet="x-sampa" ph="{p@l">apple</phoneme></speak>')
    assert next(u for u in doc.units if isinstance(u, Phoneme)).ipa == "æpəl"


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("<speak>\n  <p>unclosed\n</speak>", ["line 3", "column"]),
        ("<speak><break time='soon'/></speak>", ["break time"]),
        ("<speak><prosody rate='warp'>x</prosody></speak>", ["rate"]),
        ("<speak><prosody rate='1000%'>x</prosody></speak>", ["rate"]),
        ("<speak><bogus>x</bogus></speak>", ["unknown element", "bogus"]),
        ("<voice>x</voice>", ["root", "speak"]),
        ("<speak><sub>x</sub></speak>", ["alias"]),
        ("<speak><phoneme>x</phoneme></speak>", ["ph"]),
        ("<speak><phoneme alphabet='klingon' ph='x'>x</phoneme></speak>", ["alphabet"]),
        ("<speak><mark/></speak>", ["mark", "name"]),
        ("<speak><say-as>x</say-as></speak>", ["interpret-as"]),
        ("", ["line 1"]),
        ("<speak>", ["line 1"]),
        ('<!DOCTYPE speak [<!ENTITY x "boom">]><speak>&x;</speak>', ["doctype"]),
        ('<!DOCTYPE speak SYSTEM "file:///etc/passwd"><speak>x</speak>', ["doctype"]),
        ("<speak>" + "<prosody rate='fast'>" * 100 + "x" + "</prosody>" * 100 + "</speak>", ["deeper"]),
    ],
)
def test_malformed_ssml_names_the_problem(source: str, words: list[str]) -> None:
    with pytest.raises(InvalidText) as info:
        parse_ssml(source)
    for word in words:
        assert word.lower() in info.value.message.lower()


def test_billion_laughs_is_refused_fast() -> None:
    lol = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(10)
    )
    with pytest.raises(InvalidText, match="DOCTYPE"):
        parse_ssml(lol + "]><speak>&lol9;</speak>")


def test_size_limit() -> None:
    with pytest.raises(InvalidText, match="limit"):
        parse_ssml("<speak>" + "a" * 300_000 + "</speak>")


def test_looks_like_ssml() -> None:
    assert looks_like_ssml("  <speak>hi</speak>")
    assert looks_like_ssml('<?xml version="1.0"?>\n<speak>hi</speak>')
    assert not looks_like_ssml("I <3 speakers")


@given(st.text(max_size=200))
def test_arbitrary_text_inside_speak_never_crashes_and_keeps_words(body: str) -> None:
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    try:
        doc = parse_ssml(f"<speak>{escaped}</speak>")
    except InvalidText:
        return  # e.g. control characters XML forbids: a clean error is fine
    assert "".join(texts(doc.units)) == body.replace("\r\n", "\n").replace("\r", "\n")


@given(st.text(max_size=200))
def test_arbitrary_input_is_either_parsed_or_a_clean_error(source: str) -> None:
    with contextlib.suppress(InvalidText):
        parse_ssml(source)
