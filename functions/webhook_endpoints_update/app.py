"""PUT /api/v1/webhook-endpoints/{id} — change url, events, enabled, description (partial update)."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.router import Body
from fastfaktura.models.webhooks import WebhookEndpoint, WebhookEndpointUpdate
from fastfaktura.services import auth, webhooks

app = make_api(auth.authenticate)


@app.put("/api/v1/webhook-endpoints/<endpoint_id>", summary="Édition d'un endpoint webhook", tags=["Webhooks"],
         description="A deleted endpoint cannot be changed (409). `enabled: true` turns an endpoint disabled "
                     "after 3 days of failures back on.")
def update_endpoint(endpoint_id: str, body: Annotated[WebhookEndpointUpdate, Body()]) -> WebhookEndpoint:
    return webhooks.update_endpoint(caller(app), endpoint_id, body)


lambda_handler = entrypoint(app)
