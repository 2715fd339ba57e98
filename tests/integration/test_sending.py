"""POST /api/v1/invoices/{id}/send against DynamoDB Local and moto's server (SES v2, SNS, S3):
what SES and SNS received, sandbox simulation, checks before any side effect, partial and total
failure, reminders, Idempotency-Key."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from email import message_from_string, policy

import pytest
from botocore.stub import Stubber
from fastfaktura import settings
from fastfaktura.delivery import providers

from tests.helpers.api import Api, assert_error
from tests.helpers.aws import dynamodb_calls
from tests.helpers.factories import post_client, post_invoice, unique_email, unique_phone
from tests.helpers.sending import send, stored_deliveries

PHONE = "+4791234567"


@pytest.fixture
def live(dynamodb):
    from fastfaktura.services.business import create_business

    return create_business("Fjord Design AS", sandbox=False, country="NO", locale="nb",
                           email="billing@fjord.example")


@pytest.fixture
def live_api(live) -> Api:
    return Api(live.api_key)


class ProviderCalls:
    """Counts every request the SES and SNS clients make (botocore's own event hook)."""

    def __init__(self):
        self.calls: list[str] = []

    def __call__(self, model, **_):
        self.calls.append(model.name)

    def __enter__(self):
        for client in (providers.ses(), providers.sns()):
            client.meta.events.register("before-call", self)
        return self

    def __exit__(self, *exc):
        for client in (providers.ses(), providers.sns()):
            client.meta.events.unregister("before-call", self)


# --- sandbox -----------------------------------------------------------------------------------------

def test_sandbox_sends_nothing_and_simulates_every_channel(api, business, aws_emulation):
    email, phone = unique_email(), unique_phone()
    client = post_client(api, email=email, phone=phone, locale="fr")
    invoice = post_invoice(api, client["id"])
    with ProviderCalls() as provider_calls:
        answer = send(api, invoice["id"], ["email", "sms", "link"])
    assert answer.status == 200, answer.body
    assert provider_calls.calls == []
    assert aws_emulation.emails_to(email) == [] and aws_emulation.sms_to(phone) == []
    body = answer.json
    assert body["invoice"]["status"] == "sent" and body["invoice"]["sent_at"]
    assert body["deliveries"] == [
        {"channel": "email", "status": "simulated", "to": email, "message_id": None, "reason": None},
        {"channel": "sms", "status": "simulated", "to": phone, "message_id": None, "reason": None},
        {"channel": "link", "status": "simulated", "to": invoice["public_url"], "message_id": None, "reason": None},
    ]
    kept = {d["channel"]: d for d in stored_deliveries(business.business.id, invoice["id"])}
    assert kept["email"]["to"] == email
    assert kept["email"]["subject"] == "Facture F-0001 de Atelier Test"
    assert kept["sms"]["text"].startswith("Facture F-0001 de Atelier Test : 1 234,56 €.")
    assert {d["status"] for d in kept.values()} == {"simulated"} and not any(d["reminder"] for d in kept.values())


@pytest.mark.parametrize("channels", [["email", "sms", "link"], ["link"]])
def test_a_sandbox_send_reads_the_invoice_then_profile_and_client_together(api, business, channels):
    from fastfaktura.models.sending import SendRequest
    from fastfaktura.services import sending

    invoice = post_invoice(api, post_client(api, email=unique_email(), phone=unique_phone())["id"])
    with dynamodb_calls() as calls:
        sending.send_invoice(business.business.id, invoice["id"], SendRequest(channels=channels), "https://x.example")
    assert calls == ["Query", "BatchGetItem", "Query", "TransactWriteItems", "Query"]  # the 2nd: earlier deliveries


def test_a_live_email_reads_profile_and_client_once_for_the_message_and_its_pdf(live, live_api, aws_emulation):
    from fastfaktura.models.sending import SendRequest
    from fastfaktura.services import sending

    email = unique_email()
    invoice = post_invoice(live_api, post_client(live_api, email=email)["id"])
    with dynamodb_calls() as calls:
        sending.send_invoice(live.business.id, invoice["id"], SendRequest(channels=["email"]), "https://x.example")
    # earlier deliveries, then the day's email quota, then the send's record
    assert calls == ["Query", "BatchGetItem", "Query", "TransactWriteItems", "TransactWriteItems", "Query"]
    [sent] = aws_emulation.emails_to(email)
    assert "application/pdf" in sent["raw_data"]


def test_link_answers_the_public_url(api):
    invoice = post_invoice(api, post_client(api)["id"])
    answer = send(api, invoice["id"], ["link"])
    assert answer.status == 200
    [delivery] = answer.json["deliveries"]
    assert delivery["to"] == invoice["public_url"] and delivery["message_id"] is None
    assert answer.json["invoice"]["public_url"] == invoice["public_url"]


def test_sending_again_keeps_the_first_sent_at(api, monkeypatch):
    monkeypatch.setenv("RESEND_COOLDOWN_SECONDS", "0")
    settings.get.cache_clear()
    invoice = post_invoice(api, post_client(api)["id"])
    first = send(api, invoice["id"], ["link"]).json["invoice"]
    again = send(api, invoice["id"], ["link"]).json["invoice"]
    assert again["status"] == "sent" and again["sent_at"] == first["sent_at"]


def test_concurrent_sends_of_a_draft_make_it_sent_once_and_keep_every_delivery(api, business, monkeypatch):
    from fastfaktura.store import db

    monkeypatch.setenv("RESEND_COOLDOWN_SECONDS", "0")
    settings.get.cache_clear()
    invoice = post_invoice(api, post_client(api)["id"])
    # Each send's first write waits until all four have read the draft: they race at the table.
    together, held = threading.Barrier(4), set()

    def hold(**_kw):
        if threading.get_ident() not in held:
            held.add(threading.get_ident())
            together.wait(timeout=30)

    event = "before-send.dynamodb.TransactWriteItems"
    db.client().meta.events.register(event, hold, unique_id="send-race")
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda _: send(api, invoice["id"], ["link"]), range(4)))
    finally:
        db.client().meta.events.unregister(event, unique_id="send-race")
    assert len(held) == 4 and not together.broken
    assert [a.status for a in answers] == [200] * 4
    assert len({a.json["invoice"]["sent_at"] for a in answers}) == 1
    assert len(stored_deliveries(business.business.id, invoice["id"])) == 4


# --- checks before any side effect ----------------------------------------------------------------------

@pytest.mark.parametrize(("body", "field"), [
    ({"channels": []}, "channels"),
    ({"channels": ["fax"]}, "channels.0"),
    ({"channels": ["email", "email"]}, "channels"),
    ({"channels": ["link"], "reminder": "yes"}, "reminder"),
    ({"channels": "email"}, "channels"),
    ({}, "channels"),
    ({"channels": ["link"], "cc": "x@y.z"}, "cc"),
])
def test_bad_bodies_are_422(api, business, body, field):
    invoice = post_invoice(api, post_client(api)["id"])
    error = assert_error(api.post(f"/api/v1/invoices/{invoice['id']}/send", body), 422, "validation_error")
    assert error["details"][0]["field"] == field
    assert stored_deliveries(business.business.id, invoice["id"]) == []


def test_missing_contacts_are_named_and_nothing_is_sent(api, business):
    invoice = post_invoice(api, post_client(api)["id"])
    error = assert_error(send(api, invoice["id"], ["link", "email", "sms"]), 422, "validation_error")
    assert "email address" in error["message"] and "phone number" in error["message"]
    assert [(d["field"], d["issue"]) for d in error["details"]] == [
        ("channels.1", "client_email_missing"), ("channels.2", "client_phone_missing")]
    assert stored_deliveries(business.business.id, invoice["id"]) == []
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json["status"] == "draft"


def test_unknown_and_foreign_invoices_are_404(api, live_api):
    foreign = post_invoice(live_api, post_client(live_api)["id"])
    assert_error(send(api, foreign["id"], ["link"]), 404, "not_found")
    assert_error(send(api, str(uuid.uuid4()), ["link"]), 404, "not_found")
    assert_error(send(api, "not-a-uuid", ["link"]), 404, "not_found")


# --- reminders and statuses -------------------------------------------------------------------------------

def test_reminder_needs_a_sent_invoice(api, business):
    invoice = post_invoice(api, post_client(api)["id"])
    error = assert_error(send(api, invoice["id"], ["link"], reminder=True), 409, "conflict")
    assert "draft" in error["message"]
    assert stored_deliveries(business.business.id, invoice["id"]) == []


def test_reminder_keeps_the_status_and_says_reminder(api, business):
    client = post_client(api, email=unique_email(), locale="sv")
    invoice = post_invoice(api, client["id"])
    sent = send(api, invoice["id"], ["link"]).json["invoice"]
    answer = send(api, invoice["id"], ["email"], reminder=True)
    assert answer.status == 200, answer.body
    assert answer.json["invoice"]["status"] == "sent"
    assert answer.json["invoice"]["updated_at"] == sent["updated_at"]
    reminder = [d for d in stored_deliveries(business.business.id, invoice["id"]) if d["reminder"]]
    assert [d["subject"] for d in reminder] == ["Påminnelse: faktura F-0001 från Atelier Test"]


def test_reminder_on_an_overdue_invoice(api, business):
    from fastfaktura.services.overdue import mark_overdue_invoices

    invoice = post_invoice(api, post_client(api)["id"], due_date="2001-02-03")
    send(api, invoice["id"], ["link"])
    mark_overdue_invoices()
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json["status"] == "overdue"
    answer = send(api, invoice["id"], ["link"], reminder=True)
    assert answer.status == 200 and answer.json["invoice"]["status"] == "overdue"


@pytest.mark.parametrize("action", ["cancel", "mark-paid"])
@pytest.mark.parametrize("reminder", [False, True])
def test_paid_and_cancelled_invoices_are_never_sent(api, action, reminder):
    invoice = post_invoice(api, post_client(api)["id"])
    send(api, invoice["id"], ["link"])
    assert api.post(f"/api/v1/invoices/{invoice['id']}/{action}").status == 200
    error = assert_error(send(api, invoice["id"], ["link"], reminder=reminder), 409, "conflict")
    assert "cannot be sent" in error["message"]


# --- live: what SES and SNS receive -----------------------------------------------------------------------

@pytest.mark.parametrize(("locale", "subject", "attachment", "amount"), [
    ("fr", "Facture F-0001 de Fjord Design AS", "facture-F-0001.pdf", "1\u202f234,56\xa0€"),
    ("en", "Invoice F-0001 from Fjord Design AS", "invoice-F-0001.pdf", "€1,234.56"),
    ("nb", "Faktura F-0001 fra Fjord Design AS", "faktura-F-0001.pdf", "1\xa0234,56\xa0€"),
    ("sv", "Faktura F-0001 från Fjord Design AS", "faktura-F-0001.pdf", "1\xa0234,56\xa0€"),
])
def test_live_email_is_localized_with_the_pdf_attached(live_api, aws_emulation, locale, subject, attachment,
                                                       amount):
    email = unique_email()
    invoice = post_invoice(live_api, post_client(live_api, email=email, locale=locale)["id"])
    answer = send(live_api, invoice["id"], ["email"])
    assert answer.status == 200, answer.body
    [delivery] = answer.json["deliveries"]
    assert delivery["status"] == "sent" and delivery["to"] == email
    [sent] = aws_emulation.emails_to(email)
    assert delivery["message_id"] == sent["id"]
    message = message_from_string(sent["raw_data"], policy=policy.default)
    assert message["Subject"] == subject
    assert message["From"].addresses[0].addr_spec == "invoices@fastfaktura.test"
    assert message["Reply-To"] == "billing@fjord.example"
    assert message["To"] == email
    text = message.get_body(("plain",)).get_content()
    assert amount in text and invoice["public_url"] in text
    assert invoice["public_url"] in message.get_body(("html",)).get_content()
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_filename() == attachment
    assert pdf.get_content().startswith(b"%PDF-")
    assert answer.json["invoice"]["status"] == "sent"


def test_live_reminder_email_subject(live_api, aws_emulation):
    email = unique_email()
    invoice = post_invoice(live_api, post_client(live_api, email=email, locale="nb")["id"])
    send(live_api, invoice["id"], ["link"])
    assert send(live_api, invoice["id"], ["email"], reminder=True).status == 200
    [sent] = aws_emulation.emails_to(email)
    assert message_from_string(sent["raw_data"], policy=policy.default)["Subject"] == \
        "Påminnelse: faktura F-0001 fra Fjord Design AS"


def test_live_sms_text(live_api, aws_emulation):
    phone = unique_phone()
    invoice = post_invoice(live_api, post_client(live_api, phone=phone, locale="nb")["id"], currency="NOK")
    answer = send(live_api, invoice["id"], ["sms"])
    assert answer.status == 200, answer.body
    [sms] = aws_emulation.sms_to(phone)
    assert sms["message"] == f"Faktura F-0001 fra Fjord Design AS: 1 234,56 kr. {invoice['public_url']}"
    assert answer.json["deliveries"] == [
        {"channel": "sms", "status": "sent", "to": phone, "message_id": sms["message_id"], "reason": None}]


def test_one_failing_channel_does_not_undo_the_others(live, live_api, aws_emulation, monkeypatch):
    email, phone = unique_email(), unique_phone()
    invoice = post_invoice(live_api, post_client(live_api, email=email, phone=phone)["id"])
    monkeypatch.setenv("SENDER_EMAIL", "unverified@nowhere.example")  # SES refuses an unverified sender
    settings.get.cache_clear()
    answer = send(live_api, invoice["id"], ["email", "sms", "link"])
    assert answer.status == 200, answer.body
    email_delivery, sms_delivery, link_delivery = answer.json["deliveries"]
    assert email_delivery["status"] == "failed" and email_delivery["message_id"] is None
    assert "MessageRejected" in email_delivery["reason"]
    assert sms_delivery["status"] == "sent" and link_delivery["status"] == "sent"
    assert aws_emulation.emails_to(email) == [] and len(aws_emulation.sms_to(phone)) == 1
    assert answer.json["invoice"]["status"] == "sent"
    kept = {d["channel"]: d for d in stored_deliveries(live.business.id, invoice["id"])}
    assert kept["email"]["status"] == "failed" and "MessageRejected" in kept["email"]["reason"]


def test_all_channels_failing_is_502_and_the_invoice_is_unchanged(live, live_api, aws_emulation, monkeypatch):
    invoice = post_invoice(live_api, post_client(live_api, email=unique_email(), phone=unique_phone())["id"])
    monkeypatch.setenv("SENDER_EMAIL", "unverified@nowhere.example")
    settings.get.cache_clear()
    with Stubber(providers.sns()) as sns:
        sns.add_client_error("publish", "InternalError", "SMS is down", 500)
        answer = send(live_api, invoice["id"], ["email", "sms"])
    error = assert_error(answer, 502, "internal_error")
    assert "MessageRejected" in error["message"] and "SMS is down" in error["message"]
    assert [d["field"] for d in error["details"]] == ["channels.0", "channels.1"]
    after = live_api.get(f"/api/v1/invoices/{invoice['id']}").json
    assert after["status"] == "draft" and after["updated_at"] == invoice["updated_at"]
    assert {d["status"] for d in stored_deliveries(live.business.id, invoice["id"])} == {"failed"}


# --- Idempotency-Key --------------------------------------------------------------------------------------

def test_a_repeated_key_answers_the_first_answer_and_sends_nothing_again(live_api, aws_emulation):
    email, phone = unique_email(), unique_phone()
    invoice = post_invoice(live_api, post_client(live_api, email=email, phone=phone)["id"])
    key = {"idempotency-key": str(uuid.uuid4())}
    first = send(live_api, invoice["id"], ["email", "sms"], headers=key)
    again = send(live_api, invoice["id"], ["email", "sms"], headers=key)
    assert first.status == again.status == 200
    assert again.json == first.json and again.headers.get("idempotent-replayed") == "true"
    assert len(aws_emulation.emails_to(email)) == 1 and len(aws_emulation.sms_to(phone)) == 1
    other_body = send(live_api, invoice["id"], ["email"], headers=key)
    assert_error(other_body, 409, "conflict")
    assert len(aws_emulation.emails_to(email)) == 1


def test_a_concurrent_repeat_gets_409_and_sends_nothing(live_api, aws_emulation):
    email = unique_email()
    invoice = post_invoice(live_api, post_client(live_api, email=email)["id"])
    key = {"idempotency-key": str(uuid.uuid4())}
    started, release = threading.Event(), threading.Event()

    def hold_the_first_email(**_):
        started.set()
        assert release.wait(30)

    events = providers.ses().meta.events
    events.register("before-call.sesv2.SendEmail", hold_the_first_email)
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            first = pool.submit(send, live_api, invoice["id"], ["email"], headers=key)
            assert started.wait(30)
            repeats = list(pool.map(lambda _: send(live_api, invoice["id"], ["email"], headers=key), range(2)))
            release.set()
            first = first.result()
    finally:
        release.set()
        events.unregister("before-call.sesv2.SendEmail", hold_the_first_email)
    assert first.status == 200, first.body
    for repeat in repeats:
        assert_error(repeat, 409, "conflict")
    assert len(aws_emulation.emails_to(email)) == 1
    replay = send(live_api, invoice["id"], ["email"], headers=key)
    assert replay.json == first.json
