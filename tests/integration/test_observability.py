"""Logs are Powertools JSON lines whose correlation id is the API Gateway request id (the `request_id` of
the error JSON), and an API key never appears in them, not even when a request fails with a traceback."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest

from tests.helpers.api import assert_error
from tests.helpers.logs import captured_logs


@contextmanager
def dynamodb_failing():
    """Every DynamoDB call of the store's client fails, as an unexpected bug would."""
    from fastfaktura.store import db

    def fail(**_kwargs):
        raise RuntimeError("injected failure")

    events = db.client().meta.events
    events.register("before-call.dynamodb.*", fail, unique_id="observability-test")
    try:
        yield
    finally:
        events.unregister("before-call.dynamodb.*", unique_id="observability-test")


@pytest.mark.parametrize("scheme", ["x-api-key", "bearer"])
def test_a_failing_request_logs_json_with_the_request_id_and_never_the_key(api, business, monkeypatch, scheme):
    monkeypatch.setenv("POWERTOOLS_LOGGER_LOG_EVENT", "true")  # the template says false; even so
    key = business.api_key
    headers = {"x-api-key": key} if scheme == "x-api-key" else {"authorization": f"Bearer {key}"}
    assert api.get("/api/v1/business", key=None, headers=headers).status == 200  # the key is now cached

    mistyped = key[:-1] + ("A" if key[-1] != "A" else "B")
    with captured_logs() as logs:
        with dynamodb_failing():
            answer = api.get("/api/v1/business", key=None, headers=headers)
            lookup_failed = api.get("/api/v1/business", key=mistyped)  # not cached: its lookup fails
        bad_key = api.get("/api/v1/business", key=mistyped)

    error = assert_error(answer, 500, "internal_error")
    assert "injected" not in answer.body.decode()  # no internals in the answer
    assert_error(lookup_failed, 500, "internal_error")  # the contract's JSON, not API Gateway's bare 500
    assert_error(bad_key, 401, "authentication_error")
    lines = [json.loads(line) for line in logs.getvalue().splitlines() if line.strip()]
    failure = next(line for line in lines if line["level"] == "ERROR")
    assert failure["correlation_id"] == error["request_id"]
    assert failure["service"] == "fastfaktura"
    assert "injected failure" in failure["exception"]  # the traceback is in the logs, not in the answer
    text = logs.getvalue()
    assert key not in text and key[len("ffk_test_"):] not in text
    assert key[len("ffk_test_"):-1] not in text  # nor the mistyped key of the 401


def emf_counts(printed: str) -> dict[str, float]:
    """The business metrics of every EMF document the handlers printed, summed by name."""
    totals: dict[str, float] = {}
    for line in printed.splitlines():
        document = json.loads(line) if line.startswith("{") else {}
        for definition in document.get("_aws", {}).get("CloudWatchMetrics", []):
            assert definition["Namespace"] == "FastFaktura"
            for metric in definition["Metrics"]:
                assert metric["Unit"] == "Count"
                values = document[metric["Name"]]
                totals[metric["Name"]] = totals.get(metric["Name"], 0) + sum(values if isinstance(values, list)
                                                                            else [values])
    return totals


def test_a_full_flow_with_metrics_on_prints_emf_for_invoices_created_deliveries_and_payments(
        api, business, aws_emulation, monkeypatch, capsys):
    from fastfaktura import observability, settings

    from tests.helpers.factories import post_client, post_invoice, unique_email, unique_phone
    from tests.helpers.fake_stripe import signature_header

    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")  # as deployed: every other test turns them off
    monkeypatch.setenv("STRIPE_TEST_WEBHOOK_SECRET", "whsec_metrics")
    settings.get.cache_clear()
    observability.metrics.clear_metrics()
    capsys.readouterr()
    client = post_client(api, email=unique_email(), phone=unique_phone())
    manual, stripe = (post_invoice(api, client["id"]) for _ in range(2))
    assert api.post(f"/api/v1/invoices/{manual['id']}/send", {"channels": ["email", "sms", "link"]}).status == 200
    assert api.post(f"/api/v1/invoices/{manual['id']}/send", {"channels": ["email"], "reminder": True}).status == 200
    assert api.post(f"/api/v1/invoices/{manual['id']}/mark-paid").status == 200
    assert api.post(f"/api/v1/invoices/{stripe['id']}/send", {"channels": ["link"]}).status == 200
    event = json.dumps({
        "id": "evt_metrics_1", "object": "event", "type": "checkout.session.completed", "livemode": False,
        "data": {"object": {
            "id": "cs_test_metrics", "object": "checkout.session", "mode": "payment", "payment_status": "paid",
            "status": "complete", "client_reference_id": stripe["id"], "amount_total": stripe["total_cents"],
            "currency": stripe["currency"].lower(), "payment_intent": "pi_test_metrics",
            "metadata": {"invoice_id": stripe["id"], "business_id": business.business.id}}}}).encode()
    paid = api.post("/webhooks/stripe", key=None, raw=event, headers={
        "content-type": "application/json", "stripe-signature": signature_header(event, "whsec_metrics")})
    assert paid.status == 200 and paid.json["outcome"] == "paid", paid.body

    # A sandbox business: its email and SMS are simulated, and counted as such.
    assert emf_counts(capsys.readouterr().out) == {
        "InvoicesCreated": 2, "InvoicesSimulatedEmail": 1, "InvoicesSimulatedSms": 1, "InvoicesSimulatedLink": 2,
        "RemindersSimulatedEmail": 1, "InvoicesPaidManual": 1, "InvoicesPaidStripe": 1,
        "PaymentsRecorded": 2}
