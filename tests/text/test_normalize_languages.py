"""Every language with its own rules: spans into the original input (a property over generated text with
numbers, dates and money in the language's own formats), and the language chosen per span (voice,
SSML xml:lang, <lang>)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mynah.text import CATEGORIES, normalize
from mynah.text.normalize import default_registry
from mynah.text.normalize.intl.normalizer import LANGUAGES
from mynah.tts.plan import Say, build_plan
from tests.support import LiveServer
from tests.text.test_normalize_properties import check_coverage

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces each language writes: its separators, ordinal marks, month names, currencies, units.
_LOCAL: dict[str, list[str]] = {
    "cs": ["1 234,5", "3.", "3. 5.", "května", "Kč", ",- Kč", "mil.", "např.", "km", "století", "IV", "ve"],
    "da": ["1.234,5", "3.", "maj", "kl.", "kr.", "mia.", "f.eks.", "km", "km/t", "Frederik", "X", "IV"],
    "de": ["1.234,5", "3.", "Mai", "Uhr", "€", "Mio.", "z. B.", "km", "Jh.", "am", "der", "XIV."],
    "es": ["1.234,5", "1.º", "1.ª", "de", "mayo", "h", "€", "millones", "p. ej.", "km", "siglo", "XXI"],
    "fi": [
        "1 234,5",
        "3.",
        "toukokuuta",
        "klo",
        "€",
        "euroa",
        "milj.",
        "esim.",
        "km",
        "km/h",
        "III",
        "24.12.",
    ],
    "fr": ["1\u202f234,5", "1er", "2e", "XIXe", "mai", "14h30", "€", "M€", "c.-à-d.", "km", "siècle"],
    "it": ["1.234,5", "1º", "2°", "maggio", "€", "milioni", "ecc.", "km", "secolo", "XX", "Sig."],
    "nb": ["1 234,5", "3.", "mai", "kl.", "kr", ",-", "mill.", "f.eks.", "km/t", "Harald", "V", "X"],
    "nl": ["1.234,5", "3e", "8ste", "mei", "uur", "€", "12,-", "mln", "bijv.", "t/m", "km", "eeuw", "III"],
    "pl": ["1 234,5", "3.", "3-ci", "maja", "r.", "roku", "o", "zł", "mln", "np.", "km", "wieku", "II"],
    "no": ["1 234,5", "3.", "mai", "kl.", "kr", "mrd.", "bl.a.", "Olav", "V"],
    "pt": ["1.234,5", "1.º", "1.ª", "de", "maio", "14h30", "R$", "€", "milhões", "p. ex.", "século"],
    "ru": [
        "1 234,5",
        "5-го",
        "3-я",
        "мая",
        "года",
        "г.",
        "₽",
        "руб.",
        "млн",
        "т. е.",
        "км",
        "веке",
        "XIX",
        "при",
        "королеве",
        "Марии",
        "II",
        "правила",
    ],
    "tr": [
        "1.234,5",
        "3.",
        "'da",
        "'üncü",
        "%",
        "Mayıs",
        "saat",
        "TL",
        "₺",
        "vb.",
        "km",
        "III.",
        "yüzyıl",
        "Selim",
    ],
    "uk": [
        "1 234,5",
        "5-й",
        "3-го",
        "травня",
        "р.",
        "році",
        "о",
        "₴",
        "грн",
        "млн",
        "т. д.",
        "км",
        "столітті",
        "XIX",
        "Петра",
        "цариці",
        "I",
        "поховали",
    ],
    "sv": ["1 234,5", "1:a", "3:e", "maj", "kl.", "kr", ":-", "mkr", "t.ex.", "km", "-talet", "XII"],
}
_SHARED = [
    " ",
    " ",
    "\u00a0",
    "\n",
    ".",
    ",",
    ":",
    "/",
    "-",
    "–",
    "%",
    "°C",
    "+",
    "(",
    ")",
    "0",
    "1",
    "3",
    "12",
    "03",
    "2024",
    "1999",
    "14:30",
    "03.05.2024",
    "03/05/2024",
    "2024-05-03",
    "+49 30 1234567",
    "1/2",
    "½",
    "10–20",
    "Ab",
    "😀",
    "\u0301",
]


def _texts(language: str) -> st.SearchStrategy[str]:
    pieces = st.lists(st.sampled_from(_LOCAL[language] + _SHARED), max_size=28).map("".join)
    return st.one_of(pieces, pieces, st.text(max_size=60))


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@SETTINGS
@given(data=st.data())
def test_every_spoken_word_points_into_the_original_input(language: str, data: st.DataObject) -> None:
    text = data.draw(_texts(language))
    result = normalize(text, language=language)
    check_coverage(text, result)
    for token in result.words:
        written = text[token.start : token.end]
        assert written.strip(), (token, text)
        if any(c.isdecimal() for c in token.spoken):
            continue  # a number spoken as written (a category switched off, or too long to read)
        assert not token.spoken[0].isdecimal()


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@SETTINGS
@given(data=st.data(), chosen=st.frozensets(st.sampled_from(sorted(CATEGORIES))))
def test_switched_off_categories_read_as_written(
    language: str, data: st.DataObject, chosen: frozenset[str]
) -> None:
    text = data.draw(_texts(language))
    result = normalize(text, language=language, categories=chosen)
    check_coverage(text, result)
    assert {t.category for t in result.tokens} - {"plain", "punct", "silent"} <= chosen


def test_each_language_has_its_own_rules_and_regional_tags_find_them() -> None:
    registry = default_registry()
    for code in LANGUAGES:
        assert registry.get(code).language == code
    assert registry.get("pt-BR").language == "pt"
    assert registry.get("de_AT").language == "de"


def test_a_token_reading_a_date_spans_exactly_the_date() -> None:
    text = "Am 3. Mai 2024 zahlte er 12,50 €."
    result = normalize(text, language="de")
    spans = {t.spoken: text[t.start : t.end] for t in result.words}
    assert spans["dritten Mai zweitausendvierundzwanzig"] == "3. Mai 2024"
    assert spans["zwölf Euro fünfzig"] == "12,50 €"


def _spoken(plan_text: str, **kwargs: object) -> list[tuple[str | None, str]]:
    plan = build_plan(plan_text, **kwargs)  # type: ignore[arg-type]
    return [(s.language, s.script.text) for s in plan.steps if isinstance(s, Say)]


def test_the_voice_language_chooses_the_rules() -> None:
    (said,) = _spoken("Es kostet 5 €.", language="de")
    assert said[1] == "Es kostet fünf Euro."


def test_ssml_xml_lang_and_lang_switch_rules_per_span() -> None:
    doc = (
        '<speak xml:lang="de-DE">Am 3. Mai zahlte er 5 €. '
        '<lang xml:lang="fr-FR">Le 1er mai, il a payé 5 €.</lang> '
        '<lang xml:lang="es">El 1.º de mayo pagó 21 €.</lang></speak>'
    )
    assert [text for _, text in _spoken(doc)] == [
        "Am dritten Mai zahlte er fünf Euro.",
        "Le premier mai, il a payé cinq euros.",
        "El primero de mayo pagó veintiún euros.",
    ]


def test_over_http_the_request_language_and_the_voice_choose_the_rules(live_server: LiveServer) -> None:
    import json

    import httpx

    text = "Am 3. Mai kostet es 12,50 €."
    answer = httpx.post(f"{live_server.v1}/text/normalize", json={"input": text, "language": "de"}).json()
    assert answer["text"] == "Am dritten Mai kostet es zwölf Euro fünfzig."
    assert {t["source"] for t in answer["tokens"] if t["category"] == "money"} == {"12,50 €"}
    marks = httpx.post(
        f"{live_server.v1}/mynah/speech",
        json={"input": text, "voice": "espeak:de", "output": "marks"},
        timeout=60,
    )
    assert marks.status_code == 200, marks.text
    words = [json.loads(line) for line in marks.text.splitlines() if '"word"' in line]
    assert {w["value"] for w in words} >= {"3. Mai", "12,50 €"}
    assert all(text[w["start"] : w["end"]] == w["value"] for w in words)


@pytest.mark.parametrize(
    ("language", "text", "money"),
    [
        ("da", "Billetten kostede 125 kr. Toget kørte.", "125 kr"),
        ("sv", "Det kostar 12,50 kr. Sen gick vi.", "12,50 kr"),
    ],
)
def test_a_currency_abbreviation_s_dot_also_ends_the_sentence(language: str, text: str, money: str) -> None:
    result = normalize(text, language=language)
    spoken = [(t.category, text[t.start : t.end]) for t in result.tokens if t.category in ("money", "punct")]
    assert spoken[:2] == [("money", money), ("punct", ".")]
    assert normalize("Det koster 125 kr. om måneden.", language="da").text.count(".") == 1
