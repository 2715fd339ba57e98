"""Credit notes: their numbering (the same `store.sequences` as invoices, counter `COUNTER#CREDITNOTE`),
the reads by id, the lists (the business's, GSI2; an invoice's, GSI4) and the refund's record.

Issuing follows the invoices' stage → claim → finish. The stage is ONE transaction: the unnumbered
credit note (PENDING, in its own partition) with the update of its invoice's balance — and, for a
cancel, the invoice's move to `cancelled` — on condition that the invoice is still the version the
credit was decided on. A stage that loses that race writes nothing and the caller decides again, so
credits never exceed the invoice; only a staged credit note claims a number, so numbers stay gapless.
A claim the table refuses writes the invoice back as it was read (`store.invoices.restore`).
The finish writes the numbered credit note with its reference in the invoice's partition; the stream
repairs a claim whose finish never ran, and the hourly job numbers a stage whose create died before its
claim (`services.numbering`): the invoice it credited always gets its credit note.
"""

from __future__ import annotations

from typing import Any

from fastfaktura.domain.errors import FastFakturaError, NotFound
from fastfaktura.observability import count, logger
from fastfaktura.store import cursors, db, keys, pages, sequences
from fastfaktura.store.balance import StoredCreditNote
from fastfaktura.store.invoices import InvoiceChanged, StoredInvoice, balance_update, restore


def _numbered(document: dict[str, Any], sequence: int, number: str) -> dict[str, Any]:
    return StoredCreditNote.from_item({**document, "sequence": sequence, "number": number}).to_item()


def _beside(numbered: dict[str, Any]) -> list[dict[str, Any]]:
    return [StoredCreditNote.from_item(numbered).to_ref_item()]


NUMBERING = sequences.Sequence("CREDITNOTE", keys.CREDIT_NOTE_SK, _numbered, _beside)
"""The credit notes' sequence: the counter `COUNTER#CREDITNOTE`, the numbered item `CREDITNOTE` in the
credit note's partition, its reference `CREDITNOTE#<id>` in the invoice's."""


def issue(invoice: StoredInvoice, note: StoredCreditNote, prefix: str, changes: dict[str, Any],
          target: str | None) -> StoredCreditNote:
    """Stages `note` (its `number` and `sequence` are ignored) with the invoice's balance `changes` (and
    the move to `target`), claims the next number, writes it numbered. Raises InvoiceChanged (decide
    again; nothing written). Answers the credit note as written."""
    item = note.to_item()
    staged = sequences.Staged(item["PK"], item, prefix, finished_when_abandoned=NUMBERING.name)
    try:
        sequences.stage(staged, [], [{"Update": balance_update(invoice, changes, target, note.created_at)}])
    except db.client().exceptions.TransactionCanceledException as exc:
        if db.cancellation_reasons(exc)[:1] == ["ConditionalCheckFailed"]:
            raise InvoiceChanged(invoice.invoice_id) from exc
        raise
    return StoredCreditNote.from_item(sequences.claim_and_finish(
        NUMBERING, note.business_id, staged, "credit note", note.credit_note_id,
        lambda: _unstage(invoice, note, staged)))


def _unstage(invoice: StoredInvoice, note: StoredCreditNote, staged: sequences.Staged) -> None:
    """The claim failed (the table refused it): the staged note leaves the hourly job's index and the
    invoice gets back its balance and status, so the request may be retried (the claim's retryable error
    goes on). When either cannot be done (the table still refuses, or the invoice changed since), the note
    stays in, or goes back into, the index: the hourly job numbers it, the credit stands, and the answer
    is a 500 that says so instead of an invitation to credit the invoice again. (Out of the index before
    the invoice is given back: a crash in between leaves the invoice credited, never a credit note that the
    invoice's balance does not count.)"""
    kept = FastFakturaError(f"credit note {note.credit_note_id} could not be undone after its number was refused: "
                            "it is numbered within the hour; do not create it again")
    try:
        sequences.set_abandonable(staged, False)
    except Exception as exc:
        raise kept from exc
    if not restore(invoice):
        logger.error("a credit note's stage changed its invoice, its claim failed and the invoice changed since: "
                     "the hourly job numbers it", extra={"invoice_id": invoice.invoice_id,
                                                        "credit_note_id": note.credit_note_id})
        count("CreditNotesUnclaimed")
        sequences.set_abandonable(staged, True)
        raise kept


def get(business_id: str, credit_note_id: str, consistent: bool = False) -> StoredCreditNote:
    """One GetItem; NotFound when this business has no such credit note (a staged one is not one yet)."""
    found = db.get(keys.credit_note_pk(business_id, credit_note_id), keys.CREDIT_NOTE_SK, consistent)
    if found is None:
        raise NotFound("credit note not found")
    return StoredCreditNote.from_item(found)


def list_page(business_id: str, asked: pages.PageRequest,
              invoice_id: str | None = None) -> tuple[list[StoredCreditNote], pages.Page]:
    """Highest number first: the business's (GSI2) or one invoice's (GSI4); by page or by cursor."""
    if invoice_id:
        index, pk = keys.GSI4, keys.credit_notes_by_invoice_gsi4pk(business_id, invoice_id)
    else:
        index, pk = keys.GSI2, keys.credit_notes_gsi2pk(business_id)
    request: dict[str, Any] = {
        "TableName": db.table_name(), "IndexName": index, "ScanIndexForward": False,
        "KeyConditionExpression": f"{index}PK = :pk", "ExpressionAttributeValues": {":pk": {"S": pk}},
    }
    scope = cursors.Scope("credit_notes", business_id, ("PK", "SK", f"{index}PK", f"{index}SK"),
                          {f"{index}PK": pk}, {"invoice_id": invoice_id})
    page = pages.read(request, asked, scope)
    return [StoredCreditNote.from_item(db.from_item(item)) for item in page.items], page


def set_refund(note: StoredCreditNote, refund: dict[str, Any]) -> None:
    """Records the refund (as Stripe answered or later reported it) on the credit note."""
    db.update_existing(keys.credit_note_pk(note.business_id, note.credit_note_id), keys.CREDIT_NOTE_SK,
                       {"refund": refund})
