"""POST /api/v1/webhook-endpoints — register an endpoint (201); the only answer, with rotate-secret's,
that carries its signing secret (so no Idempotency-Key: a stored answer would keep the secret)."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, json_response, make_api
from fastfaktura.http.router import Body
from fastfaktura.models.webhooks import WebhookEndpointCreate, WebhookEndpointWithSecret
from fastfaktura.services import auth, webhooks

app = make_api(auth.authenticate)


@app.post("/api/v1/webhook-endpoints", summary="Création d'un endpoint webhook", tags=["Webhooks"],
          description="Live businesses: an `https` URL whose host resolves only to public addresses (422 "
                      "otherwise). At most 10 endpoints per business that are not deleted: 409 beyond.",
          responses={201: {"description": "The endpoint and its secret (shown only here and after a rotation)",
                           "content": {"application/json": {"model": WebhookEndpointWithSecret}}}})
def create_endpoint(body: Annotated[WebhookEndpointCreate, Body()]):
    return json_response(201, webhooks.create_endpoint(caller(app), body))


lambda_handler = entrypoint(app)
