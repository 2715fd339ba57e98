"""The open Stripe Checkout Session of an invoice: one item in the invoice's partition, so that every
click on its Pay button reuses the session while it is open and for the same amount, instead of asking
Stripe for a new one (one public link must not spend the platform's Stripe rate limit)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from fastfaktura.store import db, keys


@dataclass(frozen=True)
class OpenSession:
    session_id: str
    url: str
    amount_cents: int
    currency: str
    expires_at: int  # Unix seconds, as Stripe's `expires_at`
    attempt: int  # the how-many-th session of the invoice (part of Stripe's idempotency key)

    def reusable(self, amount_cents: int, currency: str, now: int, margin_seconds: int) -> bool:
        """Still open for long enough to pay, and for what is due now."""
        return (self.amount_cents, self.currency) == (amount_cents, currency) and self.expires_at - now > margin_seconds


def get(business_id: str, invoice_id: str) -> OpenSession | None:
    item = db.get(keys.invoice_pk(business_id, invoice_id), keys.CHECKOUT_SESSION_SK, consistent=True)
    if item is None:
        return None
    return OpenSession(**{name: item[name] for name in OpenSession.__dataclass_fields__})


def put(business_id: str, invoice_id: str, session: OpenSession) -> None:
    item = {"PK": keys.invoice_pk(business_id, invoice_id), "SK": keys.CHECKOUT_SESSION_SK, **asdict(session)}
    db.client().put_item(TableName=db.table_name(), Item=db.to_item(item))

