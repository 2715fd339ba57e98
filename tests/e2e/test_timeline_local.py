"""The timeline end to end through `fastfaktura dev`: the API writes, the stack's stream poller feeds
TimelineFunction, the API reads the events back — complete, in order, and never twice."""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

import pytest
import requests

pytestmark = pytest.mark.e2e


def call(stack, method: str, path: str, body=None) -> requests.Response:
    return requests.request(method, stack.url + path, json=body, headers={"x-api-key": stack.key}, timeout=60)


def events_until(stack, invoice_id: str, count: int) -> list[dict]:
    events: list[dict] = []
    for _attempt in range(300):  # the poller delivers within about a second; a busy machine is slower
        events = call(stack, "GET", f"/api/v1/invoices/{invoice_id}/events").json()["data"]
        if len(events) >= count:
            break
        time.sleep(0.2)
    return events


def test_create_send_three_channels_open_pay_gives_the_timeline_in_order(dev_stack):
    client = call(dev_stack, "POST", "/api/v1/clients", {
        "name": "Client Exemple SA", "email": f"{uuid.uuid4().hex[:10]}@client.example", "phone": "+33612345678"})
    assert client.status_code == 201, client.text
    created = call(dev_stack, "POST", "/api/v1/invoices", {"client_id": client.json()["id"], "currency": "EUR",
        "lines": [{"description": "Conseil", "quantity": 1, "unit_price_cents": 50000, "tax_rate": 20}]})
    assert created.status_code == 201, created.text
    invoice = created.json()

    sent = call(dev_stack, "POST", f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["email", "sms", "link"]})
    assert sent.status_code == 200, sent.text
    # a person's browser: an HTTP library's own User-Agent is a link scanner, which does not open an invoice
    page = requests.get(dev_stack.url + urlsplit(invoice["public_url"]).path, timeout=60,
                        headers={"user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"})
    assert page.status_code == 200
    paid = call(dev_stack, "POST", f"/api/v1/invoices/{invoice['id']}/mark-paid", {})
    assert paid.status_code == 200, paid.text

    events = events_until(dev_stack, invoice["id"], 6)
    assert [(e["type"], e.get("channel")) for e in events] == [
        ("created", None), ("sent", "email"), ("sent", "sms"), ("sent", "link"), ("opened", None), ("paid", None)]
    assert len({e["id"] for e in events}) == 6
    assert events[0]["at"] == invoice["created_at"]
    assert events[-1]["at"] == paid.json()["paid_at"]
    assert all(e["data"]["simulated"] is True for e in events if e["type"] == "sent")  # a sandbox business

    detail = call(dev_stack, "GET", f"/api/v1/invoices/{invoice['id']}").json()
    assert detail["status"] == "paid"
    assert detail["events"] == events
