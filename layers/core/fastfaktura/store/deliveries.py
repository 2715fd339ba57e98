"""A send's record: one DELIVERY item per channel and, on an invoice's first successful send, its
`draft` → `sent` transition — in ONE TransactWriteItems (docs/DATA_MODEL.md, "delivery")."""

from __future__ import annotations

import random
import time
from datetime import datetime
from typing import Any

from fastfaktura.domain import invoices as rules
from fastfaktura.store import db, invoices, keys

MAX_CONFLICT_RETRIES = 4


def delivery_item(business_id: str, invoice_id: str, at: str, values: dict[str, Any]) -> dict[str, Any]:
    """`values`: channel, reminder, status, to, message_id, by (the API key id), and subject / text /
    reason when known."""
    return {"PK": keys.invoice_pk(business_id, invoice_id), "SK": keys.delivery_sk(at, values["channel"]),
            "business_id": business_id, "invoice_id": invoice_id, "at": at, **values}


def sent_before(business_id: str, invoice_id: str) -> list[dict[str, Any]]:
    """The invoice's deliveries so far (channel, reminder, status, at): one Query of its partition."""
    return [db.from_item(item) for item in db.query_all({
        "TableName": db.table_name(), "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": db.to_item({":pk": keys.invoice_pk(business_id, invoice_id),
                                                 ":prefix": keys.DELIVERY_SK_PREFIX}),
        "ProjectionExpression": "channel, reminder, #status, #at", "ConsistentRead": True,
        "ExpressionAttributeNames": {"#status": "status", "#at": "at"}})]


def record_send(business_id: str, invoice_id: str, at: str, deliveries: list[dict[str, Any]],
                mark_sent: bool, issued: dict[str, Any] | None = None, by: str | None = None) -> bool:
    """Writes the deliveries, and with `mark_sent` the invoice's `draft` → `sent` (with `issued`, the
    attributes that freeze the invoice's parties), atomically. When the invoice is no longer a draft
    (a concurrent send won, or it was cancelled meanwhile) the messages have left all the same: the
    deliveries are written without the transition. A conflict with a concurrent transaction on the
    invoice is retried, since the messages cannot be taken back.
    Answers whether this send made the invoice `sent`."""
    puts = [{"Put": {"TableName": db.table_name(), "ConditionExpression": "attribute_not_exists(PK)",
                     "Item": db.to_item(delivery_item(business_id, invoice_id, at, values))}}
            for values in deliveries]
    conflicts = 0
    while True:
        sent_at = datetime.fromisoformat(at)
        transition = [{"Update": invoices.transition_update(business_id, invoice_id, rules.SENT, sent_at, issued, by)}
                      ] if mark_sent else []
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
