"""GET /api/v1/invoices — Liste des factures. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api
from fastfaktura.services import auth

app = not_implemented_api("GET", "/api/v1/invoices", auth.authenticate)
lambda_handler = entrypoint(app)
