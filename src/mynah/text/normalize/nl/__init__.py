"""Dutch: the data of `language.Dutch`; the shared rules of `mynah.text.normalize.intl`."""
