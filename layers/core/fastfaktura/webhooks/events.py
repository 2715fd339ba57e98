"""The webhook event catalogue, the envelope every event is sent in, and which events a stream change
causes: pure, like the timeline's derivation, whose invoice events it reuses.

An event's id is derived from its cause, never from the time it is processed, so a redelivered stream
batch derives the same ids and the feed's conditional put (and the receivers, who dedupe on `id`) see
one event. The three `sent` timeline events of one send (email, SMS, link: the same time) are one
`invoice.sent` event.

Delivery is not in order, so every event carries its resource's `sequence`: the microseconds since the
Unix epoch at which the change was written, read from the changed item itself (`updated_at` of a
modified item, `created_at` or `at` of a new one). It is the server's time of the write, never a
business time such as a back-dated `paid_at`, so a resource's changes, each made after the previous one
was written, number in the order they happened; and it comes from the record, so a redelivered batch
numbers alike.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, get_args

from fastfaktura.models.common import to_rfc3339
from fastfaktura.models.webhooks import WebhookEventType
from fastfaktura.store import keys
from fastfaktura.timeline.derive import UnprocessableRecord, _time, events_of_change

EVENT_TYPES: tuple[str, ...] = get_args(WebhookEventType)
"""What an endpoint can subscribe to (or `*`: all of them)."""
ENDPOINT_DISABLED = "webhook_endpoint.disabled"  # in the feed only: a disabled endpoint receives nothing
BANK_DETAILS_CHANGED = "business.bank_details_changed"
ALL_EVENTS = "*"

# Fixed forever: changing it would give every past event a new id and deliver it again.
_EVENT_ID_NAMESPACE = uuid.UUID("0b9e3c57-2f4a-5d1e-8c6b-3a7f9e1d4c20")
# Timeline event type → the webhook events it causes; `credited` is the invoice's and the credit note's.
_TIMELINE_TYPES: dict[str, tuple[str, ...]] = {
    **{name.removeprefix("invoice."): (name,) for name in EVENT_TYPES if name.startswith("invoice.")},
    "credited": ("invoice.credited", "credit_note.created"),
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_PER_SEND = frozenset({"sent", "reminder_sent"})  # one timeline event per channel, one webhook event


@dataclass(frozen=True)
class Resource:
    """What `data.object` will be: the resource as the API answers it, read when the event is recorded."""

    kind: str  # invoice | credit_note | client | business | webhook_endpoint
    id: str


@dataclass(frozen=True)
class PendingEvent:
    """A webhook event known from the stream, before its resource is read and its envelope made."""

    id: str
    type: str
    created_at: datetime
    business_id: str
    resource: Resource
    sequence: int  # orders the events of `resource` (see above)


def event_id(*cause: str) -> str:
    return "evt_" + uuid.uuid5(_EVENT_ID_NAMESPACE, "|".join(cause)).hex


def subscribed(events: list[str], event_type: str) -> bool:
    """Does an endpoint with this `events` filter receive `event_type`?"""
    return event_type in EVENT_TYPES and (ALL_EVENTS in events or event_type in events)


def sequence(written_at: datetime) -> int:
    """A resource's sequence number of the change written at `written_at`: its microseconds since 1970."""
    return (written_at - _EPOCH) // timedelta(microseconds=1)


def _written_at(event_name: str, item: dict[str, Any]) -> datetime:
    """When the change of this stream record was written: a modified item's `updated_at`, a new one's
    `created_at`, or `at` for the items that are written once and have no other time (deliveries, the
    business's events)."""
    return _time(item, "updated_at" if event_name == "MODIFY" else "created_at" if "created_at" in item else "at")


def webhook_events_of_change(event_name: str | None, old: dict[str, Any], new: dict[str, Any]) -> list[PendingEvent]:
    """The webhook events of one stream record (event name, old image, new image, as plain values)."""
    pk, sk = str(new.get("PK", "")), str(new.get("SK", ""))
    if event_name in ("INSERT", "MODIFY") and pk.startswith("BIZ#") and keys.parse_invoice_pk(pk) is None:
        business_id = pk.removeprefix("BIZ#")
        if sk.startswith(keys.CLIENT_SK_PREFIX):
            return _client_events(event_name, old, new, business_id, sk.removeprefix(keys.CLIENT_SK_PREFIX))
        if sk.startswith(keys.EVENT_SK_PREFIX) and event_name == "INSERT":
            return _business_events(new, business_id)
    found = []
    for derived in events_of_change(event_name, old, new):
        event = derived.event
        cause: tuple[str, ...] = (derived.business_id, derived.invoice_id, event.type)
        # A send's channels share its time; every other timeline event is already one per cause.
        cause += (to_rfc3339(event.at),) if event.type in _ONE_PER_SEND else (event.id,)
        for webhook_type in _TIMELINE_TYPES.get(event.type, ()):
            resource = Resource("invoice", derived.invoice_id)
            if webhook_type == "credit_note.created":
                resource = Resource("credit_note", str(event.data.get("credit_note_id", "")))
                if not resource.id:
                    raise UnprocessableRecord("a credited event without its credit_note_id")
            found.append(PendingEvent(event_id(*cause, webhook_type), webhook_type, event.at, derived.business_id,
                                      resource, sequence(_written_at(str(event_name), new))))
    return found


def _client_events(event_name: str, old: dict, new: dict, business_id: str, client_id: str) -> list[PendingEvent]:
    if event_name == "INSERT":
        kind, attribute = "client.created", "created_at"
    elif new.get("archived_at") and not old.get("archived_at"):
        kind, attribute = "client.archived", "archived_at"
    elif new.get("updated_at") != old.get("updated_at"):
        kind, attribute = "client.updated", "updated_at"  # unarchiving too: the client changed
    else:
        return []
    at = _time(new, attribute)
    return [PendingEvent(event_id(business_id, client_id, kind, to_rfc3339(at)), kind, at, business_id,
                         Resource("client", client_id), sequence(_written_at(event_name, new)))]


def _business_events(new: dict, business_id: str) -> list[PendingEvent]:
    """An event item of the business itself, written with the change it records (today only a change of
    its IBAN or BIC): `data.object` is the business."""
    if new.get("type") != BANK_DETAILS_CHANGED:
        return []
    at = _time(new, "at")
    return [PendingEvent(event_id(business_id, BANK_DETAILS_CHANGED, str(new.get("event_id", ""))),
                         BANK_DETAILS_CHANGED, at, business_id, Resource("business", business_id), sequence(at))]


def disabled_event(business_id: str, endpoint_id: str, disabled_at: datetime) -> PendingEvent:
    """The feed's record that an endpoint was disabled after failing for the retry window."""
    return PendingEvent(event_id(business_id, endpoint_id, ENDPOINT_DISABLED, to_rfc3339(disabled_at)),
                        ENDPOINT_DISABLED, disabled_at, business_id, Resource("webhook_endpoint", endpoint_id),
                        sequence(disabled_at))


def envelope(event: PendingEvent, sandbox: bool, obj: dict[str, Any]) -> dict[str, Any]:
    """What is POSTed and what the feed answers: `obj` is the resource as the API answers it."""
    return {"id": event.id, "type": event.type, "created_at": to_rfc3339(event.created_at),
            "sequence": event.sequence, "business_id": event.business_id, "sandbox": sandbox, "data": {"object": obj}}


def body(envelope_: dict[str, Any]) -> bytes:
    """The bytes sent and signed: made once when the event is recorded, identical on every attempt."""
    return json.dumps(envelope_, ensure_ascii=False, separators=(",", ":")).encode()

