"""The public invoice page: the invoice by its token, seen by its client. The first view of a sent
invoice marks it opened (one conditional write; later views and racing views write nothing more)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import Any

from fastfaktura.domain import invoices as rules
from fastfaktura.domain.errors import Conflict, NotFound, UpstreamFailed
from fastfaktura.models.common import utcnow
from fastfaktura.models.locales import DEFAULT_LOCALE
from fastfaktura.models.public import PublicInvoice
from fastfaktura.payments import settings
from fastfaktura.services import invoices
from fastfaktura.store import invoices as invoice_store
from fastfaktura.store import parties as parties_store
from fastfaktura.store.invoices import InvoiceRecord, StoredInvoice

PAYABLE = rules.OUTSTANDING
PAYMENT_NOTICES = frozenset({"success", "cancelled"})
# Only what the page shows leaves the store: nothing internal (ids, index keys, tokens of others).
CLIENT_FIELDS = ("name", "address", "country")
BUSINESS_FIELDS = ("name", "legal_name", "address", "country", "email", "phone", "vat_number", "company_id",
                   "iban", "bic", "timezone", "vat_registered")


class NotPayable(Conflict):
    """409: the invoice cannot be paid online; its page is shown in the invoice's locale."""

    def __init__(self, message: str, locale: str):
        super().__init__(message)
        self.locale = locale


class PaymentUnavailable(UpstreamFailed):
    """502: Stripe refused or did not answer; the page is shown in the invoice's locale."""

    def __init__(self, message: str, locale: str):
        super().__init__(message)
        self.locale = locale


def find(token: str) -> InvoiceRecord:
    """The invoice of a public token; NotFound (the 404 page) for a token no invoice has."""
    record = invoices.get_record_by_token(token)
    if record is None:
        raise NotFound("no invoice has this link")
    return record


def parties(record: InvoiceRecord) -> tuple[dict[str, Any], dict[str, Any]]:
    profile, client = parties_store.seller_and_client(record.business_id, record.invoice.client_id)
    if profile is None:
        raise NotFound("no invoice has this link")
    return profile, client or {"name": record.invoice.client_name}


def client_locale(profile: dict[str, Any], client: dict[str, Any]) -> str:
    return client.get("locale") or profile.get("default_locale") or DEFAULT_LOCALE


def can_pay(invoice: StoredInvoice, sandbox: bool) -> bool:
    """A Pay button: the invoice awaits payment of a positive total and a Stripe key fits the business."""
    return invoice.status in PAYABLE and invoice.amount_due_cents > 0 and settings.checkout_key(sandbox) is not None


def view_invoice(token: str, payment_notice: str | None = None) -> PublicInvoice:
    """Round trips: two Queries (token → invoice), one BatchGetItem (seller, client), and on the first
    view one conditional UpdateItem (sent → opened)."""
    record = find(token)
    profile, client = parties(record)
    if record.status == rules.SENT:
        # Another view (or a payment) may move it first: then the page shows what was read.
        with suppress(Conflict):
            record = replace(record, invoice=invoice_store.transition(record.business_id, record.invoice_id,
                                                                      rules.OPENED, utcnow()))
    invoice = invoices.answer(record, base_url="").model_dump(mode="json", exclude={"events", "public_url"})
    return PublicInvoice(
        token=token,
        locale=client_locale(profile, client),
        business={name: profile.get(name) for name in BUSINESS_FIELDS},
        client={name: client.get(name) for name in CLIENT_FIELDS},
        invoice=invoice,
        can_pay=can_pay(record.invoice, bool(profile.get("sandbox", True))),
        payment_notice=payment_notice if payment_notice in PAYMENT_NOTICES else None,
    )
