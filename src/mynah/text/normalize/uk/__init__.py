"""Ukrainian: the data of `language.Ukrainian`, its inflection in `grammar`; the shared rules of `mynah.text.normalize.intl`."""
