"""Whether each invoice can be an e-invoice (every invoice answer says), and the document it would be.

Readiness is computed from the same document the writers write (einvoice.build), with the same rules
(einvoice.readiness), so an answer never says ready for a file the API would refuse. The parties are
those its documents show (`store.parties.printed`): an issued invoice's e-invoice names the seller and
the client as they were at its first send. The files are `services.einvoice_files`' (with lxml): no
function that only answers invoices can reach the writers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from fastfaktura.domain.errors import ValidationFailed
from fastfaktura.einvoice.build import GroupLine, InvoiceFacts, LineFacts, build_document
from fastfaktura.einvoice.model import Document
from fastfaktura.einvoice.readiness import Missing, readiness
from fastfaktura.models.einvoice import EinvoiceMissing, EinvoiceReadiness
from fastfaktura.store.invoices import InvoiceRecord, StoredInvoice
from fastfaktura.store.parties import Parties

PROFILE_GONE = Missing("business", "the business profile is gone")


def invoice_document(record: InvoiceRecord, parties: Parties) -> Document | None:
    """The EN 16931 document of an invoice; `parties` as `store.parties.printed` answers them (None: the
    business profile is gone)."""
    return _document(record.invoice, record.lines, parties)


class CreditNoteFacts(InvoiceFacts, Protocol):
    """What the builder reads of a credit note record: its own number, currency and issue date and its
    lines; `reason`, when it has one, becomes its note."""

    @property
    def lines(self) -> Sequence[LineFacts]: ...


def credit_note_document(note: CreditNoteFacts, corrects: InvoiceFacts, parties: Parties) -> Document | None:
    """The EN 16931 credit note of `note` (381, BG-3 naming `corrects`, the `StoredInvoice` it corrects, and
    that invoice's buyer references); `parties` those of the invoice (`store.parties.printed(corrects)`:
    frozen, as it was issued)."""
    return _document(note, note.lines, parties, corrects=corrects)


def _document(record: InvoiceFacts, lines: Sequence[LineFacts], parties: Parties,
              corrects: InvoiceFacts | None = None) -> Document | None:
    profile, client = parties
    return build_document(profile, client, record, lines, corrects=corrects) if profile is not None else None


def missing_of(document: Document | None) -> list[Missing]:
    return readiness(document) if document is not None else [PROFILE_GONE]


def answer_of(document: Document | None) -> EinvoiceReadiness:
    missing = missing_of(document)
    return EinvoiceReadiness(ready=not missing, missing=[EinvoiceMissing(field=item.field, message=item.message)
                                                         for item in missing])


def invoice_readiness(record: InvoiceRecord, parties: Parties) -> EinvoiceReadiness:
    return answer_of(invoice_document(record, parties))


def summary_readiness(invoice: StoredInvoice, parties: Parties) -> EinvoiceReadiness:
    """A listed invoice (no lines read): the same rules, on its VAT breakdown."""
    return answer_of(_document(invoice, [GroupLine(group) for group in invoice.tax_breakdown], parties))


def refuse_unless_ready(document: Document | None, number: str) -> Document:
    """The document, or a 422 naming every field that stops it from being a valid e-invoice."""
    missing = missing_of(document)
    if missing or document is None:
        raise ValidationFailed(
            f"{number} cannot be a valid e-invoice yet: "
            + "; ".join(f"{item.field}: {item.message}" for item in missing),
            [{"field": item.field, "issue": "einvoice_missing", "value": None, "message": item.message}
             for item in missing])
    return document
