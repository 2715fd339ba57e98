"""Sending an invoice by email, SMS and link (`POST /invoices/{id}/send`).

Order: every check first (404, 409 state, 422 contacts: nothing is sent if one fails), the PDF next
(a rendering failure also sends nothing), then each channel (a failing one does not stop the others),
then ONE transaction recording a DELIVERY item per channel plus, on a draft's first successful send,
`draft` → `sent`. A sandbox business makes no SES or SNS call at all: its deliveries are `simulated`
and keep what would have been sent (recipient, subject or text) for the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastfaktura.delivery import messages, mime, providers
from fastfaktura.domain import invoices as rules
from fastfaktura.domain import sending as checks
from fastfaktura.domain.errors import NotFound, PayloadTooLarge, UpstreamFailed
from fastfaktura.einvoice.readiness import readiness
from fastfaktura.models.business import Business
from fastfaktura.models.common import to_rfc3339, utcnow
from fastfaktura.models.sending import Delivery, SendRequest, SendResult
from fastfaktura.observability import count
from fastfaktura.services import einvoice_files, einvoices, invoices, pdfs
from fastfaktura.store import businesses, clients, deliveries
from fastfaktura.store import parties as parties_store
from fastfaktura.store.invoices import InvoiceRecord

MAX_REASON = 500


@dataclass
class _Outcome:
    """One channel's result, and what the DELIVERY item keeps of it."""

    delivery: Delivery
    kept: dict


def send_invoice(business_id: str, invoice_id: str, body: SendRequest, base_url: str) -> SendResult:
    """Round trips: one Query (invoice), one BatchGetItem (profile, client), for a live email the PDF's
    S3 GET (or its rendering and an S3 PUT), one TransactWriteItems, one Query for the answer; plus one
    SES and one SNS call for a live business."""
    record = invoices.get_record(business_id, invoice_id)
    invoice = record.invoice
    checks.check_sendable(invoice.status, invoice.number, body.reminder)
    profile, client_item = parties_store.seller_and_client(business_id, invoice.client_id)
    client = clients.to_client(client_item) if client_item else None
    checks.check_contacts(body.channels, client.email if client else None, client.phone if client else None)
    if profile is None:
        raise NotFound("business not found")
    business = businesses.to_business(profile)
    public_url = invoices.public_url(base_url, invoice.public_token)
    facts = messages.InvoiceFacts(
        locale=client.locale if client else business.default_locale,
        reminder=body.reminder, number=invoice.number, total_cents=invoice.total_cents,
        currency=invoice.currency, due_date=invoice.due_date, public_url=public_url,
        business_name=business.name, client_name=client.name if client else invoice.client_name)
    email, raw = None, b""
    if "email" in body.channels:
        email = messages.email_content(facts)
        if not business.sandbox:
            raw = _raw_email(record, business, profile, client_item, email, client.email, base_url)

    outcomes = []
    for channel in body.channels:
        if channel == "email":
            outcomes.append(_email(business, client.email, email, raw))
        elif channel == "sms":
            outcomes.append(_sms(business, client.phone, messages.sms_text(facts)))
        else:
            outcomes.append(_done("link", public_url, None, business.sandbox))

    at = to_rfc3339(utcnow())
    succeeded = any(o.delivery.status != "failed" for o in outcomes)
    deliveries.record_send(business_id, record.invoice_id, at,
                           [{**o.kept, "reminder": body.reminder} for o in outcomes],
                           mark_sent=succeeded and invoice.status == rules.DRAFT)
    for outcome in outcomes:
        count(f"{'Reminders' if body.reminder else 'Invoices'}{outcome.delivery.status.capitalize()}"
              f"{outcome.delivery.channel.capitalize()}")
    if not succeeded:
        raise UpstreamFailed(
            "no channel could be delivered; the invoice is unchanged: "
            + "; ".join(f"{o.delivery.channel}: {o.delivery.reason}" for o in outcomes),
            [{"field": f"channels.{index}", "issue": "delivery_failed", "value": o.delivery.reason}
             for index, o in enumerate(outcomes)])
    return SendResult(invoice=invoices.get_invoice(business_id, record.invoice_id, base_url,
                                                   parties=(profile, client_item)),
                      deliveries=[o.delivery for o in outcomes])


def _raw_email(record: InvoiceRecord, business: Business, profile: dict, client_item: dict | None,
               content: messages.EmailContent, to: str, base_url: str) -> bytes:
    """The message with the invoice's PDF (Factur-X when it can be an e-invoice) and, for a client with an
    electronic address, its UBL; 413 before anything is sent when SES would refuse its size."""
    pdf = pdfs.pdf_for_record(record, base_url, parties=(profile, client_item))
    document = einvoices.invoice_document(record, profile, client_item)
    extra = []
    if document.buyer.electronic_address and not readiness(document):
        extra.append(mime.Attachment(einvoice_files.write(document, "ubl"), "xml",
                                     einvoice_files.file_name(record.invoice.number, "ubl")))
    raw = mime.invoice_email(content, pdf.body, providers.sender_email(), business.name, to, business.email, extra)
    if len(raw) > mime.MAX_RAW_BYTES:
        raise PayloadTooLarge(f"the email of invoice {record.invoice.number} would be {len(raw):,} bytes with its "
                              f"attachments; email providers accept at most {mime.MAX_RAW_BYTES:,}: send it by link",
                              [{"field": "channels", "issue": "email_too_large", "value": len(raw)}])
    return raw


def _email(business: Business, to: str, content: messages.EmailContent, raw: bytes) -> _Outcome:
    kept = {"subject": content.subject}
    if business.sandbox:
        return _done("email", to, None, True, kept)
    try:
        return _done("email", to, providers.send_raw_email(raw, to), False, kept)
    except providers.ProviderError as exc:
        return _failed("email", to, str(exc), kept)


def _sms(business: Business, to: str, text: str) -> _Outcome:
    kept = {"text": text}
    if business.sandbox:
        return _done("sms", to, None, True, kept)
    try:
        return _done("sms", to, providers.send_sms(to, text), False, kept)
    except providers.ProviderError as exc:
        return _failed("sms", to, str(exc), kept)


def _done(channel: str, to: str, message_id: str | None, simulated: bool, kept: dict | None = None) -> _Outcome:
    status = "simulated" if simulated else "sent"
    delivery = Delivery(channel=channel, status=status, to=to, message_id=message_id)
    return _Outcome(delivery, {"channel": channel, "status": status, "to": to, "message_id": message_id,
                               **(kept or {})})


def _failed(channel: str, to: str, reason: str, kept: dict) -> _Outcome:
    reason = reason[:MAX_REASON]
    delivery = Delivery(channel=channel, status="failed", to=to, message_id=None, reason=reason)
    return _Outcome(delivery, {"channel": channel, "status": "failed", "to": to, "reason": reason, **kept})
