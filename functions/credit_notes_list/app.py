"""GET /api/v1/credit-notes — the business's credit notes, highest number first, optionally of one invoice."""

from typing import Annotated

from fastfaktura.http.api import MAX_PAGE, caller, entrypoint, make_api
from fastfaktura.http.router import Query
from fastfaktura.models.credit_notes import CreditNoteList
from fastfaktura.services import auth, credit_notes

app = make_api(auth.authenticate)


@app.get("/api/v1/credit-notes", summary="List credit notes", tags=["Credit notes"])
def list_credit_notes(
    page: Annotated[int | None, Query(ge=1, le=MAX_PAGE, description="Page number (default 1); not with cursor")]
    = None,
    cursor: Annotated[str | None, Query(max_length=2048, description="The next_cursor of the previous page: "
                                        "the next page at the cost of the first (same filters)")] = None,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
    invoice_id: Annotated[str | None, Query(description="Only this invoice's credit notes")] = None,
) -> CreditNoteList:
    return credit_notes.list_credit_notes(caller(app).business_id, page, per_page, invoice_id, cursor)


lambda_handler = entrypoint(app)
