"""POST /i/{token}/pay (Stripe Checkout, against a fake Stripe on 127.0.0.1) and POST /webhooks/stripe."""

from __future__ import annotations

import json
import time

import pytest
from fastfaktura import settings

from tests.helpers.api import assert_error
from tests.helpers.factories import header, make_invoice
from tests.helpers.fake_stripe import FakeStripe, signature_header

WEBHOOK_SECRET = "whsec_test_secret_for_fastfaktura"
LIVE_WEBHOOK_SECRET = "whsec_live_secret_for_fastfaktura"
TEST_KEY = "sk_test_51FakeKeyForFastFaktura"
LIVE_KEY = "sk_live_51FakeLiveKey"


@pytest.fixture
def fake_stripe(monkeypatch):
    from fastfaktura.payments import checkout

    fake = FakeStripe().start()
    for mode in ("TEST", "LIVE"):
        monkeypatch.delenv(f"STRIPE_{mode}_SECRET_KEY_PARAMETER", raising=False)
        monkeypatch.delenv(f"STRIPE_{mode}_WEBHOOK_SECRET_PARAMETER", raising=False)
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY", TEST_KEY)
    monkeypatch.setenv("STRIPE_LIVE_SECRET_KEY", LIVE_KEY)
    monkeypatch.setenv("STRIPE_API_BASE", fake.base_url)
    monkeypatch.setenv("STRIPE_TEST_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("STRIPE_LIVE_WEBHOOK_SECRET", LIVE_WEBHOOK_SECRET)
    monkeypatch.setenv("STRIPE_PAYMENT_MODES", "test,live")
    settings.get.cache_clear()
    checkout._client.cache_clear()
    yield fake
    checkout._client.cache_clear()
    fake.stop()


def pay(api, token: str, headers: dict | None = None):
    """The Pay button's form: a POST with an empty urlencoded body, as a browser sends it."""
    return api.post(f"/i/{token}/pay", key=None,
                    headers={"content-type": "application/x-www-form-urlencoded", **(headers or {})})


# --- the Pay button ---------------------------------------------------------------------------------

def test_pay_redirects_to_a_checkout_session_with_the_invoice(api, business, fake_stripe):
    invoice_id, token = make_invoice(business.business.id, status="opened", locale="en", currency="NOK")
    answer = pay(api, token)
    assert answer.status == 303, answer.body[:300]
    assert answer.headers["location"] == f"{fake_stripe.base_url}/c/pay/cs_test_fake0001"
    assert answer.headers["cache-control"] == "no-store"
    [session] = fake_stripe.sessions
    assert session.authorization == f"Bearer {TEST_KEY}"
    params = session.params
    assert params["mode"] == "payment"
    assert params["line_items[0][quantity]"] == "1"
    assert params["line_items[0][price_data][currency]"] == "nok"
    assert params["line_items[0][price_data][unit_amount]"] == "66472"
    assert params["line_items[0][price_data][product_data][name]"] == "Invoice F-0001"
    assert "line_items[1][quantity]" not in params
    assert params["client_reference_id"] == invoice_id
    assert params["metadata[invoice_id]"] == invoice_id
    assert params["metadata[business_id]"] == business.business.id
    assert params["payment_intent_data[metadata][invoice_id]"] == invoice_id
    assert params["success_url"] == f"http://127.0.0.1:3000/i/{token}?payment=success"
    assert params["cancel_url"] == f"http://127.0.0.1:3000/i/{token}?payment=cancelled"
    assert params["locale"] == "en"
    assert params["customer_email"] == "client@example.com"


@pytest.mark.parametrize(("locale", "name"), [("fr", "Facture F-0001"), ("nb", "Faktura F-0001"),
                                              ("sv", "Faktura F-0001")])
def test_the_line_is_named_in_the_clients_language(api, business, fake_stripe, locale, name):
    _, token = make_invoice(business.business.id, locale=locale)
    assert pay(api, token).status == 303
    assert fake_stripe.sessions[0].params["line_items[0][price_data][product_data][name]"] == name
    assert fake_stripe.sessions[0].params["locale"] == locale


def test_the_pay_buttons_form_leads_to_checkout_under_the_pages_csp(api, business, fake_stripe):
    _, token = make_invoice(business.business.id)
    csp = api.get(f"/i/{token}", key=None).headers["content-security-policy"]
    assert f"form-action 'self' https://checkout.stripe.com {fake_stripe.base_url};" in csp


@pytest.mark.parametrize("status", ["draft", "paid", "cancelled"])
def test_an_invoice_that_is_not_payable_gets_a_409_page(api, business, fake_stripe, status):
    _, token = make_invoice(business.business.id, status=status, locale="en")
    answer = pay(api, token)
    assert answer.status == 409
    assert answer.headers["content-type"].startswith("text/html")
    assert "cannot be paid online" in answer.body.decode()
    assert f'href="/i/{token}"' in answer.body.decode()
    assert fake_stripe.sessions == []


def test_no_key_gets_a_clear_409_page_and_no_stripe_call(api, business, fake_stripe, monkeypatch):
    monkeypatch.delenv("STRIPE_TEST_SECRET_KEY")
    settings.get.cache_clear()
    _, token = make_invoice(business.business.id)
    answer = pay(api, token)
    assert answer.status == 409
    assert "Paiement indisponible" in answer.body.decode()  # in the invoice's locale
    assert f'href="/i/{token}"' in answer.body.decode()
    assert fake_stripe.sessions == []


def test_unknown_token_is_a_404_page(api, business, fake_stripe):
    answer = pay(api, "X" * 32)
    assert answer.status == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert fake_stripe.sessions == []


def test_stripe_failing_is_a_502_page(api, business, fake_stripe):
    fake_stripe.fail_with = 400
    _, token = make_invoice(business.business.id, locale="sv")
    answer = pay(api, token, headers={"accept-language": "en-GB"})
    assert answer.status == 502
    assert "Betalning tillfälligt otillgänglig" in answer.body.decode()  # the invoice's locale wins


# --- the webhook ------------------------------------------------------------------------------------

def completed_event(invoice_id: str, business_id: str, amount: int = 66472, currency: str = "eur",
                    event_id: str = "evt_test_1", event_type: str = "checkout.session.completed",
                    payment_status: str = "paid", livemode: bool = False) -> bytes:
    return json.dumps({
        "id": event_id, "object": "event", "type": event_type, "api_version": "2025-01-27.acacia",
        "created": int(time.time()), "livemode": livemode,
        "data": {"object": {
            "id": "cs_test_abc", "object": "checkout.session", "mode": "payment", "payment_status": payment_status,
            "status": "complete", "client_reference_id": invoice_id, "amount_total": amount, "currency": currency,
            "payment_intent": "pi_test_123",
            "metadata": {"invoice_id": invoice_id, "business_id": business_id}}},
    }).encode()


def deliver(api, payload: bytes, secret: str = WEBHOOK_SECRET, signature: str | None = "compute"):
    headers = {"content-type": "application/json; charset=utf-8"}
    if signature == "compute":
        headers["stripe-signature"] = signature_header(payload, secret)
    elif signature is not None:
        headers["stripe-signature"] = signature
    return api.post("/webhooks/stripe", key=None, raw=payload, headers=headers)


@pytest.mark.parametrize("status", ["sent", "opened", "overdue"])
def test_paid_session_marks_the_invoice_paid(api, business, fake_stripe, status):
    invoice_id, _ = make_invoice(business.business.id, status=status)
    answer = deliver(api, completed_event(invoice_id, business.business.id))
    assert answer.status == 200, answer.body
    assert answer.json == {"received": True, "outcome": "paid", "invoice_id": invoice_id}
    stored = header(business.business.id, invoice_id)
    assert stored["status"] == "paid"
    assert stored["paid_via"] == "stripe"
    assert stored["paid_at"]
    assert stored["stripe_checkout_session_id"] == "cs_test_abc"
    assert stored["stripe_payment_intent_id"] == "pi_test_123"
    assert stored["stripe_event_id"] == "evt_test_1"
    assert api.get(f"/api/v1/invoices/{invoice_id}").json["status"] == "paid"


def test_replay_is_200_and_changes_nothing(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id)
    payload = completed_event(invoice_id, business.business.id)
    assert deliver(api, payload).json["outcome"] == "paid"
    first = header(business.business.id, invoice_id)
    replay = deliver(api, payload)
    assert replay.status == 200
    assert replay.json["outcome"] == "already_recorded"
    second = header(business.business.id, invoice_id)
    assert second["version"] == first["version"] and second["paid_at"] == first["paid_at"]


def test_a_payment_after_cancellation_is_acknowledged_and_not_recorded(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id, status="cancelled")
    answer = deliver(api, completed_event(invoice_id, business.business.id))
    assert answer.status == 200 and answer.json["outcome"] == "already_recorded"
    assert header(business.business.id, invoice_id)["status"] == "cancelled"


@pytest.mark.parametrize("signature", [None, "", "t=1,v1=deadbeef", "garbage"])
def test_missing_or_bad_signature_is_400(api, business, fake_stripe, signature):
    invoice_id, _ = make_invoice(business.business.id)
    error = assert_error(deliver(api, completed_event(invoice_id, business.business.id), signature=signature),
                         400, "invalid_request")
    assert "Stripe-Signature" in error["message"]
    assert header(business.business.id, invoice_id)["status"] == "sent"


def test_signature_with_another_secret_is_400(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id)
    answer = deliver(api, completed_event(invoice_id, business.business.id), secret="whsec_someone_else")
    assert_error(answer, 400, "invalid_request")
    assert header(business.business.id, invoice_id)["status"] == "sent"


def test_an_old_signature_is_400(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id)
    payload = completed_event(invoice_id, business.business.id)
    stale = signature_header(payload, WEBHOOK_SECRET, timestamp=int(time.time()) - 3600)
    assert_error(deliver(api, payload, signature=stale), 400, "invalid_request")


def test_a_tampered_payload_is_400(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id)
    payload = completed_event(invoice_id, business.business.id)
    signature = signature_header(payload, WEBHOOK_SECRET)
    tampered = payload.replace(b"66472", b"1")
    assert_error(deliver(api, tampered, signature=signature), 400, "invalid_request")


@pytest.mark.parametrize(("event_type", "payment_status"), [
    ("payment_intent.succeeded", "paid"),
    ("checkout.session.expired", "unpaid"),
    ("checkout.session.completed", "unpaid"),  # a delayed method (e.g. SEPA debit): not paid yet
])
def test_other_events_are_200_and_ignored(api, business, fake_stripe, event_type, payment_status):
    invoice_id, _ = make_invoice(business.business.id)
    payload = completed_event(invoice_id, business.business.id, event_type=event_type,
                              payment_status=payment_status)
    answer = deliver(api, payload)
    assert answer.status == 200
    assert answer.json["outcome"] == "ignored"
    assert header(business.business.id, invoice_id)["status"] == "sent"


def test_a_delayed_payment_that_succeeds_marks_paid(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id)
    payload = completed_event(invoice_id, business.business.id, event_type="checkout.session.async_payment_succeeded")
    assert deliver(api, payload).json["outcome"] == "paid"


def test_a_stripe_payment_records_its_own_amount(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id)
    answer = deliver(api, completed_event(invoice_id, business.business.id, amount=100))
    assert answer.status == 200 and answer.json["outcome"] == "payment_received"
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    assert invoice["status"] == "sent" and invoice["amount_paid_cents"] == 100
    assert [(p["amount_cents"], p["via"]) for p in invoice["payments"]] == [(100, "stripe")]
    replay = deliver(api, completed_event(invoice_id, business.business.id, amount=100))
    assert replay.json["outcome"] == "already_recorded"
    assert api.get(f"/api/v1/invoices/{invoice_id}").json["amount_paid_cents"] == 100


def test_more_than_is_due_is_not_recorded(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id)
    answer = deliver(api, completed_event(invoice_id, business.business.id, amount=66473))
    assert answer.status == 200 and answer.json["outcome"] == "ignored"
    assert header(business.business.id, invoice_id)["status"] == "sent"


def test_a_wrong_currency_is_not_recorded(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id)
    answer = deliver(api, completed_event(invoice_id, business.business.id, currency="usd"))
    assert answer.status == 200 and answer.json["outcome"] == "ignored"
    assert header(business.business.id, invoice_id)["status"] == "sent"


def test_metadata_naming_another_business_finds_nothing(api, business, fake_stripe):
    from fastfaktura.services.business import create_business

    invoice_id, _ = make_invoice(business.business.id)
    other = create_business("Other", country="FR", locale="fr")
    answer = deliver(api, completed_event(invoice_id, other.business.id))
    assert answer.status == 200 and answer.json["outcome"] == "ignored"
    assert header(business.business.id, invoice_id)["status"] == "sent"


def test_webhook_without_a_configured_secret_is_503_so_stripe_retries(api, business, fake_stripe, monkeypatch):
    monkeypatch.delenv("STRIPE_TEST_WEBHOOK_SECRET")
    settings.get.cache_clear()
    invoice_id, _ = make_invoice(business.business.id)
    answer = deliver(api, completed_event(invoice_id, business.business.id))
    assert answer.status == 503
    assert answer.json["error"]["type"] == "service_unavailable"


# --- Stripe's mode equals the business's mode (all four combinations) -------------------------------

@pytest.mark.parametrize(("test_key", "live_key", "sandbox", "used"), [
    (TEST_KEY, LIVE_KEY, True, TEST_KEY),
    (TEST_KEY, LIVE_KEY, False, LIVE_KEY),
    (LIVE_KEY, "", True, None),  # a live key given as the test one is never used, for any business
    ("", LIVE_KEY, True, None),
    (TEST_KEY, TEST_KEY, False, None),  # a live invoice is never paid with Stripe's test card
    (TEST_KEY, "", False, None),
])
def test_a_checkout_session_is_made_only_with_a_key_of_the_businesss_mode(dynamodb, fake_stripe, monkeypatch,
                                                                          test_key, live_key, sandbox, used):
    from fastfaktura.services.business import create_business

    from tests.helpers.api import Api

    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY", test_key)
    monkeypatch.setenv("STRIPE_LIVE_SECRET_KEY", live_key)
    settings.get.cache_clear()
    owner = create_business("Mode SA", sandbox=sandbox, country="FR", locale="fr")
    _, token = make_invoice(owner.business.id)
    assert pay(Api(None), token).status == (303 if used else 409)
    assert [s.authorization for s in fake_stripe.sessions] == ([f"Bearer {used}"] if used else [])


@pytest.mark.parametrize(("livemode", "sandbox", "recorded"), [
    (False, True, True),
    (True, True, False),
    (False, False, False),  # a test-mode payment never settles a live invoice
    (True, False, True),
])
def test_an_events_livemode_must_equal_the_businesss_mode(dynamodb, fake_stripe, livemode, sandbox, recorded):
    from fastfaktura.services.business import create_business

    from tests.helpers.api import Api

    owner = create_business("Mode SA", sandbox=sandbox, country="FR", locale="fr")
    invoice_id, _ = make_invoice(owner.business.id)
    payload = completed_event(invoice_id, owner.business.id, livemode=livemode)
    answer = deliver(Api(None), payload, secret=LIVE_WEBHOOK_SECRET if livemode else WEBHOOK_SECRET)
    assert answer.status == 200
    assert answer.json["outcome"] == ("paid" if recorded else "ignored")
    assert header(owner.business.id, invoice_id)["status"] == ("paid" if recorded else "sent")


@pytest.mark.parametrize("livemode", [False, True])
def test_an_event_is_checked_with_its_own_modes_secret(api, business, fake_stripe, livemode):
    invoice_id, _ = make_invoice(business.business.id)
    payload = completed_event(invoice_id, business.business.id, livemode=livemode)
    answer = deliver(api, payload, secret=WEBHOOK_SECRET if livemode else LIVE_WEBHOOK_SECRET)
    assert_error(answer, 400, "invalid_request")
    assert header(business.business.id, invoice_id)["status"] == "sent"


# --- one open Checkout Session per invoice and amount ---------------------------------------------

def test_clicks_on_one_invoice_reuse_its_open_session(api, business, fake_stripe):
    invoice_id, token = make_invoice(business.business.id, status="opened")
    first, second, third = (pay(api, token) for _ in range(3))
    assert first.status == second.status == third.status == 303
    assert first.headers["location"] == second.headers["location"] == third.headers["location"]
    [session] = fake_stripe.sessions
    version = header(business.business.id, invoice_id)["version"]
    assert session.idempotency_key == f"checkout-{invoice_id}-v{version}-1"
    expires_at = int(session.params["expires_at"])
    assert 30 * 60 <= expires_at - time.time() <= 3600


def test_an_expired_session_is_replaced_with_a_new_idempotency_key(api, business, fake_stripe):
    from fastfaktura.store import db, keys

    invoice_id, token = make_invoice(business.business.id, status="opened")
    assert pay(api, token).status == 303
    db.client().update_item(TableName=db.table_name(),  # as if its hour had passed
                            Key=db.key(keys.invoice_pk(business.business.id, invoice_id), keys.CHECKOUT_SESSION_SK),
                            UpdateExpression="SET expires_at = :t", ExpressionAttributeValues={":t": {"N": "0"}})
    answer = pay(api, token)
    assert answer.status == 303 and answer.headers["location"].endswith("cs_test_fake0002")
    assert [s.idempotency_key[-2:] for s in fake_stripe.sessions] == ["-1", "-2"]


def test_a_session_for_another_amount_is_never_reused(api, business, fake_stripe):
    from fastfaktura.store import db, keys

    invoice_id, token = make_invoice(business.business.id, status="opened")
    assert pay(api, token).status == 303
    db.client().update_item(TableName=db.table_name(), Key=db.key(keys.invoice_pk(business.business.id, invoice_id),
                                                                   keys.INVOICE_SK),
                            UpdateExpression="SET total_cents = :t", ExpressionAttributeValues={":t": {"N": "100"}})
    assert pay(api, token).status == 303
    assert [s.params["line_items[0][price_data][unit_amount]"] for s in fake_stripe.sessions] == ["66472", "100"]


@pytest.mark.parametrize("closed", ["cancelled", "paid"])
def test_a_payment_after_the_invoice_closed_is_recorded_on_it(api, business, fake_stripe, closed):
    invoice_id, _ = make_invoice(business.business.id, status=closed)  # paid: marked paid by hand
    payload = completed_event(invoice_id, business.business.id, event_id="evt_late")
    answer = deliver(api, payload)
    assert answer.status == 200 and answer.json["outcome"] == "already_recorded"
    stored = header(business.business.id, invoice_id)
    assert stored["status"] == closed and stored.get("paid_via") in (None, "manual")
    assert stored["stripe_payment_after_close"] == {
        "stripe_event_id": "evt_late", "stripe_checkout_session_id": "cs_test_abc",
        "stripe_payment_intent_id": "pi_test_123", "amount_cents": 66472, "currency": "EUR", "status": closed}
    version = stored["version"]
    assert deliver(api, payload).json["outcome"] == "already_recorded"  # a replay records nothing more
    assert header(business.business.id, invoice_id)["version"] == version


def test_the_stripe_payment_itself_replayed_is_not_a_payment_after_close(api, business, fake_stripe):
    invoice_id, _ = make_invoice(business.business.id)
    payload = completed_event(invoice_id, business.business.id)
    assert deliver(api, payload).json["outcome"] == "paid"
    assert deliver(api, payload).json["outcome"] == "already_recorded"
    assert "stripe_payment_after_close" not in header(business.business.id, invoice_id)
