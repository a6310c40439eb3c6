"""Danish: the data of `language.Danish`, its number words in `numbers`; the shared rules of `mynah.text.normalize.intl`."""
