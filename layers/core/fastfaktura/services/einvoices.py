"""Whether each invoice can be an e-invoice (every invoice answer says), and the document it would be.

Readiness is computed from the same document the writers write (einvoice.build), with the same rules
(einvoice.readiness), so an answer never says ready for a file the API would refuse. The files are
`services.einvoice_files`' (with lxml): no function that only answers invoices can reach the writers.
"""

from __future__ import annotations

from typing import Any

from fastfaktura.domain.errors import ValidationFailed
from fastfaktura.einvoice.build import GroupLine, build_document
from fastfaktura.einvoice.model import Document
from fastfaktura.einvoice.readiness import Missing, readiness
from fastfaktura.models.einvoice import EinvoiceMissing, EinvoiceReadiness
from fastfaktura.store import parties as parties_store
from fastfaktura.store.invoices import InvoiceRecord, StoredInvoice

Parties = tuple[dict[str, Any] | None, dict[str, Any] | None]


def invoice_document(record: InvoiceRecord, profile: dict[str, Any], client: dict[str, Any] | None) -> Document:
    return build_document(profile, client, record.invoice, record.lines)


def answer_of(missing: list[Missing]) -> EinvoiceReadiness:
    return EinvoiceReadiness(ready=not missing, missing=[EinvoiceMissing(field=item.field, message=item.message)
                                                         for item in missing])


def invoice_readiness(record: InvoiceRecord, parties: Parties) -> EinvoiceReadiness:
    profile, client = parties
    if profile is None:
        return answer_of([Missing("business", "the business profile is gone")])
    return answer_of(readiness(invoice_document(record, profile, client)))


def summary_readiness(invoice: StoredInvoice, profile: dict[str, Any] | None,
                      client: dict[str, Any] | None) -> EinvoiceReadiness:
    """A listed invoice (no lines read): the same rules, on its VAT breakdown."""
    if profile is None:
        return answer_of([Missing("business", "the business profile is gone")])
    lines = [GroupLine(group) for group in invoice.tax_breakdown]
    return answer_of(readiness(build_document(profile, client, invoice, lines)))


def read_parties(record: InvoiceRecord) -> Parties:
    return parties_store.seller_and_client(record.business_id, record.invoice.client_id)


def refuse_unless_ready(missing: list[Missing], number: str) -> None:
    """422 naming every field that stops the document from being a valid e-invoice."""
    if missing:
        raise ValidationFailed(
            f"invoice {number} cannot be a valid e-invoice yet: "
            + "; ".join(f"{item.field}: {item.message}" for item in missing),
            [{"field": item.field, "issue": "einvoice_missing", "value": None, "message": item.message}
             for item in missing])
