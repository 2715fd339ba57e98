"""GET /i/{token}/pdf — the invoice's PDF by its public link, no API key (the same stored PDF as
GET /api/v1/invoices/{id}/pdf); errors answer the public pages' HTML."""

from fastfaktura.http.api import entrypoint, public_base_url
from fastfaktura.http.files import PDF_RESPONSE_DOC, pdf_response
from fastfaktura.services import pdfs
from fastfaktura.web.http import make_page_api

app = make_page_api()


@app.get("/i/<token>/pdf", summary="Download an invoice's PDF from its public link", tags=["Public"], responses={
    **PDF_RESPONSE_DOC, 404: {"description": "No invoice has this link (an HTML page)", "content": {"text/html": {}}}})
def public_pdf(token: str):
    pdf = pdfs.public_pdf(token, public_base_url(app))
    return pdf_response(pdf.body, pdf.file_name)


lambda_handler = entrypoint(app)
