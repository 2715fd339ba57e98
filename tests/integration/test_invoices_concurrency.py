"""Numbering and transitions under real concurrency (threads) against DynamoDB Local.

The threads call the invoice service directly: the HTTP resolver keeps its current event per
container (one request at a time, as in Lambda), so concurrent requests are separate callers here.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

import boto3
import pytest
from botocore.config import Config
from fastfaktura.domain.errors import Conflict

from tests.helpers.api import assert_error
from tests.helpers.aws import dynamodb_calls
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


@pytest.fixture
def patient_client(monkeypatch):
    """DynamoDB Local on a busy 2-core machine is many times slower than DynamoDB (it applies the 200
    claims on one counter one after the other): a read timeout for that, and a pool for 50 callers."""
    from fastfaktura.store import db

    patient = boto3.client("dynamodb", config=Config(retries={"mode": "standard", "max_attempts": 4},
                                                     read_timeout=120, max_pool_connections=100))
    monkeypatch.setattr(db, "client", lambda: patient)
    return patient


def _callers(business_id: str, callers: int, creates: int) -> tuple[list, list[float]]:
    """`callers` threads, released together, each creating `creates` invoices one after the other;
    answers every result (or exception) and every create's duration in seconds."""
    from fastfaktura.models.invoices import InvoiceCreate
    from fastfaktura.services import invoices

    body = InvoiceCreate.model_validate(invoice_body(put_client(business_id)))
    durations: list[float] = []

    def caller():
        results = []
        for _ in range(creates):
            started = time.monotonic()
            try:
                results.append(invoices.create_invoice(business_id, body, BASE_URL))
            except Exception as exc:  # the test reports which ones failed and how
                results.append(exc)
            durations.append(time.monotonic() - started)
        return results

    batches = _run_together([caller] * callers)
    return [result for batch in batches for result in batch], durations


def _assert_gapless(business_id: str, results: list, count: int) -> None:
    from fastfaktura.services import invoices
    from fastfaktura.store import db, keys

    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures[:3]
    assert sorted(int(r.number.removeprefix("F-")) for r in results) == list(range(1, count + 1))
    assert len({r.id for r in results}) == count
    assert db.get(keys.business_pk(business_id), keys.INVOICE_COUNTER_SK, consistent=True)["last"] == count
    listed = [i.number for page in (1, 2) for i in invoices.list_invoices(business_id, page, 100, None, None,
                                                                              BASE_URL).data]
    # Newest first is number order, highest first.
    assert listed == [f"F-{n:04d}" for n in range(count, 0, -1)]


def test_50_callers_creating_4_invoices_each_get_1_to_200_without_retries(business, patient_client):
    bid = business.business.id
    with dynamodb_calls() as calls:
        results, durations = _callers(bid, 50, 4)
    _assert_gapless(bid, results, 200)
    # No create lost a race and tried again: each made its four round trips, once.
    assert calls.count("UpdateItem") == 200 and calls.count("BatchGetItem") == 200
    assert calls.count("TransactWriteItems") == 400 + 1  # + the client's own create (with its search postings)
    durations.sort()
    print(f"create latency p50 {durations[99]:.2f} s, p99 {durations[197]:.2f} s, max {durations[-1]:.2f} s")


def test_numbering_stays_gapless_while_another_business_is_hammered(business, patient_client):
    from fastfaktura.services.business import create_business

    other = create_business("Hammer AS", sandbox=True, country="NO", locale="nb").business.id
    bid = business.business.id
    with ThreadPoolExecutor(max_workers=2) as pool:
        hammered = pool.submit(_callers, other, 30, 4)
        mine = pool.submit(_callers, bid, 50, 4)
        results, _ = mine.result()
        other_results, _ = hammered.result()
    _assert_gapless(bid, results, 200)
    _assert_gapless(other, other_results, 120)


def test_failed_creates_concurrent_with_good_ones_burn_no_number(business, patient_client):
    from fastfaktura.models.invoices import InvoiceCreate
    from fastfaktura.services import invoices

    bid = business.business.id
    body = InvoiceCreate.model_validate(invoice_body(put_client(bid)))
    bad = InvoiceCreate.model_validate(invoice_body(put_client(bid, "Archived", archived=True)))
    results = _run_together([lambda: invoices.create_invoice(bid, bad, BASE_URL),
                             lambda: invoices.create_invoice(bid, body, BASE_URL)] * 4)
    assert [type(r) for r in results[0::2]] == [Conflict] * 4
    assert sorted(r.number for r in results[1::2]) == ["F-0001", "F-0002", "F-0003", "F-0004"]


@pytest.mark.parametrize("round_", range(5))
def test_racing_cancel_and_mark_paid_never_both_win(business, round_):
    from fastfaktura.models.invoices import InvoiceCreate
    from fastfaktura.services import balance, invoices
    from fastfaktura.store import invoices as store

    bid = business.business.id
    client_id = put_client(bid)
    invoice = invoices.create_invoice(bid, InvoiceCreate.model_validate(invoice_body(client_id)), BASE_URL)
    store.transition(bid, invoice.id, "sent", datetime.now(UTC))

    results = _run_together([lambda: invoices.cancel_invoice(bid, invoice.id, BASE_URL),
                             lambda: balance.mark_paid(bid, invoice.id, None, BASE_URL, "key")] * 2)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) for r in losers), losers
    final = invoices.get_invoice(bid, invoice.id, BASE_URL)
    assert final.status == winners[0].status in ("cancelled", "paid")
    assert (final.paid_at is None) == (final.status == "cancelled")
    assert (final.cancelled_at is None) == (final.status == "paid")


class FunctionDied(BaseException):
    """The function's container stopped here (a timeout, an out-of-memory kill): no code of the app
    catches it, as none would run after a real kill."""


WRITES = ("TransactWriteItems", "UpdateItem", "PutItem", "DeleteItem", "BatchWriteItem")


@contextmanager
def dying_at_write(client, index: int, after: bool):
    """The create dies at its `index`-th write (0-based): before the request leaves, or (`after`) once
    the table applied it and before the function sees the answer."""
    seen = []

    def on_write(model, **_):
        if model.name in WRITES:
            seen.append(model.name)
            if len(seen) == index + 1:
                raise FunctionDied(f"died {'after' if after else 'before'} write {index} ({model.name})")

    event = "after-call.dynamodb" if after else "before-call.dynamodb"
    client.meta.events.register(event, on_write, unique_id="dying")
    try:
        yield seen
    finally:
        client.meta.events.unregister(event, unique_id="dying")


def _counter_record(business_id: str) -> dict:
    """The stream record of the counter's last change, as the table's stream carries it (its new image)."""
    from fastfaktura.store import db, keys

    item = db.client().get_item(TableName=db.table_name(), ConsistentRead=True,
                                Key=db.key(keys.business_pk(business_id), keys.INVOICE_COUNTER_SK)).get("Item")
    return {"eventName": "MODIFY", "dynamodb": {"Keys": {"SK": item["SK"]}, "NewImage": item}} if item else {}


def _numbered_invoices(business_id: str) -> dict[int, str]:
    """Every numbered invoice item of the business, read from its index: sequence → invoice id."""
    from fastfaktura.store import invoices as store
    from fastfaktura.store.pages import PageRequest

    found, page = store.list_page(business_id, PageRequest(per_page=100))
    assert not page.has_more
    return {invoice.sequence: invoice.invoice_id for invoice in found}


@pytest.mark.parametrize("after", [False, True], ids=["before", "after"])
@pytest.mark.parametrize("write", range(3))  # stage, claim, finish
def test_a_create_killed_at_any_write_leaves_no_number_without_its_invoice(business, write, after):
    from fastfaktura.models.invoices import InvoiceCreate
    from fastfaktura.services import invoices, numbering
    from fastfaktura.store import db, keys

    bid = business.business.id
    body = InvoiceCreate.model_validate(invoice_body(put_client(bid)))
    assert invoices.create_invoice(bid, body, BASE_URL).number == "F-0001"
    with dying_at_write(db.client(), write, after) as seen, pytest.raises(FunctionDied):
        invoices.create_invoice(bid, body, BASE_URL)
    assert len(seen) == write + 1

    counter = db.get(keys.business_pk(bid), keys.INVOICE_COUNTER_SK, consistent=True)
    claimed = counter["last"]
    numbered = _numbered_invoices(bid)
    # A number was claimed only if the claim reached the table; it names a staged invoice.
    assert claimed == (2 if write > 1 or (write == 1 and after) else 1)
    assert set(numbered) <= set(range(1, claimed + 1))
    if claimed == 2:
        staged = db.get(counter["claim_pk"], keys.PENDING_SK, consistent=True)
        assert staged is not None and staged["document"]["client_id"] == body.client_id.__str__()

    # The stream's repair fills the claimed number; a second delivery of the record changes nothing.
    repaired = numbering.repair_claim(_counter_record(bid))
    assert repaired == (claimed == 2 and 2 not in numbered)
    assert numbering.repair_claim(_counter_record(bid)) is False
    numbered = _numbered_invoices(bid)
    assert sorted(numbered) == list(range(1, claimed + 1))
    if claimed == 2:
        repaired_invoice = invoices.get_invoice(bid, numbered[2], BASE_URL)
        assert repaired_invoice.number == "F-0002" and len(repaired_invoice.lines) == 1
        assert repaired_invoice.total_cents == 12000
    # The next create continues the sequence without a gap.
    assert invoices.create_invoice(bid, body, BASE_URL).number == f"F-{claimed + 1:04d}"
    assert sorted(_numbered_invoices(bid)) == list(range(1, claimed + 2))


def test_a_repair_racing_its_own_create_is_harmless(business):
    """The stream may deliver the claim while its create is still finishing: both write the same
    invoice with the same number, and neither fails."""
    from fastfaktura.models.invoices import InvoiceCreate
    from fastfaktura.services import invoices, numbering
    from fastfaktura.store import db

    bid = business.business.id
    body = InvoiceCreate.model_validate(invoice_body(put_client(bid)))
    finishes = []

    def repair_first(model, **_):
        if model.name == "TransactWriteItems":
            finishes.append(model.name)
            if len(finishes) == 2:  # the create's finish is about to be sent: the repair gets there first
                assert numbering.repair_claim(_counter_record(bid)) is True

    db.client().meta.events.register("before-call.dynamodb", repair_first, unique_id="repair-first")
    try:
        invoice = invoices.create_invoice(bid, body, BASE_URL)
    finally:
        db.client().meta.events.unregister("before-call.dynamodb", repair_first, unique_id="repair-first")
    assert invoice.number == "F-0001"
    assert invoices.get_invoice(bid, invoice.id, BASE_URL).number == "F-0001"


# What is left of contention for a create: the staging transaction checks the client item, and DynamoDB
# cancels it (TransactionConflict) when another transaction touches that item at the same moment. The
# claim is one unconditional UpdateItem and cannot lose a race (test_50_callers… above: 200 racing
# creates, no retry). DynamoDB Local applies transactions one after the other and never cancels one for
# a conflict, so the table's answer to that moment is injected at the HTTP level of the real client.
def _conflicted_create(api, times):
    from fastfaktura.store import db

    from tests.helpers.faults import Failing, transaction_conflict

    client_id = api.post("/api/v1/clients", {"name": "Contended"}).json["id"]
    body = invoice_body(client_id)
    with Failing(db.client(), "TransactWriteItems", lambda: transaction_conflict(3), times=times) as fault, \
            dynamodb_calls() as calls:
        answer = api.post("/api/v1/invoices", body)
    return answer, fault, calls, body


def test_a_create_whose_stage_meets_a_concurrent_transaction_every_time_is_503_and_claims_no_number(api, business):
    from fastfaktura.store import db, keys, sequences

    answer, fault, calls, body = _conflicted_create(api, times=None)
    assert_error(answer, 503, "service_unavailable")
    assert answer.headers["retry-after"] == "1"
    assert fault.attempts == fault.failed == sequences.STAGE_ATTEMPTS  # retried with backoff, then given up
    assert calls.count("UpdateItem") == 0  # no claim: no number used up
    assert db.get(keys.business_pk(business.business.id), keys.INVOICE_COUNTER_SK, consistent=True) is None
    assert api.get("/api/v1/invoices").json["data"] == []
    # The same request, sent again after Retry-After, takes the first number.
    assert api.post("/api/v1/invoices", body).json["number"] == "F-0001"


def test_a_create_whose_stage_meets_conflicts_within_its_attempts_is_201_with_the_next_number(api, business):
    from fastfaktura.store import sequences

    api.post("/api/v1/invoices", invoice_body(api.post("/api/v1/clients", {"name": "First"}).json["id"]))
    answer, fault, calls, _ = _conflicted_create(api, times=sequences.STAGE_ATTEMPTS - 1)
    assert answer.status == 201, answer.body
    assert answer.json["number"] == "F-0002"
    assert fault.failed == sequences.STAGE_ATTEMPTS - 1
    assert fault.attempts == sequences.STAGE_ATTEMPTS + 1  # the stage's last attempt went through, then the finish
    assert calls.count("UpdateItem") == 1  # one claim
    assert [i["number"] for i in api.get("/api/v1/invoices").json["data"]] == ["F-0002", "F-0001"]
