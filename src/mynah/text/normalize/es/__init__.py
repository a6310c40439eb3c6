"""Spanish: the data and grammar of `language.Spanish`; the shared rules of `mynah.text.normalize.intl`."""
