"""Webhooks end to end through `fastfaktura dev --fast-retries`: a change made through the API reaches a
real receiver on loopback over HTTP, signed, retried with the same event id after a failure, and logged."""

from __future__ import annotations

import subprocess
import time
import uuid

import pytest
import requests
from fastfaktura.webhooks.signing import HEADER, verify

from tests.helpers.stack import fastfaktura_command
from tests.helpers.webhook_receiver import Receiver

pytestmark = pytest.mark.e2e


def call(stack, method: str, path: str, body=None) -> requests.Response:
    return requests.request(method, stack.url + path, json=body, headers={"x-api-key": stack.key}, timeout=60)


def test_a_client_change_reaches_the_receiver_signed_and_a_failure_is_retried_with_the_same_id(dev_stack):
    receiver = Receiver([500]).start()
    try:
        endpoint = call(dev_stack, "POST", "/api/v1/webhook-endpoints",
                        {"url": receiver.url, "events": ["client.created"]})
        assert endpoint.status_code == 201, endpoint.text
        name = f"Webhook E2E {uuid.uuid4().hex[:8]}"
        assert call(dev_stack, "POST", "/api/v1/clients", {"name": name}).status_code == 201
        deadline = time.monotonic() + 90
        while len(receiver.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        receiver.stop()
    assert len(receiver.received) == 2, dev_stack.stderr.read_text()[-3000:]
    first, second = (r.event for r in receiver.received)
    assert first == second and first["type"] == "client.created" and first["data"]["object"]["name"] == name
    secret = endpoint.json()["secret"]
    assert all(verify(r.headers[HEADER.lower()], r.body, secret) for r in receiver.received)
    log = call(dev_stack, "GET", f"/api/v1/webhook-endpoints/{endpoint.json()['id']}/deliveries").json()["data"]
    assert [(d["status_code"], d["event_id"]) for d in log] == [(200, first["id"]), (500, first["id"])]
    assert first["id"] in [e["id"] for e in call(dev_stack, "GET", "/api/v1/events?type=client.created").json()["data"]]


def test_dev_help_documents_fast_retries():
    shown = subprocess.run([*fastfaktura_command(), "dev", "--help"], capture_output=True, text=True, timeout=60,
                           check=True).stdout
    assert "--fast-retries" in shown and "webhook retry" in shown
