"""Italian: the data and grammar of `language.Italian`; the shared rules of `mynah.text.normalize.intl`."""
