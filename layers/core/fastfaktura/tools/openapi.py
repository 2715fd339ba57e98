"""Builds the OpenAPI 3.1 document of the whole API from the functions themselves: every HTTP function
of template.yaml is imported, its Powertools resolver gives the schema of its route, and the schemas are
merged, with the contract's error answers, the two API key schemes and the decisions the contract
leaves open."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from fastfaktura.http.openapi_document import ROUTES_KEY
from fastfaktura.models.common import ErrorResponse
from fastfaktura.services.idempotency import honour_idempotency_key
from fastfaktura.tools.template import Function, functions, routes

TITLE = "FastFaktura API"
VERSION = "1.0.0"
SECURITY = [{"ApiKey": []}, {"Bearer": []}]
SECURITY_SCHEMES = {
    "ApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key",
               "description": "An API key: `ffk_test_…` (sandbox business) or `ffk_live_…`."},
    "Bearer": {"type": "http", "scheme": "bearer",
               "description": "The same API key as `Authorization: Bearer ffk_…`."},
}
SERVERS = [
    {"url": "https://{api_id}.execute-api.{region}.amazonaws.com",
     "description": "A deployed stack (its `ApiUrl` output)",
     "variables": {"api_id": {"default": "abcdef1234"}, "region": {"default": "eu-west-1"}}},
    {"url": "http://127.0.0.1:3000", "description": "The local stack (`fastfaktura dev`)"},
]
ERROR_SCHEMA_REF = {"$ref": "#/components/schemas/ErrorResponse"}
# The error answers each kind of operation can give (see _error_statuses); the type is the contract's.
ERROR_DESCRIPTIONS = {
    "400": "`invalid_request`: malformed JSON, a content type other than application/json, "
           "or a bad query parameter",
    "401": "`authentication_error`: the API key is missing, malformed, unknown or revoked (all alike)",
    "404": "`not_found`: no such object for this business (another business's ids and malformed ids "
           "answer the same)",
    "409": "`conflict`: the object's state does not allow this, or an `Idempotency-Key` was reused with "
           "another body or route, or while its first request is still running",
    "413": "`payload_too_large`: the body is over 1,000,000 bytes",
    "422": "`validation_error`: a body field is invalid, unknown or read-only; `details` names each one",
    "default": "`internal_error`: 500 with no internals, or 503 with `Retry-After` when the database "
               "stays busy after retries",
}
IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": "Makes a retry safe: a repeat (same key, same business) returns the first answer and does "
                   "nothing again. Kept at least 24 hours. Printable ASCII without spaces; a uuid fits.",
}
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_ANSWER_ID = {"path.id": "$response.body#/id"}
_SENT_INVOICE_ID = {"path.id": "$response.body#/invoice/id"}
# OpenAPI links: what a client does next with an answer (create a client → invoice it → read, send and
# settle the invoice), so that tools can follow a workflow: (operation, status) → {name: (target, link)}.
LINKS: dict[tuple[str, str, str], dict[str, tuple[tuple[str, str], dict[str, Any]]]] = {
    ("post", "/api/v1/clients", "201"): {
        "GetClient": (("get", "/api/v1/clients/{id}"), {"parameters": _ANSWER_ID}),
        "UpdateClient": (("put", "/api/v1/clients/{id}"), {"parameters": _ANSWER_ID}),
        "ArchiveClient": (("delete", "/api/v1/clients/{id}"), {"parameters": _ANSWER_ID}),
        "CreateInvoice": (("post", "/api/v1/invoices"), {"requestBody": {"client_id": "$response.body#/id"}}),
        "ListClientInvoices": (("get", "/api/v1/invoices"), {"parameters": {"query.client_id": "$response.body#/id"}}),
    },
    ("post", "/api/v1/invoices", "201"): {
        "GetInvoice": (("get", "/api/v1/invoices/{id}"), {"parameters": _ANSWER_ID}),
        "SendInvoice": (("post", "/api/v1/invoices/{id}/send"), {"parameters": _ANSWER_ID}),
        "GetInvoicePdf": (("get", "/api/v1/invoices/{id}/pdf"), {"parameters": _ANSWER_ID}),
        "CancelInvoice": (("post", "/api/v1/invoices/{id}/cancel"), {"parameters": _ANSWER_ID}),
        "GetInvoiceClient": (("get", "/api/v1/clients/{id}"), {"parameters": {"path.id": "$response.body#/client_id"}}),
    },
    ("post", "/api/v1/invoices/{id}/send", "200"): {
        "GetSentInvoice": (("get", "/api/v1/invoices/{id}"), {"parameters": _SENT_INVOICE_ID}),
        "GetSentInvoiceEvents": (("get", "/api/v1/invoices/{id}/events"), {"parameters": _SENT_INVOICE_ID}),
        "RemindInvoice": (("post", "/api/v1/invoices/{id}/send"),
                          {"parameters": _SENT_INVOICE_ID, "requestBody": {"reminder": True}}),
        "MarkSentInvoicePaid": (("post", "/api/v1/invoices/{id}/mark-paid"), {"parameters": _SENT_INVOICE_ID}),
        "CancelSentInvoice": (("post", "/api/v1/invoices/{id}/cancel"), {"parameters": _SENT_INVOICE_ID}),
    },
}

DESCRIPTION = """\
FastFaktura: invoices for small businesses in France and the Nordics — clients, invoices with lines and
VAT, PDFs, sending by email, SMS or link, Stripe payment and a timeline per invoice.

## Authentication
Every `/api/v1` request carries an API key, as `X-Api-Key: ffk_…` or `Authorization: Bearer ffk_…`.
`ffk_test_…` keys belong to sandbox businesses (email and SMS are simulated, Stripe runs in test mode),
`ffk_live_…` keys to live ones. A missing, malformed, unknown or revoked key answers the same 401.
Only a hash of a key is stored; a revoked key stops working within 60 seconds (each function caches
a key lookup for at most 60 s). Without a key: this document, the public invoice pages (`/i/{token}`)
and the Stripe webhook (its `Stripe-Signature` header is the proof).

## Tenancy
Every read and write is scoped to the key's business. An id of another business, a malformed id and an
id that does not exist all answer the same 404.

## Errors
Every non-2xx answer under `/api/v1` and `/webhooks` is an `ErrorResponse`:
`{"error": {"type", "message", "details": [{"field", "issue", "value"}], "request_id"}}`, where `type` is
one of `invalid_request` (400, and 405), `authentication_error` (401), `not_found` (404), `conflict`
(409), `payload_too_large` (413), `validation_error` (422), `rate_limited` (429) or `internal_error`
(500, 502, 503). `request_id` is the API Gateway request id, also the correlation id of the logs.
An unknown path answers 404 `not_found`; a known path with another method answers 405
`invalid_request` with an `Allow` header.
Only answers that API Gateway gives without calling a function are not in this shape: stage throttling
(429 `{"message": "Too Many Requests"}`; by default 100 requests/s with bursts of 200 per stage),
bodies over API Gateway's own 10 MB limit and integration timeouts.

## Requests
- Bodies are JSON objects sent with `Content-Type: application/json`; anything else is 400. A body over
  1,000,000 bytes is 413.
- Unknown fields in a body are 422 with `issue: "unknown_field"`; read-only fields (`id`, `number`,
  totals, `status`, `sandbox`, `created_at`, `updated_at`) are 422 with `issue: "read_only"`.
- Updates (`PUT`) are partial: fields absent from the body are unchanged, `null` clears an optional field.
- `POST /clients`, `POST /invoices` and `POST /invoices/{id}/send` accept an `Idempotency-Key` header:
  a repeat (same key, same business) returns the first answer and does nothing again; a repeat while
  the first still runs, or with another body or route, is 409. Keys are kept at least 24 hours.

## Answers
- Money is in integer cents (`*_cents`); rounding is half-up, per line and per tax rate (EN 16931).
- Timestamps are RFC 3339 in UTC with microseconds (`2026-11-24T10:15:30.123456Z`); dates are ISO dates.
- Lists answer `{"data": [...], "page", "per_page", "has_more"}`, newest first; `page` ≥ 1 (default 1),
  `per_page` 1–100 (default 50); any other value is 400.
- Nothing is ever deleted: `DELETE /clients/{id}` archives the client; invoices are cancelled, not deleted.
- An invoice's timeline is built from the table's change stream, so it may lag a write by a moment.
"""


def generate() -> dict[str, Any]:
    """The whole API's OpenAPI 3.1 document, from the template's HTTP functions as they are now."""
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    # The handlers are imported to read their routes, never run: their settings need only be well formed.
    for name, placeholder in (("TABLE_NAME", "fastfaktura"), ("BUCKET_NAME", "fastfaktura-pdfs"),
                              ("SENDER_EMAIL", "invoices@example.com")):
        os.environ.setdefault(name, placeholder)
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for function in _http_functions():
        app = _load_app(function)
        try:
            schema = app.get_openapi_schema().model_dump(mode="json", by_alias=True, exclude_none=True)
        except Exception as exc:
            raise RuntimeError(f"{function.logical_id} ({function.code_uri.name}): Powertools cannot document "
                               f"its route: {exc}") from exc
        _merge(function, schema, paths, schemas)
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                if app.around is honour_idempotency_key:
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY_PARAMETER)
                _document_operation(path, method, operation, authenticated=app.authenticated)
    schemas.update(_error_schemas())
    _add_links(paths)
    document = {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION, "description": DESCRIPTION},
        "servers": SERVERS,
        "security": SECURITY,
        "tags": _tags(paths),
        "paths": {path: _ordered_methods(paths[path]) for path in sorted(paths)},
        "components": {"schemas": {}, "securitySchemes": SECURITY_SCHEMES},
        ROUTES_KEY: _route_table(),
    }
    used = _referenced_schemas(document["paths"], schemas)
    document["components"]["schemas"] = {name: schemas[name] for name in sorted(used)}
    return document


def _http_functions() -> list[Function]:
    """The functions behind the template's routes (not the `$default` route), in template order."""
    ids = {route.function_id for route in routes() if route.path != "$default"}
    return [fn for logical_id, fn in functions().items() if logical_id in ids]


def _load_app(function: Function) -> Any:
    """The function's Powertools resolver (`app`), its module imported from the CodeUri as Lambda would."""
    module_name, _attribute = function.handler.rsplit(".", 1)
    path = function.code_uri / f"{module_name.replace('.', '/')}.py"
    spec = importlib.util.spec_from_file_location(f"fastfaktura_openapi_{function.logical_id}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.app


def _merge(function: Function, schema: dict, paths: dict, schemas: dict) -> None:
    """Adds one function's paths, under the template's own path (and path parameter names, which are
    what API Gateway sends), and its component schemas. Unlike Powertools' OpenAPIMerge, which keeps
    one of two different schemas of the same name silently, a clash is an error here."""
    template_paths = {(_shape(r.path), r.method.lower()): r.path
                      for r in routes() if r.function_id == function.logical_id}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            template_path = template_paths.get((_shape(path), method))
            if template_path is None:
                raise ValueError(f"{function.logical_id} documents {method.upper()} {path}, "
                                 "which is not one of its routes in template.yaml")
            _rename_path_parameters(operation, path, template_path)
            paths.setdefault(template_path, {})[method] = operation
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        if name in schemas and schemas[name] != component:
            raise ValueError(f"two different schemas are named {name!r} (one in {function.logical_id}); "
                             "give one of the models another name")
        schemas[name] = component


_PATH_PARAMETER = re.compile(r"\{([^}]+)\}")


def _shape(path: str) -> str:
    return _PATH_PARAMETER.sub("{}", path)


def _rename_path_parameters(operation: dict, documented_path: str, template_path: str) -> None:
    """`/clients/{client_id}` in a function's resolver is `/clients/{id}` in the template."""
    names = dict(zip(_PATH_PARAMETER.findall(documented_path), _PATH_PARAMETER.findall(template_path),
                     strict=True))
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path":
            parameter["name"] = names.get(parameter["name"], parameter["name"])


def _document_operation(path: str, method: str, operation: dict, authenticated: bool) -> None:
    """Security and the contract's error answers of one operation (the public pages answer HTML and
    keep what their function documents)."""
    if not authenticated:
        operation["security"] = []
    responses = operation.setdefault("responses", {})
    has_body = "requestBody" in operation
    if not has_body and responses.get("422", {}).get("description") == "Validation Error":
        del responses["422"]  # Powertools adds it for any parameter; outside a body it is a 400
    if not (path.startswith("/api/") or path.startswith("/webhooks/")):
        return
    for status in _error_statuses(path, method, operation, authenticated):
        answer = responses.setdefault(status, {"description": ERROR_DESCRIPTIONS[status]})
        if status == "422" and answer.get("description") == "Validation Error":
            answer["description"] = ERROR_DESCRIPTIONS["422"]
        answer["content"] = {"application/json": {"schema": ERROR_SCHEMA_REF}}
    for status, answer in responses.items():
        if status != "default" and int(status) >= 400:
            answer.setdefault("content", {"application/json": {"schema": ERROR_SCHEMA_REF}})
    operation["responses"] = dict(sorted(responses.items(), key=lambda kv: (kv[0] == "default", kv[0])))


def _add_links(paths: dict) -> None:
    """LINKS into the success answers, each naming its target by operationId."""
    for (method, path, status), links in LINKS.items():
        answer = paths[path][method]["responses"][status]
        answer["links"] = {name: {"operationId": paths[target_path][target_method]["operationId"], **link}
                           for name, ((target_method, target_path), link) in links.items()}


def _error_statuses(path: str, method: str, operation: dict, authenticated: bool) -> list[str]:
    has_body = "requestBody" in operation
    has_query = any(p.get("in") in ("query", "header") for p in operation.get("parameters", []))
    statuses = []
    if has_body or has_query or authenticated or method in ("post", "put", "patch"):  # authenticated: strict_query
        statuses.append("400")
    if authenticated:
        statuses.append("401")
    if "{" in path:
        statuses.append("404")
    if method == "post" and path.startswith("/api/"):
        statuses.append("409")
    if has_body:
        statuses += ["413", "422"]
    return [*statuses, "default"]


def _error_schemas() -> dict[str, Any]:
    """ErrorResponse and the models it uses, as component schemas."""
    schema = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
    nested = schema.pop("$defs", {})
    return {**nested, "ErrorResponse": schema}


def _referenced_schemas(paths: dict, schemas: dict) -> set[str]:
    """The component schemas the operations use, directly or through other schemas (so that
    Powertools' own validation error schemas, replaced by ErrorResponse, are left out)."""
    ref = re.compile(r'"#/components/schemas/([^"]+)"')
    found: set[str] = set()
    pending = set(ref.findall(json.dumps(paths)))
    while pending:
        name = pending.pop()
        if name in found:
            continue
        if name not in schemas:
            raise ValueError(f"the schema {name!r} is referenced but no function defines it")
        found.add(name)
        pending |= set(ref.findall(json.dumps(schemas[name])))
    return found


def _ordered_methods(item: dict) -> dict:
    return {method: item[method] for method in HTTP_METHODS if method in item}


def _tags(paths: dict) -> list[dict[str, str]]:
    names: list[str] = []
    for path in sorted(paths):
        for operation in _ordered_methods(paths[path]).values():
            names += [tag for tag in operation.get("tags", []) if tag not in names]
    return [{"name": name} for name in names]


def _route_table() -> dict[str, list[str]]:
    """Every route of the template, for the `$default` route's 404/405 answers."""
    table: dict[str, set[str]] = {}
    for route in routes():
        if route.path != "$default":
            table.setdefault(route.path, set()).add(route.method)
    return {path: sorted(table[path]) for path in sorted(table)}


def main(args: argparse.Namespace) -> None:
    """`fastfaktura openapi [-o FILE]`: writes the document to FILE, or to stdout."""
    text = json.dumps(generate(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Writes the API's OpenAPI 3.1 document.")
    parser.add_argument("-o", "--output", help="the file to write (default: stdout)")
    main(parser.parse_args())
