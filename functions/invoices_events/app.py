"""GET /api/v1/invoices/{id}/events — the invoice's timeline, oldest first."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.models.events import EventList
from fastfaktura.services import auth, timeline

app = make_api(auth.authenticate)


@app.get("/api/v1/invoices/<invoice_id>/events", summary="List an invoice's events (its timeline)", tags=["Invoices"],
         description="Built from the table's change stream: it may lag a write by a moment and never holds "
                     "the same event twice. `channel` is present on `sent` and `reminder_sent` only.")
def invoice_events(invoice_id: str) -> EventList:
    return timeline.invoice_events(caller(app).business_id, invoice_id)


lambda_handler = entrypoint(app)
