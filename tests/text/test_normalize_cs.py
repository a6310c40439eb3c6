"""Czech, read as a native narrator would (Internetová jazyková příručka ÚJČ; news, recipes, ČD
timetables, invoices)."""

from __future__ import annotations

from tests.text.language_cases import Case, native_speaker_tests

LANGUAGE = "cs"

CASES: list[Case] = [
    # cardinals: a (no-break) space groups thousands; hundreds apart ("dvě stě")
    ("cardinal", "Přišlo 2 500 diváků.", "přišlo dva tisíce pět set diváků"),
    ("cardinal", "Přišlo 2\u00a0500 diváků.", "přišlo dva tisíce pět set diváků"),
    (
        "cardinal",
        "Město má 1 234 567 obyvatel.",
        "město má milion dvě stě třicet čtyři tisíce pět set šedesát sedm obyvatel"
        " | město má jeden milion dvě stě třicet čtyři tisíce pět set šedesát sedm obyvatel",
    ),
    ("cardinal", "Přišly 2 osoby.", "přišly dvě osoby"),
    ("cardinal", "Trať má 21 stanic.", "trať má dvacet jedna stanic | trať má jednadvacet stanic"),
    ("cardinal", "Koupil 200 vajec.", "koupil dvě stě vajec"),
    # decimals: "celá", "celé", "celých"
    ("decimal", "Pí je 3,14.", "pí je tři celé čtrnáct | pí je tři celá čtrnáct"),
    ("decimal", "Sazba je 0,5.", "sazba je nula celá pět"),
    ("decimal", "Průměr byl 7,25.", "průměr byl sedm celých dvacet pět"),
    # ordinals: "3." agreeing with the noun
    ("ordinal", "Skončil na 3. místě.", "skončil na třetím místě"),
    ("ordinal", "Je to jeho 2. kniha.", "je to jeho druhá kniha"),
    ("ordinal", "Bydlí ve 4. patře.", "bydlí ve čtvrtém patře"),
    ("ordinal", "Jeho 21. narozeniny.", "jeho dvacáté první narozeniny | jeho jednadvacáté narozeniny"),
    ("ordinal", "Začíná 2. kolo.", "začíná druhé kolo"),
    # dates: the day an ordinal in the genitive, the year a cardinal
    ("date", "Narodil se 3. května 2024.", "narodil se třetího května dva tisíce dvacet čtyři"),
    (
        "date",
        "Schůze 15. 6. 2024.",
        "schůze patnáctého června dva tisíce dvacet čtyři | schůze patnáctého šestý dva tisíce dvacet čtyři",
    ),
    ("date", "Datum: 15.06.2024", "datum patnáctého června dva tisíce dvacet čtyři"),
    (
        "date",
        "V roce 1999 sněžilo.",
        "v roce tisíc devět set devadesát devět sněžilo | v roce devatenáct set devadesát devět sněžilo",
    ),
    ("date", "Dnes je 28. října.", "dnes je dvacátého osmého října"),
    # times
    ("time", "Vlak odjíždí ve 14:30.", "vlak odjíždí ve čtrnáct třicet"),
    ("time", "Otevřeno od 8.00 h.", "otevřeno od osmi hodin"),
    ("time", "Začátek v 9:05.", "začátek v devět nula pět"),
    # money: "koruna, koruny, korun", "haléř"
    ("money", "Lístek stojí 12,50 Kč.", "lístek stojí dvanáct korun padesát haléřů"),
    ("money", "Jen 1 Kč.", "jen jedna koruna"),
    ("money", "Stojí 2 Kč.", "stojí dvě koruny"),
    ("money", "Zaplatil 21 Kč.", "zaplatil dvacet jedna korun | zaplatil jednadvacet korun"),
    ("money", "Celkem 1 500 Kč.", "celkem tisíc pět set korun | celkem patnáct set korun"),
    ("money", "Cena 30 €.", "cena třicet eur"),
    ("money", "Schodek 2,3 mld. Kč.", "schodek dvě celé tři miliardy korun"),
    # measures
    (
        "measure",
        "Uběhl 42,195 km.",
        "uběhl čtyřicet dva celých sto devadesát pět kilometru | uběhl čtyřicet dvě celé sto devadesát pět kilometru",
    ),
    ("measure", "Přidejte 2 lžíce cukru.", "přidejte dvě lžíce cukru"),
    ("measure", "Přidejte 500 g mouky.", "přidejte pět set gramů mouky"),
    ("measure", "Venku je 25 °C.", "venku je dvacet pět stupňů celsia | venku je dvacet pět stupňů"),
    ("measure", "Jel 120 km/h.", "jel sto dvacet kilometrů za hodinu"),
    ("measure", "Byt má 48 m².", "byt má čtyřicet osm metrů čtverečních"),
    ("measure", "Peče se 1 h.", "peče se jednu hodinu"),
    # percentages
    ("percent", "Inflace vzrostla na 2,5 %.", "inflace vzrostla na dvě celé pět procenta"),
    ("percent", "Nyní 15% sleva.", "nyní patnáct procent sleva | nyní patnáctiprocentní sleva"),
    ("percent", "Jen 1 % lidí.", "jen jedno procento lidí"),
    # ranges: "až"
    ("range", "Trasa má 10–20 km.", "trasa má deset až dvacet kilometrů"),
    ("range", "Pro děti 3-6 let.", "pro děti tři až šest let"),
    # fractions
    ("fraction", "Týká se to 3/4 lidí.", "týká se to tří čtvrtin lidí"),
    ("fraction", "Trvalo to 2½ hodiny.", "trvalo to dva a půl hodiny"),
    ("fraction", "Jen 2/3 případů.", "jen dvě třetiny případů"),
    ("fraction", "Asi 1/3 hlasů.", "asi jedna třetina hlasů | asi třetina hlasů"),
    # telephone numbers: groups of three as numbers
    (
        "telephone",
        "Tel. +420 601 123 456",
        "telefon plus čtyři sta dvacet šest set jedna sto dvacet tři čtyři sta padesát šest",
    ),
    (
        "telephone",
        "Volejte +420 222 333 444.",
        "volejte plus čtyři sta dvacet dvě stě dvacet dva tři sta třicet tři čtyři sta čtyřicet čtyři",
    ),
    # abbreviations
    ("abbreviation", "Ovoce, např. jablka.", "ovoce například jablka"),
    ("abbreviation", "Týká se mj. dětí.", "týká se mimo jiné dětí"),
    ("abbreviation", "Jablka, hrušky atd.", "jablka hrušky a tak dále"),
    ("abbreviation", "Přišlo cca 300 hostů.", "přišlo cirka tři sta hostů"),
    ("abbreviation", "Viz str. 12.", "viz strana dvanáct | viz stranu dvanáct"),
    ("abbreviation", "Stalo se to r. 50 př. n. l.", "stalo se to roku padesát před naším letopočtem"),
    ("abbreviation", "Je to lékař, tzn. odborník.", "je to lékař to znamená odborník"),
    # Roman numerals
    ("roman", "Karel IV založil univerzitu.", "karel čtvrtý založil univerzitu"),
    ("roman", "Jan Pavel II navštívil Prahu.", "jan pavel druhý navštívil prahu"),
    ("roman", "Přemysl Otakar II padl.", "přemysl otakar druhý padl"),
    ("roman", "Stavba z XIV století.", "stavba ze čtrnáctého století | stavba z čtrnáctého století"),
    # Held out: written after the rules, from real text, and not adjusted to what the rules say.
    ("money", "Nájem je 15 000 Kč měsíčně.", "nájem je patnáct tisíc korun měsíčně"),
    (
        "measure",
        "Pečte 25 minut na 180 °C.",
        "pečte dvacet pět minut na sto osmdesát stupňů celsia | pečte dvacet pět minut na sto osmdesát stupňů",
    ),
    ("time", "Rychlík jede v 7:42 z 5. koleje.", "rychlík jede v sedm čtyřicet dva z páté koleje"),
    (
        "percent",
        "Strana získala 33,1 % hlasů.",
        "strana získala třicet tři celé jedna procenta hlasů | strana získala třicet tři celých jedna procenta hlasů",
    ),
    ("ordinal", "Je to už 5. pokus.", "je to už pátý pokus"),
    ("date", "Od 1. ledna 2025 platí.", "od prvního ledna dva tisíce dvacet pět platí"),
    # ordinals in the case the context asks for (after a preposition, in a date range)
    ("date", "Od 1. do 5. května je zavřeno.", "od prvního do pátého května je zavřeno"),
    ("ordinal", "Od 19. století se to změnilo.", "od devatenáctého století se to změnilo"),
    ("ordinal", "K 1. lednu vstoupí zákon v platnost.", "k prvnímu lednu vstoupí zákon v platnost"),
    ("ordinal", "Před 2. světovou válkou tu žili.", "před druhou světovou válkou tu žili"),
    ("ordinal", "Ke 2. straně se vrátíme.", "ke druhé straně se vrátíme"),
]

KNOWN_MISSES: set[str] = {
    "Peče se 1 h.",  # the accusative of a duration ("jednu hodinu") is not read
    "Týká se to 3/4 lidí.",  # the genitive after "týká se" ("tří čtvrtin")
    "Otevřeno od 8.00 h.",  # the genitive after "od" ("osmi hodin")
}
"""Cases we read wrongly today (kept in the table so the score stays honest)."""


(
    test_reads_as_a_native_speaker_would,
    test_at_least_ninety_percent_of_the_cases_read_right,
    test_every_category_has_cases,
) = native_speaker_tests(LANGUAGE, CASES, KNOWN_MISSES)
