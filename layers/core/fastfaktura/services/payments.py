"""Stripe payment of an invoice: the Pay button's Checkout Session, and the webhook that marks the
invoice paid once (imports stripe, through payments.checkout and payments.webhook)."""

from __future__ import annotations

from fastfaktura.domain import invoices as rules
from fastfaktura.domain.errors import Conflict, NotFound, UpstreamFailed, ValidationFailed
from fastfaktura.domain.ids import parse_id
from fastfaktura.models.public import WebhookReceipt
from fastfaktura.observability import count, logger
from fastfaktura.payments import checkout, settings, webhook
from fastfaktura.services import balance, invoices, public, refunds
from fastfaktura.store import businesses


def start_checkout(token: str, base_url: str) -> str:
    """The Checkout Session's URL for the invoice of `token`. 404 for an unknown token; 409 when the
    invoice is not payable or no Stripe key may be used for its business (a sandbox business only
    ever pays through a test-mode key); 502 when Stripe refuses."""
    record = public.find(token)
    invoice = record.invoice
    profile, client = public.parties(record)
    locale = public.client_locale(profile, client)
    if invoice.status not in public.PAYABLE or invoice.amount_due_cents <= 0:
        raise public.NotPayable(f"invoice {invoice.number} is {invoice.status}: it cannot be paid online", locale)
    key = settings.checkout_key(bool(profile.get("sandbox", True)))
    if key is None:
        raise public.NotPayable("online payment is not configured for this business", locale)
    request = checkout.CheckoutRequest(
        business_id=record.business_id,
        invoice_id=record.invoice_id,
        description=checkout.line_name(locale, invoice.number),
        total_cents=invoice.amount_due_cents,  # what is still due: part may be paid or credited already
        currency=invoice.currency,
        locale=locale,
        page_url=invoices.public_url(base_url, token),
        customer_email=client.get("email"),
    )
    try:
        return checkout.create_session(key, request)
    except UpstreamFailed as exc:
        raise public.PaymentUnavailable(exc.message, locale) from exc


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
    if sandbox and paid.livemode:
        logger.error("live-mode payment for a sandbox business: not recorded", extra=context)
        return WebhookReceipt(outcome="ignored", invoice_id=invoice_id)
    if not paid.amount_total or paid.amount_total <= 0 or (paid.currency or "").upper() != invoice.currency:
        logger.error("paid Checkout Session does not match the invoice: not recorded",
                     extra={**context, "amount_total": paid.amount_total, "currency": paid.currency})
        return WebhookReceipt(outcome="ignored", invoice_id=invoice_id)
    stripe_ids = {"stripe_event_id": paid.event_id, "stripe_checkout_session_id": paid.session_id,
                  "stripe_payment_intent_id": paid.payment_intent_id}
    try:
        recorded = balance.record_payment(
            business_id, invoice_id, paid.amount_total, None, "card", "stripe",
            payment_id=balance.stripe_payment_id(paid.session_id or paid.event_id),
            stripe={name: value for name, value in stripe_ids.items() if value})
    except Conflict:
        if invoice.status != rules.PAID:
            logger.warning("Stripe payment for an invoice that is no longer payable",
                           extra={**context, "status": invoice.status})
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
