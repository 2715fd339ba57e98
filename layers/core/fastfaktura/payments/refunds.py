"""Stripe refunds of credit notes (imported by `fastfaktura.services.refunds` only when a refund is made
or a webhook event is settled, since it loads stripe): the Refund API call, and the refund a webhook event reports."""

from __future__ import annotations

from dataclasses import dataclass

import stripe

from fastfaktura.domain.errors import UpstreamFailed
from fastfaktura.payments.checkout import _client  # one Stripe client per key and container

# refund.updated carries the refund; charge.refunded the charge, with its refunds.
REFUND_EVENTS = frozenset({"refund.updated", "refund.created", "refund.failed", "charge.refunded"})


@dataclass(frozen=True)
class RefundReported:
    """A refund of ours (its metadata names the credit note) as a webhook event reports it."""

    refund_id: str
    status: str
    amount_cents: int
    business_id: str
    credit_note_id: str


def idempotency_key(credit_note_id: str) -> str:
    """Derived from the credit note alone: a retried refund of one credit note is one refund at Stripe."""
    return f"credit-note-refund-{credit_note_id}"


def create_refund(key: str, payment_intent_id: str, amount_cents: int, metadata: dict[str, str],
                  credit_note_id: str) -> dict:
    """Refunds `amount_cents` of the payment; answers {id, status, amount_cents} as Stripe does."""
    try:
        refund = _client(key).v1.refunds.create(
            params={"payment_intent": payment_intent_id, "amount": amount_cents, "metadata": metadata},
            options={"idempotency_key": idempotency_key(credit_note_id)})
    except stripe.StripeError as exc:
        raise UpstreamFailed(f"Stripe refused the refund: {exc.user_message or exc}") from exc
    return {"id": refund.id, "status": refund.status or "pending", "amount_cents": refund.amount}


def refunds_reported(event: dict) -> list[RefundReported]:
    """The refunds of ours that a verified event reports (none for any other event)."""
    if event.get("type") not in REFUND_EVENTS:
        return []
    obj = (event.get("data") or {}).get("object") or {}
    refunds = obj.get("refunds", {}).get("data", []) if obj.get("object") == "charge" else [obj]
    found = []
    for refund in refunds:
        metadata = refund.get("metadata") or {}
        if refund.get("id") and metadata.get("credit_note_id") and metadata.get("business_id"):
            found.append(RefundReported(refund["id"], refund.get("status") or "pending", int(refund.get("amount") or 0),
                                        str(metadata["business_id"]), str(metadata["credit_note_id"])))
    return found
