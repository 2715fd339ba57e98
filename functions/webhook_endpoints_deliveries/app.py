"""GET /api/v1/webhook-endpoints/{id}/deliveries — every attempt to this endpoint, newest first (30 days)."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.router import Query
from fastfaktura.models.webhooks import WebhookDeliveryList
from fastfaktura.services import auth, webhooks

app = make_api(auth.authenticate)


@app.get("/api/v1/webhook-endpoints/<endpoint_id>/deliveries", summary="Journal des livraisons", tags=["Webhooks"])
def list_deliveries(
    endpoint_id: str,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=1024, description="`next_cursor` of the previous page")] = None,
) -> WebhookDeliveryList:
    return webhooks.list_deliveries(caller(app).business_id, endpoint_id, per_page, cursor)


lambda_handler = entrypoint(app)
