"""The invoice's balance, without any AWS: credits per group, payments, what is due, and the stream's
payment and credit events. Property tests: credits + payments + due = total, per group and in total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fastfaktura.domain import balance, money
from fastfaktura.domain.errors import Conflict, ValidationFailed
from fastfaktura.store import keys
from fastfaktura.timeline.derive import events_of_change
from hypothesis import assume, given
from hypothesis import strategies as st


@dataclass(frozen=True)
class Line:
    quantity: Decimal
    unit_price_cents: int
    tax_rate: Decimal


RATES = [Decimal(0), Decimal("5.5"), Decimal(20), Decimal(25)]
lines = st.lists(st.builds(Line, st.decimals(min_value=Decimal("0.001"), max_value=Decimal(50), places=3),
                           st.integers(1, 10**6), st.sampled_from(RATES)), min_size=1, max_size=8)


@dataclass(frozen=True)
class CategorisedLine(Line):
    vat_category: str


def test_the_group_key_is_the_category_and_the_normalized_rate():
    assert balance.group_key(Line(Decimal(1), 1, Decimal("20.00"))) == balance.group_key(Line(Decimal(1), 1,
                                                                                              Decimal(20))) == "S 20"
    assert balance.group_key(Line(Decimal(1), 1, Decimal(0))) == "Z 0"
    assert balance.group_key(CategorisedLine(Decimal(1), 1, Decimal(0), "AE")) == "AE 0"


def test_a_category_not_on_the_invoice_is_refused_at_a_rate_that_is():
    groups = balance.groups_of(money.compute([Line(Decimal(1), 100, Decimal(0))]).tax_breakdown)  # Z 0
    with pytest.raises(ValidationFailed) as refused:
        balance.credit_of([CategorisedLine(Decimal(1), 1, Decimal(0), "AE")], groups, {})
    assert refused.value.details[0]["field"] == "lines.0.tax_rate"


def test_a_credit_that_exhausts_a_group_takes_exactly_the_tax_that_remains():
    # 3 cents at 50 %: tax 1.5 → 2; three credits of 1 cent each would round to 1 + 1 + 1 = 3 > 2.
    groups = balance.groups_of(money.compute([Line(Decimal(3), 1, Decimal(50))]).tax_breakdown)
    credited: dict[str, balance.GroupAmount] = {}
    for _ in range(3):
        credit, _totals = balance.credit_of([Line(Decimal(1), 1, Decimal(50))], groups, credited)
        credited = {k: credited.get(k, balance.GroupAmount(0, 0)).plus(v) for k, v in credit.groups.items()}
    assert credited["S 50"] == groups["S 50"] == balance.GroupAmount(3, 2)
    with pytest.raises(ValidationFailed):
        balance.credit_of([Line(Decimal(1), 1, Decimal(50))], groups, credited)


def test_a_rate_not_on_the_invoice_is_refused():
    groups = balance.groups_of(money.compute([Line(Decimal(1), 100, Decimal(20))]).tax_breakdown)
    with pytest.raises(ValidationFailed) as refused:
        balance.credit_of([Line(Decimal(1), 1, Decimal(10))], groups, {})
    assert refused.value.details[0]["field"] == "lines.0.tax_rate"


@pytest.mark.parametrize(("status", "due", "paid", "after"), [
    ("sent", 0, 100, "paid"), ("overdue", 0, 0, "cancelled"), ("opened", 5, 100, "opened"), ("paid", 0, 0, "paid")])
def test_status_after(status, due, paid, after):
    assert balance.status_after(status, due, paid) == after


def test_payment_checks():
    with pytest.raises(Conflict):
        balance.check_payment("draft", "F-1", 1, 100)
    with pytest.raises(ValidationFailed):
        balance.check_payment("sent", "F-1", 101, 100)
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    balance.check_paid_at(datetime(2026, 11, 30, 11, tzinfo=UTC), date(2026, 12, 1), now)  # 1 Dec in UTC+14
    for bad in (datetime(1970, 1, 1, tzinfo=UTC), now + timedelta(minutes=6)):
        with pytest.raises(ValidationFailed):
            balance.check_paid_at(bad, date(2026, 12, 1), now)


@given(lines, st.lists(st.tuples(st.booleans(), st.integers(1, 10**6), st.integers(0, 3)), max_size=12))
def test_credits_plus_payments_plus_due_is_the_total(invoice_lines, operations):
    totals = money.compute(invoice_lines)
    assume(totals.total_cents > 0 and all(g.taxable_cents > 0 for g in totals.tax_breakdown))
    groups = balance.groups_of(totals.tax_breakdown)
    credited: dict[str, balance.GroupAmount] = {}
    credited_cents = paid = 0
    for is_credit, amount, group_index in operations:
        due = balance.amount_due(totals.total_cents, credited_cents, paid)
        if due == 0:
            break
        if is_credit:
            rate = totals.tax_breakdown[group_index % len(totals.tax_breakdown)].tax_rate
            left = balance.remaining(groups, credited)[balance.group_key(Line(Decimal(1), 1, rate))]
            taxable = min(amount, left.taxable_cents)
            if taxable <= 0:
                continue
            credit, _totals = balance.credit_of([Line(Decimal(1), taxable, rate)], groups, credited)
            if credit.total_cents > due:  # a credit beyond what is due would be owed back: not this property
                continue
            credited = {**credited, **{k: credited.get(k, balance.GroupAmount(0, 0)).plus(v)
                                       for k, v in credit.groups.items()}}
            credited_cents += credit.total_cents
        else:
            paid += min(amount, due)
    due = balance.amount_due(totals.total_cents, credited_cents, paid)
    assert credited_cents + paid + due == totals.total_cents
    assert credited_cents == sum(g.total_cents for g in credited.values())
    for key, group in groups.items():  # per group: credited + what remains to credit = the group
        left = balance.remaining(groups, credited)[key]
        assert credited.get(key, balance.GroupAmount(0, 0)).plus(left) == group
        assert left.taxable_cents >= 0 and left.tax_cents >= 0


@given(lines, st.lists(st.integers(1, 10**7), max_size=6))
def test_partial_credits_then_a_full_credit_add_up_to_the_invoice(invoice_lines, parts):
    totals = money.compute(invoice_lines)
    assume(all(g.taxable_cents > 0 for g in totals.tax_breakdown))
    groups = balance.groups_of(totals.tax_breakdown)
    credited: dict[str, balance.GroupAmount] = {}
    total = 0
    for index, amount in enumerate(parts):
        entry = totals.tax_breakdown[index % len(totals.tax_breakdown)]
        left = balance.remaining(groups, credited)[balance.group_key(entry)]
        if left.taxable_cents <= 0:
            continue
        credit, _ = balance.credit_of([Line(Decimal(1), min(amount, left.taxable_cents), entry.tax_rate)], groups,
                                      credited)
        credited = {**credited, **{k: credited.get(k, balance.GroupAmount(0, 0)).plus(v)
                                   for k, v in credit.groups.items()}}
        total += credit.total_cents
    left = balance.remaining(groups, credited)
    if any(g.taxable_cents or g.tax_cents for g in left.values()):
        total += balance.full_credit(left).total_cents
    assert total == totals.total_cents


# --- the stream's events -------------------------------------------------------------------------------

BID, IID = "0195a1b2-0000-7000-8000-000000000001", "0195a1b2-0000-7000-8000-000000000002"
PK = keys.invoice_pk(BID, IID)


def test_a_payment_that_leaves_something_due_is_payment_received_the_last_one_is_not():
    payment = {"PK": PK, "SK": keys.payment_sk("p1"), "payment_id": "p1", "amount_cents": 100, "method": "cash",
               "via": "manual", "due_after_cents": 50, "paid_at": "2026-12-01T08:00:00Z",
               "created_at": "2026-12-01T08:00:01Z"}
    [found] = events_of_change("INSERT", {}, payment)
    assert found.event.type == "payment_received" and found.event.data["amount_cents"] == 100
    assert events_of_change("INSERT", {}, payment)[0].event.id == found.event.id
    assert events_of_change("INSERT", {}, {**payment, "due_after_cents": 0}) == []


def test_a_credit_note_is_credited():
    note = {"PK": PK, "SK": keys.credit_note_ref_sk("c1"), "credit_note_id": "c1", "number": "AV-0001",
            "total_cents": 600, "reason": "Retour", "created_at": "2026-12-01T08:00:00Z"}
    [found] = events_of_change("INSERT", {}, note)
    assert found.event.type == "credited"
    assert found.event.data == {"credit_note_id": "c1", "number": "AV-0001", "total_cents": 600, "reason": "Retour"}
    assert events_of_change("MODIFY", note, {**note, "refund": {"status": "succeeded"}}) == []


def test_payments_and_credit_notes_are_webhook_events_once_under_redelivery():
    from fastfaktura.webhooks.events import webhook_events_of_change

    payment = {"PK": PK, "SK": keys.payment_sk("p1"), "payment_id": "p1", "amount_cents": 100, "method": "cash",
               "via": "manual", "due_after_cents": 50, "paid_at": "2026-12-01T08:00:00Z",
               "created_at": "2026-12-01T08:00:01Z"}
    [received] = webhook_events_of_change("INSERT", {}, payment)
    assert (received.type, received.resource.kind, received.resource.id) == ("invoice.payment_received",
                                                                              "invoice", IID)
    note = {"PK": PK, "SK": keys.credit_note_ref_sk("c1"), "credit_note_id": "c1", "number": "AV-0001",
            "total_cents": 600, "reason": "Retour", "created_at": "2026-12-01T08:00:00Z"}
    found = webhook_events_of_change("INSERT", {}, note)
    assert [(e.type, e.resource.kind, e.resource.id) for e in found] == [
        ("invoice.credited", "invoice", IID), ("credit_note.created", "credit_note", "c1")]
    again = webhook_events_of_change("INSERT", {}, note) + webhook_events_of_change("INSERT", {}, payment)
    assert [e.id for e in again] == [e.id for e in [*found, received]]  # the same ids: one event each
    assert len({e.id for e in [*found, received]}) == 3
    # The numbered credit note itself (its own partition) is no event: its reference is.
    numbered = {"PK": keys.credit_note_pk(BID, "c1"), "SK": keys.CREDIT_NOTE_SK, "credit_note_id": "c1"}
    assert webhook_events_of_change("INSERT", {}, numbered) == []
