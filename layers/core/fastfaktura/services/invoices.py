"""Invoices: create (money, gapless number), read, list, cancel (payments: services.balance).

For the other parts of the app: `get_record` / `get_record_by_token` give an invoice as stored
(`store.invoices.InvoiceRecord`, its item a typed `StoredInvoice`), `answer` turns one into the
API's `Invoice`, and
`store.invoices.transition` is the one way to change an invoice's status.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

from fastfaktura.domain import invoices as rules
from fastfaktura.domain import money
from fastfaktura.domain.errors import Conflict, InvalidRequest, NotFound, ServiceUnavailable, ValidationFailed
from fastfaktura.domain.ids import id_or_not_found, new_id, parse_id
from fastfaktura.models.common import utcnow
from fastfaktura.models.invoices import Invoice, InvoiceCreate, InvoiceLine, InvoiceList, TaxBreakdown
from fastfaktura.observability import count
from fastfaktura.store import invoices as store


def new_public_token() -> str:
    """192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


def public_url(base_url: str, token: str) -> str:
    return f"{base_url}/i/{token}"


def create_invoice(business_id: str, body: InvoiceCreate, base_url: str) -> Invoice:
    """Two round trips: one BatchGetItem (profile, client, counter), one TransactWriteItems (plus one
    more per create that won the same number first)."""
    totals = money.compute(body.lines)
    client_id = str(body.client_id)
    context = store.read_for_create(business_id, client_id)
    if context.profile is None:
        raise NotFound("business not found")
    _check_client(context.client)
    profile = context.profile
    now = utcnow()
    issued = rules.issue_date(now, profile.get("timezone") or "Europe/Paris")
    lines = [InvoiceLine(description=line.description, quantity=line.quantity, unit_price_cents=line.unit_price_cents,
                         tax_rate=money.normalized_rate(line.tax_rate), amount_cents=amount)
             for line, amount in zip(body.lines, totals.line_amounts, strict=True)]
    prefix = profile.get("invoice_number_prefix", "F-")
    invoice = store.StoredInvoice(
        business_id=business_id, invoice_id=new_id(), client_id=client_id, status=rules.DRAFT,
        **_numbering(context.last_number, prefix), currency=body.currency, issue_date=issued,
        due_date=body.due_date or rules.default_due_date(issued, int(profile.get("payment_terms_days", 30))),
        subtotal_cents=totals.subtotal_cents, tax_cents=totals.tax_cents, total_cents=totals.total_cents,
        line_count=len(lines), public_token=new_public_token(), created_at=now, updated_at=now,
        client_name=context.client["name"], notes=body.notes,
        tax_breakdown=tuple(TaxBreakdown(tax_rate=g.tax_rate, taxable_cents=g.taxable_cents, tax_cents=g.tax_cents)
                            for g in totals.tax_breakdown))
    invoice = _write_with_next_number(invoice, lines, context.last_number, prefix)
    count("InvoicesCreated")
    return answer(store.InvoiceRecord(invoice, lines), base_url)


def _write_with_next_number(invoice: store.StoredInvoice, lines: list[InvoiceLine], last: int | None,
                            prefix: str) -> store.StoredInvoice:
    """Writes the invoice, numbered after `last`; when another create took that number first, nothing
    was written, and it tries again with the counter's fresh value (after a backoff) until the time
    budget is spent (503, retryable). Answers the invoice as written."""
    deadline = time.monotonic() + store.CREATE_BUDGET_SECONDS
    attempt = 0
    while True:
        started = time.monotonic()
        try:
            store.create(invoice, lines, last)
            return invoice
        except store.NumberTaken as taken:
            if time.monotonic() > deadline:
                raise ServiceUnavailable("too many invoices are being created at once for this business; "
                                         "please retry", headers={"Retry-After": "1"}) from taken
            last = taken.last
            invoice = replace(invoice, **_numbering(last, prefix))
            store.backoff(attempt, time.monotonic() - started)
            attempt += 1
        except store.ClientRefused as refused:
            _check_client(refused.client)
            raise


def _numbering(last: int | None, prefix: str) -> dict[str, Any]:
    """The sequence and number after the counter's `last` (None: the business's first invoice)."""
    sequence = (last or 0) + 1
    return {"sequence": sequence, "number": rules.format_number(prefix, sequence)}


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


def list_invoices(business_id: str, page: int, per_page: int, status: str | None, client_id: str | None,
                  base_url: str) -> InvoiceList:
    if status is not None and status not in rules.STATUSES:
        raise InvalidRequest(f"status must be one of {', '.join(rules.STATUSES)}",
                             [{"field": "status", "issue": "enum", "value": status}])
    client = None
    if client_id is not None:
        client = parse_id(client_id)
        if client is None:
            raise InvalidRequest("client_id must be a uuid", [{"field": "client_id", "issue": "uuid",
                                                                "value": client_id}])
    found, has_more = store.list_page(business_id, page, per_page, status, client)
    return InvoiceList(data=[invoice.to_summary(public_url(base_url, invoice.public_token)) for invoice in found],
                       page=page, per_page=per_page, has_more=has_more)


def cancel_invoice(business_id: str, invoice_id: str, base_url: str) -> Invoice:
    return _transition(business_id, invoice_id, rules.CANCELLED, base_url)


def _transition(business_id: str, invoice_id: str, target: str, base_url: str, at: datetime | None = None,
                changes: dict[str, Any] | None = None) -> Invoice:
    canonical = id_or_not_found(invoice_id, "invoice")
    store.transition(business_id, canonical, target, at or utcnow(), changes)
    return answer(store.get(business_id, canonical), base_url)


def answer(record: store.InvoiceRecord, base_url: str) -> Invoice:
    return record.to_invoice(public_url(base_url, record.invoice.public_token))
