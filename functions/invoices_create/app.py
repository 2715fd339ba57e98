"""POST /api/v1/invoices — create an invoice with its lines; it gets the next number of the business.
Honours the Idempotency-Key header."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, json_response, make_api, public_base_url
from fastfaktura.http.router import Body
from fastfaktura.models.invoices import Invoice, InvoiceCreate
from fastfaktura.services import auth, idempotency, invoices

app = make_api(auth.authenticate, around=idempotency.honour_idempotency_key)


@app.post("/api/v1/invoices", summary="Create an invoice", tags=["Invoices"],
          responses={201: {"description": "The invoice, with its number and totals",
                           "content": {"application/json": {"model": Invoice}}}})
def create_invoice(body: Annotated[InvoiceCreate, Body()]):
    invoice = invoices.create_invoice(caller(app).business_id, body, public_base_url(app), by=caller(app).key_id)
    return json_response(201, invoice)


lambda_handler = entrypoint(app)
