"""The data the standards need, through the API against DynamoDB Local: the new fields of business,
client, line and invoice (both create/update paths), identifiers checked by country, the VAT rules as
422s before anything is written, and items written before these fields existed still read and render."""

from __future__ import annotations

import pytest
from fastfaktura.store import db, keys

from tests.helpers.api import Api, assert_error
from tests.integration.test_pdf import bucket, text_of  # noqa: F401 (bucket is a fixture)

LINE = {"description": "Conseil", "quantity": 2, "unit_price_cents": 50000, "tax_rate": 20}
ZERO = {"description": "Conseil", "quantity": 2, "unit_price_cents": 50000, "tax_rate": 0}
GERMAN_CLIENT = {"name": "Müller GmbH", "country": "DE", "vat_number": "DE136695976", "kind": "business"}


def new_client(api: Api, **fields) -> dict:
    answer = api.post("/api/v1/clients", {"name": "Client SARL", **fields})
    assert answer.status == 201, answer.body
    return answer.json


def invoice_body(client_id: str, *lines: dict, **fields) -> dict:
    return {"client_id": client_id, "currency": "EUR", "lines": list(lines) or [LINE], **fields}


def invoice_count(api: Api) -> int:
    return len(api.get("/api/v1/invoices").json["data"])


# --- business ----------------------------------------------------------------------------------------

def test_the_business_answers_the_new_fields_with_their_defaults(api):
    body = api.get("/api/v1/business").json
    assert (body["vat_regime"], body["vat_on_debits"], body["credit_note_number_prefix"]) == ("standard", False, "AV-")
    for name in ("street", "postal_code", "city", "electronic_address", "trade_register", "early_payment_terms"):
        assert body[name] is None


def test_the_business_stores_every_new_field(api):
    fields = {"street": "3 quai Voltaire", "postal_code": "75007", "city": "Paris", "vat_on_debits": True,
              "electronic_address": {"scheme": "0225", "id": "123456782_FACT"}, "credit_note_number_prefix": "AV/",
              "trade_register": "RCS Paris", "early_payment_terms": "Escompte de 2 % pour paiement à 8 jours",
              "company_id": "123 456 782 00010", "vat_number": "FR11123456782",
              "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP"}
    answer = api.put("/api/v1/business", fields)
    assert answer.status == 200, answer.body
    assert {name: answer.json[name] for name in fields} == fields == \
        {name: api.get("/api/v1/business").json[name] for name in fields}
    cleared = api.put("/api/v1/business", {"electronic_address": None, "street": None}).json
    assert (cleared["electronic_address"], cleared["street"]) == (None, None)


@pytest.mark.parametrize(("body", "field"), [
    ({"vat_regime": "franchise"}, "vat_regime"), ({"vat_regime": None}, "vat_regime"),
    ({"vat_on_debits": "yes"}, "vat_on_debits"), ({"credit_note_number_prefix": "AV 1"}, "credit_note_number_prefix"),
    ({"credit_note_number_prefix": "A" * 21}, "credit_note_number_prefix"),
    ({"electronic_address": {"scheme": "9999", "id": "x"}}, "electronic_address.scheme"),
    ({"electronic_address": {"scheme": "0225"}}, "electronic_address.id"),
    ({"electronic_address": {"scheme": "0009", "id": "12345678200011"}}, "electronic_address.id"),
    ({"postal_code": "1" * 21}, "postal_code"), ({"city": "Paris\nCedex"}, "city"),
    ({"trade_register": "RCS\u2028Paris"}, "trade_register"),
])
def test_bad_business_fields_are_422s_naming_the_field(api, body, field):
    before = api.get("/api/v1/business").json
    error = assert_error(api.put("/api/v1/business", body), 422, "validation_error")
    assert field in [detail["field"] for detail in error["details"]]
    assert api.get("/api/v1/business").json == before


@pytest.mark.parametrize(("body", "field"), [
    ({"country": "FR", "company_id": "123456789"}, "company_id"),
    ({"country": "NO", "company_id": "923456789"}, "company_id"),
    ({"country": "SE", "company_id": "556677-8898"}, "company_id"),
    ({"country": "DK", "company_id": "12345678"}, "company_id"),
    ({"vat_number": "FR12123456782"}, "vat_number"),  # checked against the stored country (FR)
    ({"iban": "FR76 3000 6000 0112 3456 7890 188"}, "iban"),
])
def test_a_bad_check_digit_is_a_422_naming_the_field_and_nothing_is_written(api, body, field):
    before = api.get("/api/v1/business").json
    error = assert_error(api.put("/api/v1/business", body), 422, "validation_error")
    assert error["details"][0] == {"field": field, "issue": "checksum", "value": body[field]}
    assert api.get("/api/v1/business").json == before


def test_an_identifier_stored_is_checked_again_when_the_country_changes(api):
    assert api.put("/api/v1/business", {"country": "NO", "company_id": "923456783"}).status == 200
    error = assert_error(api.put("/api/v1/business", {"country": "DK"}), 422, "validation_error")
    assert error["details"][0]["field"] == "company_id"


def test_vat_registered_agrees_with_vat_regime(api):
    exempt = api.put("/api/v1/business", {"vat_registered": True, "vat_regime": "standard"}).json
    assert (exempt["vat_regime"], exempt["vat_registered"]) == ("standard", True)
    exempt = api.put("/api/v1/business", {"vat_regime": "exempt"}).json
    assert (exempt["vat_regime"], exempt["vat_registered"]) == ("exempt", False)
    registered = api.put("/api/v1/business", {"vat_registered": True}).json
    assert (registered["vat_regime"], registered["vat_registered"]) == ("standard", True)
    error = assert_error(api.put("/api/v1/business", {"vat_regime": "exempt", "vat_registered": True}), 422,
                         "validation_error")
    assert error["details"][0]["field"] == "vat_registered"


# --- clients -----------------------------------------------------------------------------------------

def test_a_client_stores_every_new_field_on_create_and_update(api):
    fields = {"street": "Unter den Linden 1", "postal_code": "10117", "city": "Berlin", "country": "DE",
              "kind": "business", "company_id": "HRB 12345", "vat_number": "DE136695976",
              "electronic_address": {"scheme": "9930", "id": "DE136695976"},
              "delivery_address": "Lager 3\nHafenstraße 7\n20457 Hamburg"}
    client = new_client(api, **fields)
    assert {name: client[name] for name in fields} == fields
    assert {name: api.get(f"/api/v1/clients/{client['id']}").json[name] for name in fields} == fields
    updated = api.put(f"/api/v1/clients/{client['id']}", {"kind": "consumer", "vat_number": None,
                                                           "delivery_address": None}).json
    assert (updated["kind"], updated["vat_number"], updated["delivery_address"]) == ("consumer", None, None)
    assert new_client(api)["kind"] == "business"


@pytest.mark.parametrize(("body", "field"), [
    ({"country": "FR", "company_id": "123456789"}, "company_id"),
    ({"country": "DE", "vat_number": "DE136695977"}, "vat_number"),
    ({"vat_number": "SE556677889801"}, "vat_number"),
    ({"kind": "person"}, "kind"),
    ({"electronic_address": {"scheme": "0192", "id": "923456789"}}, "electronic_address.id"),
    ({"delivery_address": "a\rb"}, "delivery_address"),
])
def test_bad_client_fields_are_422s_on_create_and_update(api, body, field):
    error = assert_error(api.post("/api/v1/clients", {"name": "Bad", **body}), 422, "validation_error")
    assert field in [detail["field"] for detail in error["details"]]
    client = new_client(api, country=body.get("country", "FR"))
    error = assert_error(api.put(f"/api/v1/clients/{client['id']}", body), 422, "validation_error")
    assert field in [detail["field"] for detail in error["details"]]
    assert api.get(f"/api/v1/clients/{client['id']}").json == client


def test_a_client_update_checks_the_number_against_the_stored_country(api):
    client = new_client(api, country="NO")
    error = assert_error(api.put(f"/api/v1/clients/{client['id']}", {"company_id": "923456789"}), 422,
                         "validation_error")
    assert error["details"][0] == {"field": "company_id", "issue": "checksum", "value": "923456789"}
    assert api.put(f"/api/v1/clients/{client['id']}", {"company_id": "923 456 783"}).status == 200


# --- invoices ----------------------------------------------------------------------------------------

def test_an_invoice_carries_its_references_and_the_lines_their_vat_data(api):
    client = new_client(api, **GERMAN_CLIENT)
    answer = api.post("/api/v1/invoices", invoice_body(
        client["id"], {**ZERO, "vat_category": "AE", "unit": "HUR", "kind": "service"},
        {**ZERO, "description": "Matériel", "vat_category": "K", "kind": "goods", "unit": "KGM",
         "vat_exemption_reason": {"code": "VATEX-EU-IC", "text": "Livraison intracommunautaire"}},
        buyer_reference="ACME-7", purchase_order="PO-42", delivery_date="2026-12-01"))
    assert answer.status == 201, answer.body
    invoice = api.get(f"/api/v1/invoices/{answer.json['id']}").json
    assert (invoice["buyer_reference"], invoice["purchase_order"], invoice["delivery_date"]) == (
        "ACME-7", "PO-42", "2026-12-01")
    assert [(line["vat_category"], line["unit"], line["kind"], line["vat_exemption_reason"])
            for line in invoice["lines"]] == [
        ("AE", "HUR", "service", {"code": "VATEX-EU-AE", "text": "Reverse charge"}),
        ("K", "KGM", "goods", {"code": "VATEX-EU-IC", "text": "Livraison intracommunautaire"})]
    assert invoice["tax_breakdown"] == [
        {"vat_category": "AE", "tax_rate": 0, "taxable_cents": 100000, "tax_cents": 0,
         "vat_exemption_reason": {"code": "VATEX-EU-AE", "text": "Reverse charge"}},
        {"vat_category": "K", "tax_rate": 0, "taxable_cents": 100000, "tax_cents": 0,
         "vat_exemption_reason": {"code": "VATEX-EU-IC", "text": "Livraison intracommunautaire"}}]
    listed = api.get("/api/v1/invoices").json["data"][0]
    assert (listed["buyer_reference"], listed["tax_breakdown"]) == ("ACME-7", invoice["tax_breakdown"])


def test_a_first_release_body_works_unchanged(api):
    client = new_client(api)
    invoice = api.post("/api/v1/invoices", invoice_body(client["id"], LINE, ZERO)).json
    assert [line["vat_category"] for line in invoice["lines"]] == ["S", "Z"]
    assert [(g["vat_category"], g["tax_rate"]) for g in invoice["tax_breakdown"]] == [("Z", 0), ("S", 20)]
    assert (invoice["buyer_reference"], invoice["purchase_order"], invoice["delivery_date"]) == (None, None, None)


def test_an_exempt_french_business_defaults_to_the_293_b_franchise(api):
    api.put("/api/v1/business", {"vat_regime": "exempt"})
    invoice = api.post("/api/v1/invoices", invoice_body(new_client(api)["id"], ZERO)).json
    assert invoice["lines"][0]["vat_category"] == "E"
    assert invoice["tax_breakdown"][0]["vat_exemption_reason"] == {
        "code": "VATEX-FR-FRANCHISE", "text": "TVA non applicable, art. 293 B du CGI"}


@pytest.mark.parametrize(("client", "lines", "field", "issue"), [
    ({}, [{**LINE, "vat_category": "Z"}], "lines.0.tax_rate", "BR-Z-05"),
    ({}, [{**ZERO, "vat_category": "S"}], "lines.0.tax_rate", "BR-S-05"),
    ({"country": "DE"}, [{**ZERO, "vat_category": "AE"}], "client.vat_number", "BR-AE-02"),
    ({"country": "DE"}, [{**ZERO, "vat_category": "K"}], "client.vat_number", "BR-IC-02"),
    ({"country": "FR", "vat_number": "FR11123456782"}, [{**ZERO, "vat_category": "K"}], "client.country",
     "same_country"),
    ({"country": "NO", "vat_number": "NO923456783MVA"}, [{**ZERO, "vat_category": "K"}], "client.country",
     "outside_eu"),
    ({}, [{**ZERO, "vat_category": "E"}], "lines.0.vat_exemption_reason", "BR-E-10"),
    ({}, [{**ZERO, "vat_category": "O"}, LINE], "lines.1.vat_category", "BR-O-11"),
    ({}, [{**ZERO, "vat_category": "G", "vat_exemption_reason": {"code": "VATEX-EU-AE"}}],
     "lines.0.vat_exemption_reason.code", "reason_category"),
    ({}, [{**ZERO, "vat_category": "X"}], "lines.0.vat_category", "literal_error"),
    ({}, [{**ZERO, "vat_category": "E", "vat_exemption_reason": {"code": "VATEX-XX"}}],
     "lines.0.vat_exemption_reason.code", "literal_error"),
    ({}, [{**LINE, "unit": "hour"}], "lines.0.unit", "string_pattern_mismatch"),
    ({}, [{**LINE, "kind": "both"}], "lines.0.kind", "literal_error"),
])
def test_the_vat_rules_are_422s_before_anything_is_written(api, client, lines, field, issue):
    client_id = new_client(api, **client)["id"]
    error = assert_error(api.post("/api/v1/invoices", invoice_body(client_id, *lines)), 422, "validation_error")
    assert {"field": field, "issue": issue} in [{k: d[k] for k in ("field", "issue")} for d in error["details"]]
    assert invoice_count(api) == 0
    assert api.post("/api/v1/invoices", invoice_body(client_id)).json["number"] == "F-0001"  # no number was used


def test_an_exempt_business_cannot_invoice_vat(api):
    api.put("/api/v1/business", {"vat_regime": "exempt"})
    error = assert_error(api.post("/api/v1/invoices", invoice_body(new_client(api)["id"], LINE)), 422,
                         "validation_error")
    assert error["details"][0]["field"] == "lines.0.tax_rate" and error["details"][0]["issue"] == "exempt_business"


@pytest.mark.parametrize(("fields", "field"), [
    ({"buyer_reference": "x" * 201}, "buyer_reference"), ({"purchase_order": ""}, "purchase_order"),
    ({"purchase_order": "PO\n42"}, "purchase_order"), ({"delivery_date": "01/12/2026"}, "delivery_date"),
    ({"delivery_date": "2026-02-30"}, "delivery_date"),
])
def test_bad_invoice_references_are_422s(api, fields, field):
    error = assert_error(api.post("/api/v1/invoices", invoice_body(new_client(api)["id"], **fields)), 422,
                         "validation_error")
    assert error["details"][0]["field"] == field
    assert api.post("/api/v1/invoices", invoice_body(new_client(api)["id"], buyer_reference="x" * 200)).status == 201


# --- items written before these fields existed -------------------------------------------------------

V1_LINE = {"description": "Konsulentbistand", "quantity": 2, "unit_price_cents": 50000, "tax_rate": 25,
           "amount_cents": 100000}


def downgrade(business_id: str, client_id: str, invoice_id: str) -> None:
    """Rewrites the profile, the client and the invoice as the first release stored them."""
    new_profile_fields = ("street", "postal_code", "city", "vat_regime", "vat_on_debits", "electronic_address",
                          "credit_note_number_prefix", "trade_register", "early_payment_terms")
    new_client_fields = ("street", "postal_code", "city", "kind", "company_id", "vat_number", "electronic_address",
                         "delivery_address")
    for sk, names in ((keys.PROFILE_SK, new_profile_fields), (keys.client_sk(client_id), new_client_fields)):
        item = db.get(keys.business_pk(business_id), sk)
        old = {name: value for name, value in item.items() if name not in names}
        db.client().put_item(TableName=db.table_name(), Item=db.to_item(old))
    pk = keys.invoice_pk(business_id, invoice_id)
    header = db.get(pk, keys.INVOICE_SK)
    header = {name: value for name, value in header.items()
              if name not in ("buyer_reference", "purchase_order", "delivery_date")}
    header["tax_breakdown"] = [{"tax_rate": 25, "taxable_cents": 100000, "tax_cents": 25000}]
    db.client().put_item(TableName=db.table_name(), Item=db.to_item(header))
    db.client().put_item(TableName=db.table_name(), Item=db.to_item(
        {"PK": pk, "SK": keys.line_chunk_sk(0), "first_line": 0, "lines": [V1_LINE]}))


def test_first_release_items_read_and_render(api, business, bucket):  # noqa: F811 (the fixture)
    client = new_client(api, country="NO", locale="nb")
    created = api.post("/api/v1/invoices", {**invoice_body(client["id"], {**LINE, "tax_rate": 25}),
                                            "currency": "NOK"}).json
    downgrade(business.business.id, client["id"], created["id"])

    profile = api.get("/api/v1/business").json
    assert (profile["vat_regime"], profile["credit_note_number_prefix"], profile["electronic_address"]) == (
        "standard", "AV-", None)
    read_client = api.get(f"/api/v1/clients/{client['id']}").json
    assert (read_client["kind"], read_client["vat_number"], read_client["delivery_address"]) == (
        "business", None, None)
    invoice = api.get(f"/api/v1/invoices/{created['id']}").json
    assert invoice["lines"] == [{**V1_LINE, "vat_category": "S", "vat_exemption_reason": None, "unit": "C62",
                                 "kind": "service"}]
    assert invoice["tax_breakdown"] == [{"vat_category": "S", "tax_rate": 25, "taxable_cents": 100000,
                                         "tax_cents": 25000, "vat_exemption_reason": None}]
    assert invoice["buyer_reference"] is None
    assert api.get("/api/v1/invoices").json["data"][0]["tax_breakdown"] == invoice["tax_breakdown"]

    pdf = api.get(f"/api/v1/invoices/{created['id']}/pdf")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    assert "Konsulentbistand" in text_of(pdf.body)[0][0]
    page = api.get(created["public_url"].split("127.0.0.1:3000", 1)[1], key=None)
    assert page.status == 200 and "Konsulentbistand" in page.body.decode()
    updated = api.put("/api/v1/business", {"city": "Oslo"}).json  # an old profile takes the new fields
    assert (updated["city"], updated["vat_regime"]) == ("Oslo", "standard")
