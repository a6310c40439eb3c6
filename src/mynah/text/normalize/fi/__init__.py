"""Finnish: the data of `language.Finnish`, number cases in `cases`; the shared rules of `mynah.text.normalize.intl`."""
