"""The Stripe secrets: from the settings' environment (local stack, tests) or, in AWS, from SSM Parameter
Store (the template names the parameter), read through Powertools' parameters utility and cached.

This module does not import stripe, so the public page can decide whether to show a Pay button
without paying for stripe's import (and without reading any secret: `payments_enabled`)."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from fastfaktura import settings as environment
from fastfaktura.observability import logger

STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.com"
SECRETS_MAX_AGE_SECONDS = 300
_KEY_FORMAT = re.compile(r"^(sk|rk)_(test|live)_[A-Za-z0-9_]+$")
_absent_until: dict[str, float] = {}


def _secret(value: str | None, name: str | None) -> str | None:
    """The secret's variable, `value` (set but empty: none, and SSM is not asked), else the SSM
    parameter `name`. A missing parameter is remembered as missing for as long as a value is cached."""
    if value is not None:
        return value or None
    if not name or _absent_until.get(name, 0) > time.monotonic():
        return None
    from aws_lambda_powertools.utilities import parameters

    try:
        return parameters.get_parameter(name, decrypt=True, max_age=SECRETS_MAX_AGE_SECONDS).strip()
    except parameters.GetParameterError as exc:
        logger.warning("Stripe secret not available", extra={"parameter": name, "error": str(exc)})
        _absent_until[name] = time.monotonic() + SECRETS_MAX_AGE_SECONDS
        return None


def _mode(sandbox: bool) -> environment.StripeSecrets:
    """A sandbox business is served by Stripe's test mode, a live one by its live mode: never the other."""
    current = environment.get()
    return current.stripe_test if sandbox else current.stripe_live


def secret_key(sandbox: bool) -> str | None:
    mode = _mode(sandbox)
    return _secret(mode.secret_key, mode.secret_key_parameter)


def webhook_secret(sandbox: bool) -> str | None:
    mode = _mode(sandbox)
    return _secret(mode.webhook_secret, mode.webhook_secret_parameter)


def is_test_key(key: str) -> bool:
    match = _KEY_FORMAT.match(key)
    return match is not None and match.group(2) == "test"


def checkout_key(sandbox: bool) -> str | None:
    """The secret key a business may pay through, or None (no Pay button): its mode's key, and only a
    key of that mode (a test key given as the live one, or the reverse, is never used); a key of an
    unknown form is never used."""
    key = secret_key(sandbox)
    if not key:
        return None
    if not _KEY_FORMAT.match(key) or is_test_key(key) != sandbox:
        variable = "STRIPE_TEST_SECRET_KEY" if sandbox else "STRIPE_LIVE_SECRET_KEY"
        logger.error(f"{variable} is not a {'test' if sandbox else 'live'}-mode Stripe secret or restricted key; "
                     "online payment is off for that mode")
        return None
    return key


def payments_enabled(sandbox: bool) -> bool:
    """Whether the business's Stripe mode takes payments (STRIPE_PAYMENT_MODES): no secret is read."""
    return ("test" if sandbox else "live") in environment.get().stripe_payment_modes


def api_base() -> str | None:
    """STRIPE_API_BASE points stripe at another server (stripe-mock, or a test's fake); unset in AWS."""
    return environment.get().stripe_api_base


def checkout_origins() -> list[str]:
    """Where the Pay button's form may lead (CSP form-action also governs the redirect after it)."""
    origins = [STRIPE_CHECKOUT_ORIGIN]
    base = api_base()
    if base:
        parts = urlsplit(base)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins
