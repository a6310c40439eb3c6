"""The case and gender of a Russian ruler's name, for the regnal numeral after it to agree ("при Петре
I" -> "при Петре Первом", "у Екатерины II" -> "у Екатерины Второй", "Петру I" -> "Петру Первому").

The shared machinery is `NameCases`; here are the Russian endings of names (Пётр, Николай, Василий;
Екатерина, Мария, Софья), the cases prepositions govern, how feminine stems end, the titles that
give a name its gender ("при королеве Марии I") and the past-tense endings that give a subject's.
"""

from __future__ import annotations

from mynah.text.normalize.intl.slavic import NameCases, declined, prepositions

NAMES = NameCases(
    endings=(
        ("ом", ("m_ins",)),  # Петром
        ("ем", ("m_ins",)),  # Николаем, Василием
        ("ией", ("f_ins", "m_ins")),  # Марией; Илией
        ("ой", ("m_nom", "f_ins")),  # Екатериной; Толстой
        ("ей", ("m_nom", "f_ins")),  # Алексей, Андрей
        ("ии", ("f_gen", "f_dat", "m_pre", "f_pre", "m_gen", "m_dat")),  # Марии; при Василии; Илии
        ("ы", ("f_gen",)),  # Екатерины
        ("и", ("f_gen",)),  # Ольги, Софьи
        ("у", ("m_dat", "f_acc")),  # Петру; Екатерину
        ("ю", ("m_dat", "f_acc", "m_acc")),  # Николаю; Марию; Илию
        ("ье", ("f_dat", "f_pre")),  # Софье
        ("е", ("m_pre", "f_dat", "f_pre")),  # Петре, Николае; Екатерине
        ("ия", ("f_nom", "m_gen", "m_acc", "m_nom")),  # Мария; у Василия; патриарх Илия
        ("ья", ("f_nom", "m_gen", "m_acc")),  # Софья
        ("а", ("m_gen", "f_nom", "m_acc")),  # Петра; Екатерина
        ("я", ("m_gen", "f_nom", "m_acc")),  # Николая, Алексея
    ),
    prepositions=prepositions(
        {
            "у от до из для без после около против вместо кроме среди возле ради вокруг": "gen",
            "с со": "gen ins",
            "к ко благодаря согласно вопреки навстречу по": "dat",
            "про через сквозь": "acc",
            "в во на": "acc pre",
            "за под": "acc ins",
            "над перед между": "ins",
            "при о об обо": "pre",
        }
    ),
    feminine_stems=("ин", "ет", "лл", "ит", "нн", "льг", "ьг"),
    masculine_stems=("нтин",),
    forms={"m_acc": "m_gen"},
    titles={
        **declined("королев", "f", {"а": "nom", "ы": "gen", "е": "dat pre", "у": "acc", "ой": "ins"}),
        **declined(
            "цариц императриц", "f", {"а": "nom", "ы": "gen", "е": "dat pre", "у": "acc", "ей": "ins"}
        ),
        **declined("княгин герцогин", "f", {"я": "nom", "и": "gen", "е": "dat pre", "ю": "acc", "ей": "ins"}),
        **declined("корол цар княз", "m", {"ь": "nom", "я": "gen acc", "ю": "dat", "ем": "ins", "е": "pre"}),
        **declined(
            "император герцог султан патриарх католикос",
            "m",
            {"-": "nom", "а": "gen acc", "у": "dat", "ом": "ins", "е": "pre"},
        ),
        **declined("пап", "m", {"а": "nom", "ы": "gen", "е": "dat pre", "у": "acc", "ой": "ins"}),
    },
    past=(("лись", "pl"), ("ли", "pl"), ("лась", "f"), ("ла", "f"), ("лся", "m"), ("л", "m")),
)
"""Feminine stems: Екатерина, Елизавета, Изабелла, Маргарита, Анна, Ольга; masculine despite their
ending: Константин, Валентин."""

regnal_form = NAMES.form
