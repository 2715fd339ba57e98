"""GET /api/v1/openapi.json — the API's OpenAPI 3.1 document, without a key. The document is generated
at build time (`make openapi`) and shipped in the core layer, so this function imports no other function."""

from aws_lambda_powertools.event_handler import Response, content_types
from fastfaktura.http import openapi_document
from fastfaktura.http.api import entrypoint, make_api

app = make_api(None)

DOCUMENT_ANSWER = {200: {"description": "The OpenAPI 3.1 document of the whole API",
                         "content": {"application/json": {"schema": {"type": "object"}}}}}


@app.get("/api/v1/openapi.json", summary="Get this OpenAPI document", tags=["Meta"], responses=DOCUMENT_ANSWER)
def openapi_json():
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=openapi_document.text(),
                    headers={"Cache-Control": "public, max-age=300"})


lambda_handler = entrypoint(app)
