"""The committed OpenAPI document (layers/core/fastfaktura/http/openapi.json) is what the functions
generate now, is valid OpenAPI 3.1, and documents every written route of the template."""

from __future__ import annotations

import json
import re

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


API_GATEWAY_ERROR = {"$ref": "#/components/schemas/ApiGatewayError"}
ERROR = {"$ref": "#/components/schemas/ErrorResponse"}


def test_errors_are_documented_as_the_contracts_error_json(fresh):
    """Ours are ErrorResponse; API Gateway's own answers (429, 504, a 413 over its limit) are ApiGatewayError."""
    error_ref = ERROR
    either = {"oneOf": [ERROR, API_GATEWAY_ERROR]}
    allowed = {"429": either, "504": API_GATEWAY_ERROR, "413": either}
    error = fresh["components"]["schemas"]["ErrorInfo"]
    assert {"type", "message"} <= set(error["required"]) and "request_id" in error["properties"]
    for path, method, operation in operations(fresh):
        if not path.startswith(("/api/", "/webhooks/")):
            continue
        responses = operation["responses"]
        assert "default" in responses, (method, path)
        for status, answer in responses.items():
            if status == "default" or int(status) >= 400:
                expected = allowed.get(status, error_ref)
                assert answer["content"]["application/json"]["schema"] == expected, (method, path, status)
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


def test_api_gateways_own_error_shape_is_a_schema_of_its_own(fresh):
    schema = fresh["components"]["schemas"]["ApiGatewayError"]
    assert schema["required"] == ["message"] and set(schema["properties"]) == {"message"}
    for path, _method, operation in operations(fresh):
        if path.startswith(("/api/", "/webhooks/")):
            assert operation["responses"]["504"]["content"]["application/json"]["schema"] == API_GATEWAY_ERROR
            assert API_GATEWAY_ERROR in operation["responses"]["429"]["content"]["application/json"]["schema"]["oneOf"]


def test_operations_have_readable_unique_ids_and_descriptions(fresh):
    ids = [operation["operationId"] for _path, _method, operation in operations(fresh)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][A-Za-z]+", operation_id), operation_id
    for path, method, operation in operations(fresh):
        assert operation["description"].strip(), (method, path)
    named = {(method, path): operation["operationId"] for path, method, operation in operations(fresh)}
    assert named[("get", "/api/v1/clients/{id}")] == "getClient"
    assert named[("get", "/api/v1/invoices")] == "listInvoices"
    assert named[("post", "/api/v1/invoices/{id}/send")] == "sendInvoice"
    assert named[("get", "/api/v1/invoices/{id}/pdf")] == "getInvoicePdf"
    assert fresh["info"]["contact"]["email"]


def test_no_schema_takes_a_generated_clients_class_name(fresh):
    assert {"Client", "AuthenticatedClient", "File", "Response", "Unset"} & set(fresh["components"]["schemas"]) == set()
    assert "ClientRecord" in fresh["components"]["schemas"]


def test_answers_require_every_field_they_always_carry(fresh):
    schemas = fresh["components"]["schemas"]
    for name in ("Business", "ClientRecord", "Invoice", "InvoiceSummary", "InvoiceLine", "WebhookEndpoint"):
        assert set(schemas[name]["required"]) == set(schemas[name]["properties"]), name
    assert "channel" not in schemas["Event"]["required"], "channel is left out of an event when it has none"
    assert "email" not in schemas["ClientCreate"].get("required", [])


def test_formats_patterns_and_enums(fresh):
    schemas = fresh["components"]["schemas"]
    client = schemas["ClientRecord"]["properties"]
    assert client["id"]["format"] == "uuid"
    assert client["created_at"]["format"] == "date-time"
    assert schemas["Invoice"]["properties"]["client_id"]["format"] == "uuid"
    assert schemas["Invoice"]["properties"]["due_date"]["format"] == "date"
    phone = next(s for s in schemas["ClientCreate"]["properties"]["phone"]["anyOf"] if s.get("type") == "string")
    assert re.fullmatch(phone["pattern"], "+4791234567") and not re.fullmatch(phone["pattern"], "4791234567")
    status = next(p for p in fresh["paths"]["/api/v1/invoices"]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["$ref"] == "#/components/schemas/InvoiceStatus"
    assert schemas["Invoice"]["properties"]["status"]["$ref"] == "#/components/schemas/InvoiceStatus"
    enums = [frozenset(schema["enum"]) for schema in schemas.values() if "enum" in schema]
    assert len(enums) == len(set(enums)), "one schema per closed set of values"
    inline = re.findall(r'"enum": \[[^]]*,', json.dumps(fresh["paths"]) + json.dumps(
        {name: schema for name, schema in schemas.items() if "enum" not in schema}))
    assert inline == [], "closed sets are named schemas, not inline enums"


def test_answers_declare_their_headers_and_binary_bodies(fresh):
    for path, method, operation in operations(fresh):
        for status, answer in operation["responses"].items():
            if status == "201":
                assert "Location" in answer["headers"], (method, path)
            for media_type in ("application/pdf", "application/xml"):
                if media_type in answer.get("content", {}):
                    assert answer["content"][media_type]["schema"] == {
                        "type": "string", "format": "binary", "contentMediaType": media_type}
                    assert "Content-Disposition" in answer["headers"]
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])):
            assert "Idempotent-Replayed" in operation["responses"][next(
                s for s in operation["responses"] if s.startswith("2"))]["headers"]
    default = fresh["paths"]["/api/v1/clients"]["get"]["responses"]["default"]
    assert {"Retry-After", "Allow"} <= set(default["headers"])
    assert set(fresh["components"]["headers"]) == {"Location", "Idempotent-Replayed", "Retry-After", "Allow",
                                                    "Content-Disposition"}


def test_the_links_lead_from_a_new_client_to_its_invoice_sent_and_settled(fresh):
    """The workflow the stateful fuzzing follows: each link names an operation that exists, with the
    path parameters that operation has."""
    by_id = {operation["operationId"]: (path, operation) for path, _method, operation in operations(fresh)}
    followed = set()
    for path, _method, operation in operations(fresh):
        for answer in operation["responses"].values():
            for link in answer.get("links", {}).values():
                target_path, target = by_id[link["operationId"]]
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
