"""Sending, reminders and the overdue job through `fastfaktura dev`, as a developer uses them: a live
business sends through the stack's SES and SNS emulation, the timeline gets one event per channel,
and `fastfaktura invoke OverdueFunction --local` marks the invoice overdue once."""

from __future__ import annotations

import json
import time
import uuid
from email import message_from_string, policy

import pytest
import requests

from tests.helpers.stack import read_local_json

pytestmark = pytest.mark.e2e


def call(stack, method: str, path: str, key: str, body=None) -> requests.Response:
    return requests.request(method, stack.url + path, json=body, headers={"x-api-key": key}, timeout=60)


def events_of(stack, key: str, invoice_id: str, count: int) -> list[dict]:
    events: list[dict] = []
    for _attempt in range(300):  # the poller delivers within about a second; a busy machine is slower
        events = call(stack, "GET", f"/api/v1/invoices/{invoice_id}/events", key).json()["data"]
        if len(events) >= count:
            break
        time.sleep(0.2)
    return events


def test_live_send_reminder_and_overdue_from_the_local_stack(dev_stack):
    created = dev_stack.cli("create-business", "--name", "Fjord Design AS", "--live", "--country", "NO",
                            "--locale", "nb", "--local")
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)["api_key"]
    assert call(dev_stack, "PUT", "/api/v1/business", key, {"email": "billing@fjord.example"}).status_code == 200
    email, phone = f"{uuid.uuid4().hex[:10]}@client.example", "+4798765432"
    client = call(dev_stack, "POST", "/api/v1/clients", key,
                  {"name": "Kari Nordmann", "email": email, "phone": phone, "locale": "nb"}).json()
    invoice = call(dev_stack, "POST", "/api/v1/invoices", key, {
        "client_id": client["id"], "currency": "NOK", "due_date": "2001-01-01",
        "lines": [{"description": "Design", "quantity": 1, "unit_price_cents": 250000, "tax_rate": 25}]}).json()

    sent = call(dev_stack, "POST", f"/api/v1/invoices/{invoice['id']}/send", key,
                {"channels": ["email", "sms", "link"]})
    assert sent.status_code == 200, sent.text
    assert [d["status"] for d in sent.json()["deliveries"]] == ["sent", "sent", "sent"]
    assert sent.json()["invoice"]["status"] == "sent"

    moto = requests.get(read_local_json(dev_stack)["moto"] + "/moto-api/data.json", timeout=60).json()
    [mail] = [m for m in moto["ses"]["RawMessage"] if any(email in d for d in m["destinations"])]
    message = message_from_string(mail["raw_data"], policy=policy.default)
    assert message["Subject"] == "Faktura F-0001 fra Fjord Design AS"
    assert [a.get_content_type() for a in message.iter_attachments()] == ["application/pdf"]
    assert any(s["phone_number"] == phone and invoice["public_url"] in s["message"] for s in moto["sns"]["SMS"])
    timeline = events_of(dev_stack, key, invoice["id"], 4)
    assert sorted(e["channel"] for e in timeline if e["type"] == "sent") == ["email", "link", "sms"]

    first = dev_stack.cli("invoke", "OverdueFunction", "--local")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["marked"] >= 1
    assert call(dev_stack, "GET", f"/api/v1/invoices/{invoice['id']}", key).json()["status"] == "overdue"
    second = dev_stack.cli("invoke", "OverdueFunction", "--local")
    assert second.returncode == 0 and json.loads(second.stdout)["marked"] == 0

    reminder = call(dev_stack, "POST", f"/api/v1/invoices/{invoice['id']}/send", key,
                    {"channels": ["email"], "reminder": True})
    assert reminder.status_code == 200, reminder.text
    assert reminder.json()["invoice"]["status"] == "overdue"
    kinds = [e["type"] for e in events_of(dev_stack, key, invoice["id"], 6)]
    assert "overdue" in kinds and "reminder_sent" in kinds
