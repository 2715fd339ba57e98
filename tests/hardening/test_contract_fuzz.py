"""Contract fuzzing with schemathesis: every operation of the served OpenAPI document, authenticated, called
in-process through the template's routing (tests/helpers/wsgi.py). Every answer must be below 500, have a
documented status, content type, headers and schema, and every error under /api/v1 and /webhooks must be
the contract's error JSON. Path ids are drawn from real objects of the fuzzing business as well as random
ones, so the handlers behind the 404 are reached too.

Bounded for `make test` (FUZZ_EXAMPLES per operation, default 25); `make fuzz` runs many more.
`positive_data_acceptance` is left out on purpose: a schema cannot say that a client_id must name an
existing, non-archived client of this business, nor that an IBAN's checksum must hold, so such valid-looking
bodies rightly get 422."""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from fastfaktura.http.openapi_document import DOCUMENT
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.helpers.wsgi import application

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
ERROR_TYPES = {"invalid_request", "authentication_error", "not_found", "conflict", "payload_too_large",
               "validation_error", "rate_limited", "internal_error", "service_unavailable"}
# Ids of the fuzzing business's own objects, filled by the `fuzz_business` fixture before any case runs.
KNOWN: dict[str, list[str]] = {"clients": [], "invoices": [], "tokens": [], "credit_notes": []}
API_KEY: list[str] = []

schema = schemathesis.openapi.from_path(DOCUMENT)
schema.app = application


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict | None) -> st.SearchStrategy:
    """Half of the ids are the business's real ones (a generated uuid only ever reaches the 404). The
    strategy may be built before the fixture has made them, so the pick happens at draw time."""
    path = context.operation.path
    kind = ("tokens" if "{token}" in path else "clients" if path.startswith("/api/v1/clients/")
            else "credit_notes" if path.startswith("/api/v1/credit-notes/") else "invoices")
    name = "token" if kind == "tokens" else "id"
    if not path_parameters or name not in path_parameters:
        return st.just(path_parameters)

    def pick(n: int) -> dict:
        known = KNOWN[kind]
        return {**path_parameters, name: known[n % len(known)]} if known else path_parameters

    return st.one_of(st.just(path_parameters), st.integers(min_value=0, max_value=999).map(pick))


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


@pytest.fixture(scope="module")
def fuzz_business(dynamodb, aws_emulation):
    """A sandbox business with clients, invoices in every status, a credit note, and the webhook's secret set."""
    from fastfaktura.services.business import create_business

    from tests.helpers.factories import make_invoice

    previous = os.environ.get("STRIPE_TEST_WEBHOOK_SECRET")
    os.environ["STRIPE_TEST_WEBHOOK_SECRET"] = "whsec_fuzz"
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
    KNOWN["credit_notes"].append(note.credit_note_id)
    yield created
    for values in (*KNOWN.values(), API_KEY):
        values.clear()
    if previous is None:
        os.environ.pop("STRIPE_TEST_WEBHOOK_SECRET", None)
    else:
        os.environ["STRIPE_TEST_WEBHOOK_SECRET"] = previous


def make_client_id(business_id: str, invoice_id: str) -> str:
    from tests.helpers.factories import header

    return header(business_id, invoice_id)["client_id"]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_the_contract(case, fuzz_business):
    case.call_and_validate(excluded_checks=[positive_data_acceptance], additional_checks=[contract_error_json])
