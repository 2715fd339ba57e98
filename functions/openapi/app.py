"""GET /api/v1/openapi.json — Document OpenAPI. Not written yet: answers 501 until its issue lands."""

from fastfaktura.http.api import entrypoint, not_implemented_api

app = not_implemented_api("GET", "/api/v1/openapi.json")
lambda_handler = entrypoint(app)
