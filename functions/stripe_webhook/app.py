"""POST /webhooks/stripe — Stripe's events, proven by the Stripe-Signature header (no API key).
A paid Checkout Session marks its invoice paid once; anything else is acknowledged and ignored."""

from fastfaktura.http.api import entrypoint, make_api
from fastfaktura.models.common import ErrorResponse
from fastfaktura.models.public import WebhookReceipt
from fastfaktura.services import payments

app = make_api(None)


@app.post("/webhooks/stripe", summary="Receive a Stripe event (webhook)", tags=["Webhooks"],
          description="Stripe's event as Stripe sends it (no API key): the `Stripe-Signature` header is checked "
                      "with the webhook signing secret (missing or bad → 400). `checkout.session.completed` "
                      "(or `checkout.session.async_payment_succeeded`) with payment_status `paid` marks the "
                      "invoice named by the session's metadata paid, once; replays and other events → 200.",
          responses={200: {"description": "The event was received: what it did",
                           "content": {"application/json": {"model": WebhookReceipt}}},
                     400: {"description": "`invalid_request`: the Stripe-Signature header is missing or does not "
                                          "match the payload",
                           "content": {"application/json": {"model": ErrorResponse}}}})
def stripe_webhook() -> WebhookReceipt:
    request = app.request
    return payments.receive_stripe_event((request.text or "").encode("utf-8"), request.headers.get("stripe-signature"))


lambda_handler = entrypoint(app)
