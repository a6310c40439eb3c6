"""Portuguese: the data and grammar of `language.Portuguese`; the shared rules of `mynah.text.normalize.intl`."""
