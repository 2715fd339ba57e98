"""The `Idempotency-Key` header of `POST /clients`, `POST /invoices` and `POST /invoices/{id}/send`.

A request that repeats an earlier one (same key, same business) gets the first answer again, for any
status below 500, and nothing is done twice; while the first is still running, a repeat gets 409;
the same key with another body or on another route (method + path) gets 409; a 5xx answer releases
the key, so the client may retry with it. Keys are kept 24 hours. Built on Powertools idempotency
(`IdempotencyHandler`, through `fastfaktura.powertools_adapter`) with a persistence layer that writes
our single table's keys (`fastfaktura.store.idempotency`). It wraps the whole routed request, after
authentication, so the answers it replays include body validation errors (422) and malformed JSON (400).

Usage — the function's router takes it as its `around` wrapper, and the route needs nothing else:

    from fastfaktura.http.api import caller, entrypoint, json_response, make_api
    from fastfaktura.services import auth, idempotency, invoices

    app = make_api(auth.authenticate, around=idempotency.honour_idempotency_key)

    @app.post("/api/v1/invoices", ...)
    def create_invoice(body: Annotated[InvoiceCreate, Body()]) -> Invoice:
        return json_response(201, invoices.create_invoice(caller(app).business_id, body))

    lambda_handler = entrypoint(app)

A replayed answer carries the header `Idempotent-Replayed: true`. Without the header a request is
simply run. Cost: one conditional PutItem before the work and one UpdateItem after it; a replay is
one PutItem (its failed condition returns the stored record).
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency.config import IdempotencyConfig
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyInconsistentStateError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.serialization.base import BaseIdempotencySerializer

from fastfaktura.domain.errors import (
    Conflict,
    FastFakturaError,
    InvalidRequest,
    ServiceUnavailable,
    aws_error_code,
    is_retryable,
)
from fastfaktura.models.request import Caller, parse_json_body
from fastfaktura.observability import logger
from fastfaktura.powertools_adapter import idempotency_handler
from fastfaktura.store.idempotency import persistence

HEADER = "idempotency-key"  # API Gateway's payload v2.0 gives header names in lower case
REPLAYED_HEADER = "Idempotent-Replayed"
KEEP_SECONDS = 24 * 60 * 60
_WELL_FORMED_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, no spaces: a uuid fits


class _ServerFailure(Exception):
    """A 5xx answer, raised through Powertools so that it releases the key instead of storing it."""

    def __init__(self, answer: dict):
        super().__init__(answer.get("statusCode"))
        self.answer = answer


class _CompressedAnswer(BaseIdempotencySerializer):
    """The Lambda answer as stored: the body zlib-compressed, so a large invoice answer stays far
    below DynamoDB's 400 KB item limit."""

    def to_dict(self, data: dict) -> dict:
        stored = {k: v for k, v in data.items() if k != "body"}
        stored["body_z"] = base64.b64encode(zlib.compress((data.get("body") or "").encode())).decode()
        return stored

    def from_dict(self, data: dict) -> dict:
        answer = {k: v for k, v in data.items() if k != "body_z"}
        answer["body"] = zlib.decompress(base64.b64decode(data["body_z"])).decode()
        return answer


def _mark_replayed(response: Any, idempotent_data: Any) -> Any:
    response["headers"] = {**(response.get("headers") or {}), REPLAYED_HEADER: "true"}
    return response


@cache
def _config() -> IdempotencyConfig:
    return IdempotencyConfig(payload_validation_jmespath="request", expires_after_seconds=KEEP_SECONDS,
                             hash_function="sha256", response_hook=_mark_replayed)


def request_fingerprint(event: dict) -> dict[str, Any]:
    """What makes two requests "the same": the route (method and path, ids included), the query and
    the body as JSON (so key order and whitespace do not matter; a body that is not JSON as text)."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", errors="replace")
    try:
        parsed: Any = parse_json_body(body) if body else None
    except ValueError:
        parsed = body
    http = event.get("requestContext", {}).get("http", {})
    return {"method": http.get("method"), "path": event.get("rawPath"), "query": event.get("rawQueryString", ""),
            "body": parsed}


def honour_idempotency_key(caller: Caller, event: dict, context: Any, proceed: Callable[[], dict]) -> dict:
    """The `around` wrapper of `make_api`: runs `proceed` at most once per (business, key)."""
    key = (event.get("headers") or {}).get(HEADER)
    if key is None:
        return proceed()
    if not _WELL_FORMED_KEY.fullmatch(key):
        raise InvalidRequest("the Idempotency-Key header must be 1–255 printable ASCII characters without spaces",
                             [{"field": "Idempotency-Key", "issue": "invalid", "value": None}])

    def run_once() -> dict:
        answer = proceed()
        if int(answer.get("statusCode", 500)) >= 500:
            raise _ServerFailure(answer)
        return answer

    config = _config()
    config.register_lambda_context(context)
    handler = idempotency_handler(
        function=run_once, config=config, persistence_store=persistence(), output_serializer=_CompressedAnswer(),
        function_payload={"business_id": caller.business_id, "key": key, "request": request_fingerprint(event)},
        function_args=(), function_kwargs={},
    )
    try:
        return handler.handle()
    except _ServerFailure as failure:
        return failure.answer
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict("a request with this Idempotency-Key is still being processed; retry it shortly",
                       headers={"Retry-After": "1"}) from exc
    except IdempotencyValidationError as exc:
        raise Conflict("this Idempotency-Key was already used for a different request (another body or route)",
                       [{"field": "Idempotency-Key", "issue": "reused", "value": key}]) from exc
    except IdempotencyInconsistentStateError as exc:
        raise Conflict("this Idempotency-Key changed state while it was read; retry the request",
                       headers={"Retry-After": "1"}) from exc
    except IdempotencyPersistenceLayerError as exc:
        raise _persistence_failure(exc) from exc


def _persistence_failure(exc: IdempotencyPersistenceLayerError) -> FastFakturaError:
    if exc.__cause__ is not None and is_retryable(exc.__cause__):
        logger.warning("idempotency store busy after retries", extra={"code": aws_error_code(exc.__cause__)})
        return ServiceUnavailable.busy()
    logger.exception("idempotency store failed")
    return FastFakturaError("an internal error occurred")
