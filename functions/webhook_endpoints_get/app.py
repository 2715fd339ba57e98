"""GET /api/v1/webhook-endpoints/{id} — one endpoint (never its secret)."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.models.webhooks import WebhookEndpoint
from fastfaktura.services import auth, webhooks

app = make_api(auth.authenticate)


@app.get("/api/v1/webhook-endpoints/<endpoint_id>", summary="Détail d'un endpoint webhook", tags=["Webhooks"])
def get_endpoint(endpoint_id: str) -> WebhookEndpoint:
    return webhooks.get_endpoint(caller(app).business_id, endpoint_id)


lambda_handler = entrypoint(app)
