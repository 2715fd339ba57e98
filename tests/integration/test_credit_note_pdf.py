"""A credit note's PDF in the four locales, read back with pypdf: its title and number, the invoice it
corrects with that invoice's date, the reason, and what it credits."""

from __future__ import annotations

import pytest

from tests.helpers.api import assert_error
from tests.integration.test_pdf import LINES, bucket, create_invoice, put_client, text_of  # noqa: F401 (fixture)

LOCALES = {
    # locale: currency, title, file stem, "corrects" sentence start, credited total
    "fr": ("EUR", "AVOIR", "avoir", "Avoir sur la facture", "1 543,20 €"),
    "en": ("EUR", "CREDIT NOTE", "credit-note", "Credit note for invoice", "€1,543.20"),
    "nb": ("NOK", "KREDITNOTA", "kreditnota", "Kreditnota for faktura", "1 543,20 kr"),
    "sv": ("SEK", "KREDITFAKTURA", "kreditfaktura", "Kreditfaktura för faktura", "1 543,20 kr"),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_credit_note_pdf_in_the_clients_locale(api, business, bucket, locale):  # noqa: F811
    from fastfaktura.models.common import utcnow
    from fastfaktura.store import invoices as store

    currency, title, stem, corrects, total = LOCALES[locale]
    invoice = create_invoice(api, put_client(business.business.id, locale=locale), currency=currency)
    store.transition(business.business.id, invoice["id"], "sent", utcnow())
    note = api.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", {"reason": "Retour Ærø"}).json
    answer = api.get(f"/api/v1/credit-notes/{note['id']}/pdf")
    assert answer.status == 200, answer.body[:300]
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'attachment; filename="{stem}-AV-0001.pdf"'
    [page], _reader = text_of(answer.body)
    assert title in page and "AV-0001" in page and "Retour Ærø" in page and total in page
    assert corrects in page and invoice["number"] in page
    assert invoice["issue_date"][:4] in page  # the corrected invoice's date, in the locale's format


def test_another_business_gets_404(api, business, bucket):  # noqa: F811
    assert_error(api.get("/api/v1/credit-notes/0196b1f0-3c2a-7a10-8f00-00000000c001/pdf"), 404, "not_found")
