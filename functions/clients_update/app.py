"""PUT /api/v1/clients/{id} — Édition client. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api
from fastfaktura.services import auth

app = not_implemented_api("PUT", "/api/v1/clients/{id}", auth.authenticate)
lambda_handler = entrypoint(app)
