"""E-invoice files of invoices and credit notes: the UBL and the CII (lxml is imported here, when a file is
written)."""

from __future__ import annotations

from dataclasses import dataclass

from fastfaktura.domain.errors import NotFound
from fastfaktura.einvoice.model import Document
from fastfaktura.services import einvoices, invoices
from fastfaktura.store import invoices as invoice_store
from fastfaktura.store import parties as parties_store


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
    """Round trips: one Query (invoice, lines), and for a draft one BatchGetItem (profile, client; an
    issued invoice names the parties it froze)."""
    record = invoices.get_record(business_id, invoice_id)
    document = einvoices.invoice_document(record, parties_store.printed(record.invoice))
    if document is None:
        raise NotFound("invoice not found")
    ready = einvoices.refuse_unless_ready(document, f"invoice {record.invoice.number}")
    return XmlFile(write(ready, syntax), file_name(record.invoice.number, syntax))


def credit_note_xml(business_id: str, credit_note_id: str, syntax: str) -> XmlFile:
    """A UBL CreditNote or a CII 381 naming the invoice it corrects (BG-3). Round trips: two GetItems (the
    credit note, its invoice; an invoice sent before parties were frozen: and a BatchGetItem)."""
    from fastfaktura.services import credit_notes

    note = credit_notes.get_record(business_id, credit_note_id)
    document = credit_notes.einvoice_document(note, invoice_store.get_item(business_id, note.invoice_id))
    if document is None:
        raise NotFound("credit note not found")
    ready = einvoices.refuse_unless_ready(document, f"credit note {note.number}")
    return XmlFile(write(ready, syntax), file_name(note.number, syntax))
