"""The Python client that openapi-python-client generates from the committed OpenAPI document (`make client`,
into build/python-client), used as is against the local stack: a whole flow through its typed functions,
every answer parsed into the document's models, payments and credit notes included."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from fastfaktura.http.openapi_document import DOCUMENT

ROOT = Path(__file__).resolve().parents[2]
CLIENT_DIR = ROOT / "build" / "python-client"
PACKAGE = CLIENT_DIR / "fastfaktura_client"


@pytest.fixture(scope="module")
def generated():
    """The generated package, regenerated (`make client`) when missing or older than the document."""
    if not PACKAGE.exists() or PACKAGE.stat().st_mtime < DOCUMENT.stat().st_mtime:
        subprocess.run(["make", "-s", "client"], cwd=ROOT, check=True, capture_output=True, timeout=600)
    sys.path.insert(0, str(CLIENT_DIR))
    yield
    sys.path.remove(str(CLIENT_DIR))


def test_a_whole_flow_through_the_generated_client(generated, dev_stack):
    from fastfaktura_client import AuthenticatedClient, Client
    from fastfaktura_client.api.business import get_business, update_business
    from fastfaktura_client.api.clients import archive_client, create_client, get_client, list_clients
    from fastfaktura_client.api.credit_notes import (
        create_credit_note,
        get_credit_note,
        get_credit_note_pdf,
        list_credit_notes,
    )
    from fastfaktura_client.api.invoices import (
        create_invoice,
        get_invoice,
        get_invoice_pdf,
        list_invoice_events,
        list_invoices,
        mark_invoice_paid,
        record_invoice_payment,
        send_invoice,
    )
    from fastfaktura_client.api.public import get_public_invoice_pdf
    from fastfaktura_client.api.webhooks import (
        create_webhook_endpoint,
        disable_webhook_endpoint,
        list_events,
        list_webhook_endpoints,
        update_webhook_endpoint,
    )
    from fastfaktura_client.models import (
        Business,
        BusinessUpdate,
        Channel,
        ClientCreate,
        ClientPage,
        ClientRecord,
        CreditNote,
        CreditNoteCreate,
        CreditNoteLineCreate,
        CreditNoteList,
        DeliveryStatus,
        ErrorResponse,
        Invoice,
        InvoiceCreate,
        InvoiceLineCreate,
        InvoiceList,
        InvoiceStatus,
        MarkPaid,
        PaymentCreate,
        PaymentMethod,
        SendRequest,
        SendResult,
        WebhookEndpointCreate,
        WebhookEndpointList,
        WebhookEndpointUpdate,
        WebhookEndpointWithSecret,
        WebhookEventList,
        WebhookEventType,
    )
    from fastfaktura_client.types import File

    api = AuthenticatedClient(base_url=dev_stack.url, token=dev_stack.key, raise_on_unexpected_status=True)

    business = get_business.sync(client=api)
    assert isinstance(business, Business) and business.sandbox is True
    updated = update_business.sync(client=api, body=BusinessUpdate(payment_terms_days=21))
    assert isinstance(updated, Business) and updated.payment_terms_days == 21

    created = create_client.sync_detailed(client=api, body=ClientCreate(
        name="Åsa Ærø Ölund", email="asa@fjord.example", phone="+4791234567", country="NO", locale="nb"))
    assert created.status_code == 201 and isinstance(created.parsed, ClientRecord)
    customer = created.parsed
    assert isinstance(customer.id, uuid.UUID) and customer.phone == "+4791234567"
    assert created.headers["Location"] == f"/api/v1/clients/{customer.id}"
    assert isinstance(get_client.sync(str(customer.id), client=api), ClientRecord)
    page = list_clients.sync(client=api, q="ærø")
    assert isinstance(page, ClientPage) and customer.id in [c.id for c in page.data]
    missing = get_client.sync(str(uuid.uuid4()), client=api)
    assert isinstance(missing, ErrorResponse) and missing.error.type_ == "not_found"

    made = create_invoice.sync_detailed(client=api, body=InvoiceCreate(
        client_id=customer.id, currency="NOK",
        lines=[InvoiceLineCreate(description="Konsulent", quantity=3, unit_price_cents=100000, tax_rate=25)]))
    assert made.status_code == 201 and isinstance(made.parsed, Invoice)
    invoice = made.parsed
    assert (invoice.status, invoice.total_cents) == (InvoiceStatus.DRAFT, 375000)
    assert made.headers["Location"] == f"/api/v1/invoices/{invoice.id}"
    drafts = list_invoices.sync(client=api, status=InvoiceStatus.DRAFT, client_id=customer.id)
    assert isinstance(drafts, InvoiceList) and [i.id for i in drafts.data] == [invoice.id]

    sent = send_invoice.sync(str(invoice.id), client=api, body=SendRequest(channels=[Channel.EMAIL, Channel.LINK]))
    assert isinstance(sent, SendResult) and sent.invoice.status == InvoiceStatus.SENT
    assert {d.status for d in sent.deliveries} == {DeliveryStatus.SIMULATED}

    pdf = get_invoice_pdf.sync(str(invoice.id), client=api)
    assert isinstance(pdf, File) and pdf.payload.read().startswith(b"%PDF")
    public = get_public_invoice_pdf.sync(invoice.public_url.rsplit("/", 1)[1], client=Client(base_url=dev_stack.url))
    assert isinstance(public, File) and public.payload.read().startswith(b"%PDF")

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the timeline follows the table's stream
        timeline = list_invoice_events.sync(str(invoice.id), client=api)
        if {"created", "sent"} <= {event.type_.value for event in timeline.data}:
            break
        time.sleep(0.5)
    assert {"created", "sent"} <= {event.type_.value for event in timeline.data}

    endpoint = create_webhook_endpoint.sync(client=api, body=WebhookEndpointCreate(
        url="http://127.0.0.1:9/hooks", events=[WebhookEventType.INVOICE_PAID]))
    assert isinstance(endpoint, WebhookEndpointWithSecret) and endpoint.secret.startswith("whsec_")
    renamed = update_webhook_endpoint.sync(endpoint.id, client=api, body=WebhookEndpointUpdate(description="ERP"))
    assert renamed.description == "ERP"
    endpoints = list_webhook_endpoints.sync(client=api)
    assert isinstance(endpoints, WebhookEndpointList) and endpoint.id in [e.id for e in endpoints.data]

    part = record_invoice_payment.sync_detailed(str(invoice.id), client=api, body=PaymentCreate(
        amount_cents=100000, method=PaymentMethod.BANK_TRANSFER, reference="VIR-1"))
    assert part.status_code == 201 and isinstance(part.parsed, Invoice)
    assert (part.parsed.amount_paid_cents, part.parsed.amount_due_cents) == (100000, 275000)
    assert part.parsed.status == InvoiceStatus.SENT and [p.amount_cents for p in part.parsed.payments] == [100000]
    too_much = record_invoice_payment.sync(str(invoice.id), client=api, body=PaymentCreate(
        amount_cents=275001, method=PaymentMethod.CASH))
    assert isinstance(too_much, ErrorResponse) and too_much.error.type_ == "validation_error"

    credited = create_credit_note.sync_detailed(str(invoice.id), client=api, body=CreditNoteCreate(
        reason="Rabatt", lines=[CreditNoteLineCreate(description="Rabatt", quantity=1, unit_price_cents=20000,
                                                     tax_rate=25)]))
    assert credited.status_code == 201 and isinstance(credited.parsed, CreditNote)
    note = credited.parsed
    assert note.number == "AV-0001" and note.total_cents == 25000 and note.invoice_id == invoice.id
    assert isinstance(get_credit_note.sync(str(note.id), client=api), CreditNote)
    notes = list_credit_notes.sync(client=api, invoice_id=str(invoice.id))
    assert isinstance(notes, CreditNoteList) and [n.id for n in notes.data] == [note.id]
    assert notes.next_cursor is None
    note_pdf = get_credit_note_pdf.sync(str(note.id), client=api)
    assert isinstance(note_pdf, File) and note_pdf.payload.read().startswith(b"%PDF")
    balance = get_invoice.sync(str(invoice.id), client=api)
    assert (balance.amount_credited_cents, balance.amount_due_cents) == (25000, 250000)
    assert [(c.id, c.number) for c in balance.credit_notes] == [(note.id, "AV-0001")]

    paid = mark_invoice_paid.sync(str(invoice.id), client=api, body=MarkPaid())
    assert isinstance(paid, Invoice) and paid.status == InvoiceStatus.PAID and paid.amount_due_cents == 0
    assert [p.amount_cents for p in paid.payments] == [100000, 250000]
    assert get_invoice.sync(str(invoice.id), client=api).paid_at is not None
    feed = list_events.sync(client=api)
    assert isinstance(feed, WebhookEventList)

    assert disable_webhook_endpoint.sync(endpoint.id, client=api).enabled is False
    assert archive_client.sync(str(customer.id), client=api).archived_at is not None
