"""A payment's write: the payment item and the invoice's new balance in one transaction, on condition
that the invoice is still the version the payment was decided on (so racing payments never overpay)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastfaktura.store import db
from fastfaktura.store.balance import StoredPayment
from fastfaktura.store.invoices import InvoiceChanged, StoredInvoice, balance_update


class AlreadyRecorded(Exception):
    """A payment with this id is already there (a redelivered Stripe event)."""


def record(invoice: StoredInvoice, payment: StoredPayment, changes: dict[str, Any], target: str | None,
           at: datetime | None) -> None:
    """One TransactWriteItems: the payment (new) + the invoice's update (`store.invoices.balance_update`).
    Raises AlreadyRecorded or InvoiceChanged (read it again and decide anew); writes nothing then."""
    transaction = [
        {"Put": {"TableName": db.table_name(), "Item": db.to_item(payment.to_item()),
                 "ConditionExpression": "attribute_not_exists(PK)"}},
        {"Update": balance_update(invoice, changes, target, at)},
    ]
    try:
        db.client().transact_write_items(TransactItems=transaction)
    except db.client().exceptions.TransactionCanceledException as exc:
        reasons = [*db.cancellation_reasons(exc), "None", "None"]
        if reasons[0] == "ConditionalCheckFailed":
            raise AlreadyRecorded(payment.payment_id) from exc
        if "ConditionalCheckFailed" in reasons or "TransactionConflict" in reasons:
            raise InvoiceChanged(invoice.invoice_id) from exc
        raise
