"""A send's record: one DELIVERY item per channel and, on an invoice's first successful send, its
`draft` → `sent` transition — in ONE TransactWriteItems (docs/DATA_MODEL.md, "delivery")."""

from __future__ import annotations

import random
import time
from typing import Any

from fastfaktura.domain import invoices as rules
from fastfaktura.store import db, keys

MAX_CONFLICT_RETRIES = 4


def delivery_item(business_id: str, invoice_id: str, at: str, values: dict[str, Any]) -> dict[str, Any]:
    """`values`: channel, reminder, status, to, message_id, and subject / text / reason when known."""
    return {"PK": keys.invoice_pk(business_id, invoice_id), "SK": keys.delivery_sk(at, values["channel"]),
            "business_id": business_id, "invoice_id": invoice_id, "at": at, **values}


def _sent_transition(business_id: str, invoice_id: str, at: str) -> dict[str, Any]:
    """`draft` → `sent`, the same change as `store.invoices.transition` makes (status, status index,
    `sent_at`, `updated_at`, `version` + 1, into the due-date index), as a transaction item."""
    return {"Update": {
        "TableName": db.table_name(), "Key": db.key(keys.invoice_pk(business_id, invoice_id), keys.INVOICE_SK),
        "UpdateExpression": "SET #status = :sent, GSI3PK = :gsi3pk, #stamp = :at, updated_at = :at, "
                            "GSI5PK = due_gsi5pk, GSI5SK = due_gsi5sk ADD version :one",
        "ConditionExpression": "#status = :draft",
        "ExpressionAttributeNames": {"#status": "status", "#stamp": rules.STATUS_TIMESTAMP[rules.SENT]},
        "ExpressionAttributeValues": db.to_item({
            ":sent": rules.SENT, ":draft": rules.DRAFT, ":at": at, ":one": 1,
            ":gsi3pk": keys.invoices_by_status_gsi3pk(business_id, rules.SENT)}),
    }}


def record_send(business_id: str, invoice_id: str, at: str, deliveries: list[dict[str, Any]],
                mark_sent: bool) -> bool:
    """Writes the deliveries, and with `mark_sent` the invoice's `draft` → `sent`, atomically. When the
    invoice is no longer a draft (a concurrent send won, or it was cancelled meanwhile) the messages
    have left all the same: the deliveries are written without the transition. A conflict with a
    concurrent transaction on the invoice is retried, since the messages cannot be taken back.
    Answers whether this send made the invoice `sent`."""
    puts = [{"Put": {"TableName": db.table_name(), "ConditionExpression": "attribute_not_exists(PK)",
                     "Item": db.to_item(delivery_item(business_id, invoice_id, at, values))}}
            for values in deliveries]
    conflicts = 0
    while True:
        transition = [_sent_transition(business_id, invoice_id, at)] if mark_sent else []
        try:
            db.client().transact_write_items(TransactItems=[*transition, *puts])
            return mark_sent
        except db.client().exceptions.TransactionCanceledException as exc:
            reasons = db.cancellation_reasons(exc)
            if mark_sent and reasons[0] == "ConditionalCheckFailed":
                mark_sent = False
            elif "TransactionConflict" in reasons and conflicts < MAX_CONFLICT_RETRIES:
                conflicts += 1
                time.sleep(random.uniform(0, 0.01 * 2**conflicts))
            else:
                raise
