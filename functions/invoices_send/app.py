"""POST /api/v1/invoices/{id}/send — send an invoice by email, SMS and/or link (or a reminder)."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, make_api, public_base_url
from fastfaktura.http.router import Body
from fastfaktura.models.common import ErrorResponse
from fastfaktura.models.sending import SendRequest, SendResult
from fastfaktura.services import auth, idempotency, sending

app = make_api(auth.authenticate, around=idempotency.honour_idempotency_key)


@app.post("/api/v1/invoices/<invoice_id>/send", summary="Send an invoice", tags=["Invoices"],
          description="Sends the invoice on each requested channel. A draft becomes `sent` on its first "
                      "successful send; a reminder keeps the status. A channel that fails does not undo the "
                      "others (its delivery says `failed` with a reason); when every channel fails the answer "
                      "is 502 and the invoice is unchanged. Honours `Idempotency-Key`.",
          responses={200: {"description": "The invoice and one delivery per requested channel",
                           "content": {"application/json": {"model": SendResult}}},
                     502: {"description": "Every channel failed; the invoice is unchanged",
                           "content": {"application/json": {"model": ErrorResponse}}}})
def send_invoice(invoice_id: str, body: Annotated[SendRequest, Body()]) -> SendResult:
    return sending.send_invoice(caller(app).business_id, invoice_id, body, public_base_url(app),
                                by=caller(app).key_id)


lambda_handler = entrypoint(app)
