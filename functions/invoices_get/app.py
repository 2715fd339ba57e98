"""GET /api/v1/invoices/{id} — the invoice with its lines, client, public URL and timeline (one Query)."""

from fastfaktura.http.api import caller, entrypoint, make_api, public_base_url
from fastfaktura.models.invoices import Invoice
from fastfaktura.services import auth, invoices

app = make_api(auth.authenticate)


@app.get("/api/v1/invoices/<invoice_id>", summary="Get an invoice", tags=["Invoices"])
def get_invoice(invoice_id: str) -> Invoice:
    return invoices.get_invoice(caller(app).business_id, invoice_id, public_base_url(app))


lambda_handler = entrypoint(app)
