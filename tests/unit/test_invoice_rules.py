"""The invoice status machine, number format and dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastfaktura.domain import invoices as rules


@pytest.mark.parametrize(("current", "target", "allowed"), [
    ("draft", "sent", True),
    ("sent", "opened", True),
    ("sent", "paid", True), ("opened", "paid", True), ("overdue", "paid", True),
    ("draft", "paid", False), ("cancelled", "paid", False), ("paid", "paid", False),
    ("sent", "overdue", True), ("opened", "overdue", True), ("draft", "overdue", False), ("paid", "overdue", False),
    ("draft", "cancelled", True), ("sent", "cancelled", True), ("opened", "cancelled", True),
    ("overdue", "cancelled", True), ("paid", "cancelled", False), ("cancelled", "cancelled", False),
    ("paid", "sent", False), ("cancelled", "sent", False), ("opened", "sent", False),
    ("draft", "draft", False),
])
def test_transitions(current, target, allowed):
    assert rules.can_transition(current, target) is allowed


def test_every_target_records_its_time():
    assert set(rules.TRANSITIONS) == set(rules.STATUS_TIMESTAMP)
    assert all(source in rules.STATUSES for sources in rules.TRANSITIONS.values() for source in sources)


@pytest.mark.parametrize(("prefix", "sequence", "number"), [
    ("F-", 1, "F-0001"), ("F-", 42, "F-0042"), ("F-", 9999, "F-9999"), ("F-", 10000, "F-10000"),
    ("INV/2026/", 7, "INV/2026/0007"), ("", 12, "0012"),
])
def test_number_format(prefix, sequence, number):
    assert rules.format_number(prefix, sequence) == number


def test_issue_date_is_the_businesss_calendar_date():
    now = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert rules.issue_date(now, "Europe/Paris") == date(2026, 11, 25)
    assert rules.issue_date(now, "America/New_York") == date(2026, 11, 24)
    assert rules.issue_date(datetime(2026, 11, 24, 10, 30, tzinfo=UTC), "Pacific/Kiritimati") == date(2026, 11, 25)


def test_default_due_date_adds_the_payment_terms():
    assert rules.default_due_date(date(2026, 12, 20), 30) == date(2027, 1, 19)
    assert rules.default_due_date(date(2026, 12, 20), 0) == date(2026, 12, 20)
