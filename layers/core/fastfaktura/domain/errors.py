"""The one error hierarchy. Each class carries the contract's error `type` and HTTP status;
`fastfaktura.http` turns any of them into the contract's error JSON."""

from __future__ import annotations

from typing import Any


class FastFakturaError(Exception):
    type = "internal_error"
    status = 500

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = headers or {}


class InvalidRequest(FastFakturaError):
    """Malformed JSON, wrong content type, bad query parameters."""

    type = "invalid_request"
    status = 400


class AuthenticationFailed(FastFakturaError):
    type = "authentication_error"
    status = 401


class NotFound(FastFakturaError):
    type = "not_found"
    status = 404


class MethodNotAllowed(FastFakturaError):
    type = "invalid_request"
    status = 405


class Conflict(FastFakturaError):
    """The resource's state does not allow the operation."""

    type = "conflict"
    status = 409


class PayloadTooLarge(FastFakturaError):
    type = "payload_too_large"
    status = 413


class ValidationFailed(FastFakturaError):
    type = "validation_error"
    status = 422

    @classmethod
    def field(cls, field: str, issue: str, message: str, value: Any = None) -> ValidationFailed:
        return cls(message, [{"field": field, "issue": issue, "value": value}])


class RateLimited(FastFakturaError):
    type = "rate_limited"
    status = 429


class UpstreamFailed(FastFakturaError):
    """Every provider call of a request failed (e.g. all send channels)."""

    type = "internal_error"
    status = 502


class ServiceUnavailable(FastFakturaError):
    """A dependency stayed busy (or is not configured yet) after retries: nothing was written, and the
    same request may be sent again after `Retry-After`. Its own type, so that client code can tell
    "retry later" from a bug (`internal_error`)."""

    type = "service_unavailable"
    status = 503

    @classmethod
    def busy(cls) -> ServiceUnavailable:
        """The one answer to "busy, not wrong" (see `is_retryable`)."""
        return cls("the service is busy, please retry", headers={"Retry-After": "1"})


RETRYABLE_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "TransactionConflictException", "TransactionInProgressException", "InternalServerError",
})
"""The AWS error codes that mean the table was busy, not that the request was wrong."""


def is_retryable(exc: BaseException) -> bool:
    """Whether an AWS SDK error (after the client's own retries) is worth a retry by the caller: a
    retryable code, or a transaction cancelled only because another one was writing the same item."""
    if aws_error_code(exc) in RETRYABLE_CODES:
        return True
    reasons = _response(exc).get("CancellationReasons") or []
    return any(reason.get("Code") == "TransactionConflict" for reason in reasons)


def aws_error_code(exc: BaseException) -> str | None:
    """The error code of an AWS SDK error (botocore's `ClientError.response`), None for any other error."""
    code = _response(exc).get("Error", {}).get("Code")
    return str(code) if code is not None else None


def _response(exc: BaseException) -> dict[str, Any]:
    response = getattr(exc, "response", None)
    return response if isinstance(response, dict) else {}
