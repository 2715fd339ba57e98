"""Our locales → the babel locale whose number and date conventions each one means (amounts and dates
are written as in the country the language is mostly read in). One table for the emails, the SMS, the
PDF and the public page, which must write an amount alike; it imports nothing, so the PDF renderer
may use it without loading the models."""

BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB", "nb": "nb_NO", "sv": "sv_SE"}
