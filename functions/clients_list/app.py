"""GET /api/v1/clients — the business's clients, newest first; search, archived filter, external_id."""

from typing import Annotated, Literal

from fastfaktura.http.api import MAX_PAGE, caller, entrypoint, make_api
from fastfaktura.http.router import Query
from fastfaktura.models.clients import ClientPage
from fastfaktura.services import auth, clients

app = make_api(auth.authenticate)


@app.get("/api/v1/clients", summary="List clients", tags=["Clients"])
def list_clients(
    page: Annotated[int | None, Query(ge=1, le=MAX_PAGE, description="Page number (default 1); not with cursor")]
    = None,
    cursor: Annotated[str | None, Query(max_length=2048, description="The next_cursor of the previous page: "
                                        "the next page at the cost of the first (same filters)")] = None,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
    q: Annotated[str | None, Query(max_length=200, description="Case-insensitive part of the name or email; "
                                   "digits, spaces and +-() also match the phone's digits")] = None,
    archived: Annotated[Literal["true", "false"], Query(description="true: archived clients are included")]
    = "false",
    external_id: Annotated[str | None, Query(max_length=200, description="The client holding this external_id")]
    = None,
) -> ClientPage:
    query = clients.ClientQuery(page=page, per_page=per_page, q=q, archived=archived == "true",
                                external_id=external_id, cursor=cursor)
    return clients.list_clients(caller(app).business_id, query)


lambda_handler = entrypoint(app)
