"""POST /api/v1/invoices/{id}/cancel — draft, sent, opened or overdue → cancelled (the number is kept)."""

from fastfaktura.http.api import caller, entrypoint, make_api, public_base_url
from fastfaktura.models.invoices import Invoice
from fastfaktura.services import auth, invoices

app = make_api(auth.authenticate)


@app.post("/api/v1/invoices/<invoice_id>/cancel", summary="Cancel an invoice", tags=["Invoices"])
def cancel_invoice(invoice_id: str) -> Invoice:
    return invoices.cancel_invoice(caller(app).business_id, invoice_id, public_base_url(app), by=caller(app).key_id)


lambda_handler = entrypoint(app)
