"""POST /api/v1/invoices/{id}/cancel — a draft is cancelled; a sent, opened or overdue invoice is credited
in full by a credit note in the same transaction as its move to cancelled (the number is kept)."""

from fastfaktura.http.api import caller, entrypoint, make_api, public_base_url
from fastfaktura.models.invoices import Invoice
from fastfaktura.services import auth, credit_notes

app = make_api(auth.authenticate)


@app.post("/api/v1/invoices/<invoice_id>/cancel", summary="Cancel an invoice", tags=["Invoices"],
          description="A draft is cancelled. A sent, opened or overdue invoice gets a credit note for everything "
                      "not yet credited, in the same transaction as its move to cancelled (the answer lists it in "
                      "`credit_notes`). A paid invoice is corrected by a credit note, not cancelled: 409.")
def cancel_invoice(invoice_id: str) -> Invoice:
    return credit_notes.cancel_invoice(caller(app).business_id, invoice_id, public_base_url(app),
                                       by=caller(app).key_id)


lambda_handler = entrypoint(app)
