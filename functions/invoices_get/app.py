"""GET /api/v1/invoices/{id} — Détail facture. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api

app = not_implemented_api("GET", "/api/v1/invoices/{id}")
lambda_handler = entrypoint(app)
