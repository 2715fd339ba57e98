"""Stripe webhook events: the signature checked by the Stripe library (stripe is imported here, by
the webhook function only), and the payment an event reports, if any."""

from __future__ import annotations

import json
from dataclasses import dataclass

import stripe

from fastfaktura.domain.errors import InvalidRequest, ServiceUnavailable
from fastfaktura.payments import settings

# A Checkout Session is paid at completion (cards), or later for delayed methods (e.g. SEPA debit).
PAID_SESSION_EVENTS = frozenset({"checkout.session.completed", "checkout.session.async_payment_succeeded"})


@dataclass(frozen=True)
class SessionPaid:
    event_id: str
    business_id: str
    invoice_id: str
    session_id: str
    payment_intent_id: str | None
    amount_total: int | None
    currency: str | None
    livemode: bool


def verify(payload: bytes, signature: str | None) -> dict:
    """The event, once its `Stripe-Signature` proves it came from Stripe (400 otherwise). Test and live
    events come from two Stripe endpoints with two secrets: an event claiming a mode is checked with that
    mode's secret only, so its `livemode` is as Stripe signed it."""
    try:
        claimed = json.loads(payload)
    except ValueError as exc:
        raise InvalidRequest("the webhook payload is not a Stripe event") from exc
    if not isinstance(claimed, dict):
        raise InvalidRequest("the webhook payload is not a Stripe event")
    live = claimed.get("livemode") is True
    secret = settings.webhook_secret(sandbox=not live)
    if not secret:
        # Stripe retries a failed delivery for days: configuring the secret then delivers it.
        raise ServiceUnavailable(f"the Stripe {'live' if live else 'test'}-mode webhook secret is not configured")
    if not signature:
        raise InvalidRequest("the Stripe-Signature header is missing")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError as exc:
        raise InvalidRequest("the Stripe-Signature header does not match the payload") from exc
    except ValueError as exc:
        raise InvalidRequest("the webhook payload is not a Stripe event") from exc
    return claimed


def session_paid(event: dict) -> SessionPaid | None:
    """The payment a verified event reports: a paid Checkout Session that one of our Pay buttons
    opened (its metadata names the invoice); None for anything else."""
    if event.get("type") not in PAID_SESSION_EVENTS:
        return None
    session = (event.get("data") or {}).get("object") or {}
    metadata = session.get("metadata") or {}
    if session.get("payment_status") != "paid" or not metadata.get("invoice_id") or not metadata.get("business_id"):
        return None
    intent = session.get("payment_intent")
    return SessionPaid(
        event_id=event.get("id", ""),
        business_id=str(metadata["business_id"]),
        invoice_id=str(metadata["invoice_id"]),
        session_id=session.get("id", ""),
        payment_intent_id=intent.get("id") if isinstance(intent, dict) else intent,
        amount_total=session.get("amount_total"),
        currency=session.get("currency"),
        livemode=bool(event.get("livemode")),
    )
