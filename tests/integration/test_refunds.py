"""Stripe refunds of credit notes against the local Stripe stand-in (a sandbox business, test mode): the
Refund API call with an idempotency key derived from the credit note, its record on the credit note, and
the webhook events that settle its status; and the Pay button charging only what is still due."""

from __future__ import annotations

import json
import time

from tests.helpers.api import assert_error
from tests.helpers.factories import make_invoice
from tests.integration.test_stripe_payment import completed_event, deliver, fake_stripe  # noqa: F401 (fixture)

CREDIT = {"reason": "Retour", "refund": "stripe",
          "lines": [{"description": "Retour", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20}]}


def paid_through_stripe(api, business) -> str:
    invoice_id, _ = make_invoice(business.business.id)
    assert deliver(api, completed_event(invoice_id, business.business.id)).json["outcome"] == "paid"
    return invoice_id


def refund_event(event_type: str, refund: dict) -> bytes:
    obj = refund if event_type.startswith("refund.") else {"object": "charge", "id": "ch_1",
                                                            "refunds": {"data": [refund]}}
    return json.dumps({"id": f"evt_{event_type}", "object": "event", "type": event_type, "livemode": False,
                       "created": int(time.time()), "data": {"object": obj}}).encode()


def test_a_credit_note_refunds_the_stripe_payment_and_the_webhook_settles_it(api, business, fake_stripe):  # noqa: F811
    invoice_id = paid_through_stripe(api, business)
    answer = api.post(f"/api/v1/invoices/{invoice_id}/credit-notes", CREDIT)
    assert answer.status == 201, answer.body
    note = answer.json
    assert note["refund"] == {"id": "re_test_fake0001", "status": "pending", "amount_cents": 12000}
    [request] = fake_stripe.refunds
    assert request.params["payment_intent"] == "pi_test_123" and request.params["amount"] == "12000"
    assert request.params["metadata[credit_note_id]"] == note["id"]
    assert request.idempotency_key == f"credit-note-refund-{note['id']}"
    assert request.authorization == "Bearer sk_test_51FakeKeyForFastFaktura"

    refund = {"id": "re_test_fake0001", "object": "refund", "status": "succeeded", "amount": 12000,
              "metadata": {"credit_note_id": note["id"], "business_id": business.business.id}}
    assert deliver(api, refund_event("refund.updated", refund)).json["outcome"] == "refund_updated"
    assert api.get(f"/api/v1/credit-notes/{note['id']}").json["refund"]["status"] == "succeeded"
    failed = {**refund, "status": "failed"}
    assert deliver(api, refund_event("charge.refunded", failed)).json["outcome"] == "refund_updated"
    assert api.get(f"/api/v1/credit-notes/{note['id']}").json["refund"]["status"] == "failed"
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    assert invoice["status"] == "paid" and invoice["amount_credited_cents"] == 12000


def test_a_refund_event_for_another_business_changes_nothing(api, business, fake_stripe):  # noqa: F811
    invoice_id = paid_through_stripe(api, business)
    note = api.post(f"/api/v1/invoices/{invoice_id}/credit-notes", CREDIT).json
    other = {"id": "re_test_fake0001", "status": "succeeded", "amount": 12000,
             "metadata": {"credit_note_id": note["id"], "business_id": "0196b1f0-3c2a-7a10-8f00-00000000b001"}}
    deliver(api, refund_event("refund.updated", other))
    assert api.get(f"/api/v1/credit-notes/{note['id']}").json["refund"]["status"] == "pending"


def test_stripe_refusing_leaves_the_credit_note_with_a_failed_refund(api, business, fake_stripe):  # noqa: F811
    invoice_id = paid_through_stripe(api, business)
    fake_stripe.fail_with = 402
    note = api.post(f"/api/v1/invoices/{invoice_id}/credit-notes", CREDIT)
    assert note.status == 201, note.body
    assert note.json["refund"] == {"id": None, "status": "failed", "amount_cents": 12000}


def test_no_refund_for_an_invoice_paid_by_other_means(api, business, fake_stripe):  # noqa: F811
    invoice_id, _ = make_invoice(business.business.id)
    api.post(f"/api/v1/invoices/{invoice_id}/mark-paid")
    assert_error(api.post(f"/api/v1/invoices/{invoice_id}/credit-notes", CREDIT), 422, "validation_error")
    assert fake_stripe.refunds == []


def test_the_pay_button_charges_what_is_still_due(api, business, fake_stripe):  # noqa: F811
    from tests.integration.test_stripe_payment import pay

    invoice_id, token = make_invoice(business.business.id)
    api.post(f"/api/v1/invoices/{invoice_id}/payments", {"amount_cents": 6472, "method": "bank_transfer"})
    api.post(f"/api/v1/invoices/{invoice_id}/credit-notes", {"reason": "Remise", "lines": [
        {"description": "Remise", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20}]})
    assert pay(api, token).status == 303
    assert fake_stripe.sessions[-1].params["line_items[0][price_data][unit_amount]"] == str(66472 - 6472 - 12000)
