"""POST /api/v1/clients — Création client. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api

app = not_implemented_api("POST", "/api/v1/clients")
lambda_handler = entrypoint(app)
