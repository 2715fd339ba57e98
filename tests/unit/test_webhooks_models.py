"""The webhook API's bodies: exact enums and patterns, every bad input refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastfaktura.models.webhooks import (
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointCreate,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
)
from pydantic import ValidationError

URL = "https://erp.example.com/hooks"
NOW = datetime(2026, 12, 1, tzinfo=UTC)
ENDPOINT = {"id": "we_" + "0" * 32, "url": URL, "events": ["*"], "enabled": True, "created_at": NOW,
            "updated_at": NOW}


def test_create_accepts_the_contract_body():
    body = WebhookEndpointCreate.model_validate({"url": URL, "events": ["invoice.paid", "client.created"],
                                                 "description": "ERP"})
    assert body.events == ["invoice.paid", "client.created"]
    assert WebhookEndpointCreate.model_validate({"url": URL, "events": ["*"]}).description is None


@pytest.mark.parametrize("body", [
    {"events": ["*"]}, {"url": URL}, {"url": URL, "events": []}, {"url": URL, "events": ["invoice.exploded"]},
    {"url": URL, "events": ["webhook_endpoint.disabled"]}, {"url": URL, "events": ["*", "invoice.paid"]},
    {"url": URL, "events": ["invoice.paid", "invoice.paid"]}, {"url": "ftp://x.example.com", "events": ["*"]},
    {"url": "https://a b.example.com", "events": ["*"]}, {"url": "https://x" * 700, "events": ["*"]},
    {"url": URL, "events": ["*"], "description": "two\nlines"}, {"url": URL, "events": ["*"], "description": "x" * 201},
    {"url": URL, "events": ["*"], "secret": "whsec_mine"}, {"url": URL, "events": ["*"], "enabled": False},
    {"url": 5, "events": ["*"]}, {"url": URL, "events": "*"},
])
def test_create_refuses(body):
    with pytest.raises(ValidationError):
        WebhookEndpointCreate.model_validate(body)


def test_update_is_partial_and_clears_only_the_description():
    assert WebhookEndpointUpdate.model_validate({"enabled": False}).model_dump(exclude_unset=True) == {"enabled": False}
    assert WebhookEndpointUpdate.model_validate({"description": None}).model_dump(exclude_unset=True) == {
        "description": None}
    for body in [{"url": None}, {"events": None}, {"enabled": None}, {"enabled": "yes"}, {"id": "we_x"}]:
        with pytest.raises(ValidationError):
            WebhookEndpointUpdate.model_validate(body)


def test_only_the_creation_answer_carries_the_secret():
    secret = "whsec_" + "A" * 43
    assert "secret" not in WebhookEndpoint.model_validate({**ENDPOINT, "secret": secret}).model_dump()
    assert WebhookEndpointWithSecret.model_validate({**ENDPOINT, "secret": secret}).secret == secret
    with pytest.raises(ValidationError):
        WebhookEndpointWithSecret.model_validate({**ENDPOINT, "secret": "sk_live_x"})


def test_a_delivery_attempt_answer():
    attempt = {"event_id": "evt_" + "a" * 32, "event_type": "invoice.paid", "status_code": None,
               "error": "timeout", "duration_ms": 10000, "attempted_at": NOW, "next_attempt_at": NOW}
    dumped = WebhookDelivery.model_validate(attempt).model_dump(mode="json")
    assert dumped["status_code"] is None and dumped["attempted_at"] == "2026-12-01T00:00:00.000000Z"
    for bad in [{"event_id": "evt_1"}, {"status_code": 99}, {"event_type": "invoice.exploded"}, {"duration_ms": -1}]:
        with pytest.raises(ValidationError):
            WebhookDelivery.model_validate({**attempt, **bad})
