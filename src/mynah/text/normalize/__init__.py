"""Text normalisation for speech: written text in, what a careful narrator would say out.

    >>> from mynah.text.normalize import normalize
    >>> normalize("Dr. Smith paid $3.50 on 2024-03-15.").text
    'doctor Smith paid three dollars fifty cents on march fifteenth twenty twenty four.'

Every token keeps the span of the input it reads (`NormalizedText.tokens`, `NormalizedText.span_map()`);
`split_sentences` cuts the result into sentences for streaming. Languages plug in through `Normalizer`
and `NormalizerRegistry`; English is built in, and so are German, Spanish, French, Italian, Portuguese,
Russian and Swedish (`intl/` holds their shared rules, `de/` ... `sv/` their data and grammar). Other
languages get a language-neutral pass (digits by num2words when it knows the language).

Readings (US English, chosen to match common public text-normalisation conventions):

- numbers without "and" ("one hundred twenty three"), "zero" for the digit 0, "minus" for negatives;
  years in pairs ("nineteen ninety nine", "two thousand five", "nineteen oh five"); a four-digit number
  is a year unless a plural noun follows ("1999 people");
- money as major and minor units ("three dollars fifty cents"), decimals with scale words
  ("one point five million dollars");
- letters are spelled as lower-case letters separated by spaces ("f b i", "p m", "e s t");
- URLs and e-mail addresses piece by piece ("john dot doe at example dot com");
- sentence punctuation `. , ? ! ...` stays in `.text`; other punctuation and all markup are `silent`
  tokens.

Nothing is dropped: every non-whitespace input character is inside a token (spoken, `punct` or
`silent`) or inside one of `NormalizedText.unspoken`. Emoji, pictographs and other symbols we cannot
name, control, private-use and unassigned characters are reported there rather than read out by their
Unicode names (a narrator would not say "face with tears of joy"); the TTS layer decides what to do
with them.

`normalize(categories=...)` limits expansion to some of `CATEGORIES`: text a disabled reading would have
claimed is spoken as written ("$5" stays "$5" when "money" is off). Beware the name: the package
`mynah.text.normalize` holds the function `normalize`, and `mynah.text.normalize` as an attribute of
`mynah.text` is the function; import names with `from mynah.text.normalize import ...`.
"""

from mynah.text.normalize.model import (
    CATEGORIES,
    PLAIN,
    PUNCT,
    SILENT,
    NormalizedText,
    Piece,
    Span,
    SpanMap,
    Token,
)
from mynah.text.normalize.neutral import NeutralNormalizer
from mynah.text.normalize.registry import (
    Normalizer,
    NormalizerRegistry,
    default_registry,
    normalize,
)
from mynah.text.normalize.sentences import split_sentences

__all__ = [
    "CATEGORIES",
    "PLAIN",
    "PUNCT",
    "SILENT",
    "NeutralNormalizer",
    "NormalizedText",
    "Normalizer",
    "NormalizerRegistry",
    "Piece",
    "Span",
    "SpanMap",
    "Token",
    "default_registry",
    "normalize",
    "split_sentences",
]
