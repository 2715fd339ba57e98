"""File answers: a bytes body is base64-encoded with isBase64Encoded set (`Response.lambda_answer`), which
API Gateway (HTTP API) turns back into the bytes for the client."""

from __future__ import annotations

from fastfaktura.http.router import Response

PDF_RESPONSE_DOC = {200: {"description": "The invoice as a PDF, in the client's locale",
                          "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


def pdf_response(body: bytes, file_name: str) -> Response:
    """200 application/pdf, downloaded under `file_name` (ASCII: a localized stem and the number)."""
    return _file_response("application/pdf", body, file_name)


XML_RESPONSE_DOC = {
    200: {"description": "The e-invoice (UBL 2.1 Peppol BIS Billing 3.0, or CII D16B Factur-X EN 16931). An invoice "
                         "that cannot be a valid e-invoice answers 422, its `details` naming each missing field",
          "content": {"application/xml": {"schema": {"type": "string"}}}},
    422: {"description": "The invoice cannot be a valid e-invoice yet: `details` names each missing field, as its "
                         "`einvoice.missing` does"},
}


def xml_response(body: bytes, file_name: str) -> Response:
    """200 application/xml (UTF-8), downloaded under `file_name`."""
    return _file_response("application/xml", body.decode("utf-8"), file_name)


def _file_response(content_type: str, body: bytes | str, file_name: str) -> Response:
    return Response(200, content_type, body, {
        "Content-Disposition": f'attachment; filename="{file_name}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })
