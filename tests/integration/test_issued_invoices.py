"""An issued invoice is frozen: from its first send on, its PDF and public page show the seller and the
client as they were then; a later change of the profile or the client reaches new documents only."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from pypdf import PdfReader

from tests.helpers.api import Api

OLD_IBAN, NEW_IBAN = "FR76 3000 6000 0112 3456 7890 189", "DE89 3704 0044 0532 0130 00"


@pytest.fixture
def bucket(aws_emulation):
    from fastfaktura.store import pdfs

    pdfs.client.cache_clear()
    return pdfs


def issue(api: Api, client_id: str) -> dict:
    invoice = api.post("/api/v1/invoices", {"client_id": client_id, "currency": "EUR", "lines": [
        {"description": "Design", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20}]}).json
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"]}).status == 200
    return invoice


def page_text(api: Api, invoice: dict) -> str:
    html = api.get(f"/i/{invoice['public_url'].rsplit('/', 1)[-1]}", key=None).body.decode()
    return unescape(re.sub(r"<[^>]+>", " ", html))


def pdf_text(api: Api, invoice: dict) -> str:
    body = api.get(f"/api/v1/invoices/{invoice['id']}/pdf").body
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages).replace("\xa0", " ")


def test_a_sent_invoice_keeps_the_bank_details_and_parties_it_was_sent_with(api, business, bucket):
    api.put("/api/v1/business", {"iban": OLD_IBAN, "address": "3 quai Voltaire\n75007 Paris"})
    client = api.post("/api/v1/clients", {"name": "Client Ancien", "address": "1 rue Vieille", "country": "FR"}).json
    sent = issue(api, client["id"])
    draft = api.post("/api/v1/invoices", {"client_id": client["id"], "currency": "EUR", "lines": [
        {"description": "Later", "quantity": 1, "unit_price_cents": 500, "tax_rate": 20}]}).json

    assert api.put("/api/v1/business", {"iban": NEW_IBAN, "name": "Atelier Nouveau",
                                        "address": "9 rue Neuve"}).status == 200
    renamed = api.put(f"/api/v1/clients/{client['id']}", {"name": "Client Nouveau", "address": "2 rue Neuve"})
    assert renamed.status == 200

    for text in (page_text(api, sent), pdf_text(api, sent)):
        assert OLD_IBAN in text and NEW_IBAN not in text
        assert "Atelier Test" in text and "Atelier Nouveau" not in text
        assert "Client Ancien" in text and "Client Nouveau" not in text
    # a document not yet issued shows the profile as it is now, and freezes it at its own first send
    assert NEW_IBAN in page_text(api, draft) and "Client Nouveau" in page_text(api, draft)
    issue_later = api.post(f"/api/v1/invoices/{draft['id']}/send", {"channels": ["link"]})
    assert issue_later.status == 200
    api.put("/api/v1/business", {"iban": OLD_IBAN})
    assert NEW_IBAN in pdf_text(api, draft)


def test_a_reminder_does_not_refreeze(api, business, bucket):
    api.put("/api/v1/business", {"iban": OLD_IBAN})
    client = api.post("/api/v1/clients", {"name": "Client Ancien", "email": "c@example.com"}).json
    sent = issue(api, client["id"])
    api.put("/api/v1/business", {"iban": NEW_IBAN})
    assert api.post(f"/api/v1/invoices/{sent['id']}/send", {"channels": ["link"], "reminder": True}).status == 200
    assert OLD_IBAN in page_text(api, sent) and NEW_IBAN not in page_text(api, sent)
