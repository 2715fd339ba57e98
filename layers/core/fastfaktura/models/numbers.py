"""Exact numbers of bodies and answers: quantities and tax rates are Decimal from the JSON text to the
table (bodies are parsed with exact numbers, see `fastfaktura.models.request.parse_json_body`) and JSON
numbers in answers. A module of its own, so that a model with a percentage (the business's default tax
rate) does not load the invoice models."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

_DECIMAL_TEXT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _decimal_input(value: Any) -> Any:
    """A JSON number (already a Decimal or an int) or a plain decimal string such as "2.5"; a float
    (Python callers) goes through its shortest text, so 0.1 is Decimal("0.1")."""
    if isinstance(value, str) and not _DECIMAL_TEXT.match(value):
        raise ValueError("must be a number, e.g. 2.5 or \"2.5\"")
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _at_most_decimals(places: int) -> Callable[[Decimal], Decimal]:
    def check(value: Decimal) -> Decimal:
        normal = value.normalize()
        exponent = normal.as_tuple().exponent  # an int: the field's bounds refuse NaN and infinity first
        if isinstance(exponent, int) and exponent < -places:
            raise ValueError(f"must have at most {places} decimals")
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else normal

    return check


def _json_number(value: Decimal) -> int | float:
    """Answers carry quantities and rates as JSON numbers (≤ 3 decimals, so the text is exact)."""
    return int(value) if value == value.to_integral_value() else float(value)


DecimalNumber = Annotated[Decimal, PlainSerializer(_json_number, return_type=int | float, when_used="json")]


def _decimal_schema(bounds: dict[str, Any], places: int, description: str) -> WithJsonSchema:
    """What the OpenAPI document says of a Decimal field: a number, or the same number as a string."""
    # No `multipleOf`: with binary floats, validators would refuse exact values such as 1.005.
    return WithJsonSchema({"anyOf": [{"type": "number", **bounds},
                                     {"type": "string", "pattern": rf"^[0-9]+(\.[0-9]{{1,{places}}})?$"}],
                           "description": description}, mode="validation")


Quantity = Annotated[
    Decimal, BeforeValidator(_decimal_input), Field(gt=0, le=1_000_000, examples=[2.5]),
    AfterValidator(_at_most_decimals(3)), PlainSerializer(_json_number, return_type=int | float, when_used="json"),
    _decimal_schema({"exclusiveMinimum": 0, "maximum": 1_000_000}, 3,
                    "> 0, ≤ 1,000,000, at most 3 decimals; a JSON number or a decimal string, kept exact"),
]
TaxRate = Annotated[
    Decimal, BeforeValidator(_decimal_input), Field(ge=0, le=100, examples=[20]),
    AfterValidator(_at_most_decimals(2)), PlainSerializer(_json_number, return_type=int | float, when_used="json"),
    _decimal_schema({"minimum": 0, "maximum": 100}, 2, "Percent, 0–100, at most 2 decimals"),
]
