"""Text processing for speech: normalisation of written text into its spoken form."""

from mynah.text.normalize import (
    CATEGORIES,
    NormalizedText,
    Normalizer,
    NormalizerRegistry,
    Span,
    SpanMap,
    Token,
    normalize,
    split_sentences,
)

__all__ = [
    "CATEGORIES",
    "NormalizedText",
    "Normalizer",
    "NormalizerRegistry",
    "Span",
    "SpanMap",
    "Token",
    "normalize",
    "split_sentences",
]
