"""Stripe Checkout Sessions for the Pay button (stripe is imported here, by the pay function only)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import stripe

from fastfaktura.domain.errors import UpstreamFailed
from fastfaktura.i18n.catalogue import CATALOGUES, catalogue
from fastfaktura.payments import settings

if TYPE_CHECKING:
    from stripe.params.checkout import SessionCreateParams


@dataclass(frozen=True)
class CheckoutRequest:
    business_id: str
    invoice_id: str
    description: str  # "Invoice F-0001", in the client's locale
    total_cents: int
    currency: str
    locale: str
    page_url: str  # the public page: Stripe brings the payer back to it
    expires_at: int  # Unix seconds (Stripe allows 30 minutes to 24 hours from now)
    customer_email: str | None = None


@dataclass(frozen=True)
class CreatedSession:
    session_id: str
    url: str


def line_name(locale: str, number: str) -> str:
    """The one line of the session, "Invoice F-0001" in the client's language."""
    return catalogue(locale).page.invoice_number.format(number=number)


@cache
def _client(key: str) -> stripe.StripeClient:
    """One client per key and container; STRIPE_API_BASE (stripe-mock, a test's fake) overrides the host.
    Two tries of at most 2 s to connect and 3 s to answer stay within the function's 10 s, so a payer
    whose Stripe call fails sees our 502 page, not a gateway timeout (stripe makes retries idempotent)."""
    base = settings.api_base()
    return stripe.StripeClient(key, base_addresses={"api": base} if base else None, max_network_retries=1,
                               http_client=stripe.RequestsClient(timeout=(2, 3)))


def session_params(request: CheckoutRequest) -> SessionCreateParams:
    metadata = {"invoice_id": request.invoice_id, "business_id": request.business_id}
    params: SessionCreateParams = {
        "mode": "payment",
        "line_items": [{
            "quantity": 1,
            "price_data": {
                "currency": request.currency.lower(),
                "unit_amount": request.total_cents,
                "product_data": {"name": request.description},
            },
        }],
        "client_reference_id": request.invoice_id,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": request.description},
        "success_url": f"{request.page_url}?payment=success",
        "cancel_url": f"{request.page_url}?payment=cancelled",
        "locale": request.locale if request.locale in CATALOGUES else "auto",  # Stripe's page speaks all of ours
        "expires_at": request.expires_at,
    }
    if request.customer_email:
        params["customer_email"] = request.customer_email
    return params


def create_session(key: str, request: CheckoutRequest, idempotency_key: str) -> CreatedSession:
    """A Checkout Session for the invoice's total. Two clicks racing with the same `idempotency_key`
    get the same session from Stripe."""
    try:
        session = _client(key).v1.checkout.sessions.create(params=session_params(request),
                                                          options={"idempotency_key": idempotency_key})
    except stripe.StripeError as exc:
        raise UpstreamFailed(f"Stripe refused the Checkout Session: {exc.user_message or exc}") from exc
    if not session.url:
        raise UpstreamFailed("Stripe answered a Checkout Session without a URL")
    return CreatedSession(session.id, session.url)
