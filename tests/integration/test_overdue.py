"""The overdue job against DynamoDB Local: the due-date index (no Scan), the business's time zone at
the edge of midnight, safe to run twice, and the scheduled function as the template runs it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastfaktura.services.business import create_business
from fastfaktura.services.overdue import mark_overdue_invoices

from tests.helpers.api import Api

# A due date no other test uses, so the job's counts are this test's own (the index spans businesses).
DUE = "1999-12-31"
# 23:30 UTC on the due day: already 00:30 on 1 January in Oslo, still 31 December in UTC.
BEFORE_UTC_MIDNIGHT = datetime(1999, 12, 31, 23, 30, tzinfo=UTC)
AFTER_UTC_MIDNIGHT = datetime(2000, 1, 1, 0, 0, 1, tzinfo=UTC)


def business_in(timezone: str) -> Api:
    api = Api(create_business(f"Business in {timezone}", sandbox=True).api_key)
    assert api.put("/api/v1/business", {"timezone": timezone}).status == 200
    return api


def sent_invoice(api: Api, due_date: str = DUE) -> str:
    client = api.post("/api/v1/clients", {"name": "Kari Nordmann"}).json
    invoice = api.post("/api/v1/invoices", {
        "client_id": client["id"], "currency": "NOK", "due_date": due_date,
        "lines": [{"description": "Arbeid", "quantity": 1, "unit_price_cents": 100000, "tax_rate": 25}]}).json
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"]}).status == 200
    return invoice["id"]


def status(api: Api, invoice_id: str) -> str:
    return api.get(f"/api/v1/invoices/{invoice_id}").json["status"]


def test_due_today_in_oslo_is_overdue_there_before_it_is_in_utc(dynamodb, count_calls):
    oslo, utc = business_in("Europe/Oslo"), business_in("UTC")
    oslo_invoice, utc_invoice = sent_invoice(oslo), sent_invoice(utc)
    count_calls.clear()

    assert mark_overdue_invoices(BEFORE_UTC_MIDNIGHT) == {"checked": 2, "marked": 1}
    assert "Scan" not in count_calls and count_calls.count("Query") == 8  # one per GSI5 shard
    assert status(oslo, oslo_invoice) == "overdue"
    assert status(utc, utc_invoice) == "sent"
    # Run twice: the Oslo invoice left the index, the UTC one is still not due.
    assert mark_overdue_invoices(BEFORE_UTC_MIDNIGHT) == {"checked": 1, "marked": 0}

    assert mark_overdue_invoices(AFTER_UTC_MIDNIGHT) == {"checked": 1, "marked": 1}
    assert status(utc, utc_invoice) == "overdue"
    assert mark_overdue_invoices(AFTER_UTC_MIDNIGHT) == {"checked": 0, "marked": 0}
    invoice = utc.get(f"/api/v1/invoices/{utc_invoice}").json
    assert invoice["overdue_at"] == "2000-01-01T00:00:01.000000Z"


def test_drafts_paid_and_cancelled_invoices_are_never_marked(dynamodb):
    api = business_in("Europe/Paris")
    client = api.post("/api/v1/clients", {"name": "Draft Client"}).json
    draft = api.post("/api/v1/invoices", {
        "client_id": client["id"], "currency": "EUR", "due_date": "1999-12-30",
        "lines": [{"description": "x", "quantity": 1, "unit_price_cents": 100, "tax_rate": 0}]}).json["id"]
    paid, cancelled = sent_invoice(api, "1999-12-30"), sent_invoice(api, "1999-12-30")
    api.post(f"/api/v1/invoices/{paid}/mark-paid")
    api.post(f"/api/v1/invoices/{cancelled}/cancel")
    mark_overdue_invoices(AFTER_UTC_MIDNIGHT)
    assert [status(api, i) for i in (draft, paid, cancelled)] == ["draft", "paid", "cancelled"]


def test_opened_invoices_become_overdue_too(dynamodb):
    from fastfaktura.store import invoices as store

    api = business_in("Europe/Stockholm")
    invoice_id = sent_invoice(api, "1999-12-29")
    business_id = api.get("/api/v1/business").json["id"]
    store.transition(business_id, invoice_id, "opened", datetime.now(UTC))
    mark_overdue_invoices(AFTER_UTC_MIDNIGHT)
    assert status(api, invoice_id) == "overdue"


def test_the_scheduled_function_runs_as_the_template_says(dynamodb):
    from fastfaktura.devstack.runtime import invoke
    from fastfaktura.tools.template import functions

    schedule_event = {"version": "0", "id": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler",
                      "account": "000000000000", "time": "2026-11-24T10:05:00Z", "region": "eu-west-1",
                      "resources": [], "detail": {}}
    summary = invoke(functions()["OverdueFunction"], schedule_event)
    assert set(summary) == {"checked", "marked", "abandoned_numbered"}
    assert invoke(functions()["OverdueFunction"], schedule_event)["marked"] == 0
