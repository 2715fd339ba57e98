"""Credit notes: the issuing transaction (number + credit note + the invoice's new balance), the reads
by id (GSI1) and the lists (the business's, GSI2; an invoice's, its partition), and the refund's record.

Issuing is ONE TransactWriteItems: the credit-note counter `COUNTER#CREDITNOTE` moves from the value read
to the note's sequence (`store.sequences`), the note is put (new key), and the invoice is updated on
condition that it is still the version the credit was decided on. Whichever condition fails, nothing is
written and the caller decides again: numbers stay gapless and credits never exceed the invoice."""

from __future__ import annotations

from typing import Any

from fastfaktura.domain.errors import NotFound
from fastfaktura.store import db, keys, pages, sequences
from fastfaktura.store.balance import StoredCreditNote
from fastfaktura.store.invoices import InvoiceChanged, StoredInvoice, balance_update


def read_for_issue(business_id: str) -> tuple[dict[str, Any] | None, int | None]:
    """The profile (prefix, locale) and the counter's last number, strongly consistent, in one round trip."""
    pk = keys.business_pk(business_id)
    found = {item["SK"]: item for item in db.batch_get([(pk, keys.PROFILE_SK), (pk, keys.CREDIT_NOTE_COUNTER_SK)],
                                                       consistent=True)}
    counter = found.get(keys.CREDIT_NOTE_COUNTER_SK)
    return found.get(keys.PROFILE_SK), counter["last"] if counter else None


def issue(invoice: StoredInvoice, note: StoredCreditNote, seen_last: int | None, changes: dict[str, Any],
          target: str | None) -> None:
    """Raises NumberTaken or InvoiceChanged (decide again); writes nothing then."""
    transaction = [
        sequences.claim(note.business_id, keys.CREDIT_NOTE_COUNTER_SK, seen_last, note.sequence),
        {"Put": {"TableName": db.table_name(), "Item": db.to_item(note.to_item()),
                 "ConditionExpression": "attribute_not_exists(PK)"}},
        {"Update": balance_update(invoice, changes, target, note.created_at)},
    ]
    try:
        db.client().transact_write_items(TransactItems=transaction)
    except db.client().exceptions.TransactionCanceledException as exc:
        reasons = exc.response.get("CancellationReasons", [])
        taken = sequences.number_taken([*reasons, {}][0])
        if taken:
            raise taken from exc
        if any(r.get("Code") in ("ConditionalCheckFailed", "TransactionConflict") for r in reasons):
            raise InvoiceChanged(invoice.invoice_id) from exc
        raise


def get(business_id: str, credit_note_id: str) -> StoredCreditNote:
    """One Query of GSI1; NotFound when this business has no such credit note."""
    found = db.client().query(
        TableName=db.table_name(), IndexName=keys.GSI1, KeyConditionExpression="GSI1PK = :pk AND GSI1SK = :sk",
        ExpressionAttributeValues=db.to_item({":pk": keys.credit_note_gsi1pk(business_id, credit_note_id),
                                              ":sk": keys.CREDIT_NOTE_GSI1SK}))["Items"]
    if not found:
        raise NotFound("credit note not found")
    return StoredCreditNote.from_item(db.from_item(found[0]))


def list_page(business_id: str, page: int, per_page: int,
              invoice_id: str | None = None) -> tuple[list[StoredCreditNote], bool]:
    """Newest first: the business's (GSI2), or one invoice's (its partition's `CREDITNOTE#` range)."""
    if invoice_id:
        request: dict[str, Any] = {
            "TableName": db.table_name(), "ScanIndexForward": False,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": db.to_item({":pk": keys.invoice_pk(business_id, invoice_id),
                                                     ":prefix": keys.CREDIT_NOTE_SK_PREFIX})}
        key_attributes: tuple[str, ...] = ("PK", "SK")
    else:
        request = {"TableName": db.table_name(), "IndexName": keys.GSI2, "ScanIndexForward": False,
                   "KeyConditionExpression": "GSI2PK = :pk",
                   "ExpressionAttributeValues": db.to_item({":pk": keys.credit_notes_gsi2pk(business_id)})}
        key_attributes = ("PK", "SK", "GSI2PK", "GSI2SK")
    items, has_more = pages.read_page(request, page, per_page, key_attributes)
    return [StoredCreditNote.from_item(db.from_item(item)) for item in items], has_more


def set_refund(note: StoredCreditNote, refund: dict[str, Any]) -> None:
    """Records the refund (as Stripe answered or later reported it) on the credit note."""
    db.update_existing(keys.invoice_pk(note.business_id, note.invoice_id), keys.credit_note_sk(note.credit_note_id),
                       {"refund": refund})
