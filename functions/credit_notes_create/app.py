"""POST /api/v1/invoices/{id}/credit-notes — credit an issued invoice in full or in part, with its own
gapless number (optionally refunding a Stripe payment). Honours the Idempotency-Key header."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, json_response, make_api
from fastfaktura.http.router import Body
from fastfaktura.models.credit_notes import CreditNote, CreditNoteCreate
from fastfaktura.services import auth, idempotency, refunds

app = make_api(auth.authenticate, around=idempotency.honour_idempotency_key)


@app.post("/api/v1/invoices/<invoice_id>/credit-notes", summary="Credit an invoice", tags=["Credit notes"],
          description="Only a sent, opened, overdue or paid invoice (else 409). Without `lines`, everything not "
                      "yet credited; with lines (positive amounts, at tax rates the invoice has: else 422), part "
                      "of it. Per tax group and in total, never more than remains (422). The invoice's due "
                      "reaching 0 through credit notes alone cancels it. Credit notes are not sent by this API yet "
                      "(no `/credit-notes/{id}/send`): sending's deliveries, messages and `sent` events belong to "
                      "an invoice and its timeline, and a credit note's would need texts and events of their own; "
                      "meanwhile the business sends the PDF (`GET /credit-notes/{id}/pdf`) itself.",
          responses={201: {"description": "The credit note", "content": {"application/json": {"model": CreditNote}}}})
def create_credit_note(invoice_id: str, body: Annotated[CreditNoteCreate, Body()]):
    who = caller(app)
    return json_response(201, refunds.create_credit_note(who.business_id, invoice_id, body, who.key_id))


lambda_handler = entrypoint(app)
