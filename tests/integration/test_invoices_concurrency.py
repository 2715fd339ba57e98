"""Numbering and transitions under real concurrency (threads) against DynamoDB Local.

The threads call the invoice service directly: the HTTP resolver keeps its current event per
container (one request at a time, as in Lambda), so concurrent requests are separate callers here.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import boto3
import pytest
from botocore.config import Config
from fastfaktura.domain.errors import Conflict

from tests.helpers.api import assert_error
from tests.helpers.factories import invoice_body, put_client

BASE_URL = "http://127.0.0.1:3000"


def _run_together(tasks: list) -> list:
    """Runs every task in its own thread, all released at once; answers each result or exception."""
    barrier = threading.Barrier(len(tasks))

    def run(task):
        barrier.wait()
        try:
            return task()
        except Exception as exc:  # the caller inspects which ones failed and how
            return exc

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        return list(pool.map(run, tasks))


def test_50_simultaneous_creates_get_50_distinct_consecutive_numbers(business, monkeypatch):
    from fastfaktura.models.invoices import InvoiceCreate
    from fastfaktura.services import invoices
    from fastfaktura.store import db, keys
    from fastfaktura.store import invoices as store

    # The retry budget and the read timeout guard a Lambda's 10 s; DynamoDB Local on a busy machine is
    # many times slower than DynamoDB (it serializes the 50 transactions on one counter), and this test
    # is about the numbers, not the time they take.
    monkeypatch.setattr(store, "CREATE_BUDGET_SECONDS", 600)
    patient = boto3.client("dynamodb", config=Config(retries={"mode": "standard", "max_attempts": 4},
                                                     read_timeout=120, max_pool_connections=50))
    monkeypatch.setattr(db, "client", lambda: patient)

    bid = business.business.id
    client_id = put_client(bid)
    body = InvoiceCreate.model_validate(invoice_body(client_id))
    results = _run_together([lambda: invoices.create_invoice(bid, body, BASE_URL)] * 50)

    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures[:3]
    assert sorted(r.number for r in results) == [f"F-{n:04d}" for n in range(1, 51)]
    assert len({r.id for r in results}) == 50
    assert db.get(keys.business_pk(bid), keys.INVOICE_COUNTER_SK, consistent=True)["last"] == 50
    listed = invoices.list_invoices(bid, 1, 100, None, None, BASE_URL)
    assert sorted(i.number for i in listed.data) == [f"F-{n:04d}" for n in range(1, 51)]

    # Failed creates, concurrent with good ones, burn nothing: the good ones take 51 and 52.
    archived = put_client(bid, "Archived", archived=True)
    bad = InvoiceCreate.model_validate(invoice_body(archived))
    results = _run_together([lambda: invoices.create_invoice(bid, bad, BASE_URL),
                             lambda: invoices.create_invoice(bid, body, BASE_URL)] * 2)
    assert [type(r) for r in results[0::2]] == [Conflict, Conflict]
    assert sorted(r.number for r in results[1::2]) == ["F-0051", "F-0052"]


@pytest.mark.parametrize("round_", range(5))
def test_racing_cancel_and_mark_paid_never_both_win(business, round_):
    from fastfaktura.models.invoices import InvoiceCreate
    from fastfaktura.services import invoices
    from fastfaktura.store import invoices as store

    bid = business.business.id
    client_id = put_client(bid)
    invoice = invoices.create_invoice(bid, InvoiceCreate.model_validate(invoice_body(client_id)), BASE_URL)
    store.transition(bid, invoice.id, "sent", datetime.now(UTC))

    results = _run_together([lambda: invoices.cancel_invoice(bid, invoice.id, BASE_URL),
                             lambda: invoices.mark_paid(bid, invoice.id, None, BASE_URL)] * 2)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) for r in losers), losers
    final = invoices.get_invoice(bid, invoice.id, BASE_URL)
    assert final.status == winners[0].status in ("cancelled", "paid")
    assert (final.paid_at is None) == (final.status == "cancelled")
    assert (final.cancelled_at is None) == (final.status == "paid")


def test_a_create_that_cannot_get_a_number_within_its_budget_is_503_with_retry_after_and_retries_stay_gapless(
        api, business, monkeypatch):
    from fastfaktura.store import invoices as store

    # A budget far below what racing creates need: the ones that lose the race for a number give up.
    monkeypatch.setattr(store, "CREATE_BUDGET_SECONDS", 0.001)
    client_id = api.post("/api/v1/clients", {"name": "Contended"}).json["id"]
    body = invoice_body(client_id)
    created, busy = [], []
    for _round in range(5):  # until some create has lost: with 12 at once one nearly always does at once
        answers = _run_together([lambda: api.post("/api/v1/invoices", body)] * 12)
        assert all(a.status in (201, 503) for a in answers), [(a.status, a.body[:200]) for a in answers]
        created += [a for a in answers if a.status == 201]
        busy += [a for a in answers if a.status == 503]
        if busy:
            break
    assert busy, "no create ever lost the race for a number"
    for answer in busy:
        assert_error(answer, 503, "internal_error")
        assert int(answer.headers["retry-after"]) >= 1
    # Nothing half-written: exactly the created invoices exist, numbered 1… without a hole.
    numbers = sorted(a.json["number"] for a in created)
    assert numbers == [f"F-{n:04d}" for n in range(1, len(created) + 1)]
    listed = api.get("/api/v1/invoices?per_page=100").json["data"]
    assert sorted(i["number"] for i in listed) == numbers

    # The refused creates, retried one after another as Retry-After says, take the next numbers.
    retried = [api.post("/api/v1/invoices", body) for _ in busy]
    assert [r.status for r in retried] == [201] * len(busy)
    everything = sorted(i["number"] for i in api.get("/api/v1/invoices?per_page=100").json["data"])
    assert everything == [f"F-{n:04d}" for n in range(1, len(created) + len(busy) + 1)]
