"""German: the data and grammar of `language.German`; the shared rules of `mynah.text.normalize.intl`."""
