"""Shared machinery for the normalisers of languages other than English.

A language is data plus a few grammar functions: a `Language` subclass (in its own package,
`mynah.text.normalize.de`, `.fr`, ...) supplies separators, month names, currency and unit nouns,
abbreviations and the readings that inflect (ordinals, agreement of numbers with nouns, dates, times).
`rules.build_rules` turns one `Language` into the ordered rule list of the single tokenising pass, and
`normalizer.RuleNormalizer` runs it, so every language keeps the English span model: each spoken token
carries the span of the ORIGINAL input it reads.

Nothing is imported here so that importing `mynah.text` compiles no rule tables.
"""
