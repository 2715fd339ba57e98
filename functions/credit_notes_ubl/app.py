"""GET /api/v1/credit-notes/{id}/ubl — the credit note as an e-invoice: UBL 2.1 CreditNote, Peppol BIS Billing 3.0
(EHF), naming the invoice it corrects; 422 naming the missing fields when it cannot be a valid one."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.files import XML_RESPONSE_DOC, xml_response
from fastfaktura.services import auth, einvoice_files

app = make_api(auth.authenticate)


@app.get("/api/v1/credit-notes/<credit_note_id>/ubl", summary="Download a credit note's UBL e-invoice",
         tags=["Credit notes"], responses=XML_RESPONSE_DOC)
def credit_note_ubl(credit_note_id: str):
    xml = einvoice_files.credit_note_xml(caller(app).business_id, credit_note_id, "ubl")
    return xml_response(xml.body, xml.file_name)


lambda_handler = entrypoint(app)
