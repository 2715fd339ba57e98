"""Faults of the services behind the API, injected at the HTTP level of the real clients
(tests/helpers/faults.py): a send whose SES or SNS fails, DynamoDB throttling and transaction conflicts
(retried with backoff by the client; 503 with Retry-After and the error JSON only once the retries are
spent), S3 failing to keep a rendered PDF, and the stream function failing on one record of a batch."""

from __future__ import annotations

import pytest
from fastfaktura.delivery import providers
from fastfaktura.store import db, keys

from tests.helpers.api import Api, assert_error
from tests.helpers.factories import make_invoice, post_client, post_invoice, unique_email, unique_phone
from tests.helpers.faults import Failing, dynamodb_error, query_error, rest_json_error, s3_error, transaction_conflict
from tests.helpers.sending import send, stored_deliveries
from tests.helpers.timeline import STORY_RECORDS, Invoice, batch, event_items, run_timeline, stream_records

STORY_EVENTS = 6
ATTEMPTS = 5  # the clients' retry config (max_attempts 4 = retries): the first try and four retries


@pytest.fixture
def live(dynamodb, aws_emulation):
    from fastfaktura.services.business import create_business

    return create_business("Fjord Faults AS", sandbox=False, country="NO", locale="nb", email="billing@fjord.example")


@pytest.fixture
def live_api(live) -> Api:
    return Api(live.api_key)


def assert_busy(answer) -> None:
    assert_error(answer, 503, "service_unavailable")
    assert answer.headers["retry-after"] == "1"


@pytest.mark.parametrize(("failing", "working"), [("email", "sms"), ("sms", "email")])
def test_a_provider_failing_mid_send_keeps_the_state_consistent_and_a_retry_sends(live, live_api, aws_emulation,
                                                                                  failing, working):
    # Given a draft invoice of a client with both contacts, and one provider failing on every attempt
    email, phone = unique_email(), unique_phone()
    invoice = post_invoice(live_api, post_client(live_api, email=email, phone=phone)["id"])
    client, answer_of = ((providers.ses(), lambda: rest_json_error("TooManyRequestsException", 429))
                         if failing == "email" else (providers.sns(), lambda: query_error("InternalError")))
    operation = "SendEmail" if failing == "email" else "Publish"
    # When it is sent on both channels
    with Failing(client, operation, answer_of) as fault:
        first = send(live_api, invoice["id"], ["email", "sms"])
    # Then the working channel is sent, the failing one is recorded as failed, and the invoice is sent
    assert fault.attempts >= 1
    assert first.status == 200, first.body
    statuses = {d["channel"]: d["status"] for d in first.json["deliveries"]}
    assert statuses == {failing: "failed", working: "sent"}
    assert first.json["invoice"]["status"] == "sent"

    # When the failed channel is sent again, with the provider back
    retry = send(live_api, invoice["id"], [failing])
    # Then it goes out once, the first send's time stays, and every attempt is kept
    assert retry.status == 200 and retry.json["deliveries"][0]["status"] == "sent"
    assert retry.json["invoice"]["sent_at"] == first.json["invoice"]["sent_at"]  # sent once, at the first send
    assert len(aws_emulation.emails_to(email)) == 1 and len(aws_emulation.sms_to(phone)) == 1
    kept = sorted((d["channel"], d["status"]) for d in stored_deliveries(live.business.id, invoice["id"]))
    assert kept == sorted([(failing, "failed"), (working, "sent"), (failing, "sent")])


def test_the_sends_record_failing_after_the_providers_is_503_and_changes_nothing(live, live_api, aws_emulation):
    invoice = post_invoice(live_api, post_client(live_api, phone=unique_phone())["id"])
    with Failing(db.client(), "TransactWriteItems", lambda: dynamodb_error("ThrottlingException")) as fault:
        answer = send(live_api, invoice["id"], ["sms"])
    assert_busy(answer)
    assert fault.attempts == ATTEMPTS  # the client retried with backoff before giving up
    assert live_api.get(f"/api/v1/invoices/{invoice['id']}").json["status"] == "draft"
    assert stored_deliveries(live.business.id, invoice["id"]) == []
    retry = send(live_api, invoice["id"], ["sms"])
    assert retry.status == 200 and retry.json["invoice"]["status"] == "sent"


def test_throttling_is_retried_with_backoff_and_the_caller_never_sees_it(api, business):
    client_id = api.post("/api/v1/clients", {"name": "Throttled"}).json["id"]
    body = {"client_id": client_id, "currency": "EUR",
            "lines": [{"description": "x", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]}
    with Failing(db.client(), "TransactWriteItems", lambda: dynamodb_error("ThrottlingException"), times=2) as fault:
        answer = api.post("/api/v1/invoices", body)
    assert answer.status == 201, answer.body
    assert fault.attempts == 4 and answer.json["number"] == "F-0001"  # stage: 2 throttled + 1; the finish


@pytest.mark.parametrize("operation", ["TransactWriteItems", "UpdateItem"])  # the stage, the claim
def test_throttling_before_a_number_is_claimed_is_503_and_uses_up_no_number(api, business, operation):
    client_id = api.post("/api/v1/clients", {"name": "Throttled"}).json["id"]
    body = {"client_id": client_id, "currency": "EUR",
            "lines": [{"description": "x", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]}
    with Failing(db.client(), operation, lambda: dynamodb_error("ThrottlingException")):
        answer = api.post("/api/v1/invoices", body)
    assert_busy(answer)
    assert api.get("/api/v1/invoices").json["data"] == []
    assert api.post("/api/v1/invoices", body).json["number"] == "F-0001"


def test_throttling_after_the_claim_is_a_500_that_says_not_to_create_it_again(api, business):
    from fastfaktura.services import numbering
    from fastfaktura.store import keys

    client_id = api.post("/api/v1/clients", {"name": "Throttled"}).json["id"]
    body = {"client_id": client_id, "currency": "EUR",
            "lines": [{"description": "x", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]}
    sent = []

    def throttle_after_the_stage(**_):  # the stage reaches the table, every attempt of the finish is throttled
        sent.append(1)
        return dynamodb_error("ThrottlingException") if len(sent) > 1 else None

    event = "before-send.dynamodb.TransactWriteItems"
    db.client().meta.events.register(event, throttle_after_the_stage, unique_id="throttle-finish")
    try:
        answer = api.post("/api/v1/invoices", body)
    finally:
        db.client().meta.events.unregister(event, unique_id="throttle-finish")
    error = assert_error(answer, 500, "internal_error")
    assert "F-0001" in error["message"] and "do not create it again" in error["message"]
    counter = db.get(keys.business_pk(business.business.id), keys.INVOICE_COUNTER_SK, consistent=True)
    record = {"eventName": "MODIFY", "dynamodb": {"NewImage": db.to_item(counter)}}
    assert numbering.repair_claim(record) is True
    assert [i["number"] for i in api.get("/api/v1/invoices").json["data"]] == ["F-0001"]


def test_throttling_past_the_retries_is_503_with_retry_after_and_writes_nothing(api, business):
    client_id = api.post("/api/v1/clients", {"name": "Throttled"}).json["id"]
    body = {"client_id": client_id, "currency": "EUR",
            "lines": [{"description": "x", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]}
    with Failing(db.client(), "TransactWriteItems", lambda: dynamodb_error("ProvisionedThroughputExceededException")):
        answer = api.post("/api/v1/invoices", body)
    assert_busy(answer)
    assert api.get("/api/v1/invoices").json["data"] == []
    assert api.post("/api/v1/invoices", body).json["number"] == "F-0001"  # no number was used up


def test_a_transaction_conflict_on_a_cancel_is_503_with_retry_after_and_a_retry_works(api, business):
    """A cancel of a sent invoice credits it in full: its number's claim (an UpdateItem) conflicted is
    the 503 after one attempt (botocore leaves a conflict to the caller: it is no throttling); its undoing
    goes through."""
    invoice_id, _ = make_invoice(business.business.id, "sent")
    with Failing(db.client(), "UpdateItem", lambda: dynamodb_error("TransactionConflictException"),
                 matching=keys.CREDIT_NOTE_COUNTER_SK) as fault:
        answer = api.post(f"/api/v1/invoices/{invoice_id}/cancel")
    assert_busy(answer)
    assert fault.attempts == fault.failed == 1
    assert api.get(f"/api/v1/invoices/{invoice_id}").json["status"] == "sent"  # nothing changed
    answer = api.post(f"/api/v1/invoices/{invoice_id}/cancel")
    assert answer.status == 200, answer.body
    assert answer.json["status"] == "cancelled"


def test_a_payment_whose_transaction_keeps_conflicting_is_503_once_its_change_budget_is_spent(api, business):
    """mark-paid records a payment in one transaction with the invoice's balance; a conflict is another
    writer on the invoice, so the payment is decided again (with backoff) until CHANGE_BUDGET_SECONDS."""
    invoice_id, _ = make_invoice(business.business.id, "sent")
    with Failing(db.client(), "TransactWriteItems", lambda: transaction_conflict(2)) as fault:
        answer = api.post(f"/api/v1/invoices/{invoice_id}/mark-paid")
    assert_busy(answer)
    assert fault.attempts == fault.failed > 1  # decided again, never written
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    assert (invoice["status"], invoice["payments"]) == ("sent", [])  # nothing changed
    answer = api.post(f"/api/v1/invoices/{invoice_id}/mark-paid")
    assert answer.status == 200, answer.body
    assert answer.json["status"] == "paid"


def test_a_transaction_conflict_on_a_client_with_external_id_is_503_not_500(api, business):
    with Failing(db.client(), "TransactWriteItems", lambda: transaction_conflict(2)):
        answer = api.post("/api/v1/clients", {"name": "Conflicted", "external_id": "crm-1"})
    assert_busy(answer)
    assert api.post("/api/v1/clients", {"name": "Conflicted", "external_id": "crm-1"}).status == 201


def test_s3_failing_to_keep_a_pdf_still_answers_the_pdf(api, business, aws_emulation):
    from fastfaktura.store import pdfs as pdf_store


    invoice_id, token = make_invoice(business.business.id, "sent")
    with Failing(pdf_store.client(), "PutObject", s3_error) as fault:
        answer = api.get(f"/api/v1/invoices/{invoice_id}/pdf")
    assert fault.attempts == ATTEMPTS
    assert answer.status == 200 and answer.body.startswith(b"%PDF")
    with Failing(pdf_store.client(), "GetObject", s3_error):
        public = api.get(f"/i/{token}/pdf", key=None)
    assert public.status == 200 and public.body.startswith(b"%PDF")  # S3 unreadable: rendered again
    again = api.get(f"/api/v1/invoices/{invoice_id}/pdf")  # S3 back: stored this time
    assert again.status == 200 and again.body.startswith(b"%PDF")


def test_the_stream_function_failing_on_one_record_reports_it_the_rest_lands_and_a_retry_duplicates_nothing(
        api, business):

    story = Invoice.create(business.business.id)
    story.sent_paid_story()  # 7 records → created, 3 × sent, opened, paid (draft → sent is no event of its own)
    records = stream_records(story.pk, STORY_RECORDS)
    # The first event write is throttled past the client's retries; every later write goes through.
    with Failing(db.client(), "PutItem", lambda: dynamodb_error("ThrottlingException"), times=ATTEMPTS) as fault:
        answer = run_timeline(batch(records))
    assert fault.failed == ATTEMPTS
    failures = [f["itemIdentifier"] for f in answer["batchItemFailures"]]
    assert failures == [records[0]["dynamodb"]["SequenceNumber"]]
    assert len(event_items(story.pk)) == STORY_EVENTS - 1  # the rest landed

    # Lambda retries from the failed record on (ReportBatchItemFailures): that is the whole batch here.
    assert run_timeline(batch(records)) == {"batchItemFailures": []}
    events = api.get(f"/api/v1/invoices/{story.id}/events").json["data"]
    assert len(events) == len(event_items(story.pk)) == STORY_EVENTS  # each once
    assert len({e["id"] for e in events}) == len(events)


def test_the_idempotency_record_failing_past_the_retries_is_the_same_503_and_the_key_stays_free(api, business):
    """One retry policy: a transaction conflict on the key's record answers as the table being busy."""
    headers = {"Idempotency-Key": "busy-key-1"}
    with Failing(db.client(), "PutItem", lambda: dynamodb_error("TransactionConflictException")):
        answer = api.post("/api/v1/clients", {"name": "Busy"}, headers=headers)
    assert_busy(answer)
    assert api.get("/api/v1/clients").json["data"] == []
    assert api.post("/api/v1/clients", {"name": "Busy"}, headers=headers).status == 201
