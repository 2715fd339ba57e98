"""The committed OpenAPI document (layers/core/fastfaktura/http/openapi.json) is what the functions
generate now, is valid OpenAPI 3.1, and documents every written route of the template."""

from __future__ import annotations

import json

import pytest
from fastfaktura.http.openapi_document import DOCUMENT, ROUTES_KEY
from fastfaktura.tools.openapi import generate
from fastfaktura.tools.template import routes
from openapi_spec_validator import validate

PUBLIC_PREFIXES = ("/i/", "/webhooks/", "/api/v1/openapi.json")


@pytest.fixture(scope="module")
def committed() -> dict:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fresh() -> dict:
    return generate()


def api_routes():
    return [r for r in routes() if r.path != "$default"]


def test_the_committed_document_is_up_to_date(committed, fresh):
    assert committed == fresh, "layers/core/fastfaktura/http/openapi.json is stale: run `make openapi`"


def test_the_document_is_valid_openapi_3_1(fresh):
    validate(fresh)
    assert fresh["openapi"].startswith("3.1")
    assert (fresh["info"]["title"], fresh["info"]["version"]) == ("FastFaktura API", "1.0.0")


def test_every_route_of_the_template_is_documented(fresh):
    documented = {(method.upper(), path) for path, item in fresh["paths"].items() for method in item}
    expected = {(r.method, r.path) for r in api_routes()}
    assert expected - documented == set(), "routes missing from the OpenAPI document"
    assert documented <= {(r.method, r.path) for r in api_routes()}, "documented routes that the template lacks"


def test_the_route_table_of_the_default_route_is_every_template_route(fresh):
    expected: dict[str, set[str]] = {}
    for route in api_routes():
        expected.setdefault(route.path, set()).add(route.method)
    assert {path: set(methods) for path, methods in fresh[ROUTES_KEY].items()} == expected


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_api_keys_are_the_security_of_every_private_operation(fresh):
    schemes = fresh["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "apiKey", "in": "header", "name": "X-Api-Key"}
    assert schemes["Bearer"] == {**schemes["Bearer"], "type": "http", "scheme": "bearer"}
    assert fresh["security"] == [{"ApiKey": []}, {"Bearer": []}]
    for path, method, operation in operations(fresh):
        public = path.startswith(PUBLIC_PREFIXES)
        assert ("security" in operation and operation["security"] == []) == public, (method, path)


def test_errors_are_documented_as_the_contracts_error_json(fresh):
    error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
    error = fresh["components"]["schemas"]["ErrorInfo"]
    assert {"type", "message"} <= set(error["required"]) and "request_id" in error["properties"]
    for path, method, operation in operations(fresh):
        if not path.startswith(("/api/", "/webhooks/")):
            continue
        responses = operation["responses"]
        assert "default" in responses, (method, path)
        for status, answer in responses.items():
            if status == "default" or int(status) >= 400:
                assert answer["content"]["application/json"]["schema"] == error_ref, (method, path, status)
        if not path.startswith(PUBLIC_PREFIXES):
            assert "401" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= set(responses), (method, path)


def test_every_operation_documents_its_success_answer(fresh):
    """Powertools drops the return type's 200 when a route passes `responses=`: declare the 2xx there too."""
    for path, method, operation in operations(fresh):
        assert any(status.startswith(("2", "3")) for status in operation["responses"]), (method, path)


def test_idempotent_creates_document_the_idempotency_key_header(fresh):
    for path in ("/api/v1/clients", "/api/v1/invoices", "/api/v1/invoices/{id}/send"):
        operation = fresh["paths"][path]["post"]
        assert {"name": "Idempotency-Key", "in": "header"}.items() <= next(
            p for p in operation["parameters"] if p["name"] == "Idempotency-Key").items()


def test_powertools_validation_error_shape_is_not_documented(fresh):
    assert "HTTPValidationError" not in fresh["components"]["schemas"]
    assert "HTTPValidationError" not in json.dumps(fresh["paths"])


def test_the_description_states_the_decisions_the_contract_leaves_open(fresh):
    description = fresh["info"]["description"]
    for decision in ("1,000,000 bytes", "405", "Allow", "Idempotency-Key", "60 seconds", "Too Many Requests"):
        assert decision in description


def test_the_links_lead_from_a_new_client_to_its_invoice_sent_and_settled(fresh):
    """The workflow the stateful fuzzing follows: each link names an operation that exists, with the
    path parameters that operation has."""
    operations = {o["operationId"]: (path, o) for path, item in fresh["paths"].items() for o in item.values()}
    followed = set()
    for path, item in fresh["paths"].items():
        for operation in item.values():
            for answer in operation["responses"].values():
                for link in answer.get("links", {}).values():
                    target_path, target = operations[link["operationId"]]
                    for name in link.get("parameters", {}):
                        where, parameter = name.split(".")
                        assert any(p["in"] == where and p["name"] == parameter
                                   for p in target.get("parameters", [])), (path, link)
                    if "requestBody" in link:
                        assert "requestBody" in target, (path, link)
                    followed.add((path, target_path))
    assert {("/api/v1/clients", "/api/v1/invoices"), ("/api/v1/invoices", "/api/v1/invoices/{id}"),
            ("/api/v1/invoices", "/api/v1/invoices/{id}/send"),
            ("/api/v1/invoices/{id}/send", "/api/v1/invoices/{id}/mark-paid")} <= followed
