"""Abbreviations and titles, acronyms, Roman numerals, codes and serials, symbols, plain words."""

from __future__ import annotations

import pytest

from tests.text.helpers import said

ABBREVIATIONS = [
    ("Dr. Smith lives on Elm Dr.", "doctor smith lives on elm drive"),
    ("St. Patrick's Day", "saint patrick's day"),
    ("I live at 12 Baker St. in London.", "i live at twelve baker street in london"),
    ("We met St. John on Main St. yesterday.", "we met saint john on main street yesterday"),
    ("Mr. and Mrs. Jones", "mister and misses jones"),
    ("Ms. Lee", "miz lee"),
    ("Prof. Adams", "professor adams"),
    ("Mr Brown", "mister brown"),
    ("Dr Who", "doctor who"),
    ("Martin Luther King Jr. spoke.", "martin luther king junior spoke"),
    ("John Smith Sr.", "john smith senior"),
    ("Gen. Patton", "general patton"),
    ("Capt. Hook", "captain hook"),
    ("Lt. Dan", "lieutenant dan"),
    ("Mt. Everest", "mount everest"),
    ("Ft. Worth", "fort worth"),
    ("Apples, pears, etc. are fruit.", "apples pears et cetera are fruit"),
    ("fruit, e.g. apples", "fruit for example apples"),
    ("one fruit, i.e. an apple", "one fruit that is an apple"),
    ("cats vs. dogs", "cats versus dogs"),
    ("cats vs dogs", "cats versus dogs"),
    ("Roe v. Wade", "roe versus wade"),
    ("approx. 20 people", "approximately twenty people"),
    ("No. 5", "number five"),
    ("no. 10", "number ten"),
    ("No. I won't.", "no i won't"),
    ("see p. 12", "see page twelve"),
    ("pp. 10-20", "pages ten to twenty"),
    ("Vol. 3", "volume three"),
    ("Fig. 2", "figure two"),
    ("ca. 1850", "circa eighteen fifty"),
    ("est. 1901", "established nineteen oh one"),
    ("Acme Inc. makes anvils.", "acme incorporated makes anvils"),
    ("Acme Ltd.", "acme limited"),
    ("Warner Bros. Pictures", "warner brothers pictures"),
    ("Smith et al. showed", "smith et al showed"),
    ("coffee w/ milk", "coffee with milk"),
    ("tea w/o sugar", "tea without sugar"),
    ("5th Ave.", "fifth avenue"),
    ("Sunset Blvd", "sunset boulevard"),
    ("Abbey Rd", "abbey road"),
    ("Apt. 4B", "apartment four b"),
    ("Mon. and Tue.", "monday and tuesday"),
    ("Jan. was cold", "january was cold"),
    ("a.k.a. Bob", "also known as bob"),
    ("the U.S. Army", "the u s army"),
    ("the U.K.", "the u k"),
    ("a Ph.D. student", "a p h d student"),
    ("C. S. Lewis", "c s lewis"),
    ("J.R.R. Tolkien", "j r r tolkien"),
    ("Washington, D.C.", "washington d c"),
    ("Dept. of Energy", "department of energy"),
    ("He lives on Elm Dr. St. Mary's is near.", "he lives on elm drive saint mary's is near"),
    ("The U.N. met on Dec. 10.", "the u n met on december tenth"),
]

ACRONYMS = [
    ("FBI", "f b i"),
    ("The FBI said so.", "the f b i said so"),
    ("NASA", "nasa"),
    ("NATO allies", "nato allies"),
    ("UNESCO", "unesco"),
    ("CEO", "c e o"),
    ("the CEO's office", "the c e o's office"),
    ("three CEOs", "three c e o's"),
    ("mRNA vaccines", "m r n a vaccines"),
    ("a PhD", "a p h d"),
    ("iOS and Android", "i o s and android"),
    ("HTML and CSS", "h t m l and c s s"),
    ("an HTTP request", "an h t t p request"),
    ("the BBC", "the b b c"),
    ("DNA", "d n a"),
    ("USB-C", "u s b c"),
    ("OK", "okay"),
    ("the IEEE standard", "the i triple e standard"),
    ("AAA batteries", "triple a batteries"),
    ("FIFA", "fifa"),
    ("OPEC", "opec"),
    ("JSON files", "json files"),
    ("NYPD", "n y p d"),
    ("UCLA", "u c l a"),
    ("ESPN", "e s p n"),
    ("STOP", "stop"),
    ("DO NOT ENTER", "do not enter"),
    ("THIS IS IMPORTANT", "this is important"),
    ("I", "i"),
    ("a B+ grade", "a b plus grade"),
    ("FBI-led raid", "f b i led raid"),
    ("Plan B", "plan b"),
]

ROMAN = [
    ("King George III", "king george the third"),
    ("Henry VIII", "henry the eighth"),
    ("Louis XIV", "louis the fourteenth"),
    ("Queen Elizabeth II", "queen elizabeth the second"),
    ("Pope John Paul II", "pope john paul the second"),
    ("Chapter IV", "chapter four"),
    ("World War II", "world war two"),
    ("World War I", "world war one"),
    ("Part III", "part three"),
    ("Super Bowl LVII", "super bowl fifty seven"),
    ("Rocky II", "rocky two"),
    ("Star Wars Episode IV", "star wars episode four"),
    ("Type II diabetes", "type two diabetes"),
    ("Henry I", "henry the first"),
    ("I think so.", "i think so"),
    ("You and I", "you and i"),
    ("Then I left.", "then i left"),
    ("MIX", "mix"),
    ("CIVIL rights", "civil rights"),
    ("Washington DC", "washington d c"),
    ("my CV", "my c v"),
    ("Vitamin C", "vitamin c"),
    ("Thurston Howell III", "thurston howell the third"),
    ("in this part I explain why", "in this part i explain why"),
    ("see part I.", "see part one"),
    ("Act V, Scene II", "act five scene two"),
    ("Henry V. The king", "henry the fifth the king"),
]

CODES = [
    ("B2B", "b two b"),
    ("A4", "a four"),
    ("COVID-19", "covid nineteen"),
    ("iPhone 15", "iphone fifteen"),
    ("MP3", "m p three"),
    ("MP3s", "m p threes"),
    ("3D", "three d"),
    ("4K", "four k"),
    ("v2.1.3", "version two point one point three"),
    ("v10.4", "version ten point four"),
    ("version 2.1.3", "version two point one point three"),
    ("192.168.1.1", "one hundred ninety two dot one hundred sixty eight dot one dot one"),
    ("F-16", "f sixteen"),
    ("R2-D2", "r two d two"),
    ("H2O", "h two o"),
    ("CO2", "c o two"),
    ("Y2K", "y two k"),
    ("PS5", "p s five"),
    ("G7", "g seven"),
    ("x86", "x eighty six"),
    ("a 5-year-old", "a five year old"),
    ("post-1945", "post nineteen forty five"),
    ("Windows 11", "windows eleven"),
    ("Form 1040", "form ten forty"),
]

SYMBOLS = [
    ("salt & pepper", "salt and pepper"),
    ("AT&T", "a t and t"),
    ("R&D", "r and d"),
    ("#1 hit", "number one hit"),
    ("C# and F#", "c sharp and f sharp"),
    ("meet @ noon", "meet at noon"),
    ("§ 5", "section five"),
    ("© 2024", "copyright twenty twenty four"),
    ("x²", "x squared"),
    ("and/or", "and or"),
    ("a + b", "a plus b"),
    ("90°", "ninety degrees"),
    ("in °C or °F", "in degrees celsius or degrees fahrenheit"),
    ("the π ratio", "the pi ratio"),
    ("well-known", "well known"),
    ("mother-in-law", "mother in law"),
    ("don't", "don't"),
    ("rock'n'roll", "rock'n'roll"),
    ("café", "café"),
    ("naïve résumé", "naïve résumé"),
    ("Wait... what?", "wait what"),
    ("Yes!!!", "yes"),
    ("He said — quietly — no.", "he said quietly no"),
    ("(see above)", "see above"),
    ("“quoted”", "quoted"),
]


@pytest.mark.parametrize(("text", "expected"), ABBREVIATIONS)
def test_abbreviations(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), ACRONYMS)
def test_acronyms(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), ROMAN)
def test_roman_numerals(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), CODES)
def test_codes_and_serials(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), SYMBOLS)
def test_symbols_and_plain_words(text: str, expected: str) -> None:
    assert said(text) == expected
