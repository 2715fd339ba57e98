"""The balance on the timeline: real stream records of payments and credit notes made through the API,
fed to the TimelineFunction of template.yaml, twice: `payment_received`, `credited` and `paid` once each."""

from __future__ import annotations

from fastfaktura.store import keys

from tests.helpers.factories import make_invoice
from tests.helpers.timeline import batch, event_items, run_timeline, stream_records

LINES = [{"description": "Work", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20}]  # total 12000


def test_partial_payment_credit_and_last_payment_are_each_one_event(api, business):
    invoice_id, _ = make_invoice(business.business.id, "sent", lines=LINES)
    pk = keys.invoice_pk(business.business.id, invoice_id)
    assert api.post(f"/api/v1/invoices/{invoice_id}/payments",
                    {"amount_cents": 2000, "method": "cheque", "reference": "CHQ-1"}).status == 201
    note = api.post(f"/api/v1/invoices/{invoice_id}/credit-notes",
                    {"reason": "Remise", "lines": [{"description": "Remise", "quantity": 1,
                                                    "unit_price_cents": 5000, "tax_rate": 20}]}).json
    assert api.post(f"/api/v1/invoices/{invoice_id}/payments", {"amount_cents": 4000, "method": "cash"}).status == 201
    # The create (staged invoice and lines, the numbered invoice, the lines kept), sent, then per payment its
    # INSERT and the invoice's MODIFY, and per credit note the invoice's MODIFY (its stage) and its reference's
    # INSERT (its finish; the credit note itself is in its own partition).
    records = stream_records(pk, 11)
    assert run_timeline(batch(records)) == {"batchItemFailures": []}
    assert run_timeline(batch(records)) == {"batchItemFailures": []}  # redelivered
    assert run_timeline(batch(records[5:9])) == {"batchItemFailures": []}
    events = api.get(f"/api/v1/invoices/{invoice_id}/events").json["data"]
    assert [e["type"] for e in events] == ["created", "payment_received", "credited", "paid"]
    assert events[1]["data"]["amount_cents"] == 2000 and events[1]["data"]["due_after_cents"] == 10000
    assert events[2]["data"]["credit_note_id"] == note["id"] and events[2]["data"]["total_cents"] == 6000
    assert events[3]["data"]["paid_via"] == "manual"
    assert len(event_items(pk)) == 4
