"""Stripe: which keys this deployment has (settings, without importing stripe), Checkout Sessions
(checkout) and webhook verification (webhook). Only the pay and webhook functions import stripe."""
