"""German, read as a native narrator would (Duden conventions; news, recipes, timetables, invoices)."""

from __future__ import annotations

from tests.text.language_cases import Case, native_speaker_tests

LANGUAGE = "de"

CASES: list[Case] = [
    # cardinals: "." groups thousands, so does a space or no-break space (DIN 5008)
    ("cardinal", "Es kamen 2.500 Besucher.", "es kamen zweitausendfünfhundert besucher"),
    ("cardinal", "Es kamen 2 500 Besucher.", "es kamen zweitausendfünfhundert besucher"),
    ("cardinal", "Es kamen 2\u00a0500 Besucher.", "es kamen zweitausendfünfhundert besucher"),
    (
        "cardinal",
        "Die Stadt hat 1.234.567 Einwohner.",
        "die stadt hat eine million zweihundertvierunddreißigtausendfünfhundertsiebenundsechzig einwohner",
    ),
    # a four-digit number before a (capitalised) noun is a quantity, not a year
    (
        "cardinal",
        "Damals kamen 1500 Menschen.",
        "damals kamen eintausendfünfhundert menschen | damals kamen fünfzehnhundert menschen",
    ),
    ("cardinal", "Er hat 21 Tore geschossen.", "er hat einundzwanzig tore geschossen"),
    # decimals: comma, and the digits after it one by one (Duden)
    ("decimal", "Der Wert liegt bei 3,14.", "der wert liegt bei drei komma eins vier"),
    ("decimal", "Die Quote sank auf 0,7.", "die quote sank auf null komma sieben"),
    # ordinals agree with the article before them
    ("ordinal", "Der 2. Platz ging an Köln.", "der zweite platz ging an köln"),
    ("ordinal", "Sie belegte den 1. Platz.", "sie belegte den ersten platz"),
    ("ordinal", "Zum 3. Mal in Folge.", "zum dritten mal in folge"),
    ("ordinal", "Die 2. Bundesliga beginnt.", "die zweite bundesliga beginnt"),
    ("ordinal", "Das war ein 3. Versuch.", "das war ein dritter versuch"),
    # dates: the day is an ordinal ("am dritten"), years before 2000 in hundreds
    ("date", "Am 3. Mai 2024 regnete es.", "am dritten mai zweitausendvierundzwanzig regnete es"),
    ("date", "Berlin, 3. Oktober 1990", "berlin dritter oktober neunzehnhundertneunzig"),
    ("date", "Geboren am 03.05.1975 in Ulm.", "geboren am dritten mai neunzehnhundertfünfundsiebzig in ulm"),
    ("date", "Stand: 2024-01-15", "stand fünfzehnter januar zweitausendvierundzwanzig"),
    ("date", "Im Jahr 1999 fiel Schnee.", "im jahr neunzehnhundertneunundneunzig fiel schnee"),
    ("date", "Seit dem 1. Jan. 2020 gilt das.", "seit dem ersten januar zweitausendzwanzig gilt das"),
    ("date", "Im Mai 2024 beginnt es.", "im mai zweitausendvierundzwanzig beginnt es"),
    ("date", "Vom 1. bis 3. Mai bleibt es zu.", "vom ersten bis dritten mai bleibt es zu"),
    # times: 24-hour, "Uhr" between hours and minutes, "ein Uhr" (not "eins Uhr")
    ("time", "Um 14:30 Uhr geht es los.", "um vierzehn uhr dreißig geht es los"),
    ("time", "Der Zug fährt um 8.15 Uhr.", "der zug fährt um acht uhr fünfzehn"),
    ("time", "Einlass ab 20 Uhr.", "einlass ab zwanzig uhr"),
    ("time", "Er kam um 1 Uhr nachts.", "er kam um ein uhr nachts"),
    ("time", "Abfahrt 06:05", "abfahrt sechs uhr fünf"),
    # money: "zwölf Euro fünfzig"; Euro, Cent and Dollar do not take a plural
    ("money", "Das kostet 12,50 €.", "das kostet zwölf euro fünfzig"),
    ("money", "Preis: 3,99 EUR", "preis drei euro neunundneunzig"),
    ("money", "Eintritt € 20", "eintritt zwanzig euro"),
    ("money", "Nur 1 € pro Stück.", "nur ein euro pro stück"),
    ("money", "Das Porto kostet 0,85 €.", "das porto kostet fünfundachtzig cent"),
    ("money", "Ein Schaden von 2,3 Mio. €.", "ein schaden von zwei komma drei millionen euro"),
    ("money", "Es kostet 1 Mrd. Euro.", "es kostet eine milliarde euro"),
    ("money", "Summe: 15,- €", "summe fünfzehn euro"),
    ("money", "Die Uhr kostet CHF 50.", "die uhr kostet fünfzig franken"),
    # measures
    ("measure", "Er lief 42,195 km.", "er lief zweiundvierzig komma eins neun fünf kilometer"),
    (
        "measure",
        "Man nehme 250 g Mehl und 2 EL Zucker.",
        "man nehme zweihundertfünfzig gramm mehl und zwei esslöffel zucker",
    ),
    ("measure", "Es hat 25 °C.", "es hat fünfundzwanzig grad celsius"),
    (
        "measure",
        "Er fuhr mit 120 km/h.",
        "er fuhr mit einhundertzwanzig kilometer pro stunde | er fuhr mit hundertzwanzig kilometer pro stunde",
    ),
    ("measure", "Die Wohnung misst 80 m².", "die wohnung misst achtzig quadratmeter"),
    ("measure", "Die Fahrt dauert 1 h.", "die fahrt dauert eine stunde"),
    ("measure", "Nachts hatte es -5 °C.", "nachts hatte es minus fünf grad celsius"),
    # percentages, with and without the space DIN 5008 asks for
    ("percent", "Die Inflation stieg um 2,5 %.", "die inflation stieg um zwei komma fünf prozent"),
    ("percent", "Heute 15% Rabatt.", "heute fünfzehn prozent rabatt"),
    # ranges: "bis"
    ("range", "Die Strecke ist 10–20 km lang.", "die strecke ist zehn bis zwanzig kilometer lang"),
    (
        "range",
        "Der Krieg 1914–1918 war lang.",
        "der krieg neunzehnhundertvierzehn bis neunzehnhundertachtzehn war lang",
    ),
    ("range", "Geöffnet 9-17 Uhr.", "geöffnet neun bis siebzehn uhr"),
    # fractions: "Viertel", "Drittel"; "zweieinhalb"
    ("fraction", "Das betrifft 3/4 der Befragten.", "das betrifft drei viertel der befragten"),
    ("fraction", "Es dauerte 2 1/2 Stunden.", "es dauerte zweieinhalb stunden"),
    ("fraction", "Das ist 1/3 aller Fälle.", "das ist ein drittel aller fälle"),
    # telephone numbers: digit by digit, the country code as a number
    ("telephone", "Tel. 030 12345678", "telefon null drei null eins zwei drei vier fünf sechs sieben acht"),
    (
        "telephone",
        "Ruf +49 89 123456 an.",
        "ruf plus neunundvierzig acht neun eins zwei drei vier fünf sechs an",
    ),
    # abbreviations, with or without the space between their parts
    ("abbreviation", "Obst, z. B. Äpfel.", "obst zum beispiel äpfel"),
    ("abbreviation", "Äpfel, Birnen usw.", "äpfel birnen und so weiter"),
    ("abbreviation", "Dr. Müller kommt.", "doktor müller kommt"),
    ("abbreviation", "Es kamen ca. 300 Gäste.", "es kamen circa dreihundert gäste"),
    ("abbreviation", "Siehe S. 12.", "siehe seite zwölf"),
    ("abbreviation", "Morgen, d.h. am Montag.", "morgen das heißt am montag"),
    ("abbreviation", "Das war 50 v. Chr.", "das war fünfzig vor christus"),
    # Roman numerals: regnal numbers and centuries
    ("roman", "Ludwig XIV. regierte lange.", "ludwig der vierzehnte regierte lange"),
    ("roman", "Papst Benedikt XVI. trat zurück.", "papst benedikt der sechzehnte trat zurück"),
    ("roman", "Im XIX. Jahrhundert wuchs die Stadt.", "im neunzehnten jahrhundert wuchs die stadt"),
    ("roman", "Im 19. Jh. wuchs die Stadt.", "im neunzehnten jahrhundert wuchs die stadt"),
    # Held out: written after the rules, from real text, and not adjusted to what the rules say.
    ("ordinal", "Er wurde 2. Sieger.", "er wurde zweiter sieger"),
    (
        "date",
        "Heute ist der 24.12.",
        "heute ist der vierundzwanzigste zwölfte | heute ist der vierundzwanzigste dezember",
    ),
    (
        "money",
        "Die Miete beträgt 1.250,00 € monatlich.",
        "die miete beträgt eintausendzweihundertfünfzig euro monatlich | die miete beträgt tausendzweihundertfünfzig euro monatlich",
    ),
    (
        "measure",
        "Backen bei 180 °C für 25 Min.",
        "backen bei hundertachtzig grad celsius für fünfundzwanzig minuten | backen bei einhundertachtzig grad celsius für fünfundzwanzig minuten",
    ),
    (
        "time",
        "Der ICE 578 fährt um 7:42 Uhr ab Gleis 5.",
        "der ice fünfhundertachtundsiebzig fährt um sieben uhr zweiundvierzig ab gleis fünf",
    ),
    ("cardinal", "Rund 83 Mio. Menschen leben hier.", "rund dreiundachtzig millionen menschen leben hier"),
    ("percent", "Die SPD kam auf 25,7 Prozent.", "die spd kam auf fünfundzwanzig komma sieben prozent"),
    ("fraction", "Ein ½ Liter Milch.", "ein halber liter milch"),
]

KNOWN_MISSES: set[str] = {
    # no article: the ending needs the noun's gender; "½" before a noun declines ("halber")
    "Er wurde 2. Sieger.",
    "Ein ½ Liter Milch.",
}
"""Cases we read wrongly today (kept in the table so the score stays honest)."""


(
    test_reads_as_a_native_speaker_would,
    test_at_least_ninety_percent_of_the_cases_read_right,
    test_every_category_has_cases,
) = native_speaker_tests(LANGUAGE, CASES, KNOWN_MISSES)
