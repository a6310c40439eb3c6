"""The JSON lexicon form, parsed into a `Lexicon`, and an entry written back in it::

    {"tomato": {"ipa": "təˈmɑːtoʊ"}, "SQL": {"alias": "sequel"}, "data": {"x-sampa": "\\"deIt@"},
     "nginx": "engine x"}

A plain object maps each grapheme to either a string (an alias) or an object with exactly one of
"alias", "ipa" or "x-sampa". The wrapped form adds the language::

    {"language": "en-US", "entries": {"tomato": {"ipa": "təˈmɑːtoʊ"}}}
    {"language": "en-US", "entries": [{"graphemes": ["colour", "color"], "ipa": "ˈkʌlɚ"}]}

It is recognised when the top-level object has an "entries" object or array and no keys other than
"language" and "entries" (so a plain map whose only word is "entries" must use the wrapped form).
In the array form each item has "grapheme" (a string) or "graphemes" (a list) and one of
"alias", "ipa" or "x-sampa". Duplicate keys are refused. Errors are `InvalidRequest` naming the
line and column, or the entry.
"""

from __future__ import annotations

import json
from typing import Any

from mynah.errors import InvalidRequest
from mynah.text.lexicon.model import (
    MAX_ENTRIES,
    Lexicon,
    LexiconEntry,
    check_size,
    clean,
    grapheme,
    json_integer,
    language_tag,
    too_many,
)
from mynah.text.xsampa import xsampa_to_ipa

_JSON_KEYS = ("alias", "ipa", "x-sampa")


def parse_json(data: bytes | str, name: str) -> Lexicon:
    """Parse the JSON lexicon form described in the module docstring."""
    check_size(data)
    try:
        document = json.loads(data, object_pairs_hook=_no_duplicates, parse_int=json_integer)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            f"malformed JSON lexicon at line {exc.lineno}, column {exc.colno}: {exc.msg}", param="lexicon"
        ) from None
    except UnicodeDecodeError:
        raise InvalidRequest("JSON lexicon is not UTF-8 text", param="lexicon") from None
    except RecursionError:
        raise InvalidRequest("JSON lexicon nests too deeply", param="lexicon") from None
    if not isinstance(document, dict):
        raise InvalidRequest("a JSON lexicon must be an object", param="lexicon")
    language: str | None = None
    entries: Any = document
    if isinstance(document.get("entries"), dict | list) and set(document) <= {"language", "entries"}:
        raw_language = document.get("language")
        if raw_language is not None and not isinstance(raw_language, str):
            raise InvalidRequest('"language" must be a string such as "en-US"', param="lexicon")
        language = language_tag(raw_language, '"language"')
        entries = document["entries"]
    if isinstance(entries, dict):
        if len(entries) > MAX_ENTRIES:
            raise too_many(MAX_ENTRIES)
        parsed = [_json_entry((key,), value, f"entry {key!r}") for key, value in entries.items()]
    else:
        if len(entries) > MAX_ENTRIES:
            raise too_many(MAX_ENTRIES)
        parsed = [_json_list_item(item, index) for index, item in enumerate(entries)]
    return Lexicon(name=name, language=language, entries=tuple(parsed))


def entry_json(entry: LexiconEntry) -> dict[str, Any]:
    """An entry in the array form of a JSON lexicon, so a listing can be uploaded again."""
    spoken = {"alias": entry.alias} if entry.alias is not None else {"ipa": entry.ipa}
    return {"graphemes": list(entry.graphemes), **spoken}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidRequest(f"JSON lexicon has {key!r} twice", param="lexicon")
        result[key] = value
    return result


def _json_list_item(item: Any, index: int) -> LexiconEntry:
    where = f"entries[{index}]"
    if not isinstance(item, dict):
        raise InvalidRequest(f"{where}: must be an object", param="lexicon")
    item = dict(item)
    if "grapheme" in item and "graphemes" in item:
        raise InvalidRequest(f'{where}: give "grapheme" or "graphemes", not both', param="lexicon")
    if "grapheme" in item:
        graphemes: Any = [item.pop("grapheme")]
    elif "graphemes" in item:
        graphemes = item.pop("graphemes")
    else:
        raise InvalidRequest(f'{where}: needs "grapheme" or "graphemes"', param="lexicon")
    if not isinstance(graphemes, list) or not graphemes or not all(isinstance(g, str) for g in graphemes):
        raise InvalidRequest(f'{where}: "graphemes" must be a non-empty list of strings', param="lexicon")
    return _json_entry(tuple(graphemes), item, where)


def _json_entry(graphemes: tuple[str, ...], value: Any, where: str) -> LexiconEntry:
    cleaned = tuple(dict.fromkeys(grapheme(g, where) for g in graphemes))
    if isinstance(value, str):
        spec: dict[str, Any] = {"alias": value}
    elif isinstance(value, dict):
        spec = value
    else:
        raise InvalidRequest(
            f'{where}: must be a string (an alias) or an object with "alias", "ipa" or "x-sampa"',
            param="lexicon",
        )
    unknown = sorted(set(spec) - set(_JSON_KEYS))
    if unknown:
        raise InvalidRequest(
            f'{where}: unknown key {unknown[0]!r}; use one of "alias", "ipa" or "x-sampa"', param="lexicon"
        )
    if len(spec) != 1:
        raise InvalidRequest(f'{where}: needs exactly one of "alias", "ipa" or "x-sampa"', param="lexicon")
    ((key, raw),) = spec.items()
    if not isinstance(raw, str) or not clean(raw):
        raise InvalidRequest(f'{where}: "{key}" must be a non-empty string', param="lexicon")
    text = clean(raw)
    if key == "alias":
        return LexiconEntry(cleaned, alias=text)
    return LexiconEntry(cleaned, ipa=xsampa_to_ipa(text) if key == "x-sampa" else text)
