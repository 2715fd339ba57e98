"""POST /i/{token}/pay — Paiement Stripe Checkout. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api

app = not_implemented_api("POST", "/i/{token}/pay")
lambda_handler = entrypoint(app)
