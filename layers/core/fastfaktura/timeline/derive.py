"""One stream record (event name, old image, new image, as plain values) → the timeline events it stands for.

Every event's id is derived from its cause, never from the time it is processed, so a redelivered or
retried record derives exactly the same events (same ids, same sort keys) and the store's conditional
put turns the repeat into a no-op.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from fastfaktura.domain import invoices as rules
from fastfaktura.models.events import Event
from fastfaktura.store import keys

# Fixed forever: changing it would give every past event a new id and duplicate the timelines.
_EVENT_ID_NAMESPACE = uuid.UUID("6c1f5d4e-8a0b-5f3c-9d2e-7b4a1c0e9f21")

# `draft` is where invoices start; `sent` is told by the delivery items, one event per channel. Every
# other status's arrival is an event, at the time its attribute in rules.STATUS_TIMESTAMP holds.
_QUIET_STATUSES = frozenset({"draft", "sent"})
# What the event tells besides the time: how an invoice was paid (`manual` or `stripe`, with Stripe's ids),
# and the due date passed. Who made the change is the event's `by`: the item's `changed_by` (an invoice)
# or `by` (a delivery), which every change made with an API key writes and every other change removes.
_STATUS_DATA = {"paid": ("paid_via", "stripe_checkout_session_id", "stripe_payment_intent_id"),
                "overdue": ("due_date",)}
_CREATED_DATA = ("number", "total_cents", "currency")
_CREDITED_DATA = ("credit_note_id", "number", "total_cents", "reason")
_PAYMENT_DATA = ("payment_id", "amount_cents", "method", "reference", "via", "due_after_cents")


class UnprocessableRecord(ValueError):
    """The item does not have the shape docs/DATA_MODEL.md gives it: the record is reported as a batch
    item failure (and after the retries lands in the on-failure queue) instead of a wrong event."""


@dataclass(frozen=True)
class InvoiceEvent:
    business_id: str
    invoice_id: str
    event: Event


def events_of_change(event_name: str | None, old: dict[str, Any], new: dict[str, Any]) -> list[InvoiceEvent]:
    """The events of one INSERT/MODIFY of an invoice item, or of a new delivery, payment or credit note item;
    none for any other change."""
    if event_name not in ("INSERT", "MODIFY") or not new:
        return []
    ids = keys.parse_invoice_pk(str(new.get("PK", "")))
    if ids is None:
        return []
    business_id, invoice_id = ids
    sk = str(new.get("SK", ""))
    if sk == keys.INVOICE_SK:
        events = _invoice_events(event_name, old, new, ids)
    elif sk.startswith(keys.DELIVERY_SK_PREFIX) and event_name == "INSERT":
        events = _delivery_events(new, ids, sk)
    elif sk.startswith(keys.PAYMENT_SK_PREFIX) and event_name == "INSERT":
        events = _payment_events(new, ids, sk)
    elif sk.startswith(keys.CREDIT_NOTE_SK_PREFIX) and event_name == "INSERT":
        events = [_event(ids, "credited", _time(new, "created_at"), None, _pick(new, _CREDITED_DATA), new.get("by"),
                         "credited", sk)]
    else:
        return []
    return [InvoiceEvent(business_id, invoice_id, event) for event in events]


def _invoice_events(event_name: str, old: dict, new: dict, ids: tuple[str, str]) -> list[Event]:
    if event_name == "INSERT":
        return [_event(ids, "created", _time(new, "created_at"), None, _pick(new, _CREATED_DATA), new.get("changed_by"),
                       "created")]
    before, after = old.get("status"), new.get("status")
    if after == before or after in _QUIET_STATUSES:
        return []
    if after not in rules.STATUS_TIMESTAMP:
        raise UnprocessableRecord(f"unknown invoice status {after!r}")
    data = {"from": before, **_pick(new, _STATUS_DATA.get(after, ()))}
    # Each status is entered at most once (the state machine has no way back), so the type names the cause.
    return [_event(ids, after, _time(new, rules.STATUS_TIMESTAMP[after]), None, data, new.get("changed_by"), after)]


def _delivery_events(new: dict, ids: tuple[str, str], sk: str) -> list[Event]:
    if new.get("status") == "failed":
        return []  # nothing reached the client: no `sent` event (the send's answer reports the failure)
    kind = "reminder_sent" if new.get("reminder") else "sent"
    channel = new.get("channel")
    data = {"to": new.get("to"), "message_id": new.get("message_id"), "simulated": new.get("status") == "simulated",
            **_pick(new, ("subject",))}
    return [_event(ids, kind, _time(new, "at"), channel, data, new.get("by"), kind, str(channel), sk)]


def _payment_events(new: dict, ids: tuple[str, str], sk: str) -> list[Event]:
    """A payment that leaves something due; the last one is told by the invoice's `paid`."""
    if new.get("due_after_cents", 0) == 0:
        return []
    return [_event(ids, "payment_received", _time(new, "paid_at"), None, _pick(new, _PAYMENT_DATA), new.get("by"),
                   "payment_received", sk)]


def _event(ids: tuple[str, str], kind: str, at: datetime, channel: Any, data: dict, by: Any,
           *cause: str) -> Event:
    event_id = str(uuid.uuid5(_EVENT_ID_NAMESPACE, "|".join((*ids, *cause))))
    try:
        return Event(id=event_id, type=kind, at=at, channel=channel, data=data, by=by)
    except ValidationError as exc:
        raise UnprocessableRecord(f"{kind} event: {exc.errors()[0]['msg']}") from exc


def _time(item: dict, attribute: str) -> datetime:
    value = item.get(attribute)
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        raise UnprocessableRecord(f"{attribute} is {value!r}, not an RFC 3339 time") from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _pick(item: dict, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: item[name] for name in names if item.get(name) is not None}
