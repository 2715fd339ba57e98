"""Stream change → webhook events (pure), their deterministic ids, and the envelope."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from fastfaktura.models.webhooks import EVENT_ID_PATTERN, WebhookEvent
from fastfaktura.store import keys
from fastfaktura.timeline.derive import UnprocessableRecord
from fastfaktura.webhooks import events as webhook_events
from fastfaktura.webhooks.events import (
    EVENT_TYPES,
    Resource,
    body,
    disabled_event,
    envelope,
    subscribed,
    webhook_events_of_change,
)

BID, IID = "0195a1b2-0000-7000-8000-000000000001", "0195a1b2-0000-7000-8000-000000000002"
CID = "0195a1b2-0000-7000-8000-0000000000c1"
INVOICE = {"PK": keys.invoice_pk(BID, IID), "SK": keys.INVOICE_SK, "status": "draft", "number": "F-0007",
           "total_cents": 1200, "currency": "NOK", "created_at": "2026-11-24T10:15:30.123456Z",
           "updated_at": "2026-11-24T10:15:30.123456Z"}
CLIENT = {"PK": keys.business_pk(BID), "SK": keys.client_sk(CID), "name": "Acme",
          "created_at": "2026-11-24T09:00:00Z", "updated_at": "2026-11-24T09:00:00Z"}
SEND_AT = "2026-11-25T09:00:00.000000Z"


def types(event_name, old, new):
    return [event.type for event in webhook_events_of_change(event_name, old, new)]


def delivery(channel, reminder=False, status="sent"):
    return {"PK": keys.invoice_pk(BID, IID), "SK": keys.delivery_sk(SEND_AT, channel), "channel": channel,
            "reminder": reminder, "status": status, "to": "c@example.com", "at": SEND_AT}


def test_the_catalogue_is_the_thirteen_contract_types_and_the_bank_details_change():
    assert set(EVENT_TYPES) == {
        "invoice.created", "invoice.sent", "invoice.reminder_sent", "invoice.opened", "invoice.payment_received",
        "invoice.paid", "invoice.overdue", "invoice.cancelled", "invoice.credited", "credit_note.created",
        "client.created", "client.updated", "client.archived", "business.bank_details_changed"}


def test_invoice_created_refers_to_the_invoice_at_its_creation_time():
    [event] = webhook_events_of_change("INSERT", {}, INVOICE)
    assert (event.type, event.business_id, event.resource) == ("invoice.created", BID, Resource("invoice", IID))
    assert event.created_at == datetime(2026, 11, 24, 10, 15, 30, 123456, tzinfo=UTC)
    assert re.fullmatch(EVENT_ID_PATTERN, event.id)


@pytest.mark.parametrize(("status", "attribute"), [("opened", "opened_at"), ("paid", "paid_at"),
                                                   ("overdue", "overdue_at"), ("cancelled", "cancelled_at")])
def test_status_changes(status, attribute):
    old = {**INVOICE, "status": "sent"}
    assert types("MODIFY", old, {**old, "status": status, attribute: "2026-12-01T08:00:00Z",
                                 "updated_at": "2026-12-01T08:00:01Z"}) == [f"invoice.{status}"]


def test_the_channels_of_one_send_are_one_sent_event():
    ids = {event.id for channel in ("email", "sms", "link")
           for event in webhook_events_of_change("INSERT", {}, delivery(channel))}
    assert len(ids) == 1
    [reminder] = webhook_events_of_change("INSERT", {}, delivery("email", reminder=True))
    assert reminder.type == "invoice.reminder_sent" and reminder.id not in ids
    assert types("INSERT", {}, delivery("email", status="failed")) == []


def test_ids_depend_on_the_cause_only_so_a_redelivered_batch_makes_no_new_event():
    first = webhook_events_of_change("INSERT", {}, INVOICE)
    assert webhook_events_of_change("INSERT", {}, {**INVOICE, "updated_at": "2027-01-01T00:00:00Z"}) == first
    other = webhook_events_of_change("INSERT", {}, {**INVOICE, "PK": keys.invoice_pk(BID, "other")})
    assert other[0].id != first[0].id


def test_payment_received_and_credited_map_from_the_timeline(monkeypatch):
    """The timeline's `payment_received` and `credited` (partial payments, credit notes) each map to
    their webhook events; `credited` is also the credit note's creation."""
    from fastfaktura.models.events import Event
    from fastfaktura.timeline.derive import InvoiceEvent

    at = datetime(2026, 12, 2, tzinfo=UTC)
    derived = [InvoiceEvent(BID, IID, Event.model_construct(id="t1", type="payment_received", at=at, data={})),
               InvoiceEvent(BID, IID, Event.model_construct(id="t2", type="credited", at=at,
                                                            data={"credit_note_id": "cn1"}))]
    monkeypatch.setattr(webhook_events, "events_of_change", lambda *record: derived)
    written = {"created_at": "2026-12-02T00:00:00Z"}
    found = webhook_events_of_change("INSERT", {}, written)
    assert [(event.type, event.resource) for event in found] == [
        ("invoice.payment_received", Resource("invoice", IID)), ("invoice.credited", Resource("invoice", IID)),
        ("credit_note.created", Resource("credit_note", "cn1"))]
    assert len({event.id for event in found}) == 3
    derived[1] = InvoiceEvent(BID, IID, Event.model_construct(id="t2", type="credited", at=at, data={}))
    with pytest.raises(UnprocessableRecord):
        webhook_events_of_change("INSERT", {}, written)


def test_client_created_updated_archived():
    assert types("INSERT", {}, CLIENT) == ["client.created"]
    updated = {**CLIENT, "name": "Acme AS", "updated_at": "2026-11-25T09:00:00Z"}
    [event] = webhook_events_of_change("MODIFY", CLIENT, updated)
    assert (event.type, event.resource, event.created_at.day) == ("client.updated", Resource("client", CID), 25)
    archived = {**updated, "archived_at": "2026-11-26T09:00:00Z", "updated_at": "2026-11-26T09:00:00Z"}
    assert types("MODIFY", updated, archived) == ["client.archived"]
    unarchived = {**updated, "updated_at": "2026-11-27T09:00:00Z"}
    assert types("MODIFY", archived, unarchived) == ["client.updated"]
    assert types("MODIFY", CLIENT, CLIENT) == []  # nothing changed
    assert types("REMOVE", CLIENT, {}) == []


def test_other_items_cause_no_event():
    for item in [{"PK": keys.business_pk(BID), "SK": keys.PROFILE_SK},
                 {"PK": keys.business_pk(BID), "SK": keys.client_external_id_sk("ext-1")},
                 {"PK": keys.invoice_pk(BID, IID), "SK": keys.line_chunk_sk(0)}]:
        assert types("INSERT", {}, item) == []


def test_a_malformed_client_time_is_an_unprocessable_record():
    with pytest.raises(UnprocessableRecord):
        webhook_events_of_change("INSERT", {}, {**CLIENT, "created_at": "yesterday"})


def test_subscription_filter():
    assert subscribed(["*"], "invoice.paid") and subscribed(["invoice.paid"], "invoice.paid")
    assert not subscribed(["invoice.sent"], "invoice.paid")
    assert not subscribed(["*"], "webhook_endpoint.disabled")  # feed only


def test_the_envelope_is_the_contract_shape_and_the_feed_model_reads_it():
    [event] = webhook_events_of_change("INSERT", {}, INVOICE)
    sent = envelope(event, True, {"id": IID, "number": "F-0007", "total_cents": 1200})
    assert list(sent) == ["id", "type", "created_at", "sequence", "business_id", "sandbox", "data"]
    assert sent["created_at"] == "2026-11-24T10:15:30.123456Z" and sent["data"]["object"]["number"] == "F-0007"
    raw = body(sent)
    assert json.loads(raw) == sent and b" " not in raw
    assert WebhookEvent.model_validate_json(raw).model_dump(mode="json") == sent


def test_the_disabled_event_is_deterministic_and_for_the_feed():
    at = datetime(2026, 12, 4, tzinfo=UTC)
    event = disabled_event(BID, "we_1", at)
    assert event == disabled_event(BID, "we_1", at) and event.type == "webhook_endpoint.disabled"
    assert event.resource == Resource("webhook_endpoint", "we_1")


def test_sequence_is_when_the_change_was_written_not_the_business_time_it_records():
    """A payment back-dated before the send: created_at is its date, sequence puts it after the send."""
    sent = {**INVOICE, "status": "sent", "sent_at": SEND_AT, "updated_at": SEND_AT}
    paid = {**sent, "status": "paid", "paid_at": "2026-11-20T00:00:00Z", "updated_at": "2026-11-26T08:00:00.000001Z"}
    [created] = webhook_events_of_change("INSERT", {}, INVOICE)
    [send] = webhook_events_of_change("INSERT", {}, delivery("email"))
    [payment] = webhook_events_of_change("MODIFY", sent, paid)
    assert payment.created_at < created.created_at
    assert created.sequence < send.sequence < payment.sequence
    assert payment.sequence == webhook_events.sequence(datetime(2026, 11, 26, 8, 0, 0, 1, tzinfo=UTC))
    assert created.sequence == 1795515330123456  # microseconds since 1970
    assert webhook_events_of_change("MODIFY", sent, paid) == [payment]  # the same record numbers alike


def test_a_bank_details_change_is_an_event_of_the_business():
    item = {"PK": keys.business_pk(BID), "SK": keys.business_event_sk(SEND_AT, "e1"), "business_id": BID,
            "event_id": "e1", "type": "business.bank_details_changed", "at": SEND_AT, "data": {"iban": "FR76"}}
    [event] = webhook_events_of_change("INSERT", {}, item)
    assert (event.type, event.resource) == ("business.bank_details_changed", Resource("business", BID))
    assert event == webhook_events_of_change("INSERT", {}, item)[0]
    assert event.id != webhook_events_of_change("INSERT", {}, {**item, "event_id": "e2"})[0].id
    assert types("MODIFY", item, item) == [] and types("INSERT", {}, {**item, "type": "business.other"}) == []
