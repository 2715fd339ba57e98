"""Logs are Powertools JSON lines whose correlation id is the API Gateway request id (the `request_id` of
the error JSON), and an API key never appears in them, not even when a request fails with a traceback."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest

from tests.helpers.api import assert_error
from tests.helpers.logs import captured_logs


@contextmanager
def dynamodb_failing():
    """Every DynamoDB call of the store's client fails, as an unexpected bug would."""
    from fastfaktura.store import db

    def fail(**_kwargs):
        raise RuntimeError("injected failure")

    events = db.client().meta.events
    events.register("before-call.dynamodb.*", fail, unique_id="observability-test")
    try:
        yield
    finally:
        events.unregister("before-call.dynamodb.*", unique_id="observability-test")


@pytest.mark.parametrize("scheme", ["x-api-key", "bearer"])
def test_a_failing_request_logs_json_with_the_request_id_and_never_the_key(api, business, monkeypatch, scheme):
    monkeypatch.setenv("POWERTOOLS_LOGGER_LOG_EVENT", "true")  # the template says false; even so
    key = business.api_key
    headers = {"x-api-key": key} if scheme == "x-api-key" else {"authorization": f"Bearer {key}"}
    assert api.get("/api/v1/business", key=None, headers=headers).status == 200  # the key is now cached

    mistyped = key[:-1] + ("A" if key[-1] != "A" else "B")
    with captured_logs() as logs:
        with dynamodb_failing():
            answer = api.get("/api/v1/business", key=None, headers=headers)
            lookup_failed = api.get("/api/v1/business", key=mistyped)  # not cached: its lookup fails
        bad_key = api.get("/api/v1/business", key=mistyped)

    error = assert_error(answer, 500, "internal_error")
    assert "injected" not in answer.body.decode()  # no internals in the answer
    assert_error(lookup_failed, 500, "internal_error")  # the contract's JSON, not API Gateway's bare 500
    assert_error(bad_key, 401, "authentication_error")
    lines = [json.loads(line) for line in logs.getvalue().splitlines() if line.strip()]
    failure = next(line for line in lines if line["level"] == "ERROR")
    assert failure["correlation_id"] == error["request_id"]
    assert failure["service"] == "fastfaktura"
    assert "injected failure" in failure["exception"]  # the traceback is in the logs, not in the answer
    text = logs.getvalue()
    assert key not in text and key[len("ffk_test_"):] not in text
    assert key[len("ffk_test_"):-1] not in text  # nor the mistyped key of the 401
