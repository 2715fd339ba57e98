"""GET /api/v1/invoices/{id}/cii — the invoice as an e-invoice: UN/CEFACT CII D16B at the Factur-X EN 16931 profile;
422 naming the missing fields when it cannot be a valid one."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.files import XML_RESPONSE_DOC, xml_response
from fastfaktura.services import auth, einvoice_files

app = make_api(auth.authenticate)


@app.get("/api/v1/invoices/<invoice_id>/cii", summary="Download an invoice's CII e-invoice", tags=["Invoices"],
         responses=XML_RESPONSE_DOC)
def invoice_cii(invoice_id: str):
    xml = einvoice_files.invoice_xml(caller(app).business_id, invoice_id, "cii")
    return xml_response(xml.body, xml.file_name)


lambda_handler = entrypoint(app)
