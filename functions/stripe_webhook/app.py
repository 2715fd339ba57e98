"""POST /webhooks/stripe — Stripe's events, proven by the Stripe-Signature header (no API key).
A paid Checkout Session marks its invoice paid once; anything else is acknowledged and ignored."""

from fastfaktura.http.api import entrypoint, make_api
from fastfaktura.models.public import WebhookReceipt
from fastfaktura.services import payments

app = make_api(None)


@app.post("/webhooks/stripe", summary="Webhook Stripe", tags=["Webhooks"])
def stripe_webhook() -> WebhookReceipt:
    event = app.current_event
    return payments.receive_stripe_event(event.decoded_body.encode("utf-8") if event.body else b"",
                                         event.headers.get("stripe-signature"))


lambda_handler = entrypoint(app)
