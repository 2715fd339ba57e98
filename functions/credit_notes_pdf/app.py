"""GET /api/v1/credit-notes/{id}/pdf — the credit note as a PDF in the client's locale ("Avoir", "Credit
note", "Kreditnota", "Kreditfaktura"), naming the invoice it corrects and its date."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.files import PDF_RESPONSE_DOC, pdf_response
from fastfaktura.services import auth, pdfs

app = make_api(auth.authenticate)


@app.get("/api/v1/credit-notes/<credit_note_id>/pdf", summary="Download a credit note's PDF",
         tags=["Credit notes"], responses=PDF_RESPONSE_DOC)
def credit_note_pdf(credit_note_id: str):
    pdf = pdfs.credit_note_pdf(caller(app).business_id, credit_note_id)
    return pdf_response(pdf.body, pdf.file_name)


lambda_handler = entrypoint(app)
