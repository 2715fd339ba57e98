"""GET /api/v1/invoices/{id}/ubl — the invoice as an e-invoice: UBL 2.1 Invoice, Peppol BIS Billing 3.0 (EHF);
422 naming the missing fields when it cannot be a valid one."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.files import XML_RESPONSE_DOC, xml_response
from fastfaktura.services import auth, einvoice_files

app = make_api(auth.authenticate)


@app.get("/api/v1/invoices/<invoice_id>/ubl", summary="Download an invoice's UBL e-invoice", tags=["Invoices"],
         responses=XML_RESPONSE_DOC)
def invoice_ubl(invoice_id: str):
    xml = einvoice_files.invoice_xml(caller(app).business_id, invoice_id, "ubl")
    return xml_response(xml.body, xml.file_name)


lambda_handler = entrypoint(app)
