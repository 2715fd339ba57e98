"""Deviations from the contract found by auditing the running local stack, each pinned by a test."""

from __future__ import annotations

import pytest

from tests.helpers.api import assert_error

LINE = {"description": "Conseil", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20}


def _client(api) -> dict:
    return api.post("/api/v1/clients", {"name": "Audit Client", "email": "client@example.com"}).json


def _invoice(api) -> dict:
    return api.post("/api/v1/invoices", {"client_id": _client(api)["id"], "currency": "EUR",
                                         "lines": [LINE]}).json


# --- a body must be a JSON object: anything else is 400, like a missing one ---------------------------

@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"1", b"true", b"[{}]"])
@pytest.mark.parametrize(("method", "path"), [("PUT", "/api/v1/business"), ("POST", "/api/v1/clients")])
def test_a_body_that_is_not_a_json_object_is_400(api, method, path, raw):
    error = assert_error(api.request(method, path, raw=raw), 400, "invalid_request")
    assert "object" in error["message"]


@pytest.mark.parametrize("raw", [b"[]", b"1"])
def test_an_optional_body_that_is_not_a_json_object_is_400(api, raw):
    invoice = _invoice(api)
    api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"]})
    answer = api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid", raw=raw)
    assert_error(answer, 400, "invalid_request")


def test_a_nested_object_of_the_wrong_type_is_still_a_422_naming_the_field(api):
    answer = api.post("/api/v1/invoices", {"client_id": _client(api)["id"], "currency": "EUR", "lines": [5]})
    error = assert_error(answer, 422, "validation_error")
    assert error["details"][0]["field"] == "lines.0"


# --- media type and encoding ----------------------------------------------------------------------------

@pytest.mark.parametrize("content_type", ["Application/JSON", "APPLICATION/JSON; charset=UTF-8"])
def test_the_media_type_is_case_insensitive(api, content_type):
    answer = api.post("/api/v1/clients", {"name": "Casse"}, headers={"content-type": content_type})
    assert answer.status == 201, answer.body


def test_a_body_that_is_not_utf8_is_400_and_nothing_is_stored(api):
    answer = api.post("/api/v1/clients", raw='{"name": "Zoë"}'.encode("latin-1"))
    error = assert_error(answer, 400, "invalid_request")
    assert "UTF-8" in error["message"]
    assert api.get("/api/v1/clients").json["data"] == []


def test_a_utf8_body_keeps_every_character(api):
    answer = api.post("/api/v1/clients", raw='{"name": "Zoë Ødegård"}'.encode())
    assert answer.status == 201 and answer.json["name"] == "Zoë Ødegård"


# --- unknown query parameters: 400 on every authenticated route ----------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/invoices?statuss=paid", "/api/v1/invoices?q=x",
                                  "/api/v1/invoices?archived=true", "/api/v1/business?expand=all",
                                  "/api/v1/clients?perpage=10"])
def test_an_unknown_query_parameter_is_400_naming_it(api, path):
    error = assert_error(api.get(path), 400, "invalid_request")
    name = path.split("?")[1].split("=")[0]
    assert error["details"] == [{"field": name, "issue": "unknown_parameter", "value": None}]


def test_unknown_query_parameters_are_refused_on_item_routes_too(api):
    invoice = _invoice(api)
    for path in (f"/api/v1/invoices/{invoice['id']}", f"/api/v1/invoices/{invoice['id']}/events",
                 f"/api/v1/invoices/{invoice['id']}/pdf", f"/api/v1/clients/{invoice['client_id']}"):
        assert_error(api.get(f"{path}?fields=id"), 400, "invalid_request")


def test_the_declared_query_parameters_still_work(api):
    invoice = _invoice(api)
    answer = api.get(f"/api/v1/invoices?status=draft&client_id={invoice['client_id']}&page=1&per_page=10")
    assert answer.status == 200 and [i["id"] for i in answer.json["data"]] == [invoice["id"]]


def test_the_public_openapi_document_takes_no_key_and_ignores_no_query():
    from tests.helpers.api import Api

    assert Api(None).get("/api/v1/openapi.json?v=1").status == 200


# --- details echo what was sent ---------------------------------------------------------------------------

@pytest.mark.parametrize(("sent", "echoed"), [(30.5, 30.5), ("30", "30"), (100.0, 100.0)])
def test_details_echo_a_json_number_as_a_number_and_a_string_as_a_string(api, sent, echoed):
    error = assert_error(api.put("/api/v1/business", {"payment_terms_days": sent}), 422, "validation_error")
    assert error["details"][0]["value"] == echoed
    assert type(error["details"][0]["value"]) is type(echoed)


def test_a_quantity_with_too_many_decimals_is_echoed_as_the_number_sent(api):
    answer = api.post("/api/v1/invoices", {"client_id": _client(api)["id"], "currency": "EUR",
                                           "lines": [dict(LINE, quantity=1.2345)]})
    error = assert_error(answer, 422, "validation_error")
    assert error["details"][0] == {"field": "lines.0.quantity", "issue": "value_error", "value": 1.2345}


# --- phone: a valid number in E.164 form, anything else is 422 ---------------------------------------------

@pytest.mark.parametrize("phone", ["+47 912 34 567", "+47-912-34-567", "+47(912)34567", "4791234567", "091234567",
                                   "+4791234567 ", "+47912345６7", "+4700000000"])
def test_a_phone_not_in_e164_form_is_422(api, phone):
    for path, method in (("/api/v1/clients", api.post), ("/api/v1/business", api.put)):
        error = assert_error(method(path, {"name": "Tel", "phone": phone}), 422, "validation_error")
        assert error["details"][0]["field"] == "phone"


def test_a_phone_in_e164_form_is_kept_as_sent(api):
    answer = api.post("/api/v1/clients", {"name": "Tel", "phone": "+4791234567"})
    assert answer.status == 201 and answer.json["phone"] == "+4791234567"


# --- read-only fields are named read-only, unknown fields unknown ----------------------------------------

@pytest.mark.parametrize(("extra", "field"), [
    ({"public_url": "https://x"}, "public_url"), ({"issue_date": "2026-01-01"}, "issue_date"),
    ({"paid_at": "2026-01-01T00:00:00Z"}, "paid_at"), ({"line_count": 1}, "line_count"),
    ({"lines": [dict(LINE, amount_cents=1)]}, "lines.0.amount_cents"),
])
def test_an_answer_only_field_in_a_create_body_is_422_read_only(api, extra, field):
    body = {"client_id": _client(api)["id"], "currency": "EUR", "lines": [LINE], **extra}
    error = assert_error(api.post("/api/v1/invoices", body), 422, "validation_error")
    assert error["details"][0]["field"] == field and error["details"][0]["issue"] == "read_only"


def test_a_field_no_answer_has_is_422_unknown(api):
    error = assert_error(api.post("/api/v1/clients", {"name": "X", "colour": "blue"}), 422, "validation_error")
    assert error["details"][0]["issue"] == "unknown_field"


def test_mark_paid_still_takes_paid_at(api):
    invoice = _invoice(api)
    api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"]})
    issued = invoice["issue_date"]  # not before the issue date (its first minute in Paris)
    answer = api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid", {"paid_at": f"{issued}T00:00:00+01:00"})
    assert answer.status == 200 and answer.json["paid_at"].endswith("T23:00:00.000000Z")
