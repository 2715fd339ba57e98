"""The public invoice page: the invoice by its token, seen by its client. The first view of a sent
invoice marks it opened (one conditional write; later views and racing views write nothing more).

What counts as a view: a GET that a browser makes for a person to look at the page. Not a HEAD, not
a prefetch or prerender (`Sec-Purpose`, `Purpose`, `X-Purpose`, `X-Moz`), and not a known link
scanner or preview fetcher (mail security gateways, chat and social previews, search engines, HTTP
libraries), which open every link of a mail before its reader does. These still get the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import replace
from typing import Any

from fastfaktura.domain import invoices as rules
from fastfaktura.domain.errors import Conflict, NotFound, UpstreamFailed
from fastfaktura.models.common import utcnow
from fastfaktura.models.locales import DEFAULT_LOCALE
from fastfaktura.models.public import PublicInvoice
from fastfaktura.payments import settings
from fastfaktura.services import invoices
from fastfaktura.services.mentions import printable_mentions
from fastfaktura.store import invoices as invoice_store
from fastfaktura.store import parties as parties_store
from fastfaktura.store.invoices import InvoiceRecord, StoredInvoice

PAYABLE = rules.OUTSTANDING
PAYMENT_NOTICES = frozenset({"success", "cancelled"})
# Only what the page shows leaves the store: nothing internal (ids, index keys, tokens of others).
CLIENT_FIELDS = ("name", "address", "country")
BUSINESS_FIELDS = ("name", "legal_name", "address", "country", "email", "phone", "vat_number", "company_id",
                   "iban", "bic", "timezone", "vat_registered")


class NotPayable(Conflict):
    """409: the invoice cannot be paid online; its page is shown in the invoice's locale."""

    def __init__(self, message: str, locale: str):
        super().__init__(message)
        self.locale = locale


class PaymentUnavailable(UpstreamFailed):
    """502: Stripe refused or did not answer; the page is shown in the invoice's locale."""

    def __init__(self, message: str, locale: str):
        super().__init__(message)
        self.locale = locale


def find(token: str) -> InvoiceRecord:
    """The invoice of a public token; NotFound (the 404 page) for a token no invoice has."""
    record = invoices.get_record_by_token(token)
    if record is None:
        raise NotFound("no invoice has this link")
    return record


def parties(record: InvoiceRecord) -> tuple[dict[str, Any], dict[str, Any]]:
    profile, client = parties_store.printed(record.invoice)
    if profile is None:
        raise NotFound("no invoice has this link")
    return profile, client or {"name": record.invoice.client_name}


def client_locale(profile: dict[str, Any], client: dict[str, Any]) -> str:
    return client.get("locale") or profile.get("default_locale") or DEFAULT_LOCALE


def can_pay(invoice: StoredInvoice, sandbox: bool) -> bool:
    """A Pay button: the invoice awaits payment of something still due and the business's Stripe mode takes
    payments (a setting, not the secret: the page never decrypts one; the Pay route checks the key)."""
    return invoice.status in PAYABLE and invoice.amount_due_cents > 0 and settings.payments_enabled(sandbox)


# Prefetch headers: Chromium's Sec-Purpose ("prefetch", "prefetch;prerender"), the older Purpose and
# X-Purpose ("prefetch", "preview"), Firefox's X-Moz ("prefetch").
PREFETCH_HEADERS = ("sec-purpose", "purpose", "x-purpose", "x-moz")
# User-Agent fragments (lower case) of fetchers that open links without a reader: mail security
# gateways (Microsoft Safe Links previews, Proofpoint, Mimecast, Barracuda, …), chat and social
# previews, search engines, and HTTP libraries.
LINK_SCANNERS = (
    "bingpreview", "microsoftpreview", "skypeuripreview", "safelinks", "proofpoint", "mimecast", "barracuda",
    "symantec", "forcepoint", "trendmicro", "sophos", "fireeye", "cisco", "zscaler", "paloalto",
    "googlebot", "bingbot", "applebot", "yandexbot", "duckduckbot", "baiduspider", "slackbot", "twitterbot",
    "discordbot", "telegrambot", "linkedinbot", "facebookexternalhit", "whatsapp", "google-pagerenderer",
    "googleother", "python-requests", "python-urllib", "aiohttp", "httpx", "curl/", "wget/", "go-http-client",
    "okhttp", "libwww-perl", "apache-httpclient", "java/",
)


def is_a_view(method: str, headers: Mapping[str, str]) -> bool:
    """Whether a request for the page is a person looking at it (see the module's docstring);
    `headers` are lower-case names, as API Gateway gives them."""
    if method.upper() != "GET":
        return False
    if any(value in headers.get(name, "").lower() for name in PREFETCH_HEADERS for value in ("prefetch", "preview",
                                                                                            "prerender")):
        return False
    agent = headers.get("user-agent", "").lower()
    return not any(scanner in agent for scanner in LINK_SCANNERS)


def view_invoice(token: str, payment_notice: str | None = None, viewed: bool = True) -> PublicInvoice:
    """Round trips: two Queries (token → invoice), one BatchGetItem (seller, client), and on the first
    view (`viewed`: see is_a_view) one conditional UpdateItem (sent → opened)."""
    record = find(token)
    profile, client = parties(record)
    if viewed and record.status == rules.SENT:
        # Another view (or a payment) may move it first: then the page shows what was read.
        with suppress(Conflict):
            record = replace(record, invoice=invoice_store.transition(record.business_id, record.invoice_id,
                                                                      rules.OPENED, utcnow()))
    invoice = invoices.answer(record, base_url="", parties=(profile, client)).model_dump(
        mode="json", exclude={"events", "public_url", "einvoice"})
    sandbox = bool(profile.get("sandbox", True))
    return PublicInvoice(
        token=token,
        locale=client_locale(profile, client),
        business={**{name: profile.get(name) for name in BUSINESS_FIELDS}, "sandbox": sandbox},
        client={name: client.get(name) for name in CLIENT_FIELDS},
        invoice=invoice,
        mentions=printable_mentions(profile, client, invoice),
        can_pay=can_pay(record.invoice, sandbox),
        payment_notice=payment_notice if payment_notice in PAYMENT_NOTICES else None,
    )
