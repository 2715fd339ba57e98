"""Invoice rules: the status machine, number format, issue and due dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DRAFT, SENT, OPENED, PAID, OVERDUE, CANCELLED = "draft", "sent", "opened", "paid", "overdue", "cancelled"
STATUSES = (DRAFT, SENT, OPENED, PAID, OVERDUE, CANCELLED)

# target status → the statuses it may be reached from (the contract's "Statuses").
TRANSITIONS: dict[str, frozenset[str]] = {
    SENT: frozenset({DRAFT}),
    OPENED: frozenset({SENT}),
    PAID: frozenset({SENT, OPENED, OVERDUE}),
    OVERDUE: frozenset({SENT, OPENED}),
    CANCELLED: frozenset({DRAFT, SENT, OPENED, OVERDUE}),
}

# The attribute that records when an invoice entered a status (the timeline derives events from it).
STATUS_TIMESTAMP: dict[str, str] = {
    SENT: "sent_at", OPENED: "opened_at", PAID: "paid_at", OVERDUE: "overdue_at", CANCELLED: "cancelled_at",
}

# Invoices waiting for their due date: only these are in the due-date index (the overdue job's).
AWAITING_PAYMENT = frozenset({SENT, OPENED})
# Sent and neither paid nor cancelled: what may be paid (online too) and reminded of.
OUTSTANDING = TRANSITIONS[PAID]

NUMBER_DIGITS = 4


def allowed_from(target: str) -> frozenset[str]:
    return TRANSITIONS[target]


def can_transition(current: str, target: str) -> bool:
    return current in TRANSITIONS.get(target, frozenset())


def format_number(prefix: str, sequence: int) -> str:
    """`F-0001` … `F-9999`, then `F-10000`: zero-padded to 4 digits, never truncated."""
    return f"{prefix}{sequence:0{NUMBER_DIGITS}d}"


def issue_date(now: datetime, timezone: str) -> date:
    """The business's calendar date at `now` (an invoice made at 00:30 in Oslo is dated that day)."""
    return now.astimezone(ZoneInfo(timezone)).date()


def default_due_date(issued: date, payment_terms_days: int) -> date:
    return issued + timedelta(days=payment_terms_days)
