"""Pronunciation lexicons: W3C PLS 1.0 and a small JSON form, parsed into one shape, and a fast matcher.

A lexicon maps graphemes (how a word is written) to an alias (other text to speak instead) or to a
pronunciation in IPA. Both input formats produce the same `Lexicon`; where the text meets a lexicon,
`LexiconMatcher` finds the graphemes (whole words, case rules, longest match, precedence). Applying
the matches to a speech plan is `mynah.tts.plan`'s job.

    model.py     Lexicon, LexiconEntry, LexiconMatch; the limits; checks both parsers share
    pls.py       parse_pls: PLS 1.0, safe against XXE and entity expansion
    jsonform.py  parse_json, entry_json: the JSON form
    parse.py     detect_format, parse_lexicon: content type or first character decides
    match.py     LexiconMatcher: the matching rules

Errors are `InvalidRequest` naming line and column (or the JSON entry); documents over the size or
entry limit raise `PayloadTooLarge`; a content type that is neither raises `UnsupportedMediaType`.
"""

from mynah.text.lexicon.jsonform import entry_json, parse_json
from mynah.text.lexicon.match import LexiconMatcher
from mynah.text.lexicon.model import (
    MAX_ALIAS_CHARS,
    MAX_DEPTH,
    MAX_ENTRIES,
    MAX_GRAPHEME_CHARS,
    MAX_LEXICON_BYTES,
    Lexicon,
    LexiconEntry,
    LexiconMatch,
)
from mynah.text.lexicon.parse import (
    CANONICAL_CONTENT_TYPE,
    JSON_CONTENT_TYPES,
    PLS_CONTENT_TYPES,
    LexiconFormat,
    detect_format,
    media_type,
    parse_lexicon,
)
from mynah.text.lexicon.pls import PLS_NAMESPACE, XML_NAMESPACE, parse_pls

__all__ = [
    "CANONICAL_CONTENT_TYPE",
    "JSON_CONTENT_TYPES",
    "MAX_ALIAS_CHARS",
    "MAX_DEPTH",
    "MAX_ENTRIES",
    "MAX_GRAPHEME_CHARS",
    "MAX_LEXICON_BYTES",
    "PLS_CONTENT_TYPES",
    "PLS_NAMESPACE",
    "XML_NAMESPACE",
    "Lexicon",
    "LexiconEntry",
    "LexiconFormat",
    "LexiconMatch",
    "LexiconMatcher",
    "detect_format",
    "entry_json",
    "media_type",
    "parse_json",
    "parse_lexicon",
    "parse_pls",
]
