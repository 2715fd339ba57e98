"""Stripe refunds of credit notes: made once the credit note is written (its idempotency key derived from
the credit note, so a retry never refunds twice), recorded on it, and settled by Stripe's webhook. stripe is
loaded by the credit-note function only when a credit note asks for a refund (≈ 46 ms of a cold start
that most credit notes never need), and by the webhook, whose every event needs it."""

from __future__ import annotations

from dataclasses import replace

from fastfaktura.domain.errors import NotFound, UpstreamFailed
from fastfaktura.models.credit_notes import CreditNote, CreditNoteCreate, Refund
from fastfaktura.models.public import WebhookReceipt
from fastfaktura.observability import logger
from fastfaktura.payments import settings
from fastfaktura.services import credit_notes
from fastfaktura.store import businesses
from fastfaktura.store import credit_notes as store
from fastfaktura.store.balance import StoredCreditNote


def create_credit_note(business_id: str, invoice_id: str, body: CreditNoteCreate, by: str | None = None) -> CreditNote:
    """`POST /invoices/{id}/credit-notes`: the credit note, refunded through Stripe when the body asks."""
    note, corrects = credit_notes.issue_credit_note(business_id, invoice_id, body, by)
    return credit_notes.answer(refund(note) if body.refund == "stripe" else note, corrects)


def refund(note: StoredCreditNote) -> StoredCreditNote:
    """Refunds the credited amount on the invoice's Stripe payment (test mode for a sandbox business).
    When Stripe refuses or no key fits the business, the credit note stands with a `failed` refund."""
    attempt = {"id": None, "status": "failed", "amount_cents": note.total_cents}
    key = settings.checkout_key(businesses.get(note.business_id).sandbox)
    if key and note.stripe_payment_intent_id:
        metadata = {"credit_note_id": note.credit_note_id, "business_id": note.business_id,
                    "invoice_id": note.invoice_id}
        from fastfaktura.payments import refunds  # stripe, only for a refund

        try:
            attempt = refunds.create_refund(key, note.stripe_payment_intent_id, note.total_cents, metadata,
                                            note.credit_note_id)
        except UpstreamFailed as exc:
            logger.error("Stripe refused a credit note's refund", extra={"credit_note_id": note.credit_note_id,
                                                                         "reason": exc.message})
    store.set_refund(note, attempt)
    return replace(note, refund=Refund.model_validate(attempt))


def settle(event: dict) -> WebhookReceipt | None:
    """Records the status a verified refund event reports on its credit note; None when the event is not
    about a refund of ours."""
    from fastfaktura.payments import refunds

    reported = refunds.refunds_reported(event)
    if not reported:
        return None
    for found in reported:
        try:
            note = store.get(found.business_id, found.credit_note_id)
        except NotFound:
            logger.warning("Stripe refund for an unknown credit note", extra={"refund": found.refund_id})
            continue
        if note.refund is None or note.refund.id in (None, found.refund_id):
            store.set_refund(note, {"id": found.refund_id, "status": found.status, "amount_cents": found.amount_cents})
    return WebhookReceipt(outcome="refund_updated")
