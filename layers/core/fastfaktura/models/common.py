"""Shared model bases and field types."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, field_validator

from fastfaktura.models.countries import ISO_COUNTRIES
from fastfaktura.models.locales import DEFAULT_LOCALE, LOCALES

READ_ONLY_FIELDS = frozenset(
    {"id", "number", "subtotal_cents", "tax_cents", "total_cents", "tax_breakdown", "status", "sandbox",
     "created_at", "updated_at", "archived_at",
     # the other fields only answers carry: a line's amount, the invoice's dates, link, client and timeline
     "amount_cents", "line_count", "issue_date", "public_url", "client", "events", "sent_at", "opened_at",
     "paid_at", "paid_via", "overdue_at", "cancelled_at",
     # the balance
     "amount_paid_cents", "amount_credited_cents", "amount_due_cents", "payments", "credit_notes"}
)
"""Fields of an answer that a body may not set: 422 with `issue: "read_only"` where a body names one that
its model does not declare (mark-paid's `paid_at` is declared, so it stays writable there)."""


class RequestBody(BaseModel):
    """A request body: unknown fields are refused (422), read-only fields too. Validators are built on
    a model's first use, not at import (`defer_build`): a function builds only the models it uses."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, defer_build=True)


class ResponseBody(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)


def _present(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out but not null")
    return value


def not_null(*fields: str) -> Any:
    """The validator of a partial update's `fields` that may be left out but not sent as null (null
    would clear a value the resource must have): `_not_null = not_null("name", …)` in the model."""
    return field_validator(*fields, mode="before")(_present)


def to_rfc3339(value: datetime) -> str:
    """RFC 3339 in UTC with microseconds, e.g. 2026-11-24T10:15:30.123456Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


Timestamp = Annotated[datetime, PlainSerializer(to_rfc3339, return_type=str, when_used="always"),
                      WithJsonSchema({"type": "string", "format": "date-time"})]
Uuid = Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})]
"""An id the API answers (it reads ids as text: a malformed one is a 404, never a 422)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def _e164(value: str | None) -> str | None:
    """phonenumbers is imported on the first phone number, not at every cold start (≈ 15 ms CPU with
    bytecode, ≈ 45 ms without: most requests carry no phone number)."""
    if value is None:
        return None
    digits = value[1:]
    if not (value.startswith("+") and digits.isascii() and digits.isdigit()):  # E.164 form or 422 (contract)
        raise ValueError("must be a phone number in E.164 form: + and digits only, e.g. +4791234567")
    import phonenumbers

    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("must be a phone number in E.164 form, e.g. +4791234567") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("must be a valid phone number in E.164 form, e.g. +4791234567")
    return value


def phone_country(phone: str) -> str | None:
    """The ISO country of a valid E.164 number (None when none is known), e.g. for the SMS allow-list."""
    import phonenumbers

    return phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))


def _email(value: str) -> str:
    """pydantic's own EmailStr check (same errors, same normalized address), with email-validator
    imported on the first address instead of when the models are built (≈ 30 ms of every cold start)."""
    from pydantic.networks import validate_email

    return validate_email(value)[1]


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    if value not in ISO_COUNTRIES:
        raise ValueError("must be an ISO 3166-1 alpha-2 country code in upper case, e.g. FR")
    return value


_SINGLE_LINE = re.compile("[\x00-\x1f\x7f\u2028\u2029]")
_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f\u2028\u2029]")
SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f\u2028\u2029]*$"
LINES_PATTERN = r"^[^\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029]*$"


def _single_line(value: str) -> str:
    if _SINGLE_LINE.search(value):
        raise ValueError("must be one line of text: no control or line-separator characters "
                         "(U+0000–U+001F, U+007F, U+2028, U+2029)")
    return value


def _lines(value: str) -> str:
    if _LINES.search(value):
        raise ValueError("may hold line feeds (U+000A) but no other control or line-separator characters "
                         "(U+0000–U+001F, U+007F, U+2028, U+2029; a carriage return neither)")
    return value


def text(max_length: int, *, min_length: int = 0, lines: bool = False, **field: Any) -> tuple[Any, Any]:
    """The rules of the one text field type, as `Annotated[str, *text(…)]`: at most `max_length` characters,
    one line (names, references, prefixes, descriptions: no control or line-separator character, so nothing
    printed or sent can be split or spoofed) or, with `lines`, several lines separated by line feeds only
    (notes, addresses). The OpenAPI document carries the same rule as a `pattern`."""
    pattern = LINES_PATTERN if lines else SINGLE_LINE_PATTERN
    return (Field(min_length=min_length, max_length=max_length, json_schema_extra={"pattern": pattern}, **field),
            AfterValidator(_lines if lines else _single_line))


E164_PATTERN = r"^\+[1-9][0-9]{1,14}$"
E164Phone = Annotated[str, AfterValidator(_e164),
                      Field(examples=["+4791234567"], json_schema_extra={"pattern": E164_PATTERN})]
E164Text = Annotated[str, WithJsonSchema({"type": "string", "pattern": E164_PATTERN, "examples": ["+4791234567"]})]
"""A phone number as answered: in E.164 form (it was checked when written)."""
CountryCode = Annotated[str, AfterValidator(_country), Field(examples=["FR"])]
EmailAddress = Annotated[str, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})]
Locale = Annotated[str, Field(pattern=f"^({'|'.join(LOCALES)})$", examples=[DEFAULT_LOCALE])]
Currency = Annotated[str, Field(pattern="^(EUR|USD|GBP|NOK|SEK|DKK)$", examples=["EUR"])]


class ErrorDetail(ResponseBody):
    field: str
    issue: str
    value: Any = None


class ErrorInfo(ResponseBody):
    type: str = Field(examples=["validation_error"])
    message: str
    details: list[ErrorDetail] = []
    request_id: str | None = None


class ErrorResponse(ResponseBody):
    """Every non-2xx answer."""

    error: ErrorInfo
