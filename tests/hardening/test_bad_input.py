"""Bad input never reaches a 500: bodies over the documented limit (http/api.py MAX_BODY_BYTES, 1 MB) are
413, a body that is not JSON is 400, JSON that no field could use (nested past the parser, numbers past
4300 digits, lone surrogates) is 400, every text field round-trips unicode and control characters or refuses
them with 422, and every numeric bound is accepted at the bound and refused past it."""

from __future__ import annotations

import json

import pytest
from fastfaktura.http.api import MAX_BODY_BYTES
from fastfaktura.http.openapi_document import DOCUMENT
from fastfaktura.local.template import Route, routes

from tests.conftest import assert_error


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
