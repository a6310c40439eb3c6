"""The case and gender of a Ukrainian ruler's name, for the regnal numeral after it to agree ("за
Петра I" -> "за Петра Першого", "при Петрові I" -> "при Петрові Першому", "Катерини II" -> "Катерини
Другої").

The shared machinery is `NameCases`; here are the Ukrainian endings of names (Петро, Ярослав, Андрій;
Катерина, Марія), the cases prepositions govern, how feminine stems end, the titles that give a
name its gender ("за королеви Марії I") and the past-tense endings that give a subject's ("Петра I
поховали": plural, so "Петра" is not the subject). The ordinal's dative and
locative share their forms ("першому", "першій"), so the dative readings take the locative's. Names
in "-а" are masculine too (Микола, Миколи, Миколою), so where the stem does not say feminine the
masculine reading comes first.
"""

from __future__ import annotations

from mynah.text.normalize.intl.slavic import NameCases, declined, prepositions

NAMES = NameCases(
    endings=(
        ("ові", ("m_dat", "m_loc")),  # Петрові, Ярославові
        ("еві", ("m_dat", "m_loc")),
        ("єві", ("m_dat", "m_loc")),  # Андрієві
        ("ом", ("m_ins",)),  # Петром
        ("ем", ("m_ins",)),
        ("єм", ("m_ins",)),  # Андрієм
        ("ою", ("m_ins", "f_ins")),  # Миколою; Катериною
        ("єю", ("f_ins", "m_ins")),  # Марією; Ілією
        ("ії", ("f_gen", "f_dat", "f_loc", "m_gen", "m_dat", "m_loc")),  # Марії; Ілії
        ("и", ("m_gen", "f_gen")),  # Миколи; Катерини, Ольги
        ("і", ("m_loc", "f_dat", "f_loc")),  # Ярославі; Катерині
        ("у", ("m_dat", "m_acc", "f_acc")),  # Петру; Миколу; Катерину
        ("ю", ("m_dat", "f_acc", "m_acc")),  # Андрію; Марію
        ("ія", ("f_nom", "m_gen", "m_acc", "m_nom")),  # Марія; Андрія; патріарх Ілія
        ("а", ("m_gen", "m_nom", "f_nom", "m_acc")),  # Петра; Микола; Катерина
        ("я", ("m_gen", "f_nom", "m_acc")),
    ),
    prepositions=prepositions(
        {
            "від до для без після біля серед крім замість проти навколо коло": "gen",
            "у в": "gen acc loc",
            "з із зі": "gen ins",
            "за": "gen acc ins",
            "завдяки всупереч назустріч": "dat",
            "про через крізь": "acc",
            "на": "acc loc",
            "над під перед між": "ins",
            "при о об": "loc",
            "по": "loc dat",
        }
    ),
    feminine_stems=("ин", "ет", "лл", "ит", "нн", "льг", "ьг"),
    masculine_stems=("нтин",),
    forms={"m_acc": "m_gen", "m_dat": "m_loc", "f_dat": "f_loc"},
    titles={  # not "королеві": the dative and locative of both "королева" and "король"
        **declined("королев", "f", {"а": "nom", "и": "gen", "у": "acc", "ою": "ins"}),
        **declined(
            "цариц імператриц княгин герцогин", "f", {"я": "nom", "і": "gen dat loc", "ю": "acc", "ею": "ins"}
        ),
        **declined("корол", "m", {"ь": "nom", "я": "gen acc", "ю": "dat loc", "ем": "ins"}),
        **declined(
            "цар княз", "m", {"ь": "nom", "я": "gen acc", "ю": "dat loc", "ем": "ins", "еві": "dat loc"}
        ),
        **declined(
            "імператор герцог султан патріарх",
            "m",
            {"-": "nom", "а": "gen acc", "у": "dat", "ові": "dat loc", "ом": "ins", "і": "loc"},
        ),
        **declined("пап", "m", {"а": "nom", "и": "gen", "і": "dat loc", "у": "acc", "ою": "ins"}),
    },
    past=(
        ("лися", "pl"),
        ("лись", "pl"),
        ("ли", "pl"),
        ("лася", "f"),
        ("лась", "f"),
        ("ла", "f"),
        ("вся", "m"),
        ("в", "m"),
    ),
)
"""Feminine stems: Катерина, Єлизавета, Ізабелла, Маргарита, Анна, Ольга; masculine despite their
ending: Костянтин, Валентин."""

regnal_form = NAMES.form
