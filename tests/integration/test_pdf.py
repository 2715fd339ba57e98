"""Invoice PDFs through the API: DynamoDB Local for the table, moto's server for the bucket.
Text is read back with pypdf: localized title, names with accents, totals per locale, legal mentions."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from fastfaktura.i18n.catalogue import CATALOGUES
from pypdf import PdfReader

from tests.helpers.api import Api, assert_error

ACCENTS = "Smørbrød på Ærø — ÆØÅ äö ÄÖ, façade éç"
# 1 × 123456 @ 25 % → subtotal 1 234,56 · VAT 308,64 · total 1 543,20
LINES = [{"description": ACCENTS, "quantity": 1, "unit_price_cents": 123456, "tax_rate": 25}]

LOCALES = {
    # locale: currency, title, file stem, header label, subtotal, total
    "fr": ("EUR", "FACTURE", "facture", "Désignation", "1 234,56 €", "1 543,20 €"),
    "en": ("EUR", "INVOICE", "invoice", "Description", "€1,234.56", "€1,543.20"),
    "nb": ("NOK", "FAKTURA", "faktura", "Beskrivelse", "1 234,56 kr", "1 543,20 kr"),
    "sv": ("SEK", "FAKTURA", "faktura", "Beskrivning", "1 234,56 kr", "1 543,20 kr"),
}


@pytest.fixture
def bucket(aws_emulation):
    """The PDF bucket on moto's server (the store's S3 client is pointed at it)."""
    from fastfaktura.store import pdfs

    pdfs.client.cache_clear()
    return pdfs


def put_client(business_id: str, name: str = "Åsa Ærø Ölund", locale: str | None = "fr", **fields) -> str:
    from fastfaktura.domain.ids import new_id
    from fastfaktura.store import db, keys

    client_id = new_id()
    item = {"PK": keys.business_pk(business_id), "SK": keys.client_sk(client_id), "business_id": business_id,
            "client_id": client_id, "name": name, "locale": locale, "address": "Storgata 1\n0155 Oslo",
            "country": "NO", "email": "asa@example.no", "created_at": "2026-01-01T00:00:00.000000Z",
            "updated_at": "2026-01-01T00:00:00.000000Z", **fields}
    db.client().put_item(TableName=db.table_name(), Item=db.to_item(item))
    return client_id


def create_invoice(api: Api, client_id: str, currency: str = "EUR", lines=None, **fields) -> dict:
    answer = api.post("/api/v1/invoices", {"client_id": client_id, "currency": currency,
                                           "lines": lines or LINES, **fields})
    assert answer.status == 201, answer.body
    return answer.json


def text_of(body: bytes) -> tuple[list[str], PdfReader]:
    """Each page's text, with babel's no-break spaces read as plain spaces."""
    reader = PdfReader(io.BytesIO(body))
    pages = [page.extract_text().replace("\u202f", " ").replace("\xa0", " ") for page in reader.pages]
    return pages, reader


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDFs actually rendered (a PDF served from the bucket is not)."""
    from fastfaktura.pdf import render as render_module

    count = {"n": 0}
    original = render_module.render

    def counting(document, *args):
        count["n"] += 1
        return original(document, *args)

    monkeypatch.setattr(render_module, "render", counting)
    return count


@pytest.mark.parametrize("locale", LOCALES)
def test_pdf_in_the_clients_locale(api, business, bucket, locale):
    currency, title, stem, header, subtotal, total = LOCALES[locale]
    client_id = put_client(business.business.id, locale=locale)
    invoice = create_invoice(api, client_id, currency=currency, notes="Merci ! Tack! Takk!")

    answer = api.get(f"/api/v1/invoices/{invoice['id']}/pdf")

    assert answer.status == 200, answer.body[:300]
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'attachment; filename="{stem}-{invoice["number"]}.pdf"'
    assert answer.body.startswith(b"%PDF-")
    pages, reader = text_of(answer.body)
    text = pages[0]
    assert title in text
    assert invoice["number"] in text
    assert "Åsa Ærø Ölund" in text
    assert ACCENTS in text
    assert header in text
    assert subtotal in text
    assert total in text
    assert "Atelier Test" in text
    assert invoice["public_url"] in text
    sandbox = CATALOGUES[locale].invoice.sandbox  # the test business is a sandbox one
    assert sandbox in text
    assert reader.metadata.title == f"{sandbox} · {title.capitalize()} {invoice['number']}"


def test_the_locale_falls_back_to_the_business_default(api, business, bucket):
    api.put("/api/v1/business", {"default_locale": "sv"})
    client_id = put_client(business.business.id, locale=None)
    invoice = create_invoice(api, client_id, currency="SEK")
    answer = api.get(f"/api/v1/invoices/{invoice['id']}/pdf")
    assert 'filename="faktura-' in answer.headers["content-disposition"]
    assert "Att betala" in text_of(answer.body)[0][0]


def test_many_lines_give_several_pages_with_the_header_repeated(api, business, bucket):
    client_id = put_client(business.business.id, locale="en")
    lines = [{"description": f"Line {i} — {'consulting work ' * (1 + i % 4)}".strip(), "quantity": 1,
              "unit_price_cents": 1000 + i, "tax_rate": 25 if i % 2 else 12} for i in range(130)]
    invoice = create_invoice(api, client_id, lines=lines)

    pages, _ = text_of(api.get(f"/api/v1/invoices/{invoice['id']}/pdf").body)

    assert len(pages) >= 3
    table_pages = [p for p in pages if "Line " in p]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert "Description" in page and "Unit price" in page and "Amount" in page
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} / {len(pages)}" in page
    everything = "\n".join(pages)
    assert "Line 0 " in everything and "Line 129 " in everything
    assert "VAT BREAKDOWN" in everything


@pytest.mark.parametrize(("profile", "expected", "absent"), [
    ({"country": "FR", "company_id": "12345678200010", "vat_number": "FR11123456782", "late_payment_rate": 10.15,
      "legal_form": "SAS au capital de 10 000 €"},
     ["SIRET 123 456 782 00010", "TVA intracommunautaire FR11123456782", "taux annuel de 10,15 %",
      "40 €", "SAS au capital de 10 000 €"], ["TVA non applicable"]),
    ({"country": "FR", "company_id": "123456782"},
     ["SIREN 123 456 782", "trois fois le taux d'intérêt légal", "frais de recouvrement"], ["TVA intracommunautaire"]),
    ({"country": "NO", "company_id": "923456783", "vat_registered": True, "legal_form": "AS"},
     ["Org.nr. 923 456 783 MVA", "Foretaksregisteret"], ["SIRET", "frais de recouvrement"]),
    ({"country": "NO", "company_id": "923456783", "legal_form": "ENK"},
     ["Org.nr. 923 456 783"], ["MVA ", "Foretaksregisteret"]),
    ({"country": "SE", "company_id": "556677-8899", "vat_number": "SE556677889901", "f_skatt": True},
     ["Org.nr 556677-8899", "Momsreg.nr SE556677889901", "Godkänd för F-skatt"], []),
    ({"country": "SE", "company_id": "556677-8899"}, ["Org.nr 556677-8899"], ["F-skatt"]),
    ({"country": "DK", "company_id": "12345674"}, ["CVR-nr. 12345674"], ["SIRET"]),
])
def test_legal_mentions_of_the_sellers_country(api, business, bucket, profile, expected, absent):
    assert api.put("/api/v1/business", profile).status == 200
    client_id = put_client(business.business.id, locale="fr")
    invoice = create_invoice(api, client_id, lines=[{**LINES[0], "tax_rate": 20}])

    text = text_of(api.get(f"/api/v1/invoices/{invoice['id']}/pdf").body)[0][0]

    for mention in expected:
        assert mention in text
    for mention in absent:
        assert mention not in text


def test_a_french_seller_without_vat_prints_the_exemption(api, business, bucket):
    api.put("/api/v1/business", {"country": "FR", "company_id": "123456782"})
    client_id = put_client(business.business.id, locale="fr")
    invoice = create_invoice(api, client_id, lines=[{**LINES[0], "tax_rate": 0}])
    text = text_of(api.get(f"/api/v1/invoices/{invoice['id']}/pdf").body)[0][0]
    assert "TVA non applicable, art. 293 B du CGI" in text


def test_rendered_once_then_served_from_the_bucket(api, business, bucket, renders):
    client_id = put_client(business.business.id)
    invoice = create_invoice(api, client_id)
    path = f"/api/v1/invoices/{invoice['id']}/pdf"

    first = api.get(path)
    second = api.get(path)

    assert first.status == second.status == 200
    assert renders["n"] == 1
    assert second.body == first.body
    listed = bucket.client().list_objects_v2(Bucket=bucket.bucket(),
                                             Prefix=f"invoices/{business.business.id}/{invoice['id']}/")
    assert [obj["Key"].rsplit("/", 1)[1][:5] for obj in listed["Contents"]] == ["open-"]
    stored = bucket.client().head_object(Bucket=bucket.bucket(), Key=listed["Contents"][0]["Key"])
    assert stored["ServerSideEncryption"] == "AES256"
    assert stored["ContentType"] == "application/pdf"


def test_a_status_that_prints_differently_renders_a_new_version(api, business, bucket, renders):
    from fastfaktura.store import invoices as store

    client_id = put_client(business.business.id)
    invoice = create_invoice(api, client_id)
    path = f"/api/v1/invoices/{invoice['id']}/pdf"
    api.get(path)
    store.transition(business.business.id, invoice["id"], "sent", datetime.now(UTC))
    api.get(path)
    assert renders["n"] == 1  # sent prints like draft

    issued = invoice["issue_date"]  # a payment is never dated before the invoice: its first minute in Paris
    paid_at = {"paid_at": f"{issued}T00:00:00+01:00"}
    assert api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid", paid_at).status == 200
    paid = text_of(api.get(path).body)[0][0]
    assert renders["n"] == 2
    assert f"PAYÉE LE {int(issued[8:])} " in paid and issued[:4] in paid


def test_a_cancelled_invoice_is_stamped(api, business, bucket):
    client_id = put_client(business.business.id, locale="en")
    invoice = create_invoice(api, client_id)
    assert api.post(f"/api/v1/invoices/{invoice['id']}/cancel").status == 200
    assert "CANCELLED" in text_of(api.get(f"/api/v1/invoices/{invoice['id']}/pdf").body)[0][0]


def test_another_business_gets_404(api, business, bucket):
    from fastfaktura.services.business import create_business

    client_id = put_client(business.business.id)
    invoice = create_invoice(api, client_id)
    other = Api(create_business("Autre", sandbox=True).api_key)

    assert_error(other.get(f"/api/v1/invoices/{invoice['id']}/pdf"), 404, "not_found")
    assert_error(api.get("/api/v1/invoices/not-a-uuid/pdf"), 404, "not_found")
    assert_error(api.get("/api/v1/invoices/0195c0de-0000-7000-8000-000000000000/pdf"), 404, "not_found")
    assert_error(api.get(f"/api/v1/invoices/{invoice['id']}/pdf", key=None), 401, "authentication_error")


def test_the_public_link_serves_the_same_pdf_without_a_key(api, business, bucket, renders):
    client_id = put_client(business.business.id, locale="nb")
    invoice = create_invoice(api, client_id, currency="NOK")
    token = invoice["public_url"].rsplit("/", 1)[1]

    public = api.get(f"/i/{token}/pdf", key=None)
    private = api.get(f"/api/v1/invoices/{invoice['id']}/pdf")

    assert public.status == 200
    assert public.headers["content-type"] == "application/pdf"
    assert public.headers["content-disposition"] == f'attachment; filename="faktura-{invoice["number"]}.pdf"'
    assert public.body == private.body
    assert renders["n"] == 1
    unknown = api.get("/i/no-such-token-000000000000000000/pdf", key=None)
    assert unknown.status == 404
    assert unknown.headers["content-type"].startswith("text/html")


def test_business_legal_fields_round_trip(api):
    body = api.put("/api/v1/business", {"legal_form": "AS", "vat_registered": True, "late_payment_rate": 10.15,
                                        "f_skatt": False}).json
    assert (body["legal_form"], body["vat_registered"], body["late_payment_rate"], body["f_skatt"]) == \
        ("AS", True, 10.15, False)
    assert api.get("/api/v1/business").json["late_payment_rate"] == 10.15
    for bad in ({"vat_registered": "yes"}, {"late_payment_rate": 101}, {"late_payment_rate": 1.234},
                {"f_skatt": 1}):
        assert_error(api.put("/api/v1/business", bad), 422, "validation_error")
