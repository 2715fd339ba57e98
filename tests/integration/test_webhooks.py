"""Outbound webhooks end to end in one process: the API (routed by template.yaml), DynamoDB Local's stream
fed to WebhookEventsFunction as its event source mapping would, moto's SQS polled for
WebhookDeliveryFunction as Lambda's SQS mapping would, and real HTTP receivers on loopback."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from fastfaktura import settings
from fastfaktura.store import db, keys
from fastfaktura.webhooks.schedule import FAST_RETRIES_SCALE
from fastfaktura.webhooks.signing import HEADER, verify

from tests.helpers.api import Api, assert_error
from tests.helpers.webhook_receiver import Receiver

ALL_TODAY = {"invoice.created", "invoice.sent", "invoice.reminder_sent", "invoice.opened", "invoice.payment_received",
             "invoice.paid", "invoice.overdue", "invoice.cancelled", "invoice.credited", "credit_note.created",
             "client.created", "client.updated", "client.archived", "business.bank_details_changed"}


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def make(*answers: int) -> Receiver:
        started.append(Receiver(list(answers)).start())
        return started[-1]

    yield make
    for receiver in started:
        receiver.stop()


# --- the pipeline: stream → WebhookEventsFunction → SQS → WebhookDeliveryFunction --------------------------

class Pipeline:
    """Pumps this business's stream records to the events function and the queue to the delivery function."""

    def __init__(self, business_id: str, sqs, queue_url: str, queue_arn: str):
        import boto3
        from fastfaktura.devstack import runtime
        from fastfaktura.devstack.queues import QueuePoller
        from fastfaktura.devstack.streams import StreamPoller
        from fastfaktura.tools.template import functions

        self.business_id, self.sqs, self.queue_url = business_id, sqs, queue_url
        self.fed: list[dict] = []
        self.answers: list[dict] = []
        self.events_function = functions()["WebhookEventsFunction"]
        streams = boto3.client("dynamodbstreams", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
        arn = db.client().describe_table(TableName=db.table_name())["Table"]["LatestStreamArn"]
        self.stream = StreamPoller.for_function(self.events_function, streams, arn, self._invoke_events, "eu-west-1",
                                                window=0, retry_delay=0, max_retries=0, starting_position="LATEST")
        self.stream.poll_once()  # the iterators start here: what the test writes next
        self.queue = QueuePoller.for_function(functions()["WebhookDeliveryFunction"], sqs,
                                              {"WebhookQueue": queue_url, "WebhookQueue.Arn": queue_arn},
                                              runtime.invoke, "eu-west-1")
        self.queue.wait_seconds = 0

    def _invoke_events(self, function, event: dict) -> dict:
        from fastfaktura.devstack.runtime import invoke

        mine = [r for r in event["Records"]
                if r["dynamodb"]["Keys"]["PK"]["S"].startswith(keys.business_pk(self.business_id))]
        if not mine:
            return {"batchItemFailures": []}
        self.fed.append({"Records": mine})
        answer = invoke(function, {"Records": mine})
        self.answers.append(answer)
        return answer

    def run_events(self, batch: dict) -> dict:
        """The events function on a batch again (a redelivery, as the mapping's retry would)."""
        from fastfaktura.devstack.runtime import invoke

        return invoke(self.events_function, batch)

    def pump(self, until: Callable[[], bool], timeout: float = 40.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.stream.poll_once()
            self.queue.poll_once()
            if until():
                return
            time.sleep(0.1)
        raise AssertionError("the pipeline did not get there in time")

    def settle(self, seconds: float) -> None:
        """Keeps pumping for a while (to show that nothing more arrives)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.stream.poll_once()
            self.queue.poll_once()
            time.sleep(0.1)

    def messages_waiting(self) -> int:
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["All"])["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


@pytest.fixture
def queue(aws_emulation, monkeypatch):
    """A queue of this test's own in moto's SQS, as the template's WebhookQueue (the functions' env)."""
    import boto3
    from fastfaktura.store import webhook_queue

    monkeypatch.setenv("AWS_ENDPOINT_URL_SQS", aws_emulation.endpoint)
    monkeypatch.setenv(RETRY_SCALE, repr(FAST_RETRIES_SCALE))
    settings.get.cache_clear()
    webhook_queue.client.cache_clear()
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=f"webhooks-{uuid.uuid4().hex[:12]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    monkeypatch.setenv("WEBHOOK_QUEUE_URL", url)
    settings.get.cache_clear()
    yield sqs, url, arn
    webhook_queue.client.cache_clear()


RETRY_SCALE = "WEBHOOK_RETRY_SCALE"


@pytest.fixture
def pipeline(business, queue) -> Pipeline:
    return Pipeline(business.business.id, *queue)


def register(api: Api, url: str, events: list[str] | None = None) -> dict:
    answer = api.post("/api/v1/webhook-endpoints", {"url": url, "events": events or ["*"]})
    assert answer.status == 201, answer.body
    return answer.json


def feed(api: Api, query: str = "") -> list[dict]:
    answer = api.get(f"/api/v1/events{query}")
    assert answer.status == 200, answer.body
    return answer.json["data"]


def new_client(api: Api, name: str = "Nordlys Regnskap AS") -> dict:
    answer = api.post("/api/v1/clients", {"name": name, "email": "post@nordlys.example"})
    assert answer.status == 201, answer.body
    return answer.json


def new_invoice(api: Api, client_id: str, due_date: str | None = None) -> dict:
    body = {"client_id": client_id, "currency": "EUR",
            "lines": [{"description": "Conseil", "quantity": 1, "unit_price_cents": 50000, "tax_rate": 20}]}
    if due_date:
        body["due_date"] = due_date
    answer = api.post("/api/v1/invoices", body)
    assert answer.status == 201, answer.body
    return answer.json


# --- the full flow --------------------------------------------------------------------------------------

def test_a_full_flow_delivers_every_event_type_signed_and_each_endpoint_gets_its_subset(api, pipeline, receivers):
    from fastfaktura.services.overdue import mark_overdue_invoices
    from fastfaktura.webhooks.events import EVENT_TYPES

    assert set(EVENT_TYPES) == ALL_TODAY  # the flow makes every event of the catalogue
    everything, some = receivers(), receivers()
    first = register(api, everything.url)
    second = register(api, some.url, ["invoice.paid", "client.created"])

    client = new_client(api)
    assert api.put(f"/api/v1/clients/{client['id']}", {"name": "Nordlys Regnskap ASA"}).status == 200
    invoice = new_invoice(api, client["id"])
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"]}).status == 200
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"], "reminder": True}).status == 200
    public_url = api.get(f"/api/v1/invoices/{invoice['id']}").json["public_url"]
    assert api.get(re.sub(r"^https?://[^/]+", "", public_url), key=None).status == 200
    assert api.post(f"/api/v1/invoices/{invoice['id']}/payments", {"amount_cents": 10000, "method": "cash"}).status \
        == 201
    note = api.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", {"reason": "Remise", "lines": [
        {"description": "Remise", "quantity": 1, "unit_price_cents": 5000, "tax_rate": 20}]})
    assert note.status == 201, note.body
    assert api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid", {}).status == 200
    late = new_invoice(api, client["id"], due_date="1998-06-15")
    assert api.post(f"/api/v1/invoices/{late['id']}/send", {"channels": ["link"]}).status == 200
    from datetime import UTC, datetime

    assert mark_overdue_invoices(datetime(1998, 6, 17, tzinfo=UTC))["marked"] >= 1
    cancelled = new_invoice(api, client["id"])
    assert api.post(f"/api/v1/invoices/{cancelled['id']}/cancel").status == 200
    assert api.delete(f"/api/v1/clients/{client['id']}").status == 200
    assert api.put("/api/v1/business", {"iban": "FR76 3000 6000 0112 3456 7890 189"}).status == 200

    pipeline.pump(lambda: set(everything.types()) >= ALL_TODAY and len(some.received) >= 2)
    pipeline.settle(1.5)
    assert set(everything.types()) == ALL_TODAY
    assert sorted(some.types()) == ["client.created", "invoice.paid"]
    assert everything.types().count("invoice.created") == 3 and everything.types().count("invoice.sent") == 2

    for receiver, endpoint in ((everything, first), (some, second)):
        for got in receiver.received:
            assert got.headers["content-type"] == "application/json"
            assert verify(got.headers[HEADER.lower()], got.body, endpoint["secret"])
            other = first if endpoint is second else second
            assert not verify(got.headers[HEADER.lower()], got.body, other["secret"])
    ids = [r.event["id"] for r in everything.received]
    assert len(ids) == len(set(ids)), "each event once"

    paid = next(r.event for r in everything.received if r.event["type"] == "invoice.paid")
    assert paid["business_id"] == api_business(api) and paid["sandbox"] is True
    assert paid["data"]["object"]["id"] == invoice["id"] and paid["data"]["object"]["status"] == "paid"
    created_note = next(r.event for r in everything.received if r.event["type"] == "credit_note.created")
    assert created_note["data"]["object"] == api.get(f"/api/v1/credit-notes/{note.json['id']}").json == note.json
    credited = next(r.event for r in everything.received if r.event["type"] == "invoice.credited")
    assert credited["data"]["object"]["id"] == invoice["id"]
    assert [c["id"] for c in credited["data"]["object"]["credit_notes"]] == [note.json["id"]]
    received = [r.event for r in everything.received if r.event["type"] == "invoice.payment_received"]
    assert len(received) == 1 and received[0]["data"]["object"]["id"] == invoice["id"]
    archived = next(r.event for r in everything.received if r.event["type"] == "client.archived")
    assert archived["data"]["object"]["archived_at"]

    # The feed holds the same objects, byte for byte what was signed.
    feed_by_id = {e["id"]: e for e in feed(api, "?per_page=100")}
    assert {r.event["id"] for r in everything.received} <= set(feed_by_id)
    assert all(feed_by_id[r.event["id"]] == r.event for r in everything.received)
    assert [e["type"] for e in feed(api, "?type=invoice.paid")] == ["invoice.paid"]

    deliveries = api.get(f"/api/v1/webhook-endpoints/{first['id']}/deliveries?per_page=100").json["data"]
    assert len(deliveries) == len(everything.received)
    assert all(d["status_code"] == 200 and d["error"] is None and d["next_attempt_at"] is None for d in deliveries)
    assert [d["attempted_at"] for d in deliveries] == sorted((d["attempted_at"] for d in deliveries), reverse=True)


def api_business(api: Api) -> str:
    return api.get("/api/v1/business").json["id"]


# --- order --------------------------------------------------------------------------------------------

def test_sequence_gives_an_invoice_s_events_in_the_order_they_happened_and_redelivery_keeps_it(api, pipeline,
                                                                                              receivers):
    receiver = receivers()
    register(api, receiver.url)
    client = new_client(api)
    invoice = new_invoice(api, client["id"])
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["email", "link"]}).status == 200
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"], "reminder": True}).status == 200
    public_url = api.get(f"/api/v1/invoices/{invoice['id']}").json["public_url"]
    assert api.get(re.sub(r"^https?://[^/]+", "", public_url), key=None).status == 200
    # Paid last, but dated the day before it was sent: created_at tells the date, sequence the order.
    back_dated = api.get(f"/api/v1/invoices/{invoice['id']}").json["created_at"][:10] + "T00:00:00Z"
    assert api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid", {"paid_at": back_dated}).status == 200
    flow = ["invoice.created", "invoice.sent", "invoice.reminder_sent", "invoice.opened", "invoice.paid"]

    def of_invoice() -> list[dict]:
        return [r.event for r in receiver.received if r.event["data"]["object"].get("id") == invoice["id"]]

    pipeline.pump(lambda: len(of_invoice()) >= len(flow))
    received = of_invoice()
    assert [e["type"] for e in sorted(received, key=lambda e: e["sequence"])] == flow
    assert min(received, key=lambda e: e["created_at"])["type"] == "invoice.paid"
    assert len({e["sequence"] for e in received}) == len(flow)

    before = feed(api, "?per_page=100")
    assert all(e in before for e in received)  # the feed carries the same numbers
    for batch in pipeline.fed:
        assert pipeline.run_events(batch) == {"batchItemFailures": []}
    pipeline.settle(1.5)
    assert feed(api, "?per_page=100") == before  # the same events, the same numbers
    assert len(of_invoice()) == len(flow)


# --- the business's own event ---------------------------------------------------------------------------

def test_a_bank_details_change_reaches_the_feed_and_its_subscribers_with_the_business(api, pipeline, receivers):
    everything, bank, clients_only = receivers(), receivers(), receivers()
    register(api, everything.url)
    register(api, bank.url, ["business.bank_details_changed"])
    register(api, clients_only.url, ["client.created"])
    assert api.put("/api/v1/business", {"iban": "FR76 3000 6000 0112 3456 7890 189"}).status == 200
    assert api.put("/api/v1/business", {"name": "No bank change"}).status == 200
    new_client(api)
    pipeline.pump(lambda: len(everything.received) >= 2 and bank.received and clients_only.received)
    pipeline.settle(1.5)
    assert sorted(everything.types()) == ["business.bank_details_changed", "client.created"]
    assert bank.types() == ["business.bank_details_changed"] and clients_only.types() == ["client.created"]
    event = bank.received[0].event
    business = api.get("/api/v1/business").json
    assert event["data"]["object"] == business and event["business_id"] == business["id"]  # as GET answers it now
    assert isinstance(event["sequence"], int) and event["sandbox"] is True
    assert feed(api, "?type=business.bank_details_changed") == [event]


# --- retries --------------------------------------------------------------------------------------------

def test_500_500_200_is_the_same_event_three_times_and_three_attempts_in_the_log(api, pipeline, receivers):
    receiver = receivers(500, 500)
    endpoint = register(api, receiver.url, ["client.created"])
    new_client(api)
    pipeline.pump(lambda: len(receiver.received) >= 3)
    pipeline.settle(2.5)
    assert len(receiver.received) == 3
    assert len({r.event["id"] for r in receiver.received}) == 1
    assert len({r.body for r in receiver.received}) == 1  # the same bytes every time

    log = api.get(f"/api/v1/webhook-endpoints/{endpoint['id']}/deliveries").json
    assert [d["status_code"] for d in log["data"]] == [200, 500, 500]  # newest first
    assert [d["error"] for d in log["data"]] == [None, "HTTP 500", "HTTP 500"]
    assert log["data"][0]["next_attempt_at"] is None
    assert all(d["next_attempt_at"] > d["attempted_at"] for d in log["data"][1:])
    assert {d["event_id"] for d in log["data"]} == {receiver.received[0].event["id"]}
    assert log["has_more"] is False and log["next_cursor"] is None
    assert pipeline.messages_waiting() == 0


def test_a_receiver_down_for_a_day_gets_everything_afterwards(api, pipeline, receivers):
    receiver = receivers()
    register(api, receiver.url)
    receiver.stop()
    client = new_client(api)
    api.put(f"/api/v1/clients/{client['id']}", {"name": "Renamed while down"})
    pipeline.pump(lambda: pipeline.messages_waiting() == 2)
    pipeline.settle(3)  # a few retries meet a closed port
    receiver.start()
    pipeline.pump(lambda: {"client.created", "client.updated"} <= set(receiver.types()), timeout=60)
    assert sorted(receiver.types()) == ["client.created", "client.updated"]
    endpoint_id = api.get("/api/v1/webhook-endpoints").json["data"][0]["id"]
    log = api.get(f"/api/v1/webhook-endpoints/{endpoint_id}/deliveries?per_page=100").json["data"]
    errors = [d["error"] for d in log]
    assert "connection refused" in errors and errors.count(None) == 2


def test_an_endpoint_failing_for_the_whole_window_is_disabled_and_the_feed_says_so(api, pipeline, receivers,
                                                                                   monkeypatch):
    monkeypatch.setenv(RETRY_SCALE, "0.00001")  # 3 days in 2.6 s
    settings.get.cache_clear()
    receiver = receivers(*[500] * 50)
    endpoint = register(api, receiver.url, ["client.created"])
    new_client(api)
    pipeline.pump(lambda: api.get(f"/api/v1/webhook-endpoints/{endpoint['id']}").json["enabled"] is False)
    shown = api.get(f"/api/v1/webhook-endpoints/{endpoint['id']}").json
    assert shown["disabled_reason"] == "failing"
    (disabled,) = feed(api, "?type=webhook_endpoint.disabled")
    assert disabled["data"]["object"]["id"] == endpoint["id"] and disabled["data"]["object"]["enabled"] is False
    assert "secret" not in disabled["data"]["object"]
    log = api.get(f"/api/v1/webhook-endpoints/{endpoint['id']}/deliveries?per_page=100").json["data"]
    assert log[0]["next_attempt_at"] is None and log[0]["status_code"] == 500  # given up
    count = len(receiver.received)
    new_client(api, "After the disabling")
    pipeline.settle(2)
    assert len(receiver.received) == count  # a disabled endpoint receives nothing
    assert api.put(f"/api/v1/webhook-endpoints/{endpoint['id']}", {"enabled": True}).json["disabled_reason"] is None


# --- no duplicates, nothing lost ------------------------------------------------------------------------

def test_a_redelivered_stream_batch_makes_no_second_event_nor_delivery(api, pipeline, receivers):
    receiver = receivers()
    register(api, receiver.url)
    new_client(api)
    pipeline.pump(lambda: len(receiver.received) == 1)
    before = feed(api)
    for batch in pipeline.fed:
        assert pipeline.run_events(batch) == {"batchItemFailures": []}
    pipeline.settle(1.5)
    assert feed(api) == before
    assert len(receiver.received) == 1 and pipeline.messages_waiting() == 0


def test_sqs_refusing_a_message_fails_the_record_which_is_retried_and_nothing_is_lost(api, pipeline, receivers,
                                                                                     monkeypatch):
    receiver = receivers()
    register(api, receiver.url)
    monkeypatch.setenv("WEBHOOK_QUEUE_URL", pipeline.queue_url + "-missing")
    settings.get.cache_clear()
    new_client(api)
    pipeline.pump(lambda: bool(pipeline.answers))
    assert len(pipeline.answers[0]["batchItemFailures"]) == 1
    assert len(feed(api)) == 1  # the event is in the feed already; its delivery waits for SQS
    monkeypatch.setenv("WEBHOOK_QUEUE_URL", pipeline.queue_url)
    settings.get.cache_clear()
    assert pipeline.run_events(pipeline.fed[0]) == {"batchItemFailures": []}  # the mapping's retry
    pipeline.pump(lambda: len(receiver.received) == 1)
    pipeline.settle(1)
    assert len(receiver.received) == 1 and len(feed(api)) == 1


# --- the endpoints API ----------------------------------------------------------------------------------

@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    """Every record the package's logger emits (at INFO and above), with its extra fields."""
    import logging

    from fastfaktura.observability import logger

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.dumps({k: str(v) for k, v in record.__dict__.items()}))

    handler, level = Keep(), logger.log_level
    logger.addHandler(handler)
    logger.setLevel("INFO")
    yield lines
    logger.setLevel(level)
    logger.removeHandler(handler)


def test_the_secret_is_shown_at_creation_and_rotation_only_and_a_rotation_signs_twice(api, pipeline, receivers,
                                                                                     log_lines):
    receiver = receivers()
    created = register(api, receiver.url, ["client.created"])
    assert re.fullmatch(r"whsec_[A-Za-z0-9_-]{43}", created["secret"])
    shown = api.get(f"/api/v1/webhook-endpoints/{created['id']}").json
    assert "secret" not in shown and "secret" not in api.get("/api/v1/webhook-endpoints").json["data"][0]
    rotated = api.post(f"/api/v1/webhook-endpoints/{created['id']}/rotate-secret")
    assert rotated.status == 200 and rotated.json["secret"] != created["secret"]
    new_client(api)
    pipeline.pump(lambda: len(receiver.received) == 1)
    header, body = receiver.received[0].headers[HEADER.lower()], receiver.received[0].body
    assert header.count("v1=") == 2
    assert verify(header, body, rotated.json["secret"]) and verify(header, body, created["secret"])

    items = []
    for pk in (keys.business_pk(api_business(api)), keys.events_feed_pk(api_business(api)),
               keys.webhook_endpoint_pk(api_business(api), created["id"])):
        items += db.client().query(TableName=db.table_name(), KeyConditionExpression="PK = :pk",
                                   ExpressionAttributeValues={":pk": {"S": pk}})["Items"]
    stored = json.dumps(items)
    logs = "\n".join(log_lines)
    assert "webhook attempt" in logs  # the delivery was logged, and what it logged is here
    for secret in (created["secret"], rotated.json["secret"]):
        assert secret not in stored and secret[6:] not in stored
        assert secret not in logs
    assert "whsec_" not in stored


def test_at_most_10_endpoints_then_409_and_a_deleted_one_frees_its_place(api):
    made = [register(api, f"http://127.0.0.1:9/hooks/{n}") for n in range(10)]
    assert_error(api.post("/api/v1/webhook-endpoints", {"url": "http://127.0.0.1:9/x", "events": ["*"]}), 409,
                 "conflict")
    deleted = api.delete(f"/api/v1/webhook-endpoints/{made[3]['id']}")
    assert deleted.status == 200 and deleted.json["enabled"] is False and deleted.json["disabled_reason"] == "deleted"
    assert api.delete(f"/api/v1/webhook-endpoints/{made[3]['id']}").json == deleted.json  # twice: no change
    register(api, "http://127.0.0.1:9/hooks/again")
    assert_error(api.post("/api/v1/webhook-endpoints", {"url": "http://127.0.0.1:9/y", "events": ["*"]}), 409,
                 "conflict")
    assert_error(api.put(f"/api/v1/webhook-endpoints/{made[3]['id']}", {"enabled": True}), 409, "conflict")
    listed = api.get("/api/v1/webhook-endpoints?per_page=4").json
    assert [e["id"] for e in listed["data"]] == [e["id"] for e in made[:4]] and listed["has_more"] is True
    rest = api.get(f"/api/v1/webhook-endpoints?per_page=100&cursor={listed['next_cursor']}").json
    assert len(rest["data"]) == 7 and rest["has_more"] is False and rest["next_cursor"] is None


def test_put_changes_url_events_enabled_description(api):
    endpoint = register(api, "http://127.0.0.1:9/hooks")
    changed = api.put(f"/api/v1/webhook-endpoints/{endpoint['id']}",
                      {"url": "http://127.0.0.1:9/other", "events": ["invoice.paid"], "description": "ERP",
                       "enabled": False})
    assert changed.status == 200, changed.body
    assert (changed.json["url"], changed.json["events"], changed.json["description"], changed.json["enabled"],
            changed.json["disabled_reason"]) == ("http://127.0.0.1:9/other", ["invoice.paid"], "ERP", False,
                                                 "by_request")
    cleared = api.put(f"/api/v1/webhook-endpoints/{endpoint['id']}", {"description": None, "enabled": True}).json
    assert cleared["description"] is None and cleared["enabled"] is True and cleared["disabled_reason"] is None
    assert_error(api.put(f"/api/v1/webhook-endpoints/{endpoint['id']}", {"url": None}), 422, "validation_error")
    assert_error(api.put(f"/api/v1/webhook-endpoints/{endpoint['id']}", {"secret": "whsec_x"}), 422,
                 "validation_error")
    assert_error(api.post("/api/v1/webhook-endpoints", {"url": "http://127.0.0.1:9/x", "events": ["invoice.nope"]}),
                 422, "validation_error")
    assert_error(api.post("/api/v1/webhook-endpoints", {"url": "http://127.0.0.1:9/x", "events": []}), 422,
                 "validation_error")


@pytest.mark.parametrize("path", ["/api/v1/webhook-endpoints/we_00000000000000000000000000000000",
                                  "/api/v1/webhook-endpoints/not-an-id",
                                  "/api/v1/webhook-endpoints/we_00000000000000000000000000000000/deliveries"])
def test_unknown_endpoints_are_404(api, path):
    assert_error(api.get(path), 404, "not_found")


def test_cursors_continue_the_feed_and_bad_cursors_are_400(api, pipeline):
    client = new_client(api)
    for n in range(3):
        assert api.put(f"/api/v1/clients/{client['id']}", {"name": f"Renamed {n}"}).status == 200
    pipeline.pump(lambda: len(feed(api)) == 4)
    first = api.get("/api/v1/events?per_page=3").json
    assert len(first["data"]) == 3 and first["has_more"] is True
    second = api.get(f"/api/v1/events?per_page=3&cursor={first['next_cursor']}").json
    assert [e["type"] for e in second["data"]] == ["client.created"] and second["next_cursor"] is None
    everything = [e["id"] for e in feed(api)]
    assert [e["id"] for e in first["data"] + second["data"]] == everything
    assert [e["created_at"] for e in feed(api)] == sorted((e["created_at"] for e in feed(api)), reverse=True)
    by_type = api.get("/api/v1/events?type=client.updated&per_page=2").json
    assert [e["type"] for e in by_type["data"]] == ["client.updated"] * 2 and by_type["has_more"] is True
    rest = api.get(f"/api/v1/events?type=client.updated&per_page=2&cursor={by_type['next_cursor']}").json
    assert len(rest["data"]) == 1
    for bad in ("nonsense", first["next_cursor"] + "x", by_type["next_cursor"]):  # the last: another filter's
        assert_error(api.get(f"/api/v1/events?per_page=3&cursor={bad}"), 400, "invalid_request")
    assert_error(api.get("/api/v1/events?type=invoice.nope"), 400, "invalid_request")
    assert_error(api.get("/api/v1/events?page=2"), 400, "invalid_request")
    other = Api(create_other_business().api_key)
    assert_error(other.get(f"/api/v1/events?per_page=3&cursor={first['next_cursor']}"), 400, "invalid_request")


def create_other_business():
    from fastfaktura.services.business import create_business

    return create_business("Another business", sandbox=True, country="NO", locale="nb")


# --- which URLs ------------------------------------------------------------------------------------------

UNSAFE_FOR_LIVE = [
    "http://erp.example.com/hooks", "https://127.0.0.1/hooks", "https://2130706433/hooks", "https://0177.0.0.1/",
    "https://0x7f000001/", "https://[::1]/hooks", "https://0.0.0.0/", "https://localhost/hooks",
    "https://api.localhost/hooks", "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/",
    "https://user:pass@erp.example.com/hooks", "http://127.0.0.1:8080/hooks", "https://intranet.example.com/hooks",
    "https://rebind.example.com/hooks", "https://metadata.example.com/hooks", "https://mapped.example.com/hooks",
]
PRIVATE_NAMES = {"intranet.example.com": "10.1.2.3", "rebind.example.com": "127.0.0.1",
                 "metadata.example.com": "169.254.169.254", "mapped.example.com": "::ffff:192.168.1.1",
                 "public.example.com": "93.184.215.14"}


@pytest.fixture
def test_resolver(monkeypatch):
    """A DNS of this test's own: names that resolve to private addresses, and one public name."""
    import socket

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in PRIVATE_NAMES:
            raise socket.gaierror("unknown name")
        address = PRIVATE_NAMES[host]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("url", UNSAFE_FOR_LIVE)
def test_unsafe_urls_are_refused_for_live_businesses(dynamodb, test_resolver, url):
    from fastfaktura.services.business import create_business

    live = Api(create_business("Live business", sandbox=False, country="FR", locale="fr").api_key)
    error = assert_error(live.post("/api/v1/webhook-endpoints", {"url": url, "events": ["*"]}), 422,
                         "validation_error")
    assert error["details"][0]["field"] == "url" and error["details"][0]["issue"] == "unsafe_url"
    assert live.get("/api/v1/webhook-endpoints").json["data"] == []


def test_a_public_https_name_is_accepted_for_a_live_business_and_put_is_checked_too(dynamodb, test_resolver):
    from fastfaktura.services.business import create_business

    live = Api(create_business("Live business", sandbox=False, country="FR", locale="fr").api_key)
    endpoint = register(live, "https://public.example.com/hooks")
    assert_error(live.put(f"/api/v1/webhook-endpoints/{endpoint['id']}", {"url": "https://intranet.example.com/x"}),
                 422, "validation_error")
    assert live.get(f"/api/v1/webhook-endpoints/{endpoint['id']}").json["url"] == "https://public.example.com/hooks"


def test_sandbox_may_use_loopback_http_only_on_the_local_stack(api, monkeypatch):
    monkeypatch.setenv("WEBHOOK_ALLOW_LOCAL_HTTP", "false")
    settings.get.cache_clear()
    assert_error(api.post("/api/v1/webhook-endpoints", {"url": "http://127.0.0.1:9/hooks", "events": ["*"]}), 422,
                 "validation_error")
    monkeypatch.setenv("WEBHOOK_ALLOW_LOCAL_HTTP", "true")
    settings.get.cache_clear()
    register(api, "http://127.0.0.1:9/hooks")
    assert_error(api.post("/api/v1/webhook-endpoints", {"url": "http://localhost:9/hooks", "events": ["*"]}), 422,
                 "validation_error")


# --- round trips ----------------------------------------------------------------------------------------

def test_a_create_is_one_transaction_and_a_page_at_any_depth_is_one_query(api, pipeline, count_calls):
    api.get("/api/v1/business")  # the key lookup is cached from here on
    count_calls.clear()
    register(api, "http://127.0.0.1:9/hooks")
    assert count_calls == ["TransactWriteItems"]
    client = new_client(api)
    for n in range(4):
        assert api.put(f"/api/v1/clients/{client['id']}", {"name": f"Renamed {n}"}).status == 200
    pipeline.pump(lambda: len(feed(api)) == 5)
    cursor = None
    for _page in range(4):
        count_calls.clear()
        answer = api.get("/api/v1/events?per_page=1" + (f"&cursor={cursor}" if cursor else "")).json
        assert count_calls == ["Query"] and len(answer["data"]) == 1
        cursor = answer["next_cursor"]
