"""GET /i/{token} — Page publique de la facture. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api

app = not_implemented_api("GET", "/i/{token}")
lambda_handler = entrypoint(app)
