"""POST /api/v1/invoices/{id}/mark-paid — a manual payment (e.g. a bank transfer) of everything that is
due: sent, opened or overdue → paid, with `paid_via` "manual"."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, make_api, public_base_url
from fastfaktura.http.router import Body
from fastfaktura.models.invoices import Invoice, MarkPaid
from fastfaktura.services import auth, balance

app = make_api(auth.authenticate)


@app.post("/api/v1/invoices/<invoice_id>/mark-paid", summary="Mark an invoice paid", tags=["Invoices"])
def mark_paid(invoice_id: str, body: Annotated[MarkPaid | None, Body()] = None) -> Invoice:
    who = caller(app)
    return balance.mark_paid(who.business_id, invoice_id, body, public_base_url(app), who.key_id)


lambda_handler = entrypoint(app)
