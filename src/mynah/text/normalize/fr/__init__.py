"""French: the data and grammar of `language.French`; the shared rules of `mynah.text.normalize.intl`."""
