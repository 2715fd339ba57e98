"""Contract fuzzing with schemathesis: every operation of the served OpenAPI document, authenticated, called
in-process through the template's routing (tests/helpers/wsgi.py). Every answer must be below 500, have a
documented status, content type, headers and schema, and every error under /api/v1 and /webhooks must be
the contract's error JSON. Ids in paths and in bodies (an invoice's `client_id`) are drawn from real
objects of the fuzzing business as well as random ones, so both the handlers behind the 404 and the ones
behind a success are reached. Data that the schema calls valid must be accepted (positive data acceptance),
except for the rules no schema can state (VALIDATION_THE_SCHEMA_CANNOT_STATE). Stateful runs follow the
document's OpenAPI links (create a client → invoice it → read, send and settle the invoice). Every
operation must reach a success at least once, or the run checked only its refusals.

Bounded for `make test` (FUZZ_EXAMPLES per operation, default 25); `make fuzz` runs many more."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re

import pytest
import schemathesis
from fastfaktura.http.openapi_document import DOCUMENT
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance, use_after_free

from tests.helpers.api import Api
from tests.helpers.fake_stripe import FakeStripe
from tests.helpers.wsgi import application

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
WORKFLOWS = max(5, MAX_EXAMPLES // 5)  # sequences of up to 5 calls along the links
ERROR_TYPES = {"invalid_request", "authentication_error", "not_found", "conflict", "payload_too_large",
               "validation_error", "rate_limited", "internal_error", "service_unavailable"}
# Ids of the fuzzing business's own objects, filled by the `fuzz_business` fixture before any case runs.
KNOWN: dict[str, list[str]] = {"clients": [], "invoices": [], "tokens": [], "webhook-endpoints": [], "credit-notes": []}
# Objects of each operation's own that the operations fuzzed before it cannot use up (they run one after
# another: without these, cancel would have settled every payable invoice before mark-paid is fuzzed, a
# send would meet the resend cooldown of an invoice sent a moment before, and DELETE would have disabled
# every endpoint before rotate-secret: each could only ever be refused).
OWN_OBJECTS: dict[str, list[str]] = {
    **{f"/api/v1/invoices/{{id}}/{action}": [] for action in ("cancel", "mark-paid", "payments", "credit-notes",
                                                                "send")},
    "/i/{token}/pay": [], "/api/v1/webhook-endpoints/{id}/rotate-secret": []}
API_KEY: list[str] = []
# Every status each operation answered ("POST /api/v1/invoices" → {201, 422, …}), over all the runs.
REACHED: dict[str, set[int]] = {}
# Refusals of schema-valid data that are right, each a rule no schema can state: the client must have the
# channel's contact, the id must name an object of this business, a total has bounds over several lines, a
# cursor comes from the same list's next_cursor and goes without `page`, a webhook URL is https to a public
# DNS name, an identifier has its country's shape and check digits, an e-invoice has what its rules ask, a
# payment or a credit stays within what is due or remains, at the invoice's own rates, after its issue date,
# and a refund needs a Stripe payment.
VALIDATION_THE_SCHEMA_CANNOT_STATE = frozenset({
    "client_email_missing", "client_phone_missing", "not_found", "archived", "negative", "out_of_range",
    "in_future", "invalid_cursor", "with_page", "unsafe_url", "checksum", "format", "einvoice_missing",
    "more_than_due", "more_than_remains", "nothing_remains", "before_issue_date", "not_paid_through_stripe",
    "not_on_invoice", "ambiguous",
})
# Where the document is looser than the model (operation, field with `*` for an index, issue): valid data
# by the document that the model rightly refuses. Each is a gap of the document to close; any other refusal
# of schema-valid data fails the run.
CREDIT = "POST /api/v1/invoices/{id}/credit-notes"
DOCUMENT_LOOSER_THAN_THE_MODEL = frozenset({
    ("GET /api/v1/invoices", "client_id", "uuid"), ("GET /api/v1/invoices", "status", "enum"),
    *(("POST /api/v1/clients", field, "value_error") for field in ("country", "phone")),
    *(("PUT /api/v1/clients/{id}", field, "value_error") for field in ("country", "email", "locale", "name", "phone")),
    *(("PUT /api/v1/business", field, "value_error") for field in (
        "country", "default_currency", "late_payment_rate", "payment_terms_days", "phone", "timezone")),
    # An event type listed twice (the document has no uniqueItems).
    *((operation, "events", "value_error") for operation in ("POST /api/v1/webhook-endpoints",
                                                             "PUT /api/v1/webhook-endpoints/{id}")),
    ("PUT /api/v1/business", "late_payment_rate", "less_than_equal"),
    ("PUT /api/v1/business", "payment_terms_days", "int_type"),
    *((operation, "lines.*.quantity", issue) for operation in ("POST /api/v1/invoices", CREDIT)
      for issue in ("greater_than", "less_than_equal", "value_error")),
    *((operation, "lines.*.tax_rate", issue) for operation in ("POST /api/v1/invoices", CREDIT)
      for issue in ("less_than_equal", "value_error")),
    *((operation, "lines.*.unit_price_cents", "int_type") for operation in ("POST /api/v1/invoices", CREDIT)),
    ("POST /api/v1/invoices/{id}/payments", "amount_cents", "int_type"),
    ("POST /api/v1/invoices/{id}/send", "channels", "value_error"),
})


def _fields_refused_as_null() -> dict[str, frozenset[str]]:
    """By request body schema: the fields that may be left out but not sent as null (each model's
    `_not_null` validator), which the document still calls nullable: a gap of the document as well."""
    import fastfaktura.models
    from pydantic import BaseModel

    found: dict[str, frozenset[str]] = {}
    for module_info in pkgutil.iter_modules(fastfaktura.models.__path__, "fastfaktura.models."):
        for model in vars(importlib.import_module(module_info.name)).values():
            if isinstance(model, type) and issubclass(model, BaseModel):
                validator = model.__pydantic_decorators__.field_validators.get("_not_null")
                if validator is not None:
                    found[model.__name__] = frozenset(validator.info.fields)
    return found


FIELDS_REFUSED_AS_NULL = _fields_refused_as_null()
# Operations no fuzzed request can make succeed, with the reason; every other one must reach a 2xx/3xx.
NEVER_SUCCEEDS = {
    **{f"GET /api/v1/{path}/{{id}}/{syntax}": "the fuzzed business is a bare sandbox, which no e-invoice rule "
       "accepts (tests/integration/test_einvoices.py answers 200 with files valid by the official rules)"
       for path in ("invoices", "credit-notes") for syntax in ("ubl", "cii")},
    "POST /webhooks/stripe": "only a body signed with the webhook secret is read (tests/integration/"
                             "test_stripe_payment.py signs them)",
}

schema = schemathesis.openapi.from_path(DOCUMENT)
schema.app = application


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict | None) -> st.SearchStrategy:
    """Half of the ids are the business's real ones (a generated uuid only ever reaches the 404). The
    strategy may be built before the fixture has made them, so the pick happens at draw time."""
    path = context.operation.path
    name = "token" if "{token}" in path else "id"
    if not path_parameters or name not in path_parameters:
        return st.just(path_parameters)
    kind = "tokens" if name == "token" else path.split("/")[3]  # /api/v1/<collection>/{id}…

    def pick(n: int) -> dict:
        known = OWN_OBJECTS.get(path) or KNOWN.get(kind)
        return {**path_parameters, name: known[n % len(known)]} if known else path_parameters

    return st.one_of(st.just(path_parameters), st.integers(min_value=0, max_value=999).map(pick))


@schema.hook
def flatmap_headers(context, headers: dict | None) -> st.SearchStrategy:
    """Half of the valid Idempotency-Keys are fresh uuids: the generated ones repeat ("0", "A"…), and a
    key's first use decides what every later request with it gets (its first answer, or a refusal for
    another body), so an operation whose first draw was refused could never succeed."""
    key = (headers or {}).get("Idempotency-Key")
    if not isinstance(key, str) or not re.fullmatch(r"[\x21-\x7e]{1,255}", key):
        return st.just(headers)
    return st.one_of(st.just(headers), st.uuids().map(lambda fresh: {**headers, "Idempotency-Key": str(fresh)}))


@schema.hook
def flatmap_body(context, body) -> st.SearchStrategy:
    """Half of the invoices' client_ids are the business's real clients (a random uuid is always refused),
    with lines drawn by the model's own rules (the document's are looser, see DOCUMENT_LOOSER_THAN_THE_MODEL),
    half of the webhook URLs are callable ones and half of the sends a link: without them, no fuzzed create
    or send ever succeeds."""
    path = context.operation.path
    if not isinstance(body, dict):
        return st.just(body)
    if path.startswith("/api/v1/webhook-endpoints") and ("url" in body or "events" in body) and \
            isinstance(body.get("url", ""), str) and isinstance(body.get("events", []), list):
        # A generated URL is nearly never one that can be called, nor its events all distinct (a case made to
        # break the schema in these two fields' types is left as it came).
        def callable_endpoint(n: int) -> dict:
            return {**body, **({"url": f"http://127.0.0.1:9/fuzz-{n}"} if "url" in body else {}),
                    **({"events": ["*"]} if "events" in body else {})}

        return st.one_of(st.just(body), st.integers(min_value=0, max_value=999).map(callable_endpoint))
    channels = body.get("channels")
    if path == "/api/v1/invoices/{id}/send" and isinstance(channels, list) and channels and \
            all(channel in ("email", "sms", "link") for channel in channels):
        # A generated send names channels whose contact the client rarely has: half of the sends with valid
        # channels send a link, which any client can get (the other fields as they came, valid or not).
        return st.one_of(st.just(body), st.just({**body, "channels": ["link"]}))
    if path != "/api/v1/invoices" or "client_id" not in body:
        return st.just(body)

    def pick(drawn: tuple[int, list]) -> dict:
        known = KNOWN["clients"]
        return {**body, "client_id": known[drawn[0] % len(known)], "lines": drawn[1]} if known else body

    return st.one_of(st.just(body), st.tuples(st.integers(min_value=0, max_value=999), MODEL_LINES).map(pick))


MODEL_LINES = st.lists(st.fixed_dictionaries({
    "description": st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"),
                                         exclude_characters="\u2028\u2029"), min_size=1, max_size=40).filter(str.strip),
    "quantity": st.decimals(min_value="0.001", max_value=1_000_000, places=3).map(str),
    "unit_price_cents": st.integers(min_value=0, max_value=10**6),
    "tax_rate": st.decimals(min_value=0, max_value=100, places=2).map(str),
}), min_size=1, max_size=3)


@schema.auth(refresh_interval=None)
class FuzzBusinessKey:
    """The fuzzing business's key as X-Api-Key, through schemathesis' auth so that its ignored_auth check
    knows the key is the real one and probes each private operation without it and with a bad one."""

    def get(self, case, context) -> str:
        return "set-when-the-case-runs"  # also asked while collecting, before the business exists

    def set(self, case, data: str, context) -> None:
        case.headers = {**(case.headers or {}), "X-Api-Key": API_KEY[0] if API_KEY else data}


@schemathesis.check
def contract_error_json(ctx, response, case) -> bool | None:
    """Every non-2xx answer of the API and the webhook is {"error": {type, message, details, request_id}}."""
    if response.status_code < 400 or case.path.startswith("/i/"):
        return None
    body = json.loads(response.content)
    error = body["error"]
    assert set(body) == {"error"}, body
    assert error["type"] in ERROR_TYPES, error
    assert isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["details"], list) and error["request_id"], error
    return True


@schemathesis.check
def positive_data_accepted(ctx, response, case) -> bool | None:
    """Schemathesis' positive data acceptance, but a 422 naming only rules the schema cannot state is right."""
    if response.status_code in (400, 422) and case.path.startswith("/api/"):
        operation = f"{case.method.upper()} {case.operation.path}"
        details = json.loads(response.content)["error"]["details"]
        refused_as_null = FIELDS_REFUSED_AS_NULL.get(_body_schema(case), frozenset())
        if details and all(d["issue"] in VALIDATION_THE_SCHEMA_CANNOT_STATE or
                           (d["issue"] == "value_error" and d["value"] is None and d["field"] in refused_as_null) or
                           (operation, re.sub(r"\.\d+", ".*", d["field"] or ""), d["issue"])
                           in DOCUMENT_LOOSER_THAN_THE_MODEL for d in details):
            return None
    if case.path.startswith("/webhooks/"):
        return None  # NEVER_SUCCEEDS
    return positive_data_acceptance(ctx, response, case)


def _body_schema(case) -> str:
    """The name of the operation's request body schema ("" without a body)."""
    body = case.operation.definition.raw.get("requestBody", {})
    return body.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]


# use_after_free is left out: DELETE /clients/{id} archives the client, which stays readable by design.
CHECKS = {"excluded_checks": [positive_data_acceptance, use_after_free], "additional_checks": [contract_error_json,
                                                                                positive_data_accepted]}


def reached(case, response) -> None:
    REACHED.setdefault(f"{case.method.upper()} {case.operation.path}", set()).add(response.status_code)


STRIPE_ENVIRONMENT = {"STRIPE_TEST_WEBHOOK_SECRET": "whsec_fuzz", "STRIPE_TEST_SECRET_KEY": "sk_test_51FuzzKey",
                      "STRIPE_PAYMENT_MODES": "test"}


@pytest.fixture(scope="module")
def fuzz_business(dynamodb, aws_emulation):
    """A sandbox business with clients and invoices in every status, a credit note, two webhook
    endpoints, the webhook's secret set, and Stripe faked (so that the Pay button can succeed)."""
    from fastfaktura import settings as app_settings
    from fastfaktura.payments import checkout
    from fastfaktura.services.business import create_business

    from tests.helpers.factories import make_invoice

    stripe = FakeStripe().start()
    environment = {**STRIPE_ENVIRONMENT, "STRIPE_API_BASE": stripe.base_url}
    previous = {name: os.environ.get(name) for name in [*environment, "STRIPE_TEST_SECRET_KEY_PARAMETER"]}
    os.environ.pop("STRIPE_TEST_SECRET_KEY_PARAMETER", None)
    os.environ.update(environment)
    app_settings.get.cache_clear()
    checkout._client.cache_clear()
    created = create_business("Fuzz SARL", sandbox=True, country="FR", locale="fr")
    bid = created.business.id
    API_KEY.append(created.api_key)
    for status in ("draft", "sent", "opened", "paid", "cancelled"):
        invoice_id, token = make_invoice(bid, status)
        KNOWN["invoices"].append(invoice_id)
        KNOWN["tokens"].append(token)
        KNOWN["clients"].append(make_client_id(bid, invoice_id))
    from fastfaktura.models.credit_notes import CreditNoteCreate
    from fastfaktura.services.credit_notes import issue_credit_note

    part = CreditNoteCreate.model_validate({"reason": "Fuzz", "lines": [
        {"description": "Fuzz", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]})
    note, _corrects = issue_credit_note(bid, KNOWN["invoices"][1], part)
    KNOWN["credit-notes"].append(note.credit_note_id)
    for path, own in OWN_OBJECTS.items():
        own += [new_endpoint(created.api_key) if "webhook" in path else  # drafts to send: never in a resend's cooldown
                make_invoice(bid, "draft" if path.endswith("/send") else "sent")[1 if "{token}" in path else 0]
                for _ in range(3)]
    KNOWN["webhook-endpoints"] += [new_endpoint(created.api_key) for _ in range(2)]
    yield created
    for values in (*KNOWN.values(), *OWN_OBJECTS.values(), API_KEY):
        values.clear()
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    checkout._client.cache_clear()
    stripe.stop()


def new_endpoint(api_key: str) -> str:
    answer = Api(api_key).post("/api/v1/webhook-endpoints", {"url": "http://127.0.0.1:9/fuzz", "events": ["*"]})
    assert answer.status == 201, answer.body
    return answer.json["id"]


def make_client_id(business_id: str, invoice_id: str) -> str:
    from tests.helpers.factories import header

    return header(business_id, invoice_id)["client_id"]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_the_contract(case, fuzz_business):
    reached(case, case.call_and_validate(**CHECKS))


class Workflows(schema.as_state_machine()):
    """Sequences along the document's links, each answer checked as above."""

    def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
        __tracebackhide__ = True
        reached(case, response)
        case.validate_response(response, **CHECKS, transport_kwargs=kwargs or None,
                               recorder=getattr(self, "recorder", None))


def test_workflows_along_the_links_keep_the_contract(fuzz_business):
    Workflows.run(settings=settings(max_examples=WORKFLOWS, stateful_step_count=5, deadline=None,
                                    derandomize=True, database=None, suppress_health_check=list(HealthCheck)))


def test_every_operation_reached_a_success(fuzz_business):
    """Runs after the fuzzing above (the same module, in order): a fuzzer that was only ever refused
    checked the refusals alone."""
    operations = {f"{o.method.upper()} {o.path}" for o in (r.ok() for r in schema.get_all_operations())}
    if not operations <= set(REACHED):
        pytest.skip(f"the fuzzing tests of this module did not all run: {sorted(operations - set(REACHED))}")
    never = {op: sorted(REACHED[op]) for op in operations - set(NEVER_SUCCEEDS)
             if not any(200 <= status < 400 for status in REACHED[op])}
    assert not never, never
