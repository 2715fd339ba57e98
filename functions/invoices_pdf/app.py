"""GET /api/v1/invoices/{id}/pdf — the invoice as a PDF in the client's locale: rendered once per printed
version, then served from the private bucket; binary through API Gateway (base64 in the Lambda answer)."""

from fastfaktura.http.api import caller, entrypoint, make_api, public_base_url
from fastfaktura.http.files import PDF_RESPONSE_DOC, pdf_response
from fastfaktura.services import auth, pdfs

app = make_api(auth.authenticate)


@app.get("/api/v1/invoices/<invoice_id>/pdf", summary="Download an invoice's PDF", tags=["Invoices"],
         responses=PDF_RESPONSE_DOC)
def invoice_pdf(invoice_id: str):
    pdf = pdfs.invoice_pdf(caller(app).business_id, invoice_id, public_base_url(app))
    return pdf_response(pdf.body, pdf.file_name)


lambda_handler = entrypoint(app)
