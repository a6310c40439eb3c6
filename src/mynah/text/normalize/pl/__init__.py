"""Polish: the data of `language.Polish`, its inflection in `grammar`; the shared rules of `mynah.text.normalize.intl`."""
