"""The locales the product speaks and the one it falls back to. Here, in models, because the request
models validate `locale` against this list; it imports nothing, so the PDF renderer and the message
builders may read it without loading pydantic. Every text and format per locale is in fastfaktura.i18n."""

LOCALES = ("fr", "en", "nb", "sv")
DEFAULT_LOCALE = "fr"  # a business's default_locale when it names none, and the fallback everywhere
