"""Finnish, read as a native narrator would (Kielitoimiston ohjepankki; news, recipes, VR and HSL
timetables, invoices)."""

from __future__ import annotations

from tests.text.language_cases import Case, native_speaker_tests

LANGUAGE = "fi"

CASES: list[Case] = [
    # cardinals: a (no-break) space groups thousands
    (
        "cardinal",
        "Paikalla oli 2 500 katsojaa.",
        "paikalla oli kaksituhatta viisisataa katsojaa | paikalla oli kaksituhattaviisisataa katsojaa",
    ),
    (
        "cardinal",
        "Paikalla oli 2\u00a0500 katsojaa.",
        "paikalla oli kaksituhatta viisisataa katsojaa | paikalla oli kaksituhattaviisisataa katsojaa",
    ),
    (
        "cardinal",
        "Kaupungissa on 1 234 567 asukasta.",
        "kaupungissa on miljoona kaksisataakolmekymmentäneljätuhatta viisisataakuusikymmentäseitsemän asukasta"
        " | kaupungissa on yksi miljoona kaksisataakolmekymmentäneljätuhatta viisisataakuusikymmentäseitsemän asukasta",
    ),
    ("cardinal", "Linjalla on 21 asemaa.", "linjalla on kaksikymmentäyksi asemaa"),
    (
        "cardinal",
        "Hankkeeseen tuli 2 500 000 euroa.",
        "hankkeeseen tuli kaksi miljoonaa viisisataatuhatta euroa",
    ),
    # decimals: "pilkku"
    ("decimal", "Pii on 3,14.", "pii on kolme pilkku neljätoista | pii on kolme pilkku yksi neljä"),
    ("decimal", "Korko on 0,5.", "korko on nolla pilkku viisi"),
    # ordinals: "3."
    ("ordinal", "Tämä on 3. kerta.", "tämä on kolmas kerta"),
    ("ordinal", "Hän tuli 2. sijalle.", "hän tuli toiselle sijalle"),
    (
        "ordinal",
        "Se oli 21. kilpailu.",
        "se oli kahdeskymmenesensimmäinen kilpailu | se oli kahdeskymmenesyhdes kilpailu",
    ),
    ("ordinal", "Juhlimme 100. syntymäpäivää.", "juhlimme sadatta syntymäpäivää"),
    # dates
    ("date", "Sataa 3. toukokuuta 2024.", "sataa kolmantena toukokuuta kaksituhatta kaksikymmentäneljä"),
    (
        "date",
        "Päiväys: 15.6.2024",
        "päiväys viidestoista kesäkuuta kaksituhatta kaksikymmentäneljä | päiväys viidestoista kuudetta kaksituhatta kaksikymmentäneljä",
    ),
    (
        "date",
        "Vuonna 1999 satoi lunta.",
        "vuonna tuhat yhdeksänsataayhdeksänkymmentäyhdeksän satoi lunta | vuonna tuhatyhdeksänsataayhdeksänkymmentäyhdeksän satoi lunta",
    ),
    ("date", "Kokous on 2024-01-15.", "kokous on viidestoista tammikuuta kaksituhatta kaksikymmentäneljä"),
    ("date", "Auki 24.12. asti.", "auki kahdenteenkymmenenteenneljänteen joulukuuta asti"),
    # times: "klo" with a point
    ("time", "Juna lähtee klo 14.30.", "juna lähtee kello neljätoista kolmekymmentä"),
    ("time", "Kokous alkaa 08:15.", "kokous alkaa kahdeksan viisitoista"),
    ("time", "Bussi lähtee klo 9.05.", "bussi lähtee kello yhdeksän nolla viisi"),
    # money: "euroa", "senttiä"
    (
        "money",
        "Lippu maksaa 12,50 €.",
        "lippu maksaa kaksitoista euroa viisikymmentä senttiä | lippu maksaa kaksitoista euroa viisikymmentä",
    ),
    ("money", "Vain 1 €.", "vain yksi euro | vain euro"),
    ("money", "Yhteensä 1 500 €.", "yhteensä tuhat viisisataa euroa | yhteensä tuhatviisisataa euroa"),
    ("money", "Alijäämä on 2,3 milj. euroa.", "alijäämä on kaksi pilkku kolme miljoonaa euroa"),
    ("money", "Hinta 0,99 €.", "hinta yhdeksänkymmentäyhdeksän senttiä"),
    ("money", "Se maksoi 20 $.", "se maksoi kaksikymmentä dollaria"),
    # measures: the partitive after numbers other than one
    (
        "measure",
        "Hän juoksi 42,195 km.",
        "hän juoksi neljäkymmentäkaksi pilkku yksi yhdeksän viisi kilometriä",
    ),
    (
        "measure",
        "Lisää 2 dl maitoa ja 1 rkl voita.",
        "lisää kaksi desilitraa maitoa ja yksi ruokalusikallinen voita",
    ),
    ("measure", "Ulkona on 25 °C.", "ulkona on kaksikymmentäviisi astetta"),
    ("measure", "Hän ajoi 120 km/h.", "hän ajoi satakaksikymmentä kilometriä tunnissa"),
    ("measure", "Asunto on 48 m².", "asunto on neljäkymmentäkahdeksan neliömetriä"),
    ("measure", "Paista 1 h.", "paista yksi tunti | paista tunti"),
    ("measure", "Lisää 500 g jauhoja.", "lisää viisisataa grammaa jauhoja"),
    # percentages
    ("percent", "Inflaatio nousi 2,5 %.", "inflaatio nousi kaksi pilkku viisi prosenttia"),
    ("percent", "Nyt 15 % alennusta.", "nyt viisitoista prosenttia alennusta"),
    # ranges: from one to the other
    ("range", "Matka on 10–20 km.", "matka on kymmenestä kahteenkymmeneen kilometriä"),
    ("range", "Lapsille 3-6 vuotta.", "lapsille kolmesta kuuteen vuotta"),
    # fractions
    (
        "fraction",
        "Se koskee 3/4 ihmisistä.",
        "se koskee kolmea neljäsosaa ihmisistä",
    ),
    ("fraction", "Lisää 1/2 kuppia.", "lisää puoli kuppia"),
    ("fraction", "Se kesti 2½ tuntia.", "se kesti kaksi ja puoli tuntia"),
    ("fraction", "Vain 1/3 tapauksista.", "vain kolmasosa tapauksista | vain yksi kolmasosa tapauksista"),
    # telephone numbers: digit by digit
    (
        "telephone",
        "Soita 040 123 4567.",
        "soita nolla neljä nolla yksi kaksi kolme neljä viisi kuusi seitsemän",
    ),
    (
        "telephone",
        "Puh. +358 9 123 4567",
        "puhelin plus kolmesataaviisikymmentäkahdeksan yhdeksän yksi kaksi kolme neljä viisi kuusi seitsemän",
    ),
    # abbreviations
    ("abbreviation", "Hedelmiä, esim. omenoita.", "hedelmiä esimerkiksi omenoita"),
    ("abbreviation", "Se koskee mm. lapsia.", "se koskee muun muassa lapsia"),
    ("abbreviation", "Omenoita, päärynöitä jne.", "omenoita päärynöitä ja niin edelleen"),
    ("abbreviation", "Paikalla oli n. 300 vierasta.", "paikalla oli noin kolmesataa vierasta"),
    ("abbreviation", "Katso s. 12.", "katso sivu kaksitoista | katso sivulta kaksitoista"),
    ("abbreviation", "Se tapahtui 50 eKr.", "se tapahtui viisikymmentä ennen kristusta"),
    ("abbreviation", "Hän on ns. asiantuntija.", "hän on niin sanottu asiantuntija"),
    # Roman numerals
    (
        "roman",
        "Kustaa III kuoli 1792.",
        "kustaa kolmas kuoli tuhat seitsemänsataayhdeksänkymmentäkaksi | kustaa kolmas kuoli tuhatseitsemänsataayhdeksänkymmentäkaksi",
    ),
    ("roman", "Aleksanteri II vieraili Helsingissä.", "aleksanteri toinen vieraili helsingissä"),
    ("roman", "Kaarle XII hävisi.", "kaarle kahdestoista hävisi"),
    # Held out: written after the rules, from real text, and not adjusted to what the rules say.
    ("money", "Vuokra on 950 € kuukaudessa.", "vuokra on yhdeksänsataaviisikymmentä euroa kuukaudessa"),
    (
        "measure",
        "Paista 25 min 200 asteessa.",
        "paista kaksikymmentäviisi minuuttia kahdessasadassa asteessa",
    ),
    (
        "time",
        "Juna lähtee klo 7.42 raiteelta 5.",
        "juna lähtee kello seitsemän neljäkymmentäkaksi raiteelta viisi",
    ),
    ("percent", "Puolue sai 33,1 % äänistä.", "puolue sai kolmekymmentäkolme pilkku yksi prosenttia äänistä"),
    ("ordinal", "Se on jo 5. yritys.", "se on jo viides yritys"),
    (
        "date",
        "Laki tulee voimaan 1.1.2025.",
        "laki tulee voimaan ensimmäisenä tammikuuta kaksituhatta kaksikymmentäviisi",
    ),
    # ordinals in the case the context asks for (after a preposition, in a date range)
    ("ordinal", "Asun 2. kerroksessa.", "asun toisessa kerroksessa"),
    ("ordinal", "Hän on 1. luokalla.", "hän on ensimmäisellä luokalla"),
    ("ordinal", "2. maailmansodan jälkeen.", "toisen maailmansodan jälkeen"),
    ("ordinal", "Menemme 4. kerrokseen.", "menemme neljänteen kerrokseen"),
    ("ordinal", "Lähdin 2. kerroksesta.", "lähdin toisesta kerroksesta"),
    ("ordinal", "Kisa ratkesi 10. kierroksella.", "kisa ratkesi kymmenennellä kierroksella"),
    ("ordinal", "Tulin 5. kerran.", "tulin viidennen kerran"),
]

KNOWN_MISSES: set[str] = {
    "Auki 24.12. asti.",  # the illative before "asti" ("kahdenteenkymmenenteenneljänteen")
    "Paista 25 min 200 asteessa.",  # a number before a noun in the inessive ("kahdessasadassa")
    "Se koskee 3/4 ihmisistä.",  # the partitive the verb asks of a fraction ("kolmea neljäsosaa")
}
"""Cases we read wrongly today (kept in the table so the score stays honest)."""


(
    test_reads_as_a_native_speaker_would,
    test_at_least_ninety_percent_of_the_cases_read_right,
    test_every_category_has_cases,
) = native_speaker_tests(LANGUAGE, CASES, KNOWN_MISSES)
