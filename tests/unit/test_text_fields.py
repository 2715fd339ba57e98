"""One text type for every free-text field: single-line fields refuse control and line-separator
characters, notes and addresses accept line feeds only; the OpenAPI document says the same."""

from __future__ import annotations

import re

import pytest
from fastfaktura.models.business import BusinessUpdate
from fastfaktura.models.clients import ClientCreate
from fastfaktura.models.common import LINES_PATTERN, SINGLE_LINE_PATTERN
from fastfaktura.models.invoices import InvoiceCreate, InvoiceLineCreate
from fastfaktura.models.webhooks import WebhookEndpointCreate
from pydantic import ValidationError

REFUSED = ["\x00", "\x09", "\x0a", "\x0d", "\x1b", "\x1f", "\x7f", "\u2028", "\u2029"]
KEPT = ["\x20", "\x80", "\u00a0", "\u2027", "\u202a", "é", "😀"]
CID = "0195a1b2-0000-7000-8000-000000000003"
LINE = {"description": "Plain", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}

SINGLE_LINE = [
    (BusinessUpdate, lambda text: {"name": text}), (BusinessUpdate, lambda text: {"legal_name": text}),
    (BusinessUpdate, lambda text: {"city": text}), (BusinessUpdate, lambda text: {"postal_code": text}),
    (BusinessUpdate, lambda text: {"trade_register": text}), (BusinessUpdate, lambda text: {"company_id": text}),
    (BusinessUpdate, lambda text: {"electronic_address": {"scheme": "EM", "id": text}}),
    (ClientCreate, lambda text: {"name": text}), (ClientCreate, lambda text: {"name": "x", "external_id": text}),
    (ClientCreate, lambda text: {"name": "x", "tags": [text]}),
    (ClientCreate, lambda text: {"name": "x", "city": text}),
    (ClientCreate, lambda text: {"name": "x", "vat_number": text}),
    (InvoiceLineCreate, lambda text: {**LINE, "description": text}),
    (InvoiceLineCreate, lambda text: {**LINE, "tax_rate": 0, "vat_category": "E",
                                      "vat_exemption_reason": {"code": "VATEX-EU-132", "text": text}}),
    (InvoiceCreate, lambda text: {"client_id": CID, "currency": "EUR", "lines": [LINE], "buyer_reference": text}),
    (InvoiceCreate, lambda text: {"client_id": CID, "currency": "EUR", "lines": [LINE], "purchase_order": text}),
    (WebhookEndpointCreate, lambda text: {"url": "https://erp.example.com/h", "events": ["*"], "description": text}),
]
MULTI_LINE = [
    (BusinessUpdate, lambda text: {"address": text}), (BusinessUpdate, lambda text: {"street": text}),
    (ClientCreate, lambda text: {"name": "x", "address": text}),
    (ClientCreate, lambda text: {"name": "x", "delivery_address": text}),
    (InvoiceCreate, lambda text: {"client_id": CID, "currency": "EUR", "lines": [LINE], "notes": text}),
]


def accepts(model, body) -> bool:
    try:
        model.model_validate(body)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(("model", "body"), SINGLE_LINE)
def test_single_line_fields_refuse_controls_and_line_separators(model, body):
    for char in REFUSED:
        assert not accepts(model, body(f"a{char}b")), repr(char)
    for char in KEPT:
        assert accepts(model, body(f"a{char}b")), repr(char)


@pytest.mark.parametrize(("model", "body"), MULTI_LINE)
def test_notes_and_addresses_accept_line_feeds_only(model, body):
    assert accepts(model, body("3 quai Voltaire\n75007 Paris"))
    for char in REFUSED:
        if char != "\n":
            assert not accepts(model, body(f"a{char}b")), repr(char)


def test_the_patterns_of_the_openapi_document_say_the_same_as_the_validators():
    single, lines = re.compile(SINGLE_LINE_PATTERN), re.compile(LINES_PATTERN)
    for char in REFUSED:
        assert not single.match(f"a{char}b")
        assert bool(lines.match(f"a{char}b")) == (char == "\n")
    for char in KEPT:
        assert single.match(f"a{char}b") and lines.match(f"a{char}b")
    schema = BusinessUpdate.model_json_schema()["properties"]
    assert schema["name"]["anyOf"][0]["pattern"] == SINGLE_LINE_PATTERN
    assert schema["address"]["anyOf"][0]["pattern"] == LINES_PATTERN
