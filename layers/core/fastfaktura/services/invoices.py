"""Invoices: create (money, gapless number), read, list, cancel (payments: services.balance).

For the other parts of the app: `get_record` / `get_record_by_token` give an invoice as stored
(`store.invoices.InvoiceRecord`, its item a typed `StoredInvoice`), `answer` turns one into the
API's `Invoice`, and
`store.invoices.transition` is the one way to change an invoice's status.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from fastfaktura.domain import invoices as rules
from fastfaktura.domain import money, vat
from fastfaktura.domain.errors import Conflict, InvalidRequest, NotFound, ValidationFailed
from fastfaktura.domain.ids import id_or_not_found, new_id, parse_id
from fastfaktura.models.common import utcnow
from fastfaktura.models.invoices import (
    Invoice,
    InvoiceCreate,
    InvoiceLine,
    InvoiceList,
    TaxBreakdown,
    VatExemptionReason,
)
from fastfaktura.observability import count
from fastfaktura.services import einvoices
from fastfaktura.services.lists import page_request
from fastfaktura.store import invoices as store
from fastfaktura.store import parties as parties_store


def new_public_token() -> str:
    """192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


def public_url(base_url: str, token: str) -> str:
    return f"{base_url}/i/{token}"


def create_invoice(business_id: str, body: InvoiceCreate, base_url: str, by: str | None = None) -> Invoice:
    """Four round trips, whatever the contention: one BatchGetItem (profile, client), then the three
    writes of `store.invoices.create` (stage, claim the number, write it numbered). The VAT rules
    (domain.vat) and the amounts are checked before any write: a refused invoice writes nothing."""
    money.compute(body.lines)  # amounts beyond the bounds or a negative total: 422 before any read
    client_id = str(body.client_id)
    context = store.read_for_create(business_id, client_id)
    if context.profile is None:
        raise NotFound("business not found")
    _check_client(context.client)
    profile, client = context.profile, context.client
    lines = priced_lines(body, vat.Parties(
        seller_country=profile.get("country"), vat_regime=profile.get("vat_regime") or "standard",
        client_country=client.get("country"), client_vat_number=client.get("vat_number")))
    totals = money.compute(lines)
    now = utcnow()
    issued = rules.issue_date(now, profile.get("timezone") or "Europe/Paris")
    prefix = profile.get("invoice_number_prefix", "F-")
    invoice = store.StoredInvoice(
        business_id=business_id, invoice_id=new_id(), client_id=client_id, status=rules.DRAFT,
        number="", sequence=0, currency=body.currency, issue_date=issued,
        due_date=body.due_date or rules.default_due_date(issued, int(profile.get("payment_terms_days", 30))),
        subtotal_cents=totals.subtotal_cents, tax_cents=totals.tax_cents, total_cents=totals.total_cents,
        line_count=len(lines), public_token=new_public_token(), created_at=now, updated_at=now, changed_by=by,
        client_name=client["name"], notes=body.notes, buyer_reference=body.buyer_reference,
        purchase_order=body.purchase_order, delivery_date=body.delivery_date,
        tax_breakdown=tuple(TaxBreakdown(vat_category=g.vat_category, tax_rate=g.tax_rate,
                                         taxable_cents=g.taxable_cents, tax_cents=g.tax_cents,
                                         vat_exemption_reason=g.vat_exemption_reason)
                            for g in totals.tax_breakdown))
    try:
        invoice = store.create(invoice, lines, prefix)
    except store.ClientRefused as refused:
        _check_client(refused.client)
        raise
    count("InvoicesCreated")
    return answer(store.InvoiceRecord(invoice, lines), base_url, parties=(profile, client))


def priced_lines(body: InvoiceCreate, parties: vat.Parties) -> list[InvoiceLine]:
    """The body's lines as stored: VAT category and exemption reason resolved (422 on a broken rule),
    rate normalized, amount computed (`money.compute` then checks the bounds)."""
    resolved = vat.resolve(body.lines, parties)
    return [InvoiceLine(description=line.description, quantity=line.quantity, unit_price_cents=line.unit_price_cents,
                        tax_rate=money.normalized_rate(line.tax_rate),
                        amount_cents=money.line_amount(line.quantity, line.unit_price_cents),
                        vat_category=line_vat.category, unit=line.unit, kind=line.kind,
                        vat_exemption_reason=VatExemptionReason(**line_vat.reason.as_dict())
                        if line_vat.reason else None)
            for line, line_vat in zip(body.lines, resolved, strict=True)]


def _check_client(client: dict[str, Any] | None) -> None:
    if client is None:
        raise ValidationFailed.field("client_id", "not_found", "client_id is not a client of this business")
    if client.get("archived_at"):
        raise Conflict(f"client {client.get('name', '')} is archived: unarchive it to invoice it",
                       [{"field": "client_id", "issue": "archived", "value": client.get("client_id")}])


def get_record(business_id: str, invoice_id: str) -> store.InvoiceRecord:
    """The invoice as stored; NotFound for a malformed id, another business's id or an unknown one."""
    return store.get(business_id, id_or_not_found(invoice_id, "invoice"))


def get_record_by_token(token: str) -> store.InvoiceRecord | None:
    return store.get_by_public_token(token) if token else None


def get_invoice(business_id: str, invoice_id: str, base_url: str) -> Invoice:
    return answer(get_record(business_id, invoice_id), base_url)


def list_invoices(business_id: str, page: int | None, per_page: int, status: str | None, client_id: str | None,
                  base_url: str, cursor: str | None = None) -> InvoiceList:
    """Highest number first; `page` (None: not asked) or `cursor` (a `next_cursor` of the same list)."""
    asked = page_request(page, per_page, cursor)
    if status is not None and status not in rules.STATUSES:
        raise InvalidRequest(f"status must be one of {', '.join(rules.STATUSES)}",
                             [{"field": "status", "issue": "enum", "value": status}])
    client = None
    if client_id is not None:
        client = parse_id(client_id)
        if client is None:
            raise InvalidRequest("client_id must be a uuid", [{"field": "client_id", "issue": "uuid",
                                                                "value": client_id}])
    found, listed = store.list_page(business_id, asked, status, client)
    printed = parties_store.printed_of_page(business_id, found)
    return InvoiceList(data=[invoice.to_summary(public_url(base_url, invoice.public_token),
                                                einvoices.summary_readiness(invoice, parties))
                             for invoice, parties in zip(found, printed, strict=True)],
                       page=asked.page if cursor is None else None, per_page=per_page, has_more=listed.has_more,
                       next_cursor=listed.next_cursor)


def cancel_invoice(business_id: str, invoice_id: str, base_url: str, by: str | None = None) -> Invoice:
    return _transition(business_id, invoice_id, rules.CANCELLED, base_url, by=by)


def _transition(business_id: str, invoice_id: str, target: str, base_url: str, at: datetime | None = None,
                changes: dict[str, Any] | None = None, by: str | None = None) -> Invoice:
    canonical = id_or_not_found(invoice_id, "invoice")
    store.transition(business_id, canonical, target, at or utcnow(), changes, by)
    return answer(store.get(business_id, canonical), base_url)


def answer(record: store.InvoiceRecord, base_url: str, parties: parties_store.Parties | None = None) -> Invoice:
    """The API's invoice, with whether it can be an e-invoice (`store.parties.printed`: an issued invoice's
    frozen parties; a draft's `parties` when the caller has read them, else one BatchGetItem)."""
    readiness = einvoices.invoice_readiness(record, parties_store.printed(record.invoice, parties))
    return record.to_invoice(public_url(base_url, record.invoice.public_token), readiness)
