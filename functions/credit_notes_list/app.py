"""GET /api/v1/credit-notes — the business's credit notes, newest first, optionally of one invoice."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from fastfaktura.http.api import MAX_PAGE, caller, entrypoint, make_api
from fastfaktura.models.credit_notes import CreditNoteList
from fastfaktura.services import auth, credit_notes

app = make_api(auth.authenticate)


@app.get("/api/v1/credit-notes", summary="List credit notes", tags=["Credit notes"])
def list_credit_notes(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
    invoice_id: Annotated[str | None, Query(description="Only this invoice's credit notes")] = None,
) -> CreditNoteList:
    return credit_notes.list_credit_notes(caller(app).business_id, page, per_page, invoice_id)


lambda_handler = entrypoint(app)
