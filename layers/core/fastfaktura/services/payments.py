"""Stripe payment of an invoice: the Pay button's Checkout Session, and the webhook that marks the
invoice paid once (imports stripe, through payments.checkout and payments.webhook)."""

from __future__ import annotations

import time

from fastfaktura.domain.errors import Conflict, NotFound, UpstreamFailed, ValidationFailed
from fastfaktura.domain.ids import parse_id
from fastfaktura.models.public import WebhookReceipt
from fastfaktura.observability import count, logger
from fastfaktura.payments import checkout, settings, webhook
from fastfaktura.services import balance, invoices, public, refunds
from fastfaktura.store import businesses, checkout_sessions
from fastfaktura.store import invoices as invoice_store

SESSION_SECONDS = 3600  # a session lives an hour (Stripe's default is 24): a link's sessions stay few and short
SESSION_REUSE_MARGIN_SECONDS = 600  # a session about to expire is not handed to a payer


def start_checkout(token: str, base_url: str) -> str:
    """The Checkout Session's URL for the invoice of `token`: its open session when there is one for the
    amount due (one GetItem), else a new one (one Stripe call, one PutItem), whose idempotency key is
    derived from the invoice, its version and the session's rank, so racing clicks make one session.
    404 for an unknown token; 409 when the invoice is not payable or no Stripe key may be used for its
    business (a sandbox business only ever pays through a test-mode key, a live one through a live-mode
    key); 502 when Stripe refuses."""
    record = public.find(token)
    invoice = record.invoice
    profile, client = public.parties(record)
    locale = public.client_locale(profile, client)
    if invoice.status not in public.PAYABLE or invoice.amount_due_cents <= 0:
        raise public.NotPayable(f"invoice {invoice.number} is {invoice.status}: it cannot be paid online", locale)
    key = settings.checkout_key(bool(profile.get("sandbox", True)))
    if key is None:
        raise public.NotPayable("online payment is not configured for this business", locale)
    now = int(time.time())
    open_session = checkout_sessions.get(record.business_id, record.invoice_id)
    if open_session and open_session.reusable(invoice.amount_due_cents, invoice.currency, now,
                                              SESSION_REUSE_MARGIN_SECONDS):
        return open_session.url
    attempt = open_session.attempt + 1 if open_session else 1
    request = checkout.CheckoutRequest(
        business_id=record.business_id,
        invoice_id=record.invoice_id,
        description=checkout.line_name(locale, invoice.number),
        total_cents=invoice.amount_due_cents,  # what is still due: part may be paid or credited already
        currency=invoice.currency,
        locale=locale,
        page_url=invoices.public_url(base_url, token),
        customer_email=client.get("email"),
        expires_at=now + SESSION_SECONDS,
    )
    try:
        created = checkout.create_session(key, request, f"checkout-{record.invoice_id}-v{invoice.version}-{attempt}")
    except UpstreamFailed as exc:
        raise public.PaymentUnavailable(exc.message, locale) from exc
    checkout_sessions.put(record.business_id, record.invoice_id, checkout_sessions.OpenSession(
        created.session_id, created.url, invoice.amount_due_cents, invoice.currency, request.expires_at, attempt))
    return created.url


def receive_stripe_event(payload: bytes, signature: str | None) -> WebhookReceipt:
    """A verified event (400 otherwise). A paid Checkout Session of ours marks its invoice paid with one
    conditional write (status sent|opened|overdue), so a replay, or a retry racing the first delivery,
    finds it paid and changes nothing. Anything else is acknowledged (200) so Stripe stops retrying."""
    event = webhook.verify(payload, signature)
    settled = refunds.settle(event)
    if settled is not None:
        return settled
    paid = webhook.session_paid(event)
    if paid is None:
        return WebhookReceipt(outcome="ignored")
    invoice_id, business_id = parse_id(paid.invoice_id), parse_id(paid.business_id)
    context = {"stripe_event": paid.event_id, "invoice_id": paid.invoice_id, "business_id": paid.business_id}
    if invoice_id is None or business_id is None:
        logger.warning("paid Checkout Session names no invoice of ours", extra=context)
        return WebhookReceipt(outcome="ignored")
    try:
        invoice = invoices.get_record(business_id, invoice_id).invoice
        sandbox = businesses.get(business_id).sandbox
    except NotFound:
        logger.warning("paid Checkout Session for an unknown invoice", extra=context)
        return WebhookReceipt(outcome="ignored", invoice_id=invoice_id)
    if paid.livemode == sandbox:
        # A test card never pays a live invoice, and real money never settles a sandbox one.
        logger.error(f"{'live' if paid.livemode else 'test'}-mode payment for a {'sandbox' if sandbox else 'live'} "
                     "business: not recorded", extra=context)
        count("StripeModeMismatch")
        return WebhookReceipt(outcome="ignored", invoice_id=invoice_id)
    if not paid.amount_total or paid.amount_total <= 0 or (paid.currency or "").upper() != invoice.currency:
        logger.error("paid Checkout Session does not match the invoice: not recorded",
                     extra={**context, "amount_total": paid.amount_total, "currency": paid.currency})
        return WebhookReceipt(outcome="ignored", invoice_id=invoice_id)
    stripe_ids = {"stripe_event_id": paid.event_id, "stripe_checkout_session_id": paid.session_id,
                  "stripe_payment_intent_id": paid.payment_intent_id}
    payment_id = balance.stripe_payment_id(paid.session_id or paid.event_id)
    try:
        recorded = balance.record_payment(business_id, invoice_id, paid.amount_total, None, "card", "stripe",
                                          payment_id=payment_id,
                                          stripe={name: value for name, value in stripe_ids.items() if value})
    except Conflict:
        record = invoice_store.get(business_id, invoice_id)
        if all(payment.payment_id != payment_id for payment in record.payments):  # not this payment, redelivered
            _record_payment_after_close(business_id, invoice_id, paid, context)
        return WebhookReceipt(outcome="already_recorded", invoice_id=invoice_id)
    except ValidationFailed as refused:  # more than is due (paid meanwhile by other means)
        logger.error("Stripe payment of more than is due: not recorded",
                     extra={**context, "amount_total": paid.amount_total, "reason": refused.message})
        return WebhookReceipt(outcome="ignored", invoice_id=invoice_id)
    if recorded is None:
        return WebhookReceipt(outcome="already_recorded", invoice_id=invoice_id)
    count("InvoicesPaidStripe")
    return WebhookReceipt(outcome="paid" if recorded.due_after_cents == 0 else "payment_received",
                          invoice_id=invoice_id)


def _record_payment_after_close(business_id: str, invoice_id: str, paid: webhook.SessionPaid, context: dict) -> None:
    """Money arrived for an invoice that was cancelled or paid otherwise: it is kept on the invoice, logged
    as an error and counted (`StripePaymentsAfterClose`, for an alarm), never refunded automatically (the
    business decides: refund it in Stripe, or keep it against another invoice)."""
    current = invoice_store.get(business_id, invoice_id).invoice
    payment = {"stripe_event_id": paid.event_id, "stripe_checkout_session_id": paid.session_id,
               "stripe_payment_intent_id": paid.payment_intent_id, "amount_cents": paid.amount_total,
               "currency": (paid.currency or "").upper(), "status": current.status}
    if checkout_sessions.record_payment_after_close(business_id, invoice_id, payment):
        logger.error("Stripe payment for an invoice that is no longer payable: recorded on it, to refund",
                     extra={**context, "status": current.status})
        count("StripePaymentsAfterClose")
