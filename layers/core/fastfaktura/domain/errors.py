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
    """A dependency stayed busy after retries; the caller may retry after `Retry-After`."""

    type = "internal_error"
    status = 503
