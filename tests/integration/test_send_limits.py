"""Sending is metered: per-business daily quotas for email and SMS, a resend cooldown per invoice,
channel and kind, a bound on deliveries per invoice and an SMS country allow-list. A refused send is a
429 or 409 naming the limit, and nothing is sent or written."""

from __future__ import annotations

import pytest
from fastfaktura import settings

from tests.helpers.api import assert_error
from tests.helpers.factories import post_client, post_invoice, unique_email, unique_phone
from tests.helpers.sending import send, stored_deliveries
from tests.integration.test_sending import ProviderCalls


@pytest.fixture
def limits(monkeypatch):
    def set_limits(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, str(value))
        settings.get.cache_clear()
    return set_limits


@pytest.fixture
def live(dynamodb):
    from fastfaktura.services.business import create_business

    from tests.helpers.api import Api

    return Api(create_business("Fjord Design AS", sandbox=False, country="NO", locale="nb",
                               email="billing@fjord.example").api_key)


def test_the_daily_sms_quota_refuses_with_429_and_sends_nothing(live, aws_emulation, limits):
    limits(SMS_DAILY_QUOTA=1)
    first = post_invoice(live, post_client(live, phone=unique_phone())["id"])
    assert send(live, first["id"], ["sms"]).status == 200
    phone = unique_phone()
    second = post_invoice(live, post_client(live, phone=phone, email=unique_email())["id"])
    with ProviderCalls() as calls:
        refused = send(live, second["id"], ["email", "sms"])
    error = assert_error(refused, 429, "rate_limited")
    assert "SMS" in error["message"] and "1 a day" in error["message"]
    assert 0 < int(refused.headers["retry-after"]) <= 86400
    assert calls.calls == [] and aws_emulation.sms_to(phone) == []
    assert live.get(f"/api/v1/invoices/{second['id']}").json["status"] == "draft"
    # the email quota was not spent by the refused send
    assert send(live, second["id"], ["email"]).status == 200


def test_the_daily_email_quota(live, aws_emulation, limits):
    limits(EMAIL_DAILY_QUOTA=2)
    invoices = [post_invoice(live, post_client(live, email=unique_email())["id"]) for _ in range(3)]
    assert [send(live, i["id"], ["email"]).status for i in invoices] == [200, 200, 429]


def test_a_sandbox_business_has_no_quota_it_sends_nothing(api, business, limits):
    limits(SMS_DAILY_QUOTA=0, EMAIL_DAILY_QUOTA=0)
    invoice = post_invoice(api, post_client(api, email=unique_email(), phone=unique_phone())["id"])
    assert send(api, invoice["id"], ["email", "sms"]).status == 200


def test_resending_the_same_message_waits_for_the_cooldown(api, business, limits):
    limits(RESEND_COOLDOWN_SECONDS=600)
    invoice = post_invoice(api, post_client(api, email=unique_email())["id"])
    assert send(api, invoice["id"], ["email", "link"]).status == 200
    refused = send(api, invoice["id"], ["link"])
    error = assert_error(refused, 429, "rate_limited")
    assert "link" in error["message"] and 590 <= int(refused.headers["retry-after"]) <= 600
    assert len(stored_deliveries(business.business.id, invoice["id"])) == 2
    assert send(api, invoice["id"], ["email"], reminder=True).status == 200  # a reminder is another message


def test_sends_per_invoice_are_bounded(api, business, limits):
    limits(RESEND_COOLDOWN_SECONDS=0, DELIVERIES_PER_INVOICE=3)
    invoice = post_invoice(api, post_client(api)["id"])
    assert [send(api, invoice["id"], ["link"]).status for _ in range(3)] == [200, 200, 200]
    error = assert_error(send(api, invoice["id"], ["link"]), 409, "conflict")
    assert "3 deliveries" in error["message"]
    assert len(stored_deliveries(business.business.id, invoice["id"])) == 3


@pytest.mark.parametrize(("phone", "allowed"), [("+4791234567", True), ("+33612345678", True),
                                                ("+4915123456789", True), ("+12025550123", False),
                                                ("+447911123456", False)])
def test_sms_goes_only_to_allowed_countries(api, business, limits, phone, allowed):
    limits(SMS_COUNTRIES="FR,NO,SE,DK,EU")
    invoice = post_invoice(api, post_client(api, phone=phone)["id"])
    answer = send(api, invoice["id"], ["sms"])
    if allowed:
        assert answer.status == 200
    else:
        error = assert_error(answer, 409, "conflict")
        assert "SMS" in error["message"] and "country" in error["message"]
        assert stored_deliveries(business.business.id, invoice["id"]) == []


def test_every_message_is_built_before_any_is_sent(live, aws_emulation, monkeypatch):
    from fastfaktura.delivery import mime

    def broken(*_args, **_kw):
        raise ValueError("the email cannot be built")

    monkeypatch.setattr(mime, "invoice_email", broken)
    phone = unique_phone()
    invoice = post_invoice(live, post_client(live, phone=phone, email=unique_email())["id"])
    with ProviderCalls() as calls:
        answer = send(live, invoice["id"], ["sms", "email"])
    assert answer.status == 500
    assert calls.calls == [] and aws_emulation.sms_to(phone) == []  # the SMS did not leave first
