"""DELETE /api/v1/webhook-endpoints/{id} — disable for good (nothing is deleted; twice is a no-op)."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.models.webhooks import WebhookEndpoint
from fastfaktura.services import auth, webhooks

app = make_api(auth.authenticate)


@app.delete("/api/v1/webhook-endpoints/<endpoint_id>", summary="Suppression d'un endpoint webhook",
            tags=["Webhooks"], description="The endpoint stays readable with `enabled: false` and "
                                           "`disabled_reason: deleted`, and frees its place under the limit of 10.")
def delete_endpoint(endpoint_id: str) -> WebhookEndpoint:
    return webhooks.delete_endpoint(caller(app).business_id, endpoint_id)


lambda_handler = entrypoint(app)
