"""Builds the OpenAPI 3.1 document of the whole API from the functions themselves: every HTTP function
of template.yaml is imported, its routes are handed to a Powertools resolver (`documented`), which gives
their schema from the handlers' own annotations, and the schemas are merged, with the contract's error
answers, the two API key schemes and the decisions the contract leaves open."""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import inspect
import json
import os
import pkgutil
import re
import sys
from pathlib import Path
from typing import Annotated, Any, get_args, get_type_hints

from pydantic import BaseModel

from fastfaktura.http.openapi_document import ROUTES_KEY
from fastfaktura.http.router import Route, Router, declared_parameter
from fastfaktura.models.balance import PaymentMethod, PaymentVia
from fastfaktura.models.codes import EasScheme, VatCategory, VatexCode
from fastfaktura.models.common import ErrorResponse
from fastfaktura.models.credit_notes import RefundStatus
from fastfaktura.models.events import Channel, EventType
from fastfaktura.models.invoices import InvoiceStatus, LineKind
from fastfaktura.models.parties import ClientKind, VatRegime
from fastfaktura.models.sending import DeliveryStatus
from fastfaktura.models.webhooks import FeedEventType, WebhookEvent, WebhookEventType
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
    "503": "`service_unavailable`: the database stayed busy after retries; nothing was written, and the "
           "same request may be sent again after the `Retry-After` seconds",
    "default": "`internal_error`: 500 with no internals (a bug), or 502 when every provider of a send "
               "failed",
}
RETRY_AFTER_HEADER = {"description": "Seconds to wait before sending the same request again",
                      "schema": {"type": "integer", "minimum": 1}}
IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": "Makes a retry safe: a repeat (same key, same business) returns the first answer and does "
                   "nothing again. Kept at least 24 hours. Printable ASCII without spaces; a uuid fits.",
}
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
CONTACT = {"name": "FastFaktura", "url": "https://github.com/fastfaktura/fastfaktura", "email": "api@fastfaktura.eu"}
# Each route's operationId and description, by (method, template path). A route missing here is named after
# its handler (e.g. `create_credit_note` → `createCreditNote`) and described by its summary.
OPERATIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("get", "/api/v1/business"): ("getBusiness", "The business the API key belongs to: its profile and settings."),
    ("put", "/api/v1/business"): ("updateBusiness", "Changes the fields the body names; the others stay as they are. "
                                  "Documents already issued keep the details they were issued with."),
    ("get", "/api/v1/credit-notes"): ("listCreditNotes", "The business's credit notes, highest number first, "
                                      "optionally of one invoice."),
    ("get", "/api/v1/credit-notes/{id}"): ("getCreditNote", "One credit note: the invoice it corrects and what it "
                                           "credits."),
    ("get", "/api/v1/credit-notes/{id}/pdf"): ("getCreditNotePdf", "The credit note as a PDF file, in the client's "
                                               "locale, naming the invoice it corrects and its date: a Factur-X "
                                               "PDF/A-3B (CII 381) when it can be a valid e-invoice "
                                               "(`einvoice.ready`), else a plain PDF."),
    ("get", "/api/v1/credit-notes/{id}/ubl"): ("getCreditNoteUbl", "The credit note as a UBL 2.1 CreditNote (Peppol "
                                               "BIS Billing 3.0, EHF) naming the invoice it corrects; 422 naming the "
                                               "missing fields when it cannot be a valid one."),
    ("get", "/api/v1/credit-notes/{id}/cii"): ("getCreditNoteCii", "The credit note as a UN/CEFACT CII D16B "
                                               "e-invoice (TypeCode 381, Factur-X profile EN 16931) naming the "
                                               "invoice it corrects; 422 naming the missing fields when it cannot "
                                               "be a valid one."),
    ("post", "/api/v1/invoices/{id}/credit-notes"): ("createCreditNote", "Credits an issued invoice in full or in "
                                                     "part, with the credit note's own gapless number."),
    ("post", "/api/v1/invoices/{id}/payments"): ("recordInvoicePayment", "Records a payment of part or all of what "
                                                 "is due."),
    ("get", "/api/v1/clients"): ("listClients", "The business's clients, newest first; archived ones only with "
                                 "`archived=true`. `q` searches names, emails and phone digits."),
    ("post", "/api/v1/clients"): ("createClient", "Creates a client; `Location` names its URL."),
    ("get", "/api/v1/clients/{id}"): ("getClient", "One client, archived or not."),
    ("put", "/api/v1/clients/{id}"): ("updateClient", "Changes the fields the body names; `\"archived_at\": null` "
                                      "unarchives the client."),
    ("delete", "/api/v1/clients/{id}"): ("archiveClient", "Archives the client (nothing is deleted): it can still be "
                                         "read and unarchived, but gets no new invoice. Archiving twice is a no-op."),
    ("get", "/api/v1/events"): ("listEvents", "The business's webhook events as delivered, newest first, by cursor."),
    ("get", "/api/v1/invoices"): ("listInvoices", "The business's invoices, newest first, optionally of one status "
                                  "or one client."),
    ("post", "/api/v1/invoices"): ("createInvoice", "Creates a draft invoice with its next number and its totals; "
                                   "`Location` names its URL."),
    ("get", "/api/v1/invoices/{id}"): ("getInvoice", "One invoice with its lines and its timeline."),
    ("post", "/api/v1/invoices/{id}/cancel"): ("cancelInvoice", "Cancels the invoice (a paid or cancelled one: 409)."),
    ("get", "/api/v1/invoices/{id}/events"): ("listInvoiceEvents", "The invoice's timeline, oldest first; it may "
                                              "lag a write by a moment."),
    ("post", "/api/v1/invoices/{id}/mark-paid"): ("markInvoicePaid", "Records a payment made outside Stripe (e.g. a "
                                                  "bank transfer); a draft cannot be paid (409)."),
    ("get", "/api/v1/invoices/{id}/pdf"): ("getInvoicePdf", "The invoice as a PDF file, in the client's locale: a "
                                           "Factur-X PDF/A-3B with its CII embedded when it can be a valid "
                                           "e-invoice (`einvoice.ready`), else a plain PDF."),
    ("get", "/api/v1/invoices/{id}/ubl"): ("getInvoiceUbl", "The invoice as a UBL 2.1 e-invoice (Peppol BIS Billing "
                                           "3.0, EHF); 422 naming the missing fields when it cannot be a valid one."),
    ("get", "/api/v1/invoices/{id}/cii"): ("getInvoiceCii", "The invoice as a UN/CEFACT CII D16B e-invoice (Factur-X "
                                           "profile EN 16931); 422 naming the missing fields when it cannot be a "
                                           "valid one."),
    ("post", "/api/v1/invoices/{id}/send"): ("sendInvoice", "Sends the invoice by email, SMS and/or link; nothing is "
                                             "sent unless every channel can be."),
    ("get", "/api/v1/openapi.json"): ("getOpenApiDocument", "This document (no API key needed)."),
    ("get", "/api/v1/webhook-endpoints"): ("listWebhookEndpoints", "The business's webhook endpoints, by cursor."),
    ("post", "/api/v1/webhook-endpoints"): ("createWebhookEndpoint", "Subscribes a URL to event types; the answer "
                                            "carries the signing secret, shown only here."),
    ("get", "/api/v1/webhook-endpoints/{id}"): ("getWebhookEndpoint", "One webhook endpoint (without its secret)."),
    ("put", "/api/v1/webhook-endpoints/{id}"): ("updateWebhookEndpoint", "Changes the URL, the event types, "
                                                "`enabled` or the description."),
    ("delete", "/api/v1/webhook-endpoints/{id}"): ("disableWebhookEndpoint", "Disables the endpoint (nothing is "
                                                   "deleted)."),
    ("get", "/api/v1/webhook-endpoints/{id}/deliveries"): ("listWebhookDeliveries", "The endpoint's delivery "
                                                           "attempts, newest first, by cursor."),
    ("post", "/api/v1/webhook-endpoints/{id}/rotate-secret"): ("rotateWebhookSecret", "A new signing secret; the "
                                                               "previous one keeps signing for 24 hours."),
    ("get", "/i/{token}"): ("getPublicInvoicePage", "The invoice's public page (HTML, in the client's locale); the "
                            "first view moves a sent invoice to opened."),
    ("post", "/i/{token}/pay"): ("payPublicInvoice", "Opens a Stripe Checkout for the invoice (303 to it)."),
    ("get", "/i/{token}/pdf"): ("getPublicInvoicePdf", "The invoice's PDF, from its public page."),
    ("post", "/webhooks/stripe"): ("receiveStripeWebhook", "Stripe's events; `checkout.session.completed` with "
                                   "`payment_status: paid` marks the invoice paid once."),
}
# Schema names that a generated client would give to its own classes (openapi-python-client's HTTP `Client`).
SCHEMA_NAMES = {"Client": "ClientRecord"}
# Each closed set of values is one named schema, so that a client has one enum per set.
ENUM_NAMES = {
    frozenset(get_args(InvoiceStatus)): "InvoiceStatus",
    frozenset(get_args(Channel)): "Channel",
    frozenset(get_args(EventType)): "InvoiceEventType",
    frozenset(get_args(VatCategory)): "VatCategory",
    frozenset(get_args(DeliveryStatus)): "DeliveryStatus",
    frozenset(get_args(VatexCode)): "VatexCode",
    frozenset(get_args(EasScheme)): "EasScheme",
    frozenset(get_args(VatRegime)): "VatRegime",
    frozenset(get_args(ClientKind)): "ClientKind",
    frozenset(get_args(LineKind)): "LineKind",
    frozenset(get_args(WebhookEventType)): "WebhookEventType",
    frozenset(get_args(FeedEventType)): "FeedEventType",
    frozenset(get_args(PaymentMethod)): "PaymentMethod",
    frozenset(get_args(PaymentVia)): "PaymentVia",
    frozenset(get_args(RefundStatus)): "RefundStatus",
}
# Query parameters whose type the functions read as text, as the API checks them.
QUERY_SCHEMAS = {"status": {"type": "string", "enum": list(get_args(InvoiceStatus))},
                 "client_id": {"type": "string", "format": "uuid"},
                 "invoice_id": {"type": "string", "format": "uuid"}}
HEADERS = {
    "Location": {"description": "The URL of the created object (201), or where a redirect leads (303)",
                 "schema": {"type": "string", "format": "uri-reference"}},
    "Idempotent-Replayed": {"description": "`true` when this is the stored answer of an earlier request with the "
                                           "same `Idempotency-Key`", "schema": {"type": "string", "enum": ["true"]}},
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer", "minimum": 0}},
    "Allow": {"description": "On a 405: the methods the path accepts", "schema": {"type": "string"}},
    "Content-Disposition": {"description": "`attachment; filename=\"…\"`", "schema": {"type": "string"}},
}
API_GATEWAY_ERROR = {
    "type": "object", "title": "ApiGatewayError", "required": ["message"],
    "properties": {"message": {"type": "string", "examples": ["Too Many Requests"]}},
    "description": "An answer API Gateway gives itself, without calling a function: throttling (429), a body "
                   "over its 10 MB limit (413), an integration timeout (503/504).",
}
API_GATEWAY_ERROR_REF = {"$ref": "#/components/schemas/ApiGatewayError"}
API_GATEWAY_STATUSES = {"429": "`rate_limited` (the business's request budget, with `Retry-After`), or API Gateway's "
                               "own throttling (`{\"message\": \"Too Many Requests\"}`)",
                        "504": "The function did not answer in time (API Gateway's own answer)"}
EITHER_ERROR = {"oneOf": [ERROR_SCHEMA_REF, API_GATEWAY_ERROR_REF]}
"""Statuses that both our functions and API Gateway itself answer (413, 429)."""
FILE_TYPES = ("application/pdf", "application/xml")
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
(409), `payload_too_large` (413), `validation_error` (422), `rate_limited` (429), `internal_error`
(500, 502) or `service_unavailable` (503, with `Retry-After`: retry the same request after that many
seconds; nothing was written). `request_id` is the API Gateway request id, also the correlation id of the logs.
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
  `per_page` 1–100 (default 50); any other value is 400. The webhook lists (`/webhook-endpoints`,
  `…/deliveries`, `/events`) page by cursor instead: `{"data", "has_more", "next_cursor"}`, and
  `?cursor=<next_cursor>` continues with the same filters (a cursor of another list or filter is 400).
- Nothing is ever deleted: `DELETE /clients/{id}` archives the client; invoices are cancelled, not deleted;
  `DELETE /webhook-endpoints/{id}` disables the endpoint.
- An invoice's timeline is built from the table's change stream, so it may lag a write by a moment.

## Webhooks
Each event of the `webhooks` section is POSTed as JSON to every enabled endpoint subscribed to its type,
with `FastFaktura-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (two `v1=` for
24 h after a rotation). A 2xx within 10 s is delivered; anything else is retried with the same `id` and
body after about 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, then every 12 h (±20 %), for 3 days; an endpoint
failing for 3 days is disabled (a `webhook_endpoint.disabled` event in `GET /events`). Delivery is at
least once and not in order: dedupe on `id`, and order a resource's events by `sequence` (when the change
was written, in microseconds; `created_at` is the date the change records, which a payment may back-date).
Besides the usual invoice, credit-note and client events, `business.bank_details_changed` tells that the
business's IBAN or BIC changed (`data.object` is the business): what a stolen key would do first.
"""
SIGNATURE_PARAMETER = {
    "name": "FastFaktura-Signature", "in": "header", "required": True,
    "schema": {"type": "string", "pattern": "^t=\\d+(,v1=[0-9a-f]{64})+$"},
    "description": "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" keyed by the endpoint's secret>`; "
                   "refuse a `t` more than 5 minutes away from your clock.",
}


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
            schema = documented(app).get_openapi_schema().model_dump(mode="json", by_alias=True, exclude_none=True)
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
    webhooks = _webhooks(schemas)
    _describe(paths, webhooks, schemas)
    _add_links(paths)
    document = {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION, "description": DESCRIPTION, "contact": CONTACT},
        "servers": SERVERS,
        "security": SECURITY,
        "tags": _tags(paths),
        "paths": {path: _ordered_methods(paths[path]) for path in sorted(paths)},
        "webhooks": webhooks,
        "components": {"schemas": {}, "headers": HEADERS, "securitySchemes": SECURITY_SCHEMES},
        ROUTES_KEY: _route_table(),
    }
    used = _refs({**document["paths"], **document["webhooks"]}, schemas)
    document["components"]["schemas"] = {name: schemas[name] for name in sorted(used)}
    return _rename_schemas(document)


def _http_functions() -> list[Function]:
    """The functions behind the template's routes (not the `$default` route), in template order."""
    ids = {route.function_id for route in routes() if route.path != "$default"}
    return [fn for logical_id, fn in functions().items() if logical_id in ids]


def documented(app: Router) -> Any:
    """A Powertools resolver with the routes of `app`, for its OpenAPI schema: each handler's signature
    with our `Body`/`Query` turned into Powertools' parameters of the same constraints."""
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    resolver = APIGatewayHttpResolver(enable_validation=True)
    for route in app.routes:
        resolver.route(route.path, route.method, **route.documentation)(_powertools_signature(route))
    return resolver


def _powertools_signature(route: Route) -> Any:
    from aws_lambda_powertools.event_handler.openapi import params

    def powertools_annotation(annotation: Any) -> Any:
        marker, declared, others = declared_parameter(annotation)
        if marker is None:
            return annotation
        param = params.Body if marker.where == "body" else params.Query
        return Annotated[(declared, *others, param(**marker.constraints))]

    hints = get_type_hints(route.handler, include_extras=True)
    signature = inspect.signature(route.handler)

    @functools.wraps(route.handler)
    def handler(*args: Any, **kwargs: Any) -> Any:
        return route.handler(*args, **kwargs)

    handler.__signature__ = signature.replace(  # type: ignore[attr-defined]  # what inspect.signature reads
        parameters=[p.replace(annotation=powertools_annotation(hints.get(name, p.annotation)))
                    for name, p in signature.parameters.items()],
        return_annotation=hints.get("return", signature.return_annotation))
    return handler


def _load_app(function: Function) -> Any:
    """The function's router (`app`), its module imported from the CodeUri as Lambda would."""
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
        if status == "503":
            answer["headers"] = {"Retry-After": RETRY_AFTER_HEADER}
    for status, answer in responses.items():
        if status != "default" and int(status) >= 400:
            answer.setdefault("content", {}).setdefault("application/json", {}).setdefault("schema", ERROR_SCHEMA_REF)
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
    if authenticated:
        statuses.append("503")  # any call reads or writes the table
    return [*statuses, "default"]


def _describe(paths: dict[str, Any], webhooks: dict[str, Any], schemas: dict[str, Any]) -> None:
    """What Powertools cannot say from the routes alone: operation names and descriptions, the query
    parameters' real types, the answers' headers and always-present fields, API Gateway's own answers,
    one named schema per closed set, and schema names that clash with no generated client's classes."""
    schemas["ApiGatewayError"] = API_GATEWAY_ERROR
    for path, item in paths.items():
        for method, operation in item.items():
            _name_operation(path, method, operation)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] in QUERY_SCHEMAS:
                    parameter["schema"] = {**QUERY_SCHEMAS[parameter["name"]],
                                           **{k: v for k, v in parameter["schema"].items() if k == "description"}}
            _describe_answers(path, operation)
    _require_answer_fields(paths, webhooks, schemas)
    _name_enums(paths, webhooks, schemas)


def _name_operation(path: str, method: str, operation: dict) -> None:
    """operationId and description from OPERATIONS; otherwise the handler's name in camelCase (Powertools'
    id is `<handler><path>_<method>`) and the summary."""
    operation_id, description = OPERATIONS.get((method, path), (None, None))
    if operation_id is None:
        handler = operation["operationId"].split(re.sub(r"\W", "_", path), 1)[0]
        first, *rest = handler.split("_")
        operation_id = first + "".join(word.title() for word in rest)
        description = operation.get("description") or operation.get("summary") or handler.replace("_", " ")
    operation["operationId"] = operation_id
    operation.setdefault("description", description)


def _header(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _describe_answers(path: str, operation: dict) -> None:
    responses = operation["responses"]
    idempotent = any(p["name"] == IDEMPOTENCY_KEY_PARAMETER["name"] for p in operation.get("parameters", []))
    for status, answer in responses.items():
        headers = answer.setdefault("headers", {})
        if status in ("201", "303"):  # the created object; the page a redirect leads to
            headers["Location"] = _header("Location")
        if idempotent and status.startswith("2"):
            headers["Idempotent-Replayed"] = _header("Idempotent-Replayed")
        for media_type in FILE_TYPES:
            if media_type in answer.get("content", {}):
                answer["content"][media_type]["schema"] = {"type": "string", "format": "binary",
                                                           "contentMediaType": media_type}
                headers["Content-Disposition"] = _header("Content-Disposition")
        if status in ("409", "default"):
            headers["Retry-After"] = _header("Retry-After")
        if status == "default" and path.startswith("/api/"):
            headers["Allow"] = _header("Allow")
        if not headers:
            del answer["headers"]
    if path.startswith(("/api/", "/webhooks/")):
        if "413" in responses:
            responses["413"]["content"]["application/json"]["schema"] = EITHER_ERROR
        for status, description in API_GATEWAY_STATUSES.items():
            schema = EITHER_ERROR if status == "429" else API_GATEWAY_ERROR_REF
            responses[status] = {"description": description, "content": {"application/json": {"schema": schema}}}
        responses["429"]["headers"] = {"Retry-After": _header("Retry-After")}
        operation["responses"] = dict(sorted(responses.items(), key=lambda kv: (kv[0] == "default", kv[0])))


def _refs(tree: Any, schemas: dict[str, Any]) -> set[str]:
    """The schemas `tree` uses, directly or through other schemas."""
    ref = re.compile(r'"#/components/schemas/([^"]+)"')
    found: set[str] = set()
    pending = set(ref.findall(json.dumps(tree)))
    while pending:
        name = pending.pop()
        if name in found:
            continue
        if name not in schemas:
            raise ValueError(f"the schema {name!r} is referenced but no function defines it")
        found.add(name)
        pending |= set(ref.findall(json.dumps(schemas[name])))
    return found


def _require_answer_fields(paths: dict, webhooks: dict, schemas: dict) -> None:
    """Every field an answer always carries is `required` (pydantic leaves out a field with a default,
    though an answer always writes it); a field left out when null (`exclude_if`) stays optional. A schema
    that bodies use too keeps its body's rules."""
    operations = [op for item in paths.values() for op in item.values()]
    bodies = _refs([op.get("requestBody") for op in operations], schemas)
    answers = _refs([[op["responses"] for op in operations], webhooks], schemas) - bodies
    models = _models()
    for name in answers:
        model = models.get(name)
        if model is None or "properties" not in schemas[name]:
            continue
        always = [field.serialization_alias or field.alias or key for key, field in model.model_fields.items()
                  if field.exclude_if is None and not field.exclude]
        schemas[name]["required"] = [key for key in always if key in schemas[name]["properties"]]


def _models() -> dict[str, type[BaseModel]]:
    """Every pydantic model of fastfaktura.models, by the name its schema has."""
    import fastfaktura.models

    found: dict[str, type[BaseModel]] = {}
    for module_info in pkgutil.iter_modules(fastfaktura.models.__path__):
        module = importlib.import_module(f"fastfaktura.models.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                found[value.model_config.get("title") or value.__name__] = value
    return found


def _name_enums(paths: dict, webhooks: dict, schemas: dict) -> None:
    """Each closed set of strings becomes one named schema (ENUM_NAMES, or its first owner and field:
    `ClientKind`), referenced wherever the set appears."""
    names: dict[frozenset, str] = {}

    def visit(node: Any, hint: str) -> Any:
        if isinstance(node, list):
            return [visit(item, hint) for item in node]
        if not isinstance(node, dict):
            return node
        if node.get("type") == "string" and len(node.get("enum", ())) > 1:
            values = frozenset(node["enum"])
            if values not in names:
                name = ENUM_NAMES.get(values, hint)
                while name in schemas or name in names.values():
                    name += "Value"
                names[values] = name
                schemas[name] = {"type": "string", "enum": node["enum"], "title": name}
            rest = {key: value for key, value in node.items() if key not in ("type", "enum", "title")}
            return {"$ref": f"#/components/schemas/{names[values]}", **rest}
        if "in" in node and "name" in node:  # a parameter
            hint = _camel(hint, node["name"])
        return {key: {prop: visit(sub, _camel(hint, prop)) for prop, sub in value.items()}
                if key == "properties" and isinstance(value, dict) else visit(value, hint)
                for key, value in node.items()}

    for name in sorted(schemas):
        if "enum" not in schemas[name]:
            schemas[name] = visit(schemas[name], name)
    for tree in (paths, webhooks):
        for item in tree.values():
            for method, operation in item.items():
                item[method] = visit(operation, operation["operationId"][0].upper() + operation["operationId"][1:])


def _camel(owner: str, field: str) -> str:
    return owner + "".join(word.title() for word in field.split("_"))


def _rename_schemas(document: dict) -> dict:
    """SCHEMA_NAMES applied to the schemas' names and every reference to them."""
    text = json.dumps(document, ensure_ascii=False)
    for old, new in SCHEMA_NAMES.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    renamed = json.loads(text)
    schemas = renamed["components"]["schemas"]
    renamed["components"]["schemas"] = {SCHEMA_NAMES.get(name, name): schema for name, schema in schemas.items()}
    for new in SCHEMA_NAMES.values():
        if new in renamed["components"]["schemas"]:
            renamed["components"]["schemas"][new]["title"] = new
    return dict(renamed)


_WEBHOOK_DESCRIPTIONS = {
    "business.bank_details_changed": "`type` is `business.bank_details_changed`: the business's IBAN or BIC "
                                     "changed; `data.object` is the business as `GET /business` answers it."}


def _webhooks(schemas: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.1 `webhooks`: one POST per event type an endpoint can subscribe to, each carrying the
    event envelope (`data.object` is the resource as the API answers it)."""
    from fastfaktura.webhooks.events import EVENT_TYPES

    schema = WebhookEvent.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
    schemas.update(schema.pop("$defs", {}))
    schemas["WebhookEvent"] = schema
    event = {"$ref": "#/components/schemas/WebhookEvent"}
    body = {"required": True, "content": {"application/json": {"schema": event}}}
    responses = {"2XX": {"description": "Delivered (within 10 s; the first 4 KB of the answer are read)"},
                 "default": {"description": "Not delivered: retried with the same `id` for 3 days"}}
    return {name: {"post": {"summary": name, "tags": ["Webhooks"], "operationId": f"webhook_{name.replace('.', '_')}",
                            "description": _WEBHOOK_DESCRIPTIONS.get(name, f"`type` is `{name}`."),
                            "parameters": [SIGNATURE_PARAMETER], "requestBody": body, "responses": responses,
                            "security": []}}
            for name in EVENT_TYPES}


def _error_schemas() -> dict[str, Any]:
    """ErrorResponse and the models it uses, as component schemas."""
    schema = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
    nested = schema.pop("$defs", {})
    return {**nested, "ErrorResponse": schema}


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
