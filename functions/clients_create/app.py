"""POST /api/v1/clients — Création client. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api
from fastfaktura.services import auth

app = not_implemented_api("POST", "/api/v1/clients", auth.authenticate)
lambda_handler = entrypoint(app)
