"""Every answer is the same JSON: compact UTF-8 (never `\\u00c5`), whether a route returns a model (GET, PUT),
answers 201 (POST) or fails; a 201 names the created object in `Location`; a message carries our words,
without pydantic's "Value error, " before them, while `details[].issue` stays the error type."""

from __future__ import annotations

import json

from tests.helpers.api import assert_error

NAME = "Åsa Ærø Ölund"


def _compact_utf8(raw: bytes) -> None:
    text = raw.decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))


def test_created_read_updated_and_failed_answers_share_one_encoding(api):
    created = api.post("/api/v1/clients", {"name": NAME})
    assert created.status == 201 and NAME.encode() in created.body
    client_id = created.json["id"]
    read = api.get(f"/api/v1/clients/{client_id}")
    updated = api.put(f"/api/v1/clients/{client_id}", {"address": "Ærøgade 1"})
    failed = api.post("/api/v1/clients", {"name": NAME, "phone": "12"})
    listed = api.get("/api/v1/clients")
    for answer in (created, read, updated, failed, listed):
        _compact_utf8(answer.body)
    assert NAME.encode() in read.body and b"\\u00" not in read.body + listed.body


def test_every_201_names_the_created_object_in_location(api):
    client = api.post("/api/v1/clients", {"name": "Fjord AS"})
    assert client.headers["location"] == f"/api/v1/clients/{client.json['id']}"
    invoice = api.post("/api/v1/invoices", {"client_id": client.json["id"], "currency": "EUR", "lines": [
        {"description": "Conseil", "quantity": 1, "unit_price_cents": 1000, "tax_rate": 20}]})
    assert invoice.status == 201
    assert invoice.headers["location"] == f"/api/v1/invoices/{invoice.json['id']}"
    assert api.get(invoice.headers["location"]).json["id"] == invoice.json["id"]
    endpoint = api.post("/api/v1/webhook-endpoints", {"url": "http://127.0.0.1:9/hooks", "events": ["*"]})
    assert endpoint.status == 201
    assert endpoint.headers["location"] == f"/api/v1/webhook-endpoints/{endpoint.json['id']}"


def test_messages_are_ours_without_pydantics_prefix(api):
    error = assert_error(api.post("/api/v1/clients", {"name": "Fjord AS", "phone": "4791234567"}), 422,
                         "validation_error")
    assert error["message"].startswith("phone: must be a phone number in E.164 form"), error["message"]
    assert "value error" not in error["message"].lower()
    assert error["details"][0]["issue"] == "value_error"
