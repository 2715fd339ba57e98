"""Stream record → timeline events, without any AWS."""

from __future__ import annotations

import pytest
from fastfaktura.store import keys
from fastfaktura.timeline.derive import UnprocessableRecord, events_of_change

BID, IID = "0195a1b2-0000-7000-8000-000000000001", "0195a1b2-0000-7000-8000-000000000002"
PK = keys.invoice_pk(BID, IID)
INVOICE = {"PK": PK, "SK": keys.INVOICE_SK, "status": "draft", "number": "F-0007", "total_cents": 1200,
           "currency": "NOK", "created_at": "2026-11-24T10:15:30.123456Z"}


def one(event_name, old, new):
    found = events_of_change(event_name, old, new)
    assert len(found) == 1, found
    assert (found[0].business_id, found[0].invoice_id) == keys.parse_invoice_pk(new["PK"])
    return found[0].event


def test_insert_is_created_at_the_creation_time():
    event = one("INSERT", {}, INVOICE)
    assert event.type == "created"
    assert event.model_dump(mode="json") == {"id": event.id, "type": "created", "at": "2026-11-24T10:15:30.123456Z",
                                             "data": {"number": "F-0007", "total_cents": 1200, "currency": "NOK"}}


def test_ids_are_derived_from_the_cause_only():
    first = one("INSERT", {}, INVOICE)
    again = one("INSERT", {}, {**INVOICE, "updated_at": "2027-01-01T00:00:00Z"})
    other = one("INSERT", {}, {**INVOICE, "PK": keys.invoice_pk(BID, "0195a1b2-0000-7000-8000-000000000003")})
    assert first.id == again.id != other.id


@pytest.mark.parametrize(("status", "attribute"), [("opened", "opened_at"), ("paid", "paid_at"),
                                                   ("overdue", "overdue_at"), ("cancelled", "cancelled_at")])
def test_status_change_is_an_event_at_the_time_of_the_change(status, attribute):
    old = {**INVOICE, "status": "sent"}
    event = one("MODIFY", old, {**old, "status": status, attribute: "2026-12-01T08:00:00+01:00"})
    assert event.type == status
    assert event.model_dump(mode="json")["at"] == "2026-12-01T07:00:00.000000Z"
    assert event.data["from"] == "sent"


def test_paid_carries_how_it_was_paid():
    old = {**INVOICE, "status": "opened"}
    new = {**old, "status": "paid", "paid_at": "2026-12-01T08:00:00Z", "paid_via": "stripe",
           "stripe_checkout_session_id": "cs_test_1"}
    assert one("MODIFY", old, new).data == {"from": "opened", "paid_via": "stripe",
                                            "stripe_checkout_session_id": "cs_test_1"}


@pytest.mark.parametrize("new_status", ["draft", "sent"])
def test_quiet_statuses_and_unchanged_status_are_no_event(new_status):
    assert events_of_change("MODIFY", INVOICE, {**INVOICE, "status": new_status}) == []


def test_delivery_is_sent_or_reminder_sent_per_channel():
    sk = keys.delivery_sk("2026-11-25T09:00:00.000000Z", "sms")
    delivery = {"PK": PK, "SK": sk, "channel": "sms", "reminder": False, "status": "sent", "to": "+4791234567",
                "message_id": "m-1", "at": "2026-11-25T09:00:00.000000Z"}
    sent = one("INSERT", {}, delivery)
    assert (sent.type, sent.channel) == ("sent", "sms")
    assert sent.data == {"to": "+4791234567", "message_id": "m-1", "simulated": False}
    reminder = one("INSERT", {}, {**delivery, "reminder": True})
    assert reminder.type == "reminder_sent"
    assert reminder.id != sent.id
    assert one("INSERT", {}, {**delivery, "SK": keys.delivery_sk("2026-11-26T09:00:00.000000Z", "sms"),
                              "at": "2026-11-26T09:00:00.000000Z"}).id != sent.id


def test_failed_delivery_is_no_event():
    delivery = {"PK": PK, "SK": keys.delivery_sk("2026-11-25T09:00:00Z", "email"), "channel": "email",
                "status": "failed", "at": "2026-11-25T09:00:00Z"}
    assert events_of_change("INSERT", {}, delivery) == []


@pytest.mark.parametrize(("event_name", "old", "new"), [
    ("REMOVE", INVOICE, {}),
    ("INSERT", {}, {"PK": keys.business_pk(BID), "SK": keys.PROFILE_SK}),
    ("INSERT", {}, {"PK": PK, "SK": keys.line_chunk_sk(0)}),
    ("INSERT", {}, {"PK": PK, "SK": keys.event_sk("2026-11-25T09:00:00.000000Z", "x"), "type": "created"}),
    ("MODIFY", {"PK": PK, "SK": keys.delivery_sk("t", "sms")}, {"PK": PK, "SK": keys.delivery_sk("t", "sms")}),
])
def test_other_changes_are_no_event(event_name, old, new):
    assert events_of_change(event_name, old, new) == []


@pytest.mark.parametrize(("event_name", "old", "new"), [
    ("INSERT", {}, {**INVOICE, "created_at": None}),
    ("INSERT", {}, {**INVOICE, "created_at": "yesterday"}),
    ("MODIFY", INVOICE, {**INVOICE, "status": "paid"}),  # no paid_at
    ("MODIFY", INVOICE, {**INVOICE, "status": "archived"}),
    ("INSERT", {}, {"PK": PK, "SK": keys.delivery_sk("t", "fax"), "channel": "fax", "at": "2026-11-25T09:00:00Z"}),
])
def test_items_of_the_wrong_shape_are_unprocessable(event_name, old, new):
    with pytest.raises(UnprocessableRecord):
        events_of_change(event_name, old, new)


def test_the_key_that_made_a_change_is_the_events_by():
    assert one("INSERT", {}, {**INVOICE, "changed_by": "ffk_test_AbCdEfG"}).by == "ffk_test_AbCdEfG"
    old = {**INVOICE, "status": "sent", "changed_by": "ffk_test_AbCdEfG"}
    assert one("MODIFY", old, {**old, "status": "cancelled", "cancelled_at": "2026-12-01T08:00:00Z"}).by \
        == "ffk_test_AbCdEfG"
    opened = one("MODIFY", old, {**INVOICE, "status": "opened", "opened_at": "2026-12-01T08:00:00Z"})
    assert opened.by is None and "by" not in opened.model_dump(mode="json")
    delivery = {"PK": PK, "SK": keys.delivery_sk("2026-12-01T08:00:00.000000Z", "link"), "channel": "link",
                "status": "simulated", "to": "https://x", "at": "2026-12-01T08:00:00.000000Z", "by": "ffk_live_1234567"}
    assert one("INSERT", {}, delivery).by == "ffk_live_1234567"
