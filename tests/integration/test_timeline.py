"""The timeline: real records read from DynamoDB Local's stream, shaped as Lambda delivers them, fed to the
TimelineFunction of template.yaml; then read back through GET /api/v1/invoices/{id}/events.

The invoice and delivery items are written here in the shapes of docs/DATA_MODEL.md, so these tests do
not depend on the invoice and sending endpoints."""

from __future__ import annotations

import os
import random
import time
from urllib.parse import urlsplit

import pytest
from fastfaktura.domain.ids import new_id
from fastfaktura.store import db, keys

from tests.helpers.api import Api, assert_error
from tests.helpers.aws import dynamodb_calls
from tests.helpers.timeline import (
    STORY_RECORDS,
    Invoice,
    at,
    batch,
    event_items,
    run_timeline,
    stream_arn,
    stream_records,
)


@pytest.fixture
def story(business) -> Invoice:
    invoice = Invoice.create(business.business.id)
    invoice.sent_paid_story()
    return invoice


# --- tests ----------------------------------------------------------------------------------------------


def test_stream_batch_becomes_the_timeline_oldest_first(api, story):
    answer = run_timeline(batch(stream_records(story.pk, STORY_RECORDS)))
    assert answer == {"batchItemFailures": []}

    response = api.get(f"/api/v1/invoices/{story.id}/events")
    assert response.status == 200, response.body
    events = response.json["data"]
    assert [(e["type"], e.get("channel")) for e in events] == [
        ("created", None), ("sent", "email"), ("sent", "sms"), ("sent", "link"), ("opened", None), ("paid", None)]
    assert [e["at"] for e in events] == [at(0), at(60), at(60), at(60), at(120), at(180)]
    assert all("channel" not in e for e in events if e["type"] not in ("sent", "reminder_sent"))
    assert events[0]["data"] == {"number": "F-0001", "total_cents": 66472, "currency": "EUR"}
    assert events[1]["data"] == {"to": "client@example.com", "message_id": "msg-email", "simulated": True,
                                 "subject": "Facture F-0001"}
    assert events[3]["data"] == {"to": f"http://127.0.0.1:3000/i/{story.id}", "message_id": None, "simulated": True}
    assert events[4]["data"] == {"from": "sent"}
    assert events[5]["data"] == {"from": "opened", "paid_via": "manual"}
    assert events[5]["by"] == "ffk_test_key1234" and all("by" not in e for e in events[:5])
    assert len({e["id"] for e in events}) == 6


def test_the_same_batch_delivered_twice_writes_nothing_twice(api, story):
    event = batch(stream_records(story.pk, STORY_RECORDS))
    assert run_timeline(event) == {"batchItemFailures": []}
    first = api.get(f"/api/v1/invoices/{story.id}/events").json["data"]
    assert run_timeline(event) == {"batchItemFailures": []}
    assert run_timeline(batch(event["Records"][2:5])) == {"batchItemFailures": []}  # a retried part of it
    assert api.get(f"/api/v1/invoices/{story.id}/events").json["data"] == first
    assert len(event_items(story.pk)) == 6


def test_a_poison_record_is_reported_and_the_rest_of_the_batch_lands(api, business, story):
    broken = Invoice.create(business.business.id, created_at=None)  # an invoice item without its creation time
    odd = Invoice.create(business.business.id)
    odd.move("archived")  # a status the timeline does not know
    odd_insert, odd_move = stream_records(odd.pk, 2)
    poison = [*stream_records(broken.pk, 1), odd_move]
    good = stream_records(story.pk, STORY_RECORDS)
    records = [*good[:3], poison[0], *good[3:], odd_insert, poison[1]]

    answer = run_timeline(batch(records))

    failed = {f["itemIdentifier"] for f in answer["batchItemFailures"]}
    assert failed == {r["dynamodb"]["SequenceNumber"] for r in poison}
    assert len(api.get(f"/api/v1/invoices/{story.id}/events").json["data"]) == 6
    assert api.get(f"/api/v1/invoices/{odd.id}/events").json["data"][0]["type"] == "created"
    assert api.get(f"/api/v1/invoices/{broken.id}/events").json["data"] == []


def test_a_batch_of_only_poison_records_reports_them_all(business):
    broken = Invoice.create(business.business.id, created_at="yesterday")
    records = stream_records(broken.pk, 1)
    answer = run_timeline(batch(records))
    assert answer == {"batchItemFailures": [{"itemIdentifier": records[0]["dynamodb"]["SequenceNumber"]}]}


@pytest.mark.parametrize("order", ["reversed", "shuffled", "one by one, newest first"])
def test_records_out_of_order_give_the_same_timeline(api, story, order):
    records = stream_records(story.pk, STORY_RECORDS)
    if order == "reversed":
        run_timeline(batch(records[::-1]))
    elif order == "shuffled":
        random.Random(5).shuffle(records)
        run_timeline(batch(records))
    else:
        for record in reversed(records):
            assert run_timeline(batch([record])) == {"batchItemFailures": []}
    events = api.get(f"/api/v1/invoices/{story.id}/events").json["data"]
    assert [e["type"] for e in events] == ["created", "sent", "sent", "sent", "opened", "paid"]
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)


def test_reminders_overdue_and_cancel(api, business):
    invoice = Invoice.create(business.business.id, due_date="2026-12-24")
    invoice.deliver(at(60), "email")
    invoice.move("sent", sent_at=at(60))
    invoice.move("overdue", overdue_at=at(86400 * 31))
    invoice.deliver(at(86400 * 32), "sms", reminder=True)
    invoice.deliver(at(86400 * 32), "email", reminder=True, status="failed")  # nothing reached the client
    invoice.move("cancelled", cancelled_at=at(86400 * 40))
    run_timeline(batch(stream_records(invoice.pk, 7)))
    events = api.get(f"/api/v1/invoices/{invoice.id}/events").json["data"]
    assert [(e["type"], e.get("channel")) for e in events] == [
        ("created", None), ("sent", "email"), ("overdue", None), ("reminder_sent", "sms"), ("cancelled", None)]
    assert events[2]["data"] == {"from": "sent", "due_date": "2026-12-24"}
    assert events[4]["data"] == {"from": "overdue"}


def test_changes_that_are_no_event_write_nothing(business):
    invoice = Invoice.create(business.business.id)
    db.update_existing(invoice.pk, keys.INVOICE_SK, {"updated_at": at(5), "pdf_key": "x.pdf"})  # status unchanged
    db.client().put_item(TableName=db.table_name(), Item=db.to_item(
        {"PK": invoice.pk, "SK": keys.line_chunk_sk(0), "lines": [{"description": "x"}]}))
    records = stream_records(invoice.pk, 3)
    assert run_timeline(batch(records)) == {"batchItemFailures": []}
    assert [e["type"] for e in event_items(invoice.pk)] == ["created"]

    # The function's own writes come back through the stream: they are no events either (no loop).
    own = stream_records(invoice.pk, 4)[3:]
    assert own[0]["dynamodb"]["Keys"]["SK"]["S"].startswith(keys.EVENT_SK_PREFIX)
    assert run_timeline(batch(own)) == {"batchItemFailures": []}
    assert len(event_items(invoice.pk)) == 1


def test_an_invoice_not_yet_in_the_timeline_has_an_empty_list(api, business):
    invoice = Invoice.create(business.business.id)
    answer = api.get(f"/api/v1/invoices/{invoice.id}/events")
    assert answer.status == 200
    assert answer.json == {"data": []}


def test_events_route_is_one_query(api, story):
    run_timeline(batch(stream_records(story.pk, STORY_RECORDS)))
    api.get(f"/api/v1/invoices/{story.id}/events")  # the API key is now cached for this container
    with dynamodb_calls() as calls:
        assert len(api.get(f"/api/v1/invoices/{story.id}/events").json["data"]) == 6
    assert calls == ["Query"]


def test_another_business_gets_404(story):
    from fastfaktura.services.business import create_business

    other = Api(create_business("Autre SARL").api_key)
    assert_error(other.get(f"/api/v1/invoices/{story.id}/events"), 404, "not_found")


@pytest.mark.parametrize("invoice_id", ["not-a-uuid", "0195a1b2-0000-7000-8000-00000000000", "0" * 36])
def test_malformed_or_unknown_id_is_404(api, invoice_id):
    assert_error(api.get(f"/api/v1/invoices/{invoice_id}/events"), 404, "not_found")


def test_unknown_invoice_is_404(api):
    assert_error(api.get(f"/api/v1/invoices/{new_id()}/events"), 404, "not_found")


def test_events_route_needs_a_key(story):
    assert_error(Api(None).get(f"/api/v1/invoices/{story.id}/events"), 401, "authentication_error")


def test_the_sample_event_runs(dynamodb):
    """events/timeline_stream_batch.json, the sample for `fastfaktura invoke TimelineFunction --event …`."""
    import json
    from pathlib import Path

    sample = json.loads((Path(__file__).parents[2] / "events" / "timeline_stream_batch.json").read_text())
    assert run_timeline(sample) == {"batchItemFailures": []}
    pk = sample["Records"][0]["dynamodb"]["Keys"]["PK"]["S"]
    assert sorted((e["type"], e["at"]) for e in event_items(pk)) == [
        ("created", "2026-11-24T10:15:30.123456Z"), ("paid", "2026-11-24T10:20:00.000000Z"),
        ("sent", "2026-11-24T10:16:30.000000Z")]


def test_through_the_local_poller_with_the_real_endpoints(api):
    """The API writes (create, send on three channels, the public page's first view, mark-paid), the local
    stack's event source mapping feeds TimelineFunction, the API reads the timeline back."""
    import boto3
    from fastfaktura.devstack.runtime import invoke
    from fastfaktura.devstack.streams import StreamPoller
    from fastfaktura.tools.template import functions

    streams = boto3.client("dynamodbstreams", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
    poller = StreamPoller.for_function(functions()["TimelineFunction"], streams, stream_arn(), invoke,
                                       region="eu-west-1", starting_position="LATEST", window=0, retry_delay=0)
    poller.poll_once()  # takes its iterators at the stream's tip before anything is written

    client = api.post("/api/v1/clients", {"name": "Client Exemple SA", "email": "client@example.com",
                                          "phone": "+33612345678"}).json
    created = api.post("/api/v1/invoices", {"client_id": client["id"], "currency": "EUR", "lines": [
        {"description": "Conseil", "quantity": 1, "unit_price_cents": 50000, "tax_rate": 20}]})
    assert created.status == 201, created.body
    invoice = created.json
    sent = api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["email", "sms", "link"]})
    assert sent.status == 200, sent.body
    assert api.get(urlsplit(invoice["public_url"]).path, key=None).status == 200
    paid = api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid", {})
    assert paid.status == 200, paid.body

    def timeline() -> list[dict]:
        return api.get(f"/api/v1/invoices/{invoice['id']}/events").json["data"]

    for _round in range(200):
        poller.poll_once()
        if len(timeline()) >= 6:
            break
        time.sleep(0.05)
    events = timeline()
    assert [(e["type"], e.get("channel")) for e in events] == [
        ("created", None), ("sent", "email"), ("sent", "sms"), ("sent", "link"), ("opened", None), ("paid", None)]
    assert events[0]["at"] == invoice["created_at"]
    email = events[1]["data"]
    assert (email["to"], email["simulated"], set(email)) == ("client@example.com", True,
                                                             {"to", "message_id", "simulated", "subject"})
    detail = api.get(f"/api/v1/invoices/{invoice['id']}").json
    assert detail["events"] == events
    assert events[-1]["at"] == detail["paid_at"]
    assert events[-1]["data"] == {"from": "opened", "paid_via": "manual"}
