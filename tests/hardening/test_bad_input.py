"""Bad input never reaches a 500: bodies over the documented limit (http/api.py MAX_BODY_BYTES, 1 MB) are
413, a body that is not JSON is 400, JSON that no field could use (nested past the parser, numbers past
4300 digits, lone surrogates) is 400, every text field round-trips unicode letters, emoji, right-to-left
text, quotes and markup, single-line fields refuse control and line-separator characters with 422 (the
multi-line ones take line feeds), and every numeric bound is accepted at the bound and refused past it."""

from __future__ import annotations

import json

import pytest
from fastfaktura.http.api import MAX_BODY_BYTES, MAX_PAGE
from fastfaktura.http.openapi_document import DOCUMENT
from fastfaktura.tools.template import Route, routes

from tests.helpers.api import assert_error


def body_routes() -> list[Route]:
    """Every private route that takes a JSON body (the webhook reads Stripe's own payload)."""
    return [r for r in routes() if r.method in ("POST", "PUT") and r.path.startswith("/api/v1/")]


def takes_body(route: Route) -> bool:
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return "requestBody" in document["paths"][route.path][route.method.lower()]


def concrete(route: Route) -> str:
    return route.path.replace("{id}", "01a21591-f751-76d0-9f54-fe64b973c4d4")


@pytest.mark.parametrize("route", body_routes(), ids=lambda r: f"{r.method} {r.path}")
def test_a_body_over_the_limit_is_413_and_a_body_that_is_not_json_is_400(route, api):
    too_big = b'{"name": "' + b"x" * MAX_BODY_BYTES + b'"}'
    assert_error(api.request(route.method, concrete(route), raw=too_big), 413, "payload_too_large")
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                         "application/xml"):
        answer = api.request(route.method, concrete(route), raw=b'{"name": "x"}',
                             headers={"content-type": content_type})
        assert_error(answer, 400, "invalid_request")
    if takes_body(route):  # a route without a body (cancel) does not read one
        assert_error(api.request(route.method, concrete(route), raw=b'{"name": '), 400, "invalid_request")


@pytest.mark.parametrize("raw", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"name": ' * 50_000 + b"1" + b"}" * 50_000,
    b'{"name": ' + b"9" * 500_000 + b"}",
    b'{"name": "\\ud800"}',
    b'{"name": "ok", "tags": ["\\udfff"]}',
    b'{"name": NaN}',
], ids=["deep-array", "deep-object", "huge-integer", "lone-surrogate", "lone-surrogate-in-list", "nan"])
@pytest.mark.parametrize("path", ["/api/v1/clients", "/api/v1/invoices"])
def test_json_no_field_could_use_is_400_not_500(api, raw, path):
    assert_error(api.post(path, raw=raw), 400, "invalid_request")


def test_a_large_but_allowed_body_is_answered_on_its_merits(api):
    answer = api.post("/api/v1/clients", raw=json.dumps({"name": "x" * (MAX_BODY_BYTES - 100)}).encode())
    error = assert_error(answer, 422, "validation_error")
    assert error["details"][0]["field"] == "name"


ACCEPTED_TEXT = {
    "letters": "Åsa Ærø Øst — Ünïcødé 中文 Ελληνικά",
    "emoji": "Invoice 😀🧾👩🏽‍💻",
    "rtl": "שלום עולם مرحبا \u202eRTL override",
    "quotes": "\"double\" 'single' «guillemets» „low“ ‘curly’",
    "markup": "<script>alert(1)</script>",
    "sql": "'; DROP TABLE x; --",
    "combining": "e\u0301 combining",
    "bom": "\ufeffbom",
}
"""Text every free-text field must take and give back as it came (printed and shown without running it)."""

REFUSED_IN_ONE_LINE = {"nul": "nul\u0000byte", "tab": "tab\there", "line-feed": "line\nfeed",
                       "carriage-return": "cr\rhere", "escape": "\x1b[31mred", "unit-separator": "us\x1fhere",
                       "delete": "del\x7fhere", "line-separator": "ls\u2028here", "paragraph-separator": "ps\u2029here"}
"""Control and line-separator characters: every text field refuses them (422), but for a line feed in a
multi-line one."""

SINGLE_LINE = [*(("client", field) for field in ("name", "external_id", "tags", "city")),
               *(("business", field) for field in ("name", "legal_name", "legal_form", "city", "trade_register")),
               *(("invoice", field) for field in ("description", "buyer_reference", "purchase_order"))]
MULTI_LINE = [*(("client", field) for field in ("address", "street", "delivery_address")),
              *(("business", field) for field in ("address", "street", "early_payment_terms")),
              ("invoice", "notes")]
"""Every free-text field of a body (a postal code is too short for these texts); the multi-line ones take
line feeds, and only those."""

PATHS = {"client": "/api/v1/clients", "business": "/api/v1/business", "invoice": "/api/v1/invoices"}


def write_text(api, client_id: str, kind: str, field: str, text: str):
    """Creates (or for the business updates) the object with `text` in `field`."""
    value = [text] if field == "tags" else text
    if kind == "client":
        return api.post(PATHS[kind], {"name": "Plain", field: value} if field != "name" else {"name": value})
    if kind == "business":
        return api.put(PATHS[kind], {field: value})
    line = {"description": "Plain", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}
    body = ({"client_id": client_id, "currency": "EUR", "lines": [{**line, "description": text}]}
            if field == "description" else {"client_id": client_id, "currency": "EUR", "lines": [line], field: text})
    return api.post(PATHS[kind], body)


def assert_round_trips(api, kind: str, field: str, text: str, answer) -> None:
    assert answer.status == (200 if kind == "business" else 201), (field, text, answer.status, answer.body[:300])
    path = PATHS[kind]
    stored = api.get(path if kind == "business" else f"{path}/{answer.json['id']}").json
    read = stored["lines"][0]["description"] if field == "description" else stored[field]
    assert read == ([text] if field == "tags" else text), (field, text)
    if kind == "invoice":  # what is printed and shown must cope too
        pdf = api.get(f"/api/v1/invoices/{answer.json['id']}/pdf")
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF"), (field, text, pdf.status, pdf.body[:300])
        page = api.get(answer.json["public_url"].split("127.0.0.1:3000", 1)[1], key=None)
        assert page.status == 200, (field, text, page.status)
        assert "<script>alert" not in page.body.decode()


@pytest.mark.parametrize("name", ACCEPTED_TEXT)
def test_every_text_field_takes_strange_text_and_gives_it_back(api, aws_emulation, name):
    text = ACCEPTED_TEXT[name]
    client_id = api.post("/api/v1/clients", {"name": "Plain", "email": "plain@example.com"}).json["id"]
    for kind, field in SINGLE_LINE + MULTI_LINE:
        assert_round_trips(api, kind, field, text, write_text(api, client_id, kind, field, text))


def test_a_multi_line_field_takes_line_feeds(api, aws_emulation):
    client_id = api.post("/api/v1/clients", {"name": "Plain"}).json["id"]
    for kind, field in MULTI_LINE:
        text = "Storgata 1\n0155 Oslo\nNorge"
        assert_round_trips(api, kind, field, text, write_text(api, client_id, kind, field, text))


REFUSALS = [pytest.param(kind, field, text, id=f"{kind}.{field}-{name}")
            for kind, field in SINGLE_LINE + MULTI_LINE for name, text in REFUSED_IN_ONE_LINE.items()
            if not ((kind, field) in MULTI_LINE and name == "line-feed")]


def written(api) -> tuple:
    """What the business has: its profile, its clients and its invoices, as the API reads them."""
    return (api.get("/api/v1/business").json, api.get("/api/v1/clients?per_page=100").json["data"],
            api.get("/api/v1/invoices?per_page=100").json["data"])


@pytest.mark.parametrize(("kind", "field", "text"), REFUSALS)
def test_a_control_or_line_separator_character_is_refused_with_422_and_nothing_written(api, kind, field, text):
    client_id = api.post("/api/v1/clients", {"name": "Plain"}).json["id"]
    before = written(api)
    error = assert_error(write_text(api, client_id, kind, field, text), 422, "validation_error")
    assert [d["field"].rsplit(".", 1)[-1] for d in error["details"]] == [field if field != "tags" else "0"], error
    assert field in error["message"] and "control or line-separator characters" in error["message"], error
    assert written(api) == before


def expect(answer, accepted: bool, ok: int = 200, refused: tuple[int, str] = (422, "validation_error")) -> None:
    if accepted:
        assert answer.status == ok, answer.body[:400]
    else:
        assert_error(answer, *refused)


LINE = {"description": "Item", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}


def line(**changes) -> dict:
    return {**LINE, **changes}


@pytest.mark.parametrize(("lines", "accepted"), [
    ([line(quantity="1000000")], True), ([line(quantity="1000000.001")], False),
    ([line(quantity="0.001")], True), ([line(quantity="0.0001")], False), ([line(quantity=0)], False),
    ([line(unit_price_cents=10**9)], True), ([line(unit_price_cents=10**9 + 1)], False),
    ([line(unit_price_cents=-(10**9) - 1)], False), ([line(unit_price_cents="100")], False),
    ([line(unit_price_cents=100.5)], False),
    ([line(tax_rate=100)], True), ([line(tax_rate="100.01")], False), ([line(tax_rate=-1)], False),
    ([line(tax_rate="5.55")], True), ([line(tax_rate="5.555")], False),
    ([line(description="d" * 500)], True), ([line(description="d" * 501)], False), ([line(description="")], False),
    ([LINE] * 500, True), ([LINE] * 501, False), ([], False),
    ([line(quantity="1000000", unit_price_cents=10**9, tax_rate=0)], True),  # 10^15, the largest amount
    ([line(quantity="1000000", unit_price_cents=10**9, tax_rate=0)] * 2, False),  # 2 × 10^15
    ([line(unit_price_cents=100), line(unit_price_cents=-200)], False),  # total below 0
], ids=lambda value: str(len(value)) if isinstance(value, list) and len(value) > 3 else None)
def test_invoice_numbers_at_and_beyond_every_bound(api, lines, accepted):
    client_id = api.post("/api/v1/clients", {"name": "Bounds"}).json["id"]
    answer = api.post("/api/v1/invoices", {"client_id": client_id, "currency": "EUR", "lines": lines})
    expect(answer, accepted, ok=201)


@pytest.mark.parametrize(("body", "accepted"), [
    ({"payment_terms_days": 0}, True), ({"payment_terms_days": 365}, True),
    ({"payment_terms_days": -1}, False), ({"payment_terms_days": 366}, False),
    ({"payment_terms_days": 10**30}, False), ({"payment_terms_days": "30"}, False),
])
def test_business_numbers_at_and_beyond_every_bound(api, body, accepted):
    answer = api.put("/api/v1/business", body)
    expect(answer, accepted)


@pytest.mark.parametrize(("body", "accepted"), [
    ({"name": "n" * 200}, True), ({"name": "n" * 201}, False), ({"name": ""}, False),
    ({"name": "Tags", "tags": ["t" * 50] * 20}, True), ({"name": "Tags", "tags": ["t" * 51]}, False),
    ({"name": "Tags", "tags": ["t"] * 21}, False),
])
def test_client_sizes_at_and_beyond_every_bound(api, body, accepted):
    answer = api.post("/api/v1/clients", body)
    expect(answer, accepted, ok=201)


@pytest.mark.parametrize(("body", "accepted"), [
    ({"street": "s" * 1000}, True), ({"street": "s" * 1001}, False),
    ({"postal_code": "1" * 20}, True), ({"postal_code": "1" * 21}, False),
    ({"city": "c" * 100}, True), ({"city": "c" * 101}, False),
    ({"trade_register": "r" * 100}, True), ({"trade_register": "r" * 101}, False),
    ({"early_payment_terms": "e" * 500}, True), ({"early_payment_terms": "e" * 501}, False),
    ({"credit_note_number_prefix": "A" * 20}, True), ({"credit_note_number_prefix": "A" * 21}, False),
    ({"electronic_address": {"scheme": "EM", "id": "i" * 200}}, True),
    ({"electronic_address": {"scheme": "EM", "id": "i" * 201}}, False),
    ({"electronic_address": {"scheme": "EM", "id": ""}}, False),
])
def test_new_business_sizes_at_and_beyond_every_bound(api, body, accepted):
    expect(api.put("/api/v1/business", body), accepted)


@pytest.mark.parametrize(("body", "accepted"), [
    ({"delivery_address": "d" * 1000}, True), ({"delivery_address": "d" * 1001}, False),
    ({"company_id": "c" * 32}, True), ({"company_id": "c" * 33}, False),
    ({"vat_number": "v" * 32}, True), ({"vat_number": "v" * 33}, False),
])
def test_new_client_sizes_at_and_beyond_every_bound(api, body, accepted):
    expect(api.post("/api/v1/clients", {"name": "Sizes", **body}), accepted, ok=201)


EXEMPT_LINE = {**LINE, "tax_rate": 0, "vat_category": "E"}


@pytest.mark.parametrize(("fields", "line_fields", "accepted"), [
    ({"buyer_reference": "b" * 200}, {}, True), ({"buyer_reference": "b" * 201}, {}, False),
    ({"purchase_order": "p" * 200}, {}, True), ({"purchase_order": "p" * 201}, {}, False),
    ({}, {"unit": "HU"}, True), ({}, {"unit": "HURX"}, False), ({}, {"unit": "H"}, False), ({}, {"unit": "hur"}, False),
    ({}, {**EXEMPT_LINE, "vat_exemption_reason": {"code": "VATEX-EU-132", "text": "t" * 500}}, True),
    ({}, {**EXEMPT_LINE, "vat_exemption_reason": {"code": "VATEX-EU-132", "text": "t" * 501}}, False),
    ({}, {**EXEMPT_LINE, "vat_exemption_reason": {"code": "VATEX-EU-132", "text": ""}}, False),
    ({}, {**EXEMPT_LINE, "vat_exemption_reason": {"text": "no code"}}, False),
])
def test_new_invoice_sizes_at_and_beyond_every_bound(api, fields, line_fields, accepted):
    client_id = api.post("/api/v1/clients", {"name": "Bounds"}).json["id"]
    body = {"client_id": client_id, "currency": "EUR", "lines": [line(**line_fields)], **fields}
    expect(api.post("/api/v1/invoices", body), accepted, ok=201)


@pytest.mark.parametrize("path", ["/api/v1/clients", "/api/v1/invoices"])
@pytest.mark.parametrize(("query", "accepted"), [
    ("page=1", True), (f"page={MAX_PAGE}", True), (f"page={MAX_PAGE + 1}", False), ("page=0", False),
    ("page=169074545521120", False), ("page=-1", False), ("page=1.5", False),
    ("per_page=1", True), ("per_page=100", True), ("per_page=0", False), ("per_page=101", False),
])
def test_list_parameters_at_and_beyond_every_bound(api, path, query, accepted):
    answer = api.get(f"{path}?{query}")
    expect(answer, accepted, refused=(400, "invalid_request"))
