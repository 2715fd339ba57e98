"""POST /i/{token}/pay — the Pay button: a Stripe Checkout Session for the invoice, then 303 to it."""

from fastfaktura.http.api import entrypoint, public_base_url
from fastfaktura.services import payments
from fastfaktura.web.http import make_page_api, redirect

app = make_page_api()


@app.post("/i/<token>/pay", summary="Paiement Stripe Checkout (303 vers Stripe)", tags=["Public"], responses={
    303: {"description": "Redirect to the Stripe Checkout Session (Location)"},
    404: {"description": "No invoice has this link (an HTML page)", "content": {"text/html": {}}},
    409: {"description": "Not payable online: paid, cancelled, draft, or no Stripe key for this business "
                         "(an HTML page)", "content": {"text/html": {}}},
    502: {"description": "Stripe refused or did not answer (an HTML page)", "content": {"text/html": {}}}})
def pay(token: str):
    return redirect(payments.start_checkout(token, public_base_url(app)))


lambda_handler = entrypoint(app)
