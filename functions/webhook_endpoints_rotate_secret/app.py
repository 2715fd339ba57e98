"""POST /api/v1/webhook-endpoints/{id}/rotate-secret — a new signing secret; the old one signs too for 24 h."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.models.webhooks import WebhookEndpointWithSecret
from fastfaktura.services import auth, webhooks

app = make_api(auth.authenticate)


@app.post("/api/v1/webhook-endpoints/<endpoint_id>/rotate-secret", summary="Rotation du secret", tags=["Webhooks"],
          description="For 24 h every delivery carries two `v1=` signatures: the new secret's, then the old one's.")
def rotate_secret(endpoint_id: str) -> WebhookEndpointWithSecret:
    return webhooks.rotate_secret(caller(app).business_id, endpoint_id)


lambda_handler = entrypoint(app)
