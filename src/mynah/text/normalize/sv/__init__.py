"""Swedish: the data of `language.Swedish`, its number words in `numbers`; the shared rules of `mynah.text.normalize.intl`."""
