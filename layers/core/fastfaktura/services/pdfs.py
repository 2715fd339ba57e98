"""Invoice PDFs: rendered once per printed version, kept in the private bucket, served from there.

The version is the digest of everything the PDF prints (seller profile fields, client, invoice with
its lines, the paid/cancelled state, the layout version) and of the e-invoice it embeds (the EN 16931
document, or that there is none, and the e-invoice version): a status change that prints differently
(paid, cancelled) or an edited profile of a draft makes a new object; `opened` or `overdue` do not,
nor a profile edited after the first send (an issued invoice prints, and embeds, the parties it froze).
When the invoice can be a valid e-invoice the PDF is a Factur-X PDF/A-3B with its CII; otherwise a
plain PDF. The renderer (and fpdf2, and lxml for the CII) is imported only when a version has to be
rendered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from fastfaktura.domain.errors import NotFound
from fastfaktura.domain.ids import id_or_not_found
from fastfaktura.einvoice.model import Document
from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.services import einvoice_files, einvoices, invoices
from fastfaktura.services.mentions import printable_mentions
from fastfaktura.store import credit_notes as credit_note_store
from fastfaktura.store import invoices as invoice_store
from fastfaktura.store import parties as parties_store
from fastfaktura.store import pdfs as pdf_store
from fastfaktura.store.invoices import InvoiceRecord

LAYOUT_VERSION = "3"  # bump when the layout changes, so stored PDFs are rendered again
EINVOICE_VERSION = "1"  # bump when the embedded CII is written differently


@dataclass(frozen=True)
class InvoicePdf:
    body: bytes
    file_name: str
    rendered: bool  # False when served from the bucket


def invoice_pdf(business_id: str, invoice_id: str, base_url: str) -> InvoicePdf:
    """Round trips: one Query (invoice and lines), one BatchGetItem (profile, client), one S3 GET,
    and on a first request one S3 PUT."""
    return pdf_for_record(invoices.get_record(business_id, invoice_id), base_url)


def public_pdf(token: str, base_url: str) -> InvoicePdf:
    record = invoices.get_record_by_token(token)
    if record is None:
        raise NotFound("no invoice has this link")
    return pdf_for_record(record, base_url)


def pdf_for_record(record: InvoiceRecord, base_url: str,
                   parties: tuple[dict[str, Any] | None, dict[str, Any] | None] | None = None) -> InvoicePdf:
    """An issued invoice prints (and embeds) the parties it froze at its first send. Else `parties`: the
    profile and client items when the caller has read them already (the send), so they are not read
    twice; else one BatchGetItem reads them."""
    profile, client = parties_store.printed(record.invoice, parties)
    einvoice = einvoices.invoice_document(record, (profile, client))
    if profile is None or einvoice is None:
        raise NotFound("invoice not found")
    document = InvoiceDocument.from_dict(document_dict(record, profile, client, base_url))
    embedded = einvoice if not einvoices.missing_of(einvoice) else None
    key = pdf_store.object_key(record.business_id, record.invoice_id, document.invoice.status,
                               digest(document, embedded))
    return _stored_or_rendered(key, document, embedded)


def _stored_or_rendered(key: str, document: InvoiceDocument, embedded: Document | None) -> InvoicePdf:
    """The PDF of `key` from the bucket, or rendered (fpdf2, and lxml for an embedded CII, imported only
    then) and kept there."""
    stored = pdf_store.get(key)
    if stored is not None:
        return InvoicePdf(stored, document.file_name, rendered=False)
    from fastfaktura.pdf.render import render

    body = render(document, einvoice_files.write(embedded, "cii") if embedded else None).body
    pdf_store.put(key, body, document.file_name)
    return InvoicePdf(body, document.file_name, rendered=True)


def document_dict(record: InvoiceRecord, profile: dict[str, Any], client: dict[str, Any] | None,
                  base_url: str) -> dict[str, Any]:
    """The contract's render-pdf document for a stored invoice (the client as the invoice named it
    when the client item is gone)."""
    invoice = invoices.answer(record, base_url, parties=(profile, client)).model_dump(mode="json",
                                                                                   exclude={"events", "einvoice"})
    client = client or {"name": record.invoice.client_name}
    return {"business": profile, "client": client, "invoice": invoice,
            "mentions": printable_mentions(profile, client, invoice)}



def credit_note_pdf(business_id: str, credit_note_id: str) -> InvoicePdf:
    """A credit note's PDF, in the client's locale, naming the invoice it corrects and that invoice's date,
    between the parties that invoice was issued to and from; a Factur-X PDF (CII 381) when it can be a
    valid e-invoice. Round trips: two GetItems (the credit note, its invoice), one S3 GET (and once a PUT;
    an invoice sent before parties were frozen: a BatchGetItem)."""
    note = credit_note_store.get(business_id, id_or_not_found(credit_note_id, "credit note"))
    corrects = invoice_store.get_item(business_id, note.invoice_id)
    profile, client = parties_store.printed(corrects)
    einvoice = einvoices.credit_note_document(note, corrects, (profile, client))
    if profile is None or einvoice is None:
        raise NotFound("credit note not found")
    embedded = einvoice if not einvoices.missing_of(einvoice) else None
    own = note.to_credit_note(einvoices.answer_of(einvoice)).model_dump(mode="json", exclude={"einvoice"})
    document = InvoiceDocument.from_dict({
        "business": profile, "client": client or {"name": ""},
        "invoice": {**own, "due_date": own["issue_date"], "status": "open"},
        "corrects": {"number": note.invoice_number, "issue_date": own["invoice_issue_date"], "reason": note.reason}})
    return _stored_or_rendered(pdf_store.object_key(business_id, note.credit_note_id, "credit_note",
                                                   digest(document, embedded)), document, embedded)


def digest(document: InvoiceDocument, einvoice: Document | None = None) -> str:
    """Of what is printed and of the e-invoice embedded, with its version (None: a plain PDF)."""
    printed = json.dumps(asdict(document), default=str, sort_keys=True, ensure_ascii=False)
    embedded = (f"{EINVOICE_VERSION}\n" + json.dumps(asdict(einvoice), default=str, sort_keys=True, ensure_ascii=False)
                if einvoice else "plain")
    return hashlib.sha256(f"{LAYOUT_VERSION}\n{printed}\n{embedded}".encode()).hexdigest()[:32]
