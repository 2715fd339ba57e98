"""GET /api/v1/credit-notes/{id}/cii — the credit note as an e-invoice: UN/CEFACT CII D16B, TypeCode 381, at the
Factur-X EN 16931 profile; 422 naming the missing fields when it cannot be a valid one."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.files import XML_RESPONSE_DOC, xml_response
from fastfaktura.services import auth, einvoice_files

app = make_api(auth.authenticate)


@app.get("/api/v1/credit-notes/<credit_note_id>/cii", summary="Download a credit note's CII e-invoice",
         tags=["Credit notes"], responses=XML_RESPONSE_DOC)
def credit_note_cii(credit_note_id: str):
    xml = einvoice_files.credit_note_xml(caller(app).business_id, credit_note_id, "cii")
    return xml_response(xml.body, xml.file_name)


lambda_handler = entrypoint(app)
