"""Timeline event items: written only by the stream function, read with the invoice's partition."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastfaktura.domain.errors import NotFound
from fastfaktura.models.common import to_rfc3339
from fastfaktura.models.events import Event
from fastfaktura.store import db, keys


def put(business_id: str, invoice_id: str, event: Event) -> bool:
    """One conditional PutItem; answers False when the event is already there (a redelivered record).
    Its key is a function of the event alone, so the same event always meets its earlier self."""
    at = to_rfc3339(event.at)
    item = {"PK": keys.invoice_pk(business_id, invoice_id), "SK": keys.event_sk(at, event.id),
            "business_id": business_id, "invoice_id": invoice_id, "event_id": event.id, "type": event.type,
            "at": at, "channel": event.channel, "data": event.data, "by": event.by}
    return db.put_new(item)


def events_from_items(items: Iterable[dict[str, Any]]) -> list[Event]:
    """The event items among an invoice partition's items (plain values, as db.from_item gives them),
    as Event models, oldest first. For any Query of the invoice partition, e.g. the invoice's detail."""
    events = [Event(id=item["event_id"], type=item["type"], at=item["at"], channel=item.get("channel"),
                    data=item.get("data") or {}, by=item.get("by"))
              for item in items if str(item.get("SK", "")).startswith(keys.EVENT_SK_PREFIX)]
    return sorted(events, key=Event.sort_key)


def for_invoice(business_id: str, invoice_id: str) -> list[Event]:
    """An invoice's events, oldest first, in one Query; NotFound when the business has no such invoice.

    `EVENT#…` < `INVOICE` < `LINES#…`, so one key range holds the events and the invoice item (its
    existence) but not the line chunks; the projection keeps the invoice item down to its key."""
    request = {
        "TableName": db.table_name(),
        "KeyConditionExpression": "PK = :pk AND SK BETWEEN :first AND :last",
        "ExpressionAttributeValues": db.to_item({":pk": keys.invoice_pk(business_id, invoice_id),
                                                 ":first": keys.EVENT_SK_PREFIX, ":last": keys.INVOICE_SK}),
        "ProjectionExpression": "SK, event_id, #type, #at, channel, #data, #by",
        "ExpressionAttributeNames": {"#type": "type", "#at": "at", "#data": "data", "#by": "by"},
    }
    items = [db.from_item(item) for item in db.query_all(request)]
    if not any(item["SK"] == keys.INVOICE_SK for item in items):
        raise NotFound("invoice not found")
    return events_from_items(items)
