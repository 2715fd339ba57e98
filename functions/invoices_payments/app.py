"""POST /api/v1/invoices/{id}/payments — record money received for part or all of what is due."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, json_response, make_api, public_base_url
from fastfaktura.http.router import Body
from fastfaktura.models.balance import PaymentCreate
from fastfaktura.models.invoices import Invoice
from fastfaktura.services import auth, balance

app = make_api(auth.authenticate)


@app.post("/api/v1/invoices/<invoice_id>/payments", summary="Record a payment", tags=["Invoices"],
          description="A payment of 1 … `amount_due_cents` on a sent, opened or overdue invoice (else 409; more "
                      "than is due: 422). When nothing remains due the invoice is paid, `paid_at` being the last "
                      "payment's. Racing payments never overpay: each is written on condition that the invoice "
                      "did not change since it was read.",
          responses={201: {"description": "The invoice, with its payments and new balance",
                           "content": {"application/json": {"model": Invoice}}}})
def add_payment(invoice_id: str, body: Annotated[PaymentCreate, Body()]):
    who = caller(app)
    return json_response(201, balance.add_payment(who.business_id, invoice_id, body, public_base_url(app),
                                                  who.key_id))


lambda_handler = entrypoint(app)
