"""GET /api/v1/invoices — the business's invoices, newest first, by status and/or client."""

from typing import Annotated

from fastfaktura.http.api import MAX_PAGE, caller, entrypoint, make_api, public_base_url
from fastfaktura.http.router import Query
from fastfaktura.models.invoices import InvoiceList
from fastfaktura.services import auth, invoices

app = make_api(auth.authenticate)


@app.get("/api/v1/invoices", summary="List invoices", tags=["Invoices"])
def list_invoices(
    page: Annotated[int | None, Query(ge=1, le=MAX_PAGE, description="Page number (default 1); not with cursor")]
    = None,
    cursor: Annotated[str | None, Query(max_length=2048, description="The next_cursor of the previous page: "
                                        "the next page at the cost of the first (same filters)")] = None,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
    status: Annotated[str | None, Query(description="draft, sent, opened, paid, overdue or cancelled")] = None,
    client_id: Annotated[str | None, Query(description="Only this client's invoices")] = None,
) -> InvoiceList:
    return invoices.list_invoices(caller(app).business_id, page, per_page, status, client_id, public_base_url(app),
                                  cursor)


lambda_handler = entrypoint(app)
