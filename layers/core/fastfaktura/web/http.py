"""HTML answers for the public pages: the security headers on every one of them, and a router
whose errors are HTML pages (the contract's error JSON is for /api/v1 and the webhook only)."""

from __future__ import annotations

import base64
import hashlib

from fastfaktura.domain.errors import Conflict, FastFakturaError, NotFound, UpstreamFailed
from fastfaktura.http.router import Response, Router
from fastfaktura.i18n.catalogue import negotiate
from fastfaktura.observability import logger
from fastfaktura.web.render import STYLE, message_page

HTML = "text/html; charset=utf-8"
_STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()


def security_headers(form_origins: list[str] | None = None) -> dict[str, str]:
    """No scripts, no third-party anything; the only inline style is ours (by hash); forms post only
    to this page's own routes and, through the redirect, to Stripe Checkout."""
    form_action = " ".join(["'self'", *(form_origins or [])])
    policy = ("default-src 'none'; "
              f"style-src '{_STYLE_HASH}'; "
              "img-src data:; "
              f"form-action {form_action}; "
              "frame-ancestors 'none'; base-uri 'none'")
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Robots-Tag": "noindex, nofollow",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }


def html_response(status: int, html: str, form_origins: list[str] | None = None) -> Response:
    return Response(status, HTML, html, security_headers(form_origins))


def redirect(location: str) -> Response:
    """303 See Other: the browser follows with a GET, whatever the form's method was."""
    headers = {**security_headers(), "Location": location}
    return Response(303, HTML, "", headers)


class PageRouter(Router):
    """Public pages take no JSON bodies (a browser's form POST is accepted as is, its body ignored) and
    need no API key; every error is a localized HTML page."""

    def error_answer(self, exc: Exception) -> Response:
        if isinstance(exc, NotFound):
            return self._error_page(404, "not_found_title", "not_found", back=False)
        if isinstance(exc, Conflict):
            return self._error_page(409, "not_payable_title", "not_payable", locale=getattr(exc, "locale", None))
        if isinstance(exc, UpstreamFailed):
            logger.error("payment provider failed", extra={"error": exc.message})
            return self._error_page(502, "payment_unavailable_title", "payment_unavailable",
                                    locale=getattr(exc, "locale", None))
        if isinstance(exc, FastFakturaError):
            logger.error("public page failed", extra={"error_type": exc.type, "error": exc.message})
            return self._error_page(exc.status if exc.status >= 400 else 500, "error_title", "error")
        logger.exception("unexpected error on a public page")
        return self._error_page(500, "error_title", "error")

    def _error_page(self, status: int, title_key: str, message_key: str, back: bool = True,
                    locale: str | None = None) -> Response:
        """In the invoice's locale when the error knows it, else in the browser's preferred one."""
        token = self.request.path_parameters.get("token") if back else None
        locale = locale or negotiate(self.request.headers.get("accept-language"))
        return html_response(status, message_page(locale, title_key, message_key, back_to_token=token))


def make_page_api() -> PageRouter:
    """A router for public HTML pages: no API key; errors answer a localized HTML page."""
    return PageRouter()
