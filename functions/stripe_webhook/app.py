"""POST /webhooks/stripe — Webhook Stripe. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api

app = not_implemented_api("POST", "/webhooks/stripe")
lambda_handler = entrypoint(app)
