"""Czech: the data of `language.Czech`, its ordinals and inflection in `grammar`; the shared rules of `mynah.text.normalize.intl`."""
