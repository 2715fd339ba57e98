"""GET /i/{token} — the invoice's public page: HTML in the client's locale, no API key, no JavaScript.
The first view of a sent invoice by a person marks it opened (not a HEAD, a prefetch or a link scanner)."""

from fastfaktura.http.api import entrypoint
from fastfaktura.payments.settings import checkout_origins
from fastfaktura.services import public
from fastfaktura.web.http import html_response, make_page_api
from fastfaktura.web.render import invoice_page

app = make_page_api()


@app.get("/i/<token>", summary="Show an invoice's public page (HTML)", tags=["Public"], responses={
    200: {"description": "The invoice as an HTML page in the client's locale", "content": {"text/html": {}}},
    404: {"description": "No invoice has this link (an HTML page)", "content": {"text/html": {}}}})
def public_page(token: str):
    request = app.request
    page = public.view_invoice(token, payment_notice=request.query("payment"),
                               viewed=public.is_a_view(request.method, request.headers))
    return html_response(200, invoice_page(page), form_origins=checkout_origins())


lambda_handler = entrypoint(app)
