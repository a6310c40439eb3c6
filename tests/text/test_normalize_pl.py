"""Polish, read as a native narrator would (Poradnia językowa PWN, Wielki słownik ortograficzny; news,
recipes, PKP timetables, invoices)."""

from __future__ import annotations

from tests.text.language_cases import Case, native_speaker_tests

LANGUAGE = "pl"

CASES: list[Case] = [
    # cardinals: a (no-break) space groups thousands; the noun's form follows the number
    ("cardinal", "Przyszło 2 500 widzów.", "przyszło dwa tysiące pięćset widzów"),
    ("cardinal", "Przyszło 2\u00a0500 widzów.", "przyszło dwa tysiące pięćset widzów"),
    (
        "cardinal",
        "Miasto liczy 1 234 567 mieszkańców.",
        "miasto liczy milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem mieszkańców"
        " | miasto liczy jeden milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem mieszkańców",
    ),
    ("cardinal", "Na trasie są 22 stacje.", "na trasie są dwadzieścia dwie stacje"),
    ("cardinal", "Przyszły 2 osoby.", "przyszły dwie osoby"),
    ("cardinal", "Mam 1500 książek.", "mam tysiąc pięćset książek"),
    # decimals: "przecinek"
    ("decimal", "Pi to 3,14.", "pi to trzy przecinek czternaście | pi to trzy przecinek jeden cztery"),
    ("decimal", "Stopa wynosi 0,5.", "stopa wynosi zero przecinek pięć"),
    # ordinals: "3." and "3-ci" agree with the noun
    ("ordinal", "Zajął 3. miejsce.", "zajął trzecie miejsce"),
    ("ordinal", "To jego 2. książka.", "to jego druga książka"),
    (
        "ordinal",
        "Jego 21. urodziny.",
        "jego dwudzieste pierwsze urodziny | jego dwudzieste pierwsze urodziny",
    ),
    ("ordinal", "Mieszka na 4. piętrze.", "mieszka na czwartym piętrze"),
    ("ordinal", "To był 1-szy raz.", "to był pierwszy raz"),
    # dates: the day an ordinal in the genitive; years before "r."/"roku" in its case
    (
        "date",
        "Urodził się 3 maja 2024 r.",
        "urodził się trzeciego maja dwa tysiące dwudziestego czwartego roku",
    ),
    (
        "date",
        "Spotkanie 15.06.2024.",
        "spotkanie piętnastego czerwca dwa tysiące dwudziestego czwartego roku"
        " | spotkanie piętnastego czerwca dwa tysiące dwudziestego czwartego",
    ),
    (
        "date",
        "W 1999 r. spadł śnieg.",
        "w tysiąc dziewięćset dziewięćdziesiątym dziewiątym roku spadł śnieg",
    ),
    ("date", "Od 2020 roku rośnie.", "od dwa tysiące dwudziestego roku rośnie"),
    (
        "date",
        "Data: 2024-01-15",
        "data piętnastego stycznia dwa tysiące dwudziestego czwartego roku"
        " | data piętnasty stycznia dwa tysiące dwudziestego czwartego roku",
    ),
    ("date", "Dziś jest 11 listopada.", "dziś jest jedenasty listopada"),
    # times: hours as feminine ordinals
    ("time", "Pociąg odjeżdża o 14:30.", "pociąg odjeżdża o czternastej trzydzieści"),
    ("time", "Sklep czynny do 18:00.", "sklep czynny do osiemnastej"),
    ("time", "Start o 8.05.", "start o ósmej zero pięć"),
    ("time", "Wrócę przed 9:15.", "wrócę przed dziewiątą piętnaście"),
    # money: "złoty, złote, złotych", "grosz, grosze, groszy"
    ("money", "Bilet kosztuje 12,50 zł.", "bilet kosztuje dwanaście złotych pięćdziesiąt groszy"),
    ("money", "Tylko 1 zł.", "tylko jeden złoty"),
    ("money", "Kosztuje 2 zł.", "kosztuje dwa złote"),
    ("money", "Zapłacił 21 zł.", "zapłacił dwadzieścia jeden złotych"),
    ("money", "Razem 1 500 PLN.", "razem tysiąc pięćset złotych"),
    ("money", "Cena 30 €.", "cena trzydzieści euro"),
    ("money", "Deficyt 2,3 mld zł.", "deficyt dwa przecinek trzy miliarda złotych"),
    ("money", "Reszta 0,99 zł.", "reszta dziewięćdziesiąt dziewięć groszy"),
    # measures
    (
        "measure",
        "Przebiegł 42,195 km.",
        "przebiegł czterdzieści dwa przecinek sto dziewięćdziesiąt pięć kilometra",
    ),
    ("measure", "Dodaj 2 łyżki cukru.", "dodaj dwie łyżki cukru"),
    ("measure", "Dodaj 500 g mąki.", "dodaj pięćset gramów mąki"),
    ("measure", "Jest 25 °C.", "jest dwadzieścia pięć stopni celsjusza | jest dwadzieścia pięć stopni"),
    ("measure", "Jechał 120 km/h.", "jechał sto dwadzieścia kilometrów na godzinę"),
    ("measure", "Mieszkanie ma 48 m².", "mieszkanie ma czterdzieści osiem metrów kwadratowych"),
    ("measure", "Piec 2 h.", "piec dwie godziny"),
    ("measure", "To ok. 5 km stąd.", "to około pięciu kilometrów stąd"),
    # percentages
    (
        "percent",
        "Inflacja wzrosła do 2,5 %.",
        "inflacja wzrosła do dwóch przecinek pięciu procent",
    ),
    ("percent", "Teraz 15% rabatu.", "teraz piętnaście procent rabatu"),
    # ranges: "od ... do ..." in the genitive
    ("range", "Trasa ma 10–20 km.", "trasa ma od dziesięciu do dwudziestu kilometrów"),
    ("range", "Dla dzieci 3-6 lat.", "dla dzieci od trzech do sześciu lat"),
    # fractions
    ("fraction", "Dotyczy 3/4 osób.", "dotyczy trzech czwartych osób"),
    ("fraction", "Dodaj 1/2 szklanki mleka.", "dodaj pół szklanki mleka"),
    ("fraction", "Trwało 2½ godziny.", "trwało dwa i pół godziny"),
    ("fraction", "Tylko 2/3 przypadków.", "tylko dwie trzecie przypadków"),
    # telephone numbers: groups read as numbers
    (
        "telephone",
        "Tel. +48 600 123 456",
        "telefon plus czterdzieści osiem sześćset sto dwadzieścia trzy czterysta pięćdziesiąt sześć",
    ),
    (
        "telephone",
        "Dzwoń: (22) 123 45 67",
        "dzwoń dwadzieścia dwa sto dwadzieścia trzy czterdzieści pięć sześćdziesiąt siedem",
    ),
    # abbreviations
    ("abbreviation", "Owoce, np. jabłka.", "owoce na przykład jabłka"),
    ("abbreviation", "Dotyczy m.in. dzieci.", "dotyczy między innymi dzieci"),
    ("abbreviation", "Jabłka, gruszki itd.", "jabłka gruszki i tak dalej"),
    ("abbreviation", "Mieszka przy ul. Długiej 5.", "mieszka przy ulicy długiej pięć"),
    ("abbreviation", "Zob. s. 12.", "zobacz strona dwanaście | zobacz stronę dwanaście"),
    (
        "abbreviation",
        "Było to w 50 p.n.e.",
        "było to w pięćdziesiątym roku przed naszą erą | było to w pięćdziesiątym przed naszą erą",
    ),
    ("abbreviation", "Przyszedł dr Nowak, tzn. lekarz.", "przyszedł doktor nowak to znaczy lekarz"),
    # Roman numerals
    ("roman", "Jan Paweł II odwiedził Polskę.", "jan paweł drugi odwiedził polskę"),
    ("roman", "Zygmunt III Waza przeniósł stolicę.", "zygmunt trzeci waza przeniósł stolicę"),
    ("roman", "W XIX wieku zbudowano dworzec.", "w dziewiętnastym wieku zbudowano dworzec"),
    ("roman", "Kultura XX wieku.", "kultura dwudziestego wieku"),
    # Held out: written after the rules, from real text, and not adjusted to what the rules say.
    (
        "money",
        "Czynsz wynosi 2 400 zł miesięcznie.",
        "czynsz wynosi dwa tysiące czterysta złotych miesięcznie",
    ),
    (
        "measure",
        "Piec 25 min w 180 °C.",
        "piec dwadzieścia pięć minut w stu osiemdziesięciu stopniach celsjusza",
    ),
    (
        "time",
        "Pociąg IC odjeżdża o 7:42 z peronu 5.",
        "pociąg ic odjeżdża o siódmej czterdzieści dwa z peronu pięć",
    ),
    (
        "percent",
        "Partia zdobyła 33,1 % głosów.",
        "partia zdobyła trzydzieści trzy przecinek jeden procent głosów",
    ),
    ("ordinal", "To już 5. raz.", "to już piąty raz"),
    (
        "date",
        "Od 1 stycznia 2025 r. obowiązuje.",
        "od pierwszego stycznia dwa tysiące dwudziestego piątego roku obowiązuje",
    ),
    # ordinals in the case the context asks for (after a preposition, in a date range)
    ("date", "Od 1 do 5 maja biuro jest zamknięte.", "od pierwszego do piątego maja biuro jest zamknięte"),
    ("date", "Przed 2020 r. było inaczej.", "przed dwa tysiące dwudziestym rokiem było inaczej"),
    ("ordinal", "Od 2. klasy uczy się angielskiego.", "od drugiej klasy uczy się angielskiego"),
    ("ordinal", "Do 3. piętra jest winda.", "do trzeciego piętra jest winda"),
    ("ordinal", "Przed 2. wojną światową było inaczej.", "przed drugą wojną światową było inaczej"),
    # decades: a plural ordinal in the case of the form of "lata" before it
    ("ordinal", "W latach 90. było trudno.", "w latach dziewięćdziesiątych było trudno"),
    ("ordinal", "Lata 80. były kolorowe.", "lata osiemdziesiąte były kolorowe"),
    (
        "ordinal",
        "W latach 70. XX wieku budowano bloki.",
        "w latach siedemdziesiątych dwudziestego wieku budowano bloki",
    ),
    ("ordinal", "Przeboje z lat 60. wracają.", "przeboje z lat sześćdziesiątych wracają"),
    ("ordinal", "To było w latach 90.", "to było w latach dziewięćdziesiątych"),
    (
        "ordinal",
        "W latach 80. i 90. miasto rosło.",
        "w latach osiemdziesiątych i dziewięćdziesiątych miasto rosło",
    ),
    ("ordinal", "Moda na lata 20. wraca.", "moda na lata dwudzieste wraca"),
    ("ordinal", "W latach 90-tych było inaczej.", "w latach dziewięćdziesiątych było inaczej"),
    ("ordinal", "Zachwyca się latami 30.", "zachwyca się latami trzydziestymi"),
    ("cardinal", "Miał 10 lat, gdy wyjechał.", "miał dziesięć lat gdy wyjechał"),
]

KNOWN_MISSES: set[str] = {
    "Mieszka przy ul. Długiej 5.",  # "ul." is read "ulica" whatever case the preposition asks for
    "Było to w 50 p.n.e.",  # a year below 1000 without "r." is read as a cardinal
    "Dotyczy 3/4 osób.",  # the genitive a verb asks of a fraction ("trzech czwartych")
    "Piec 25 min w 180 °C.",  # the locative after "w" ("stu osiemdziesięciu stopniach")
}
"""Cases we read wrongly today (kept in the table so the score stays honest)."""


(
    test_reads_as_a_native_speaker_would,
    test_at_least_ninety_percent_of_the_cases_read_right,
    test_every_category_has_cases,
) = native_speaker_tests(LANGUAGE, CASES, KNOWN_MISSES)


def test_the_dot_of_r_also_ends_a_sentence_it_ends() -> None:
    from mynah.text.normalize import normalize

    result = normalize("Było to w 2024 r. Potem nic. W 1999 r. w Łodzi padało.", language="pl")
    assert result.text == (
        "Było to w dwa tysiące dwudziestym czwartym roku. Potem nic. "
        "W tysiąc dziewięćset dziewięćdziesiątym dziewiątym roku w Łodzi padało."
    )
