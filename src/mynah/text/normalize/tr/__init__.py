"""Turkish: the data of `language.Turkish`, its number words and suffixes in `numbers`; the shared rules of `mynah.text.normalize.intl`."""
