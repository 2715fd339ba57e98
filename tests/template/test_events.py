"""events/: a sample event for every function of template.yaml, in the shape of the function's trigger
(HTTP API payload v2.0, a DynamoDB stream batch as Lambda delivers it, EventBridge Scheduler's default
notification), usable with `sam local invoke -e` and `fastfaktura invoke --event`."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from aws_lambda_powertools.utilities.data_classes import (
    APIGatewayProxyEventV2,
    DynamoDBStreamEvent,
    EventBridgeEvent,
    SQSEvent,
)
from fastfaktura import settings
from fastfaktura.domain.api_keys import KEY_PATTERN
from fastfaktura.tools.template import Function, functions, load, routes

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
PUBLIC_PREFIXES = ("/i/", "/webhooks/", "/api/v1/openapi.json")


def event_files(function: Function) -> list[Path]:
    """`events/<function folder>.json` or `events/<function folder>_<what>.json`."""
    name = function.code_uri.name
    return sorted(p for p in EVENTS.glob("*.json") if p.stem == name or (p.stem.startswith(f"{name}_")
                  and not any(p.stem == other or p.stem.startswith(f"{other}_")
                              for other in _longer_names(name))))


def _longer_names(name: str) -> list[str]:
    return [f.code_uri.name for f in functions().values() if f.code_uri.name.startswith(f"{name}_")]


def samples() -> list[tuple[str, Path]]:
    return [(fid, path) for fid, fn in functions().items() for path in event_files(fn)]


def sample_id(value) -> str:
    return value.name if isinstance(value, Path) else str(value)


@pytest.mark.parametrize("function_id", sorted(functions()))
def test_every_function_has_a_sample_event(function_id):
    assert event_files(functions()[function_id]), f"no events/{functions()[function_id].code_uri.name}.json"


def test_every_event_file_belongs_to_a_function():
    owned = {path for _, path in samples()}
    assert set(EVENTS.glob("*.json")) <= owned, sorted(p.name for p in set(EVENTS.glob("*.json")) - owned)


def trigger(function: Function) -> str:
    kinds = {e.get("Type") for e in function.events.values()}
    assert len(kinds) == 1, function.logical_id
    return kinds.pop()


@pytest.mark.parametrize(("function_id", "path"), samples(), ids=sample_id)
def test_the_sample_has_the_shape_of_its_trigger(function_id, path):
    event = json.loads(path.read_text(encoding="utf-8"))
    function = functions()[function_id]
    {"HttpApi": check_http_api_event, "DynamoDB": check_stream_batch, "ScheduleV2": check_schedule_event,
     "Schedule": check_schedule_event, "SQS": check_queue_batch}[trigger(function)](function, event)


def check_http_api_event(function: Function, event: dict) -> None:
    (route,) = [r for r in routes() if r.function_id == function.logical_id]
    parsed = APIGatewayProxyEventV2(event)
    assert event["version"] == "2.0"
    expected_key = "$default" if route.path == "$default" else f"{route.method} {route.path}"
    assert event["routeKey"] == event["requestContext"]["routeKey"] == expected_key
    assert parsed.raw_path == event["requestContext"]["http"]["path"]
    assert parsed.request_context.http.method in ({route.method} if route.method != "ANY" else
                                                  {"GET", "PUT", "POST", "DELETE", "PATCH"})
    assert parsed.request_context.request_id and parsed.request_context.stage == "$default"
    assert isinstance(event["requestContext"]["timeEpoch"], int)
    assert all(name == name.lower() for name in event["headers"]), "payload v2.0 header names are lower case"
    assert isinstance(event["isBase64Encoded"], bool)
    if route.path == "$default":
        assert "pathParameters" not in event
    else:
        assert route.pattern.match(parsed.raw_path)
        assert (event.get("pathParameters") or {}) == route.path_parameters(parsed.raw_path)
        query = dict(pair.split("=", 1) for pair in event["rawQueryString"].split("&") if pair)
        assert (event.get("queryStringParameters") or {}) == query
    if "body" in event:
        body = base64.b64decode(event["body"]) if event["isBase64Encoded"] else event["body"].encode()
        if event["headers"].get("content-type") == "application/json":
            json.loads(body)
    if not route.path.startswith(PUBLIC_PREFIXES) and route.path != "$default":
        assert KEY_PATTERN.match(event["headers"]["x-api-key"])


def check_stream_batch(function: Function, event: dict) -> None:
    stream = next(e for e in function.events.values() if e["Type"] == "DynamoDB")["Properties"]
    view = load()["Resources"]["Table"]["Properties"]["StreamSpecification"]["StreamViewType"]
    records = event["Records"]
    assert 1 <= len(records) <= stream["BatchSize"]
    for record in DynamoDBStreamEvent(event).records:
        raw = record.raw_event
        assert raw["eventSource"] == "aws:dynamodb" and raw["eventVersion"] == "1.1"
        assert re.fullmatch(r"arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table/[^/]+/stream/.+", raw["eventSourceARN"])
        assert raw["eventName"] in ("INSERT", "MODIFY", "REMOVE")
        data = raw["dynamodb"]
        assert isinstance(data["ApproximateCreationDateTime"], int | float)  # epoch seconds, as Lambda sends
        assert {"PK", "SK"} <= set(data["Keys"]) and data["StreamViewType"] == view
        assert data["SequenceNumber"].isdigit()
        if raw["eventName"] in ("INSERT", "MODIFY"):
            assert record.dynamodb.new_image
        if raw["eventName"] in ("MODIFY", "REMOVE"):
            assert record.dynamodb.old_image


def check_queue_batch(function: Function, event: dict) -> None:
    queue = next(e for e in function.events.values() if e["Type"] == "SQS")["Properties"]
    assert 1 <= len(event["Records"]) <= queue["BatchSize"]
    for record in SQSEvent(event).records:
        raw = record.raw_event
        assert raw["eventSource"] == "aws:sqs" and record.message_id and record.receipt_handle
        assert re.fullmatch(r"arn:aws:sqs:[a-z0-9-]+:\d{12}:.+", raw["eventSourceARN"])
        assert raw["md5OfBody"] == hashlib.md5(record.body.encode()).hexdigest()
        assert record.attributes.approximate_receive_count.isdigit()
        json.loads(record.body)


def check_schedule_event(function: Function, event: dict) -> None:
    kind = trigger(function)
    parsed = EventBridgeEvent(event)
    assert parsed.detail_type == "Scheduled Event"
    assert parsed.source == ("aws.scheduler" if kind == "ScheduleV2" else "aws.events")
    service = "scheduler" if kind == "ScheduleV2" else "events"
    assert all(arn.startswith(f"arn:aws:{service}:") for arn in parsed.resources) and parsed.resources
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", parsed.time)


@pytest.mark.parametrize(("function_id", "path"), [s for s in samples() if trigger(functions()[s[0]]) == "HttpApi"],
                         ids=sample_id)
def test_the_sample_runs_through_its_function(function_id, path, dynamodb, monkeypatch):
    """As `fastfaktura invoke --event` runs it: an answer, never a 5xx (the sample key is unknown: 401,
    the sample's Stripe signature is not made with this secret: 400)."""
    from fastfaktura.devstack.runtime import http_answer, invoke

    monkeypatch.setenv("STRIPE_TEST_WEBHOOK_SECRET", "whsec_sample_events_test")
    settings.get.cache_clear()
    event = json.loads(path.read_text(encoding="utf-8"))
    status, _headers, body = http_answer(invoke(functions()[function_id], event))
    assert status < 500, body[:300]
    if event["rawPath"].startswith(("/api/", "/webhooks/")) and status >= 400:
        assert json.loads(body)["error"]["request_id"] == event["requestContext"]["requestId"]


@pytest.mark.parametrize(("function_id", "path"), [s for s in samples() if trigger(functions()[s[0]]) != "HttpApi"],
                         ids=sample_id)
def test_the_stream_and_schedule_samples_run_through_their_function(function_id, path, dynamodb):
    from fastfaktura.devstack.runtime import invoke

    event = json.loads(path.read_text(encoding="utf-8"))
    if trigger(functions()[function_id]) == "DynamoDB":
        write_what_the_stream_saw(event)
    result = invoke(functions()[function_id], event)
    if trigger(functions()[function_id]) in ("DynamoDB", "SQS"):
        assert result == {"batchItemFailures": []}
    else:
        assert isinstance(result, dict)


def write_what_the_stream_saw(event: dict) -> None:
    """The items a stream sample's records describe, and their businesses (functions that read the
    changed resource, as the webhook events do, find it as the change left it)."""
    from fastfaktura.services.business import create_business
    from fastfaktura.store import db

    for record in event["Records"]:
        image = record["dynamodb"].get("NewImage")
        if not image:
            continue
        db.client().put_item(TableName=db.table_name(), Item=image)
        business_id = image["PK"]["S"].split("#")[1]  # every business-owned key starts BIZ#<bid>
        created = create_business("Sample events", sandbox=True, country="NO", locale="nb")
        profile = db.get(f"BIZ#{created.business.id}", "PROFILE")
        db.client().put_item(TableName=db.table_name(), Item=db.to_item(
            {**profile, "PK": f"BIZ#{business_id}", "business_id": business_id}))
