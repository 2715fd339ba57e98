"""The invoice timeline: recording events from the table's stream, and reading them."""

from __future__ import annotations

from typing import Any

from fastfaktura.domain.ids import id_or_not_found
from fastfaktura.models.events import EventList
from fastfaktura.observability import logger
from fastfaktura.store import db, events
from fastfaktura.timeline.derive import events_of_change


def record_change(record: dict[str, Any]) -> int:
    """One stream record in Lambda's shape → its events, each written at most once; answers how many
    were new (0 for a redelivered record or a change that is no event)."""
    change = record.get("dynamodb") or {}
    derived = events_of_change(record.get("eventName"), db.from_item(change.get("OldImage") or {}),
                               db.from_item(change.get("NewImage") or {}))
    written = 0
    for found in derived:
        if events.put(found.business_id, found.invoice_id, found.event):
            written += 1
        else:
            logger.info("event already recorded", extra={"event_id": found.event.id, "type": found.event.type})
    return written


def invoice_events(business_id: str, invoice_id: str) -> EventList:
    """The invoice's timeline, oldest first; 404 for a malformed id or another business's invoice."""
    return EventList(data=events.for_invoice(business_id, id_or_not_found(invoice_id, "invoice")))
