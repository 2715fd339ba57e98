"""Sending an invoice by email, SMS and link (`POST /invoices/{id}/send`).

Order: every check first (404, 409 state, 422 contacts, the limits: 409 SMS country or deliveries per
invoice, 429 resend cooldown — nothing is sent if one fails), then every message is built, the PDF
(Factur-X when the invoice can be an e-invoice) and, for a client with an electronic address, the UBL
attached (a failure there, or an email beyond SES's 10 MB — 413 —, also sends nothing), then a live
business's daily email/SMS quotas are taken (429, nothing sent, nothing spent), then each channel (a
failing one does not stop the others), then ONE transaction recording a DELIVERY item per channel plus,
on a draft's first successful send, `draft` → `sent` with the seller and the client frozen on the
invoice as they were read (what its documents show from then on; contacts for later sends are read
anew). A sandbox business makes no SES or SNS call at all: its deliveries are `simulated` and keep what
would have been sent (recipient, subject or text) for the timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from math import ceil

from fastfaktura import settings as environment
from fastfaktura.delivery import messages, mime, providers
from fastfaktura.domain import invoices as rules
from fastfaktura.domain import sending as checks
from fastfaktura.domain.errors import Conflict, NotFound, PayloadTooLarge, RateLimited, UpstreamFailed
from fastfaktura.models.business import Business
from fastfaktura.models.common import phone_country, to_rfc3339, utcnow
from fastfaktura.models.sending import Delivery, SendRequest, SendResult
from fastfaktura.observability import count
from fastfaktura.services import einvoice_files, einvoices, invoices, pdfs
from fastfaktura.settings import SendLimits
from fastfaktura.store import businesses, clients, deliveries, send_quotas
from fastfaktura.store import parties as parties_store
from fastfaktura.store.invoices import InvoiceRecord

MAX_REASON = 500


@dataclass
class _Outcome:
    """One channel's result, and what the DELIVERY item keeps of it."""

    delivery: Delivery
    kept: dict


def send_invoice(business_id: str, invoice_id: str, body: SendRequest, base_url: str,
                 by: str | None = None) -> SendResult:
    """Round trips: one Query (invoice), one BatchGetItem (profile, client), one Query (its deliveries
    so far: the limits), for a live email the PDF's S3 GET (or its rendering and an S3 PUT), for a live
    email or SMS one TransactWriteItems (the day's quotas), one TransactWriteItems (the record), one
    Query for the answer; plus one SES and one SNS call for a live business."""
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
    limits = environment.get().send_limits
    _check_limits(limits, business_id, invoice.invoice_id, invoice.number, body, client)
    # Every message is built before any is sent: a failure here sends nothing at all.
    prepared = [_prepare(channel, business, client, facts, record, base_url, (profile, client_item))
                for channel in body.channels]
    if not business.sandbox:
        _take_quota(limits, business_id, body.channels)
    outcomes = [_deliver(message, business.sandbox) for message in prepared]

    at = to_rfc3339(utcnow())
    succeeded = any(o.delivery.status != "failed" for o in outcomes)
    deliveries.record_send(business_id, record.invoice_id, at,
                           [{**o.kept, "reminder": body.reminder, "by": by} for o in outcomes],
                           mark_sent=succeeded and invoice.status == rules.DRAFT,
                           issued=parties_store.frozen(profile, client_item), by=by)
    for outcome in outcomes:
        count(f"{'Reminders' if body.reminder else 'Invoices'}{outcome.delivery.status.capitalize()}"
              f"{outcome.delivery.channel.capitalize()}")
    if not succeeded:
        raise UpstreamFailed(
            "no channel could be delivered; the invoice is unchanged: "
            + "; ".join(f"{o.delivery.channel}: {o.delivery.reason}" for o in outcomes),
            [{"field": f"channels.{index}", "issue": "delivery_failed", "value": o.delivery.reason}
             for index, o in enumerate(outcomes)])
    return SendResult(invoice=invoices.answer(invoices.get_record(business_id, record.invoice_id), base_url,
                                              (profile, client_item)),
                      deliveries=[o.delivery for o in outcomes])


@dataclass(frozen=True)
class _Message:
    """One channel's message, built and ready: `send` (None for a link, or in a sandbox) answers the
    provider's message id or raises ProviderError."""

    channel: str
    to: str
    kept: dict
    send: Callable[[], str] | None


def _prepare(channel: str, business: Business, client, facts: messages.InvoiceFacts, record, base_url: str,
             parties) -> _Message:
    if channel == "email":
        content = messages.email_content(facts)
        send = None
        if not business.sandbox:
            raw = _raw_email(record, business, parties, content, client.email, base_url)
            send = partial(providers.send_raw_email, raw, client.email)
        return _Message("email", client.email, {"subject": content.subject}, send)
    if channel == "sms":
        text = messages.sms_text(facts)
        send = None if business.sandbox else partial(providers.send_sms, client.phone, text)
        return _Message("sms", client.phone, {"text": text}, send)
    return _Message("link", facts.public_url, {}, None)


def _raw_email(record: InvoiceRecord, business: Business, parties: parties_store.Parties,
               content: messages.EmailContent, to: str, base_url: str) -> bytes:
    """The message with the invoice's PDF (Factur-X when it can be an e-invoice) and, for a client with an
    electronic address, its UBL; 413 before anything is sent when SES would refuse its size."""
    pdf = pdfs.pdf_for_record(record, base_url, parties=parties)
    document = einvoices.invoice_document(record, parties_store.printed(record.invoice, parties))
    extra = []
    if document is not None and document.buyer.electronic_address and not einvoices.missing_of(document):
        extra.append(mime.Attachment(einvoice_files.write(document, "ubl"), "xml",
                                     einvoice_files.file_name(record.invoice.number, "ubl")))
    raw = mime.invoice_email(content, pdf.body, providers.sender_email(), business.name, to, business.email, extra)
    if len(raw) > mime.MAX_RAW_BYTES:
        raise PayloadTooLarge(f"the email of invoice {record.invoice.number} would be {len(raw):,} bytes with its "
                              f"attachments; email providers accept at most {mime.MAX_RAW_BYTES:,}: send it by link",
                              [{"field": "channels", "issue": "email_too_large", "value": len(raw)}])
    return raw


def _deliver(message: _Message, sandbox: bool) -> _Outcome:
    if message.send is None:
        return _done(message.channel, message.to, None, sandbox, message.kept)
    try:
        return _done(message.channel, message.to, message.send(), False, message.kept)
    except providers.ProviderError as exc:
        return _failed(message.channel, message.to, str(exc), message.kept)


_QUOTA_LABELS = {"email": "email", "sms": "SMS"}


def _check_limits(limits: SendLimits, business_id: str, invoice_id: str, number: str, body: SendRequest,
                  client) -> None:
    """Before anything is built or sent: the SMS country allow-list (409), the bound on an invoice's
    deliveries (409) and the resend cooldown of the same message (429 with Retry-After). One Query."""
    if "sms" in body.channels:
        country = phone_country(client.phone)
        if country not in limits.sms_countries:
            raise Conflict(f"SMS to {country or 'this'} numbers is not enabled (country allow-list): "
                           "send by email or link", [{"field": "channels", "issue": "sms_country_not_allowed",
                                                      "value": country}])
    previous = deliveries.sent_before(business_id, invoice_id)
    if len(previous) + len(body.channels) > limits.deliveries_per_invoice:
        raise Conflict(f"invoice {number} has {len(previous)} deliveries; an invoice may have at most "
                       f"{limits.deliveries_per_invoice} deliveries",
                       [{"field": "channels", "issue": "too_many_deliveries", "value": len(previous)}])
    now = utcnow()
    for channel in body.channels:
        last = max((datetime.fromisoformat(d["at"]) for d in previous if d.get("channel") == channel
                    and bool(d.get("reminder")) == body.reminder and d.get("status") != "failed"), default=None)
        wait = limits.resend_cooldown_seconds - (now - last).total_seconds() if last else 0
        if wait > 0:
            kind = "reminder" if body.reminder else "invoice"
            raise RateLimited(f"this {kind} was sent by {channel} less than {limits.resend_cooldown_seconds} s "
                              f"ago: the same message may be sent again in {ceil(wait)} s",
                              [{"field": "channels", "issue": "resend_cooldown", "value": channel}],
                              headers={"Retry-After": str(ceil(wait))})


def _take_quota(limits: SendLimits, business_id: str, channels: list[str]) -> None:
    """One unit of the day's email and SMS quotas, taken together (429 with Retry-After: the next UTC day)."""
    quotas = {"email": limits.emails_per_day, "sms": limits.sms_per_day}
    now = utcnow()
    try:
        send_quotas.take(business_id, now.date(), {c: quotas[c] for c in channels if c in quotas})
    except send_quotas.QuotaExceeded as exc:
        tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
        raise RateLimited(f"the business's {_QUOTA_LABELS[exc.channel]} quota ({quotas[exc.channel]} a day) is "
                          "reached; nothing was sent: try again tomorrow (UTC) or send by link",
                          [{"field": "channels", "issue": "daily_quota_reached", "value": exc.channel}],
                          headers={"Retry-After": str(ceil((tomorrow - now).total_seconds()))}) from None


def _done(channel: str, to: str, message_id: str | None, simulated: bool, kept: dict | None = None) -> _Outcome:
    status = "simulated" if simulated else "sent"
    delivery = Delivery(channel=channel, status=status, to=to, message_id=message_id)
    return _Outcome(delivery, {"channel": channel, "status": status, "to": to, "message_id": message_id,
                               **(kept or {})})


def _failed(channel: str, to: str, reason: str, kept: dict) -> _Outcome:
    reason = reason[:MAX_REASON]
    delivery = Delivery(channel=channel, status="failed", to=to, message_id=None, reason=reason)
    return _Outcome(delivery, {"channel": channel, "status": "failed", "to": to, "reason": reason, **kept})
