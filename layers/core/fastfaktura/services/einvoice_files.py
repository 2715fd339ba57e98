"""E-invoice files of invoices: the UBL and the CII (lxml is imported here, when a file is written)."""

from __future__ import annotations

from dataclasses import dataclass

from fastfaktura.domain.errors import NotFound
from fastfaktura.einvoice.model import Document
from fastfaktura.einvoice.readiness import readiness
from fastfaktura.services import einvoices, invoices


@dataclass(frozen=True)
class XmlFile:
    body: bytes
    file_name: str


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
    record = invoices.get_record(business_id, invoice_id)
    profile, client = einvoices.read_parties(record)
    if profile is None:
        raise NotFound("invoice not found")
    document = einvoices.invoice_document(record, profile, client)
    einvoices.refuse_unless_ready(readiness(document), record.invoice.number)
    return XmlFile(write(document, syntax), file_name(record.invoice.number, syntax))
