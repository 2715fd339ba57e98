"""The router every API function uses, so that every answer obeys the contract:
errors are the contract's error JSON, bodies are JSON of bounded size, callers are authenticated."""

from __future__ import annotations

import base64
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from fastfaktura import settings
from fastfaktura.domain.errors import (
    FastFakturaError,
    InvalidRequest,
    PayloadTooLarge,
    ServiceUnavailable,
    ValidationFailed,
    aws_error_code,
    is_retryable,
)
from fastfaktura.http.router import OBJECT_ONLY, ParameterErrors, Request, Response, Route, Router, dump_json
from fastfaktura.models.common import READ_ONLY_FIELDS
from fastfaktura.models.request import Caller
from fastfaktura.observability import logger, metrics, tracer

MAX_BODY_BYTES = 1_000_000
MAX_PAGE = 10_000
"""The last page a list serves (10,000 × per_page items deep): a page beyond it is a bad query (400),
not a read sized past what DynamoDB accepts."""
_JSON_ONLY = "the body must be JSON, sent with Content-Type: application/json"
APPLICATION_JSON = "application/json"


Authenticator = Callable[[dict[str, str]], Caller]
RequestWrapper = Callable[[Caller, dict, Any, Callable[[], dict]], dict]
"""Runs around a whole authenticated request: (caller, event, context, proceed) → the Lambda answer.
`proceed()` routes the request and answers its Lambda answer (errors included, never raises).
E.g. `fastfaktura.services.idempotency.honour_idempotency_key`."""


def error_response(exc: FastFakturaError, request_id: str | None) -> Response:
    body = {"error": {"type": exc.type, "message": exc.message, "details": exc.details,
                      "request_id": request_id}}
    return Response(exc.status, APPLICATION_JSON, dump_json(body), dict(exc.headers or {}))


def _field_path(loc: tuple) -> str:
    return ".".join(str(part) for part in loc)


def _issue(err: dict) -> str:
    kind = err.get("type", "invalid")
    if kind == "extra_forbidden":
        leaf = str(err["loc"][-1])
        return "read_only" if leaf in READ_ONLY_FIELDS else "unknown_field"
    return kind


def _detail(err: dict) -> dict[str, Any]:
    value = err.get("input")
    return {"field": _field_path(tuple(err.get("loc", ())[1:])), "issue": _issue(err),
            "value": _echo(value) if isinstance(value, str | int | float | Decimal | bool | type(None)) else None}


def _echo(value: Any) -> Any:
    """The input as the caller sent it: a JSON number (parsed as Decimal) stays a number in `details`,
    so that `"100"` and `100.0` do not look alike; only a number no float can hold exactly stays text."""
    if isinstance(value, Decimal) and value.is_finite() and Decimal(repr(float(value))) == value:
        return float(value)
    return value


def _message(err: dict) -> str:
    field = _field_path(tuple(err.get("loc", ())[1:])) or "body"
    issue = _issue(err)
    if issue == "read_only":
        return f"{field} is read-only"
    if issue == "unknown_field":
        return f"{field} is not a known field"
    msg = err.get("msg") or "is invalid"
    if issue == "value_error":  # our validators' own words, without pydantic's "Value error, " before them
        msg = str(err.get("ctx", {}).get("error") or msg.removeprefix("Value error, "))
    return f"{field}: {msg[0].lower()}{msg[1:]}"


def translate_parameter_errors(exc: ParameterErrors) -> FastFakturaError:
    """The router's validation errors → 400 (query, path, no body) or 422 (body fields)."""
    errors = [dict(e, loc=tuple(e.get("loc") or ("body",))) for e in exc.errors]
    outside_body = [e for e in errors if e["loc"][0] != "body"]
    if outside_body:
        err = outside_body[0]
        return InvalidRequest(f"{err['loc'][0]} parameter {_message(err)}", [_detail(err)])
    if any(e.get("type") == "missing" and len(e["loc"]) == 1 for e in errors):
        return InvalidRequest(OBJECT_ONLY)
    return ValidationFailed(_message(errors[0]), [_detail(e) for e in errors])


def _check_body(event: dict) -> None:
    """Size, media type (case-insensitive, as HTTP has it: `Application/JSON` is JSON) and UTF-8 text."""
    body = event.get("body")
    if body:
        # Counted in bytes (a character of UTF-8 may take four); base64 holds three bytes in four characters.
        size = len(body) * 3 // 4 - body.count("=", -2) if event.get("isBase64Encoded") else len(body.encode())
        if size > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")
        headers = event.get("headers") or {}
        if headers.get("content-type", "").split(";")[0].strip().lower() != APPLICATION_JSON:
            raise InvalidRequest(_JSON_ONLY)
        if event.get("isBase64Encoded"):
            try:
                base64.b64decode(body, validate=True).decode("utf-8")
            except ValueError:  # binascii.Error and UnicodeDecodeError are both ValueErrors
                raise InvalidRequest("the body is not UTF-8 text (JSON is UTF-8)") from None


class ApiRouter(Router):
    """The router of the API's functions: the body's size and content type, then authentication (a bad
    key is 401 whatever the body), then the route; every error is the contract's error JSON."""

    def __init__(self, authenticate: Authenticator | None, around: RequestWrapper | None = None):
        super().__init__()
        self._authenticate = authenticate
        self.authenticated = authenticate is not None
        self.around = around

    def resolve(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        try:
            _check_body(event)
            caller = self._authenticate(event.get("headers") or {}) if self._authenticate else None
            if caller is not None and self.around:
                return self.around(caller, event, context, lambda: self.routed(event, caller=caller))
        except FastFakturaError as exc:
            return _lambda_answer(exc, event)
        except Exception as exc:  # e.g. the key lookup failing: still the error JSON, never API Gateway's bare 500
            return _lambda_answer(unexpected_error(exc), event)
        return self.routed(event, caller=caller)

    def before(self, route: Route) -> None:
        if self.authenticated:
            strict_query(route, self.request)

    def error_answer(self, exc: Exception) -> Response:
        if isinstance(exc, ParameterErrors):
            exc = translate_parameter_errors(exc)
        elif not isinstance(exc, FastFakturaError):
            exc = unexpected_error(exc)
        elif exc.status >= 500:
            logger.error("request failed", extra={"error_type": exc.type, "error": exc.message})
        return error_response(exc, self.request.request_id)


def _lambda_answer(exc: FastFakturaError, event: dict) -> dict[str, Any]:
    return error_response(exc, event.get("requestContext", {}).get("requestId")).lambda_answer()


def unexpected_error(exc: Exception) -> FastFakturaError:
    """An exception we did not raise on purpose: logged with its traceback, answered without internals
    (503 with Retry-After when a dependency stayed busy after the client's retries, or a transaction was
    cancelled only because another one was writing the same item)."""
    if is_retryable(exc):
        logger.warning("dependency busy after retries", extra={"code": aws_error_code(exc)})
        return ServiceUnavailable.busy()
    logger.exception("unexpected error")
    return FastFakturaError("an internal error occurred")


def make_api(authenticate: Authenticator | None, around: RequestWrapper | None = None) -> ApiRouter:
    """A router with the contract's error handling; `authenticate` is None for public routes;
    `around` (needs `authenticate`) wraps each authenticated request, e.g. for the Idempotency-Key."""
    return ApiRouter(authenticate, around)


def strict_query(route: Route, request: Request) -> None:
    """Every authenticated route: a query parameter the route does not declare is a bad query (400), so
    that a typo such as `?perpage=10` or `?statuss=paid` is not silently ignored."""
    declared = route.query_names
    unknown = sorted(set(request.query_parameters) - declared)
    if unknown:
        raise InvalidRequest(f"unknown query parameter {unknown[0]} (known: {', '.join(sorted(declared))})",
                             [{"field": name, "issue": "unknown_parameter", "value": None} for name in unknown])


def caller(app: ApiRouter) -> Caller:
    return app.context["caller"]


def public_base_url(app: ApiRouter) -> str:
    """The base of public invoice links: PUBLIC_BASE_URL, or else the API's own domain."""
    return settings.get().public_base_url or f"https://{app.request.domain_name}"


CREATED_AT = {"Client": "/api/v1/clients", "Invoice": "/api/v1/invoices", "CreditNote": "/api/v1/credit-notes",
              "WebhookEndpointWithSecret": "/api/v1/webhook-endpoints"}
"""Where a created object of each answer model lives: the `Location` of its 201."""


def json_response(status: int, body: Any) -> Response:
    """An answer with a status other than 200 (Powertools answers 200 for a returned model); a 201 names
    the created object's URL in `Location`."""
    payload = body.model_dump(mode="json") if hasattr(body, "model_dump") else body
    headers = {}
    if status == 201:
        headers["Location"] = f"{CREATED_AT[type(body).__name__]}/{payload['id']}"
    return Response(status, APPLICATION_JSON, dump_json(payload), headers)


def entrypoint(app: Router):
    """The Lambda handler: logging with the request id as correlation id, metrics, tracing. The
    settings are checked here, at the cold start (see `fastfaktura.settings`)."""
    settings.get()

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, log_event=False)
    @tracer.capture_lambda_handler(capture_response=False)
    @metrics.log_metrics
    def handler(event: dict, context: Any) -> dict:
        logger.debug("request", extra={"route": event.get("routeKey")})  # with the invocation's keys
        return with_transport_headers(event, app.resolve(event, context))

    return handler


HSTS = "max-age=63072000; includeSubDomains"


def with_transport_headers(event: dict, answer: dict) -> dict:
    """HSTS on every answer (browsers then never ask our domain over plain HTTP); `Cache-Control:
    no-store` on every /api/v1 answer, which carries a business's data and must stay out of caches."""
    headers = answer.setdefault("headers", {})
    headers["Strict-Transport-Security"] = HSTS
    if str(event.get("rawPath", "")).startswith("/api/v1/"):
        headers["Cache-Control"] = "no-store"
    return answer
