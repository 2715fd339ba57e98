"""POST /i/{token}/pay — the Pay button: a Stripe Checkout Session for the invoice, then 303 to it."""

from fastfaktura.http.api import entrypoint, public_base_url
from fastfaktura.services import payments
from fastfaktura.web.http import make_page_api, redirect

app = make_page_api()


@app.post("/i/<token>/pay", summary="Pay an invoice through Stripe Checkout (303 to Stripe)", tags=["Public"],
          description="The public page's Pay button (an HTML form, no API key). Reuses the invoice's open "
                      "Checkout Session for the same amount, else creates one (valid one hour) "
                      "(mode payment, one line for the invoice's total, client_reference_id = invoice id, "
                      "metadata {invoice_id, business_id}, success and cancel URLs back to the page) and "
                      "redirects to it. A sandbox business only ever pays through a test-mode key.",
          responses={
    303: {"description": "See Other: `Location` is the Stripe Checkout Session's URL", "content": {"text/html": {}}},
    404: {"description": "No invoice has this link (an HTML page)", "content": {"text/html": {}}},
    409: {"description": "Not payable online: paid, cancelled, draft, or no Stripe key for this business "
                         "(an HTML page)", "content": {"text/html": {}}},
    502: {"description": "Stripe refused or did not answer (an HTML page)", "content": {"text/html": {}}}})
def pay(token: str):
    return redirect(payments.start_checkout(token, public_base_url(app)))


lambda_handler = entrypoint(app)
