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



def record_payment_after_close(business_id: str, invoice_id: str, payment: dict) -> bool:
    """A paid session whose invoice was cancelled or paid otherwise meanwhile: kept on the invoice item
    (`stripe_payment_after_close`, the latest such payment) for the business to refund or credit. One
    conditional UpdateItem; False when this event is already recorded (a redelivery)."""
    try:
        db.client().update_item(
            TableName=db.table_name(), Key=db.key(keys.invoice_pk(business_id, invoice_id), keys.INVOICE_SK),
            UpdateExpression="SET #late = :payment",
            ConditionExpression="attribute_exists(PK) AND (attribute_not_exists(#late) OR #late.#event <> :event)",
            ExpressionAttributeNames={"#late": "stripe_payment_after_close", "#event": "stripe_event_id"},
            ExpressionAttributeValues=db.to_item({":payment": payment, ":event": payment["stripe_event_id"]}))
    except db.client().exceptions.ConditionalCheckFailedException:
        return False
    return True
