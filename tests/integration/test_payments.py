"""Partial payments through the API against DynamoDB Local: the balance on every answer, the move to
paid, mark-paid as a payment of the whole due, bad input, and racing payments (real threads)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.api import assert_error
from tests.helpers.factories import make_invoice

# 1 × 10000 @ 20 % → total 12000 (EXAMPLE_LINES may differ: the tests read the total from the answer)
LINES = [{"description": "Work", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20}]


def sent_invoice(business, status: str = "sent") -> dict:
    invoice_id, _ = make_invoice(business.business.id, status, lines=LINES)
    return {"id": invoice_id, "total_cents": 12000}


def pay(api, invoice_id: str, **body):
    return api.post(f"/api/v1/invoices/{invoice_id}/payments", {"method": "bank_transfer", **body})


def test_a_partial_payment_then_the_rest(api, business):
    invoice = sent_invoice(business)
    first = pay(api, invoice["id"], amount_cents=5000, reference="VIR-1")
    assert first.status == 201, first.body
    answer = first.json
    assert (answer["amount_paid_cents"], answer["amount_credited_cents"], answer["amount_due_cents"]) == (5000, 0, 7000)
    assert answer["status"] == "sent" and answer["paid_at"] is None
    assert [(p["amount_cents"], p["method"], p["reference"], p["via"]) for p in answer["payments"]] == [
        (5000, "bank_transfer", "VIR-1", "manual")]
    assert answer["credit_notes"] == []
    paid_at = "2026-11-30T09:00:00Z"
    if datetime.fromisoformat(paid_at).date() < datetime.fromisoformat(answer["issue_date"]).date():
        paid_at = None
    rest = pay(api, invoice["id"], amount_cents=7000, method="cash", **({"paid_at": paid_at} if paid_at else {}))
    assert rest.status == 201, rest.body
    paid = rest.json
    assert paid["status"] == "paid" and paid["amount_due_cents"] == 0 and paid["amount_paid_cents"] == 12000
    assert paid["paid_at"] == max(p["paid_at"] for p in paid["payments"])
    listed = api.get("/api/v1/invoices").json["data"][0]
    assert (listed["amount_paid_cents"], listed["amount_due_cents"]) == (12000, 0)


def test_mark_paid_records_a_payment_of_the_whole_due(api, business):
    invoice = sent_invoice(business, "opened")
    pay(api, invoice["id"], amount_cents=2000)
    answer = api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid")
    assert answer.status == 200, answer.body
    assert answer.json["status"] == "paid"
    assert [p["amount_cents"] for p in answer.json["payments"]] == [2000, 10000]
    assert answer.json["amount_due_cents"] == 0


@pytest.mark.parametrize("amount", [0, -5, 12001, 1.5, "100", None])
def test_bad_amounts_are_refused_and_nothing_is_written(api, business, amount):
    invoice = sent_invoice(business)
    assert_error(pay(api, invoice["id"], amount_cents=amount), 422, "validation_error")
    after = api.get(f"/api/v1/invoices/{invoice['id']}").json
    assert after["payments"] == [] and after["amount_due_cents"] == 12000


@pytest.mark.parametrize("body", [{"method": "barter", "amount_cents": 100}, {"amount_cents": 100},
                                  {"amount_cents": 100, "method": "cash", "extra": 1},
                                  {"amount_cents": 100, "method": "cash", "reference": "a\nb"}])
def test_bad_bodies_are_refused(api, business, body):
    invoice = sent_invoice(business)
    assert_error(api.post(f"/api/v1/invoices/{invoice['id']}/payments", body), 422, "validation_error")


@pytest.mark.parametrize("status", ["draft", "paid", "cancelled"])
def test_only_an_outstanding_invoice_takes_a_payment(api, business, status):
    invoice = sent_invoice(business, status)
    assert_error(pay(api, invoice["id"], amount_cents=100), 409, "conflict")


@pytest.mark.parametrize("route", ["payments", "mark-paid"])
@pytest.mark.parametrize("paid_at", ["1970-01-01T00:00:00Z", "future"])
def test_paid_at_between_the_issue_date_and_now(api, business, route, paid_at):
    invoice = sent_invoice(business)
    if paid_at == "future":
        paid_at = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    body = {"paid_at": paid_at, **({"amount_cents": 100, "method": "cash"} if route == "payments" else {})}
    error = assert_error(api.post(f"/api/v1/invoices/{invoice['id']}/{route}", body), 422, "validation_error")
    assert error["details"][0]["field"] == "paid_at"
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json["status"] == "sent"


def test_ten_racing_payments_never_overpay(api, business):
    invoice = sent_invoice(business)
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: pay(api, invoice["id"], amount_cents=3000), range(10)))
    statuses = sorted(a.status for a in answers)
    assert statuses.count(201) == 4, statuses  # 4 × 3000 = 12000; every other one finds too little due
    assert set(statuses) <= {201, 409, 422}
    final = api.get(f"/api/v1/invoices/{invoice['id']}").json
    assert final["amount_paid_cents"] == 12000 == sum(p["amount_cents"] for p in final["payments"])
    assert final["status"] == "paid" and final["amount_due_cents"] == 0


def test_a_payment_costs_three_round_trips(api, business):
    from tests.helpers.aws import dynamodb_calls

    invoice = sent_invoice(business)
    with dynamodb_calls() as calls:
        assert pay(api, invoice["id"], amount_cents=100).status == 201
    operations = [c for c in calls if c not in ("GetItem",)]  # the API key lookup aside
    assert operations.count("TransactWriteItems") == 1
