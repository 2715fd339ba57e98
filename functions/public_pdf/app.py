"""GET /i/{token}/pdf — PDF public. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api

app = not_implemented_api("GET", "/i/{token}/pdf")
lambda_handler = entrypoint(app)
