"""E-invoices of invoices: whether each can be one (every invoice answer says), and its UBL or CII file.

Readiness is computed from the same document the writers write (einvoice.build), with the same rules
(einvoice.readiness), so an answer never says ready for a file the API would refuse. The writers (and
lxml) are imported only when a file is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastfaktura.domain.errors import NotFound, ValidationFailed
from fastfaktura.einvoice.build import GroupLine, build_document
from fastfaktura.einvoice.model import Document
from fastfaktura.einvoice.readiness import Missing, readiness
from fastfaktura.models.einvoice import EinvoiceMissing, EinvoiceReadiness
from fastfaktura.store import parties as parties_store
from fastfaktura.store.invoices import InvoiceRecord, StoredInvoice

Parties = tuple[dict[str, Any] | None, dict[str, Any] | None]
SYNTAXES = ("ubl", "cii")


@dataclass(frozen=True)
class XmlFile:
    body: bytes
    file_name: str


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


def write(document: Document, syntax: str) -> bytes:
    """The UBL or CII file of a ready document (lxml is imported here)."""
    if syntax == "ubl":
        from fastfaktura.einvoice.ubl import write_ubl

        return write_ubl(document)
    from fastfaktura.einvoice.cii import write_cii

    return write_cii(document)


def file_name(number: str, syntax: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in number)
    return f"{safe}.{'ubl' if syntax == 'ubl' else 'cii'}.xml"


def invoice_xml(business_id: str, invoice_id: str, syntax: str) -> XmlFile:
    """Round trips: one Query (invoice, lines), one BatchGetItem (profile, client)."""
    from fastfaktura.services import invoices

    record = invoices.get_record(business_id, invoice_id)
    profile, client = read_parties(record)
    if profile is None:
        raise NotFound("invoice not found")
    document = invoice_document(record, profile, client)
    refuse_unless_ready(readiness(document), record.invoice.number)
    return XmlFile(write(document, syntax), file_name(record.invoice.number, syntax))
