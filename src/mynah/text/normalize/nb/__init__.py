"""Norwegian Bokmål: the data of `language.Norwegian`, its number words in `numbers`; the shared rules of `mynah.text.normalize.intl`."""
