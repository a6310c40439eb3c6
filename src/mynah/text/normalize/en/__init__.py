"""English: the rules live in one module per category; `normalizer.EnglishNormalizer` puts them in order.

Nothing is imported here so that importing `mynah.text` compiles no rule tables; the registry imports
`mynah.text.normalize.en.normalizer` on first use.
"""
