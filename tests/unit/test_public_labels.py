"""The public pages' words: complete in every locale; the browser's language for pages without an invoice."""

from __future__ import annotations

import pytest
from fastfaktura.web.labels import LABELS, LOCALES, negotiate


def test_every_locale_has_every_label():
    keys = set(LABELS["en"])
    for locale in LOCALES:
        assert set(LABELS[locale]) == keys, locale
        assert all(text.strip() for text in LABELS[locale].values())


@pytest.mark.parametrize(("header", "locale"), [
    (None, "en"),
    ("", "en"),
    ("de-DE,de;q=0.9", "en"),
    ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
    ("de,sv;q=0.5,fr;q=0.4", "sv"),
    ("en;q=0.2,nb;q=0.9", "nb"),
    ("no", "nb"),
    ("nn-NO", "nb"),
    ("fr;q=0,en", "en"),
    ("fr;q=abc,sv", "sv"),
])
def test_negotiate(header, locale):
    assert negotiate(header) == locale
