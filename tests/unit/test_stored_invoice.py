"""The invoice item ↔ StoredInvoice ↔ the API's answers, for every shape an invoice item has had."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from fastfaktura.models.einvoice import EinvoiceReadiness
from fastfaktura.models.events import Event
from fastfaktura.models.invoices import InvoiceLine
from fastfaktura.store import keys
from fastfaktura.store.invoices import InvoiceRecord, StoredInvoice

BID, IID, CID = ("0195a1b2-0000-7000-8000-000000000001", "0195a1b2-0000-7000-8000-0000000000a7",
                 "0195a1b2-0000-7000-8000-000000000003")
URL = "https://pay.example/i/tok"
READY = EinvoiceReadiness(ready=True, missing=[])

# An invoice item as the first release wrote it, read back (plain values, as db.from_item gives them): a
# draft without notes (a null was never stored), no Stripe ids, no `paid_via`.
V1_DRAFT = {
    "PK": keys.invoice_pk(BID, IID), "SK": keys.INVOICE_SK,
    "GSI1PK": keys.public_token_gsi1pk("tok"), "GSI1SK": keys.INVOICE_SK,
    "GSI2PK": keys.invoices_gsi2pk(BID), "GSI2SK": IID,
    "GSI3PK": keys.invoices_by_status_gsi3pk(BID, "draft"), "GSI3SK": IID,
    "GSI4PK": keys.invoices_by_client_gsi4pk(BID, CID), "GSI4SK": IID,
    "due_gsi5pk": keys.due_gsi5pk(IID), "due_gsi5sk": keys.due_gsi5sk("2026-12-24", BID, IID),
    "business_id": BID, "invoice_id": IID, "client_id": CID, "status": "draft", "due_date": "2026-12-24",
    "public_token": "tok", "version": 1, "client_name": "Nordlys AS", "currency": "NOK",
    "issue_date": "2026-11-24", "subtotal_cents": 10000, "tax_cents": 2500, "total_cents": 12500,
    "line_count": 1, "tax_breakdown": [{"tax_rate": 25, "taxable_cents": 10000, "tax_cents": 2500}],
    "created_at": "2026-11-24T10:15:30.123456Z", "updated_at": "2026-11-24T10:15:30.123456Z",
    "sequence": 7, "number": "F-0007",
}
SUMMARY = {
    "id": IID, "number": "F-0007", "status": "draft", "client_id": CID, "client": {"id": CID, "name": "Nordlys AS"},
    "currency": "NOK", "issue_date": "2026-11-24", "due_date": "2026-12-24", "notes": None,
    "subtotal_cents": 10000, "tax_cents": 2500, "total_cents": 12500,
    # a group written before VAT categories reads as S (its rate is above 0)
    "tax_breakdown": [{"vat_category": "S", "tax_rate": 25, "taxable_cents": 10000, "tax_cents": 2500,
                       "vat_exemption_reason": None}], "line_count": 1,
    "buyer_reference": None, "purchase_order": None, "delivery_date": None, "public_url": URL,
    "created_at": "2026-11-24T10:15:30.123456Z", "updated_at": "2026-11-24T10:15:30.123456Z",
    "sent_at": None, "opened_at": None, "paid_at": None, "paid_via": None, "overdue_at": None, "cancelled_at": None,
    "einvoice": {"ready": True, "missing": []},
    "amount_paid_cents": 0, "amount_credited_cents": 0, "amount_due_cents": 12500,
}


def test_a_first_release_item_reads_and_answers_as_it_always_did():
    invoice = StoredInvoice.from_item(V1_DRAFT)
    assert (invoice.notes, invoice.paid_via, invoice.stripe_event_id) == (None, None, None)
    assert invoice.due_date == date(2026, 12, 24)
    assert invoice.created_at == datetime(2026, 11, 24, 10, 15, 30, 123456, tzinfo=UTC)
    assert invoice.to_summary(URL, READY).model_dump(mode="json") == SUMMARY


def test_an_item_without_the_attributes_that_came_later_reads_with_their_defaults():
    bare = {name: value for name, value in V1_DRAFT.items() if name not in ("client_name", "tax_breakdown", "version")}
    invoice = StoredInvoice.from_item(bare)
    assert (invoice.client_name, invoice.tax_breakdown, invoice.version) == ("", (), 1)
    assert invoice.to_summary(URL, READY).model_dump(mode="json")["client"] == {"id": CID, "name": ""}


def test_a_paid_item_carries_its_times_and_stripe_ids_and_unknown_attributes_are_ignored():
    paid = {**V1_DRAFT, "status": "paid", "version": 3, "sent_at": "2026-11-25T08:00:00.000000Z",
            "paid_at": "2026-11-26T09:30:00.000001Z", "paid_via": "stripe", "stripe_event_id": "evt_1",
            "stripe_checkout_session_id": "cs_1", "stripe_payment_intent_id": "pi_1", "paid_by": "ffk_key",
            "pdf_key": "x.pdf", "notes": "Takk!"}
    invoice = StoredInvoice.from_item(paid)
    assert (invoice.status, invoice.version, invoice.paid_via, invoice.stripe_checkout_session_id) == (
        "paid", 3, "stripe", "cs_1")
    answer = invoice.to_summary(URL, READY).model_dump(mode="json")
    assert answer == {**SUMMARY, "status": "paid", "notes": "Takk!", "sent_at": "2026-11-25T08:00:00.000000Z",
                      "paid_at": "2026-11-26T09:30:00.000001Z", "paid_via": "stripe",
                      "amount_paid_cents": 12500, "amount_due_cents": 0}


def test_an_item_written_is_the_item_read():
    invoice = StoredInvoice.from_item(V1_DRAFT)
    # Written again, it sorts by its number in the lists (the first release sorted by invoice id).
    order = keys.number_order_sk(7)
    assert invoice.to_item() == {**V1_DRAFT, "GSI2SK": order, "GSI3SK": order, "GSI4SK": order,
                                 "tax_breakdown": [{**V1_DRAFT["tax_breakdown"][0], "vat_category": "S"}],
                                 "amount_paid_cents": 0, "amount_credited_cents": 0}
    assert StoredInvoice.from_item(invoice.to_item()) == invoice


def test_only_an_invoice_awaiting_payment_is_written_into_the_due_date_index():
    draft = StoredInvoice.from_item(V1_DRAFT)
    assert "GSI5PK" not in draft.to_item()
    sent = StoredInvoice.from_item({**V1_DRAFT, "status": "sent", "sent_at": "2026-11-25T08:00:00.000000Z"})
    item = sent.to_item()
    assert (item["GSI5PK"], item["GSI5SK"]) == (V1_DRAFT["due_gsi5pk"], V1_DRAFT["due_gsi5sk"])
    assert item["GSI3PK"] == keys.invoices_by_status_gsi3pk(BID, "sent")


def test_the_record_answers_the_invoice_with_its_lines_and_timeline():
    line = InvoiceLine(description="Rådgivning", quantity=Decimal("2.5"), unit_price_cents=4000,
                       tax_rate=Decimal(25), amount_cents=10000)
    event = Event(id="e-1", type="created", at="2026-11-24T10:15:30.123456Z")
    record = InvoiceRecord(StoredInvoice.from_item(V1_DRAFT), [line], [event])
    answer = record.to_invoice(URL, READY).model_dump(mode="json")
    assert answer == {**SUMMARY, "lines": [{"description": "Rådgivning", "quantity": 2.5, "unit_price_cents": 4000,
                                            "tax_rate": 25, "amount_cents": 10000, "vat_category": "S",
                                            "vat_exemption_reason": None, "unit": "C62", "kind": "service"}],
                      "events": [event.model_dump(mode="json")], "payments": [], "credit_notes": []}
