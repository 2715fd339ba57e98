"""Payments of an invoice: `POST /invoices/{id}/payments`, mark-paid (a payment of the whole due) and a
Stripe payment (its own amount). Each is decided on the invoice as read and written on condition that
it has not changed since; when it has (another payment, a credit note), it is decided again."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from fastfaktura.domain import balance
from fastfaktura.domain import invoices as rules
from fastfaktura.domain.errors import ServiceUnavailable
from fastfaktura.domain.ids import id_or_not_found, new_id
from fastfaktura.models.balance import PaymentCreate
from fastfaktura.models.common import utcnow
from fastfaktura.models.invoices import Invoice, MarkPaid
from fastfaktura.observability import count
from fastfaktura.services import invoices
from fastfaktura.store import invoices as invoice_store
from fastfaktura.store import payments as payment_store
from fastfaktura.store.balance import StoredPayment

# Fixed forever: a Stripe payment's id is derived from its Checkout Session, so a replay meets itself.
_STRIPE_PAYMENT_NAMESPACE = uuid.UUID("0b7f9c1e-3d54-5a8e-b2c6-41f0e9a7d315")
T = TypeVar("T")
# A payment or credit note decides again while others change the invoice, for this long (the function's
# timeout is 10 s).
CHANGE_BUDGET_SECONDS = 7.0
BACKOFF_BASE_SECONDS = 0.01
BACKOFF_CAP_SECONDS = 2.0


def until_unchanged(attempt: Callable[[], T]) -> T:
    """Runs `attempt` (read, decide, conditional write) again while another writer changed the invoice
    first, with exponential backoff and full jitter (racing writers spread out instead of colliding
    again), for at most CHANGE_BUDGET_SECONDS (then 503, retryable)."""
    deadline = time.monotonic() + CHANGE_BUDGET_SECONDS
    tries = 0
    while True:
        started = time.monotonic()
        try:
            return attempt()
        except invoice_store.InvoiceChanged as moved:
            if time.monotonic() > deadline:
                raise ServiceUnavailable("too many changes to this invoice at once; please retry",
                                         headers={"Retry-After": "1"}) from moved
            window = max(time.monotonic() - started, BACKOFF_BASE_SECONDS) * 2 ** min(tries, 6)
            time.sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, window)))
            tries += 1


def record_payment(business_id: str, invoice_id: str, amount_cents: int | None, paid_at: datetime | None,
                   method: str, via: str, reference: str | None = None, by: str | None = None,
                   payment_id: str | None = None, stripe: dict[str, str] | None = None) -> StoredPayment | None:
    """Records a payment (`amount_cents` None: the whole due). 409 unless outstanding; 422 for more than is
    due or a bad `paid_at`. Answers the payment, or None when `payment_id` was already recorded."""
    payment_id = payment_id or new_id()

    def attempt() -> StoredPayment | None:
        record = invoice_store.get(business_id, invoice_id)
        invoice = record.invoice
        now = utcnow()
        at = paid_at or now
        amount = invoice.amount_due_cents if amount_cents is None else amount_cents
        balance.check_payment(invoice.status, invoice.number, amount, invoice.amount_due_cents)
        balance.check_paid_at(at, invoice.issue_date, now)
        paid = invoice.amount_paid_cents + amount
        due = balance.amount_due(invoice.total_cents, invoice.amount_credited_cents, paid)
        payment = StoredPayment(business_id=business_id, invoice_id=invoice_id, payment_id=payment_id,
                                amount_cents=amount, paid_at=at, method=method, via=via, due_after_cents=due,
                                created_at=now, reference=reference, by=by,
                                stripe_payment_intent_id=(stripe or {}).get("stripe_payment_intent_id"),
                                stripe_checkout_session_id=(stripe or {}).get("stripe_checkout_session_id"))
        target = balance.status_after(invoice.status, due, paid)
        changes: dict[str, object] = {"amount_paid_cents": paid, "changed_by": by}
        if target == rules.PAID:
            latest = max([at, *(p.paid_at for p in record.payments)])
            changes.update({"paid_via": via, **(stripe or {})})
            at = latest
        try:
            payment_store.record(invoice, payment, changes, target, at)
        except payment_store.AlreadyRecorded:
            return None
        return payment

    payment = until_unchanged(attempt)
    count("PaymentsRecorded")
    return payment


def add_payment(business_id: str, invoice_id: str, body: PaymentCreate, base_url: str, by: str) -> Invoice:
    canonical = id_or_not_found(invoice_id, "invoice")
    record_payment(business_id, canonical, body.amount_cents, body.paid_at, body.method, "manual",
                   body.reference, by)
    return invoices.answer(invoice_store.get(business_id, canonical), base_url)


def mark_paid(business_id: str, invoice_id: str, body: MarkPaid | None, base_url: str, by: str) -> Invoice:
    """A manual payment of everything that is due."""
    canonical = id_or_not_found(invoice_id, "invoice")
    record_payment(business_id, canonical, None, body.paid_at if body else None, "other", "manual", by=by)
    count("InvoicesPaidManual")
    return invoices.answer(invoice_store.get(business_id, canonical), base_url)


def stripe_payment_id(checkout_session_id: str) -> str:
    return str(uuid.uuid5(_STRIPE_PAYMENT_NAMESPACE, checkout_session_id))
