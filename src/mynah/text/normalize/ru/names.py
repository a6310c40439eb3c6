"""The case and gender of a ruler's name, for the regnal numeral after it to agree ("при Петре I" ->
"при Петре Первом", "у Екатерины II" -> "у Екатерины Второй", "Петру I" -> "Петру Первому").

By rule, not by a list of names: the preposition before the name says which cases it can be in, the
name's ending which case and gender it is in. An ending that two declensions share is settled by the
preposition ("при Петре" prepositional masculine, "к Екатерине" dative feminine) and, where none
says, by the stem: a feminine name's stem ends as feminine names do ("Екатерин-", "Елизавет-",
"Изабелл-", "Анн-", "Ольг-"), a masculine one does not ("Петр-", "Александр-", "Павл-",
"Константин-"). What neither settles is read as the commoner reading of rulers' names: masculine.
"""

from __future__ import annotations

_PREPOSITION_CASES: dict[str, frozenset[str]] = {}
for _words, _cases in (
    ("у от до из для без после около против вместо кроме среди возле ради мимо вокруг", "gen"),
    ("с со", "gen ins"),
    ("к ко благодаря согласно вопреки навстречу", "dat"),
    ("по", "dat"),
    ("про через сквозь", "acc"),
    ("в во на", "acc pre"),
    ("за под", "acc ins"),
    ("над перед между", "ins"),
    ("при о об обо", "pre"),
):
    for _word in _words.split():
        _PREPOSITION_CASES[_word] = frozenset(_cases.split())

_FEMININE_STEMS = ("ин", "ет", "лл", "ит", "нн", "льг", "ьг")
"""How the stems of feminine names end (Екатерина, Елизавета, Изабелла, Маргарита, Анна, Ольга)."""
_MASCULINE_STEMS = ("нтин",)
"""Masculine stems that end as feminine ones do (Константин, Валентин)."""


def _feminine_stem(stem: str) -> bool:
    return stem.endswith(_FEMININE_STEMS) and not stem.endswith(_MASCULINE_STEMS)


def regnal_form(name: str, before: str) -> str:
    """The ordinal form (`<gender>_<case>`) of a regnal numeral after `name`, the word `before` it
    (lower-cased) being perhaps a preposition."""
    word = name.lower().replace("ё", "е")
    cases = _PREPOSITION_CASES.get(before, frozenset())
    last, stem = word[-1:], word[:-1]
    if word.endswith(("ом", "ем")):
        return "m_ins"  # Петром, Николаем, Василием
    if word.endswith(("ой", "ей")):  # Екатериной, Марией; Алексей, Андрей are nominative
        if "ins" in cases or word.endswith("ией") or _feminine_stem(word[:-2]):
            return "f_ins"
        return "m_nom"
    if last == "ы" or (last == "и" and not word.endswith("ии")):
        return "f_gen"  # Екатерины, Ольги, Софьи
    if word.endswith("ии"):  # Марии (genitive, dative, prepositional) or Василии (prepositional)
        return "m_pre" if cases == {"pre"} else "f_gen"
    if last in "ую":  # Екатерину, Марию (accusative) or Петру, Николаю (dative)
        if "acc" in cases and "dat" not in cases:
            return "f_acc"
        if not cases and _feminine_stem(stem):
            return "f_acc"
        return "m_dat"
    if last == "е":  # Петре, Николае (prepositional) or Екатерине, Софье (dative, prepositional)
        if word.endswith("ье") or ("dat" in cases and "pre" not in cases) or _feminine_stem(stem):
            return "f_pre"
        return "m_pre"
    if last in "ая":  # Екатерина, Мария, Софья (nominative) or Петра, Николая (genitive, accusative)
        if cases & {"gen", "acc"}:
            return "m_gen"
        if word.endswith(("ия", "ья")) or _feminine_stem(stem):
            return "f_nom"
        return "m_gen"  # Петра, Николая, Алексея
    return "m_nom"  # Пётр, Николай, Василий
