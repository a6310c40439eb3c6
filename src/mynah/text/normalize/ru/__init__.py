"""Russian: the data of `language.Russian`, its inflection in `grammar`; the shared rules of `mynah.text.normalize.intl`."""
