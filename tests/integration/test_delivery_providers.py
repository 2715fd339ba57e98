"""SES v2 and SNS calls against moto's server: what the providers receive, and their failures."""

from __future__ import annotations

import uuid
from email import message_from_string, policy

import pytest
from botocore.stub import Stubber
from fastfaktura import settings
from fastfaktura.delivery import providers


def test_raw_email_reaches_ses_byte_exact(aws_emulation):
    to = f"{uuid.uuid4().hex}@client.example"
    raw = (f"From: invoices@fastfaktura.test\r\nTo: {to}\r\nSubject: Hello\r\n"
           "Content-Type: text/plain\r\n\r\nBody\r\n").encode()
    message_id = providers.send_raw_email(raw, to)
    [sent] = aws_emulation.emails_to(to)
    assert sent["id"] == message_id
    assert sent["raw_data"].encode() == raw
    assert message_from_string(sent["raw_data"], policy=policy.default)["Subject"] == "Hello"


def test_unverified_sender_is_a_provider_error(aws_emulation, monkeypatch):
    monkeypatch.setenv("SENDER_EMAIL", "nobody@unverified.example")
    settings.get.cache_clear()
    with pytest.raises(providers.ProviderError, match="SES MessageRejected"):
        providers.send_raw_email(b"From: nobody@unverified.example\r\n\r\nx", "a@client.example")


def test_sms_is_transactional(aws_emulation):
    phone = "+4791234567"
    seen = []

    def record(params, **_):
        seen.append(params)

    events = providers.sns().meta.events
    events.register("provide-client-params.sns.Publish", record)
    try:
        message_id = providers.send_sms(phone, "Faktura F-0001")
    finally:
        events.unregister("provide-client-params.sns.Publish", record)
    assert any(m["message_id"] == message_id and m["message"] == "Faktura F-0001"
               for m in aws_emulation.sms_to(phone))
    assert seen[0]["MessageAttributes"]["AWS.SNS.SMS.SMSType"]["StringValue"] == "Transactional"


def test_sns_refusal_is_a_provider_error(aws_emulation):
    with Stubber(providers.sns()) as stub:
        stub.add_client_error("publish", "Throttling", "Rate exceeded", 400)
        with pytest.raises(providers.ProviderError, match="SNS Throttling: Rate exceeded"):
            providers.send_sms("+4791234567", "x")
