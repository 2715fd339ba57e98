"""HTML answers for the public pages: the security headers on every one of them, and a resolver
whose errors are HTML pages (the contract's error JSON is for /api/v1 and the webhook only)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from fastfaktura.domain.errors import Conflict, FastFakturaError, NotFound, UpstreamFailed
from fastfaktura.http.api import ContractResolver
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
    return Response(status_code=status, content_type=HTML, body=html, headers=security_headers(form_origins))


def redirect(location: str) -> Response:
    """303 See Other: the browser follows with a GET, whatever the form's method was."""
    headers = {**security_headers(), "Location": location}
    return Response(status_code=303, content_type=HTML, body="", headers=headers)


class PageResolver(ContractResolver):
    """Public pages take no JSON bodies: a browser's form POST (urlencoded, possibly empty) is
    accepted as is and its body ignored, so the JSON body checks of the API are skipped."""

    def resolve(self, event: dict, context: Any) -> dict[str, Any]:  # type: ignore[override]  # as the API's
        return APIGatewayHttpResolver.resolve(self, event, context)


def make_page_api() -> PageResolver:
    """A resolver for public HTML pages: no API key; errors answer a localized HTML page."""
    app = PageResolver(None)

    def error_page(status: int, title_key: str, message_key: str, back: bool = True,
                   locale: str | None = None) -> Response:
        """In the invoice's locale when the error knows it, else in the browser's preferred one."""
        token = (app.current_event.path_parameters or {}).get("token") if back else None
        locale = locale or negotiate(app.current_event.headers.get("accept-language"))
        return html_response(status, message_page(locale, title_key, message_key, back_to_token=token))

    @app.exception_handler(FastFakturaError)
    def _error(exc: FastFakturaError) -> Response:
        if isinstance(exc, NotFound):
            return error_page(404, "not_found_title", "not_found", back=False)
        if isinstance(exc, Conflict):
            return error_page(409, "not_payable_title", "not_payable", locale=getattr(exc, "locale", None))
        if isinstance(exc, UpstreamFailed):
            logger.error("payment provider failed", extra={"error": exc.message})
            return error_page(502, "payment_unavailable_title", "payment_unavailable",
                              locale=getattr(exc, "locale", None))
        logger.error("public page failed", extra={"error_type": exc.type, "error": exc.message})
        return error_page(exc.status if exc.status >= 400 else 500, "error_title", "error")

    @app.exception_handler(Exception)
    def _unexpected(_exc: Exception) -> Response:
        logger.exception("unexpected error on a public page")
        return error_page(500, "error_title", "error")

    @app.not_found
    def _no_route(_exc: Exception) -> Response:
        return error_page(404, "not_found_title", "not_found", back=False)

    return app
