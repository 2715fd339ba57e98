"""GET /api/v1/openapi.json — the API's OpenAPI 3.1 document, without a key. The document is generated
at build time (`make openapi`) and shipped in the core layer, so this function imports no other function."""

from fastfaktura.http import openapi_document
from fastfaktura.http.api import APPLICATION_JSON, entrypoint, make_api
from fastfaktura.http.router import Response

app = make_api(None)

DOCUMENT_ANSWER = {200: {"description": "The OpenAPI 3.1 document of the whole API",
                         "content": {"application/json": {"schema": {"type": "object"}}}}}


@app.get("/api/v1/openapi.json", summary="Get this OpenAPI document", tags=["Meta"], responses=DOCUMENT_ANSWER)
def openapi_json():
    return Response(200, APPLICATION_JSON, openapi_document.text(), {"Cache-Control": "public, max-age=300"})


lambda_handler = entrypoint(app)
