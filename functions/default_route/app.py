"""$default — every request that no route of the HTTP API takes: 404 `not_found` for an unknown path,
405 `invalid_request` with `Allow` when the path exists with other methods, in the contract's error JSON.
The route table comes from the generated OpenAPI document in the core layer, not from a list kept here."""

from fastfaktura.http import openapi_document
from fastfaktura.http.api import entrypoint, error_response, make_api
from fastfaktura.http.router import Response

app = make_api(None)


@app.not_found
def unmatched() -> Response:
    request = app.request
    error = openapi_document.unmatched_route_error(request.method, request.raw_path)
    return error_response(error, request.request_id)


_handler = entrypoint(app)


def lambda_handler(event: dict, context) -> dict:
    """The body is never read here, so a 404 or 405 must not turn into a 400 or 413 because of it."""
    return _handler({**event, "body": None, "isBase64Encoded": False}, context)
