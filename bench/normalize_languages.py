"""How many of each language's own native-speaker cases mynah reads right, per category.

    .venv/bin/python bench/normalize_languages.py

The cases are the tables of tests/text/test_normalize_<language>.py (written by us from the languages'
style guides and from news, recipe, timetable and invoice text; alternatives where natives differ).
Prints a Markdown table: per language the share read right, and right/total per category.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.text.language_cases import CATEGORIES, score

LANGUAGES = ("cs", "da", "de", "es", "fi", "fr", "it", "nb", "nl", "pl", "pt", "ru", "sv", "tr", "uk")


def main() -> None:
    print("| language | read right | " + " | ".join(CATEGORIES) + " |")
    print("|---|---|" + "---|" * len(CATEGORIES))
    for language in LANGUAGES:
        cases = importlib.import_module(f"tests.text.test_normalize_{language}").CASES
        per = score(language, cases)
        right = sum(r for r, _ in per.values())
        cells = [f"{per[c][0]}/{per[c][1]}" if c in per else "-" for c in CATEGORIES]
        print(f"| {language} | {right}/{len(cases)} ({right / len(cases):.0%}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
