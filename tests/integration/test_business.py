"""GET/PUT /api/v1/business against DynamoDB Local."""

from __future__ import annotations

import pytest

from tests.helpers.api import assert_error


def test_get_business_answers_the_profile(api, business):
    answer = api.get("/api/v1/business")
    assert answer.status == 200
    body = answer.json
    assert body["id"] == business.business.id
    assert body["name"] == "Atelier Test"
    assert body["sandbox"] is True
    assert body["payment_terms_days"] == 30
    assert body["invoice_number_prefix"] == "F-"
    assert body["timezone"] == "Europe/Paris"
    assert body["created_at"].endswith("Z")


def test_put_business_is_a_partial_update(api):
    answer = api.put("/api/v1/business", {"legal_name": "Atelier Test SAS", "phone": "+33612345678",
                                          "timezone": "Europe/Oslo", "payment_terms_days": 14})
    assert answer.status == 200, answer.body
    body = api.get("/api/v1/business").json
    assert body["name"] == "Atelier Test"  # unchanged
    assert body["legal_name"] == "Atelier Test SAS"
    assert body["phone"] == "+33612345678"
    assert body["timezone"] == "Europe/Oslo"
    assert body["payment_terms_days"] == 14
    assert body["updated_at"] >= body["created_at"]


def test_put_business_null_clears_an_optional_field(api):
    api.put("/api/v1/business", {"vat_number": "FR11123456782"})
    assert api.put("/api/v1/business", {"vat_number": None}).json.get("vat_number") is None


@pytest.mark.parametrize(("body", "field"), [
    ({"name": ""}, "name"),
    ({"name": None}, "name"),
    ({"phone": "0612345678"}, "phone"),
    ({"phone": "+4712"}, "phone"),
    ({"country": "XX"}, "country"),
    ({"country": "fr"}, "country"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"payment_terms_days": 366}, "payment_terms_days"),
    ({"payment_terms_days": -1}, "payment_terms_days"),
    ({"payment_terms_days": "30"}, "payment_terms_days"),
    ({"default_currency": "BTC"}, "default_currency"),
    ({"default_locale": "de"}, "default_locale"),
    ({"email": "not-an-email"}, "email"),
    ({"colour": "blue"}, "colour"),
    ({"id": "3f1c0d2e-0000-7000-8000-000000000000"}, "id"),
    ({"sandbox": False}, "sandbox"),
    ({"created_at": "2026-01-01T00:00:00Z"}, "created_at"),
])
def test_put_business_rejects_bad_fields(api, body, field):
    error = assert_error(api.put("/api/v1/business", body), 422, "validation_error")
    assert error["details"][0]["field"] == field
    assert field in error["message"]


def test_read_only_field_is_named_read_only(api):
    error = assert_error(api.put("/api/v1/business", {"sandbox": False}), 422, "validation_error")
    assert error["details"][0]["issue"] == "read_only"


def test_malformed_json_is_400(api):
    assert_error(api.put("/api/v1/business", raw=b'{"name": '), 400, "invalid_request")


def test_wrong_content_type_is_400(api):
    answer = api.put("/api/v1/business", raw=b'{"name": "x"}', headers={"content-type": "text/plain"})
    assert_error(answer, 400, "invalid_request")


def test_body_over_the_limit_is_413(api):
    answer = api.put("/api/v1/business", raw=b'{"name": "' + b"x" * 1_100_000 + b'"}')
    assert_error(answer, 413, "payload_too_large")


@pytest.mark.parametrize("headers", [
    {},
    {"x-api-key": "nonsense"},
    {"x-api-key": "ffk_test_" + "A" * 32},
    {"authorization": "Basic abc"},
])
def test_bad_or_missing_key_is_401(api, headers):
    answer = api.get("/api/v1/business", key=None, headers=headers)
    assert_error(answer, 401, "authentication_error")


def test_bearer_key_is_equivalent(api, business):
    answer = api.get("/api/v1/business", key=None,
                     headers={"authorization": f"Bearer {business.api_key}"})
    assert answer.status == 200


def test_revoked_key_is_401_like_an_unknown_one(dynamodb):
    from fastfaktura.services import auth
    from fastfaktura.services.business import create_api_key, create_business, revoke_api_key

    from tests.helpers.api import Api

    created = create_business("Revoked AS", country="NO", locale="nb")
    second = create_api_key(created.business.id)
    assert Api(second).get("/api/v1/business").status == 200
    revoke_api_key(second)
    auth._cache.clear()  # the per-container cache holds a key for at most 60 s
    revoked = Api(second).get("/api/v1/business")
    unknown = Api("ffk_test_" + "B" * 32).get("/api/v1/business")
    assert revoked.status == unknown.status == 401
    assert revoked.json["error"]["message"] == unknown.json["error"]["message"]
    assert Api(created.api_key).get("/api/v1/business").status == 200
