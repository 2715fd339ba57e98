"""GET /api/v1/webhook-endpoints — the business's endpoints, oldest first (deleted ones too)."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.router import Query
from fastfaktura.models.webhooks import WebhookEndpointList
from fastfaktura.services import auth, webhooks

app = make_api(auth.authenticate)


@app.get("/api/v1/webhook-endpoints", summary="Liste des endpoints webhook", tags=["Webhooks"])
def list_endpoints(
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=1024, description="`next_cursor` of the previous page")] = None,
) -> WebhookEndpointList:
    return webhooks.list_endpoints(caller(app).business_id, per_page, cursor)


lambda_handler = entrypoint(app)
