"""What an API request brings before its route runs: who is calling, and the body's JSON parsed with
exact numbers. Here, below http and services, because both need them: http to route and validate a
request, services to authenticate it and to fingerprint it for its Idempotency-Key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Caller:
    """Who is calling: the business of the presented API key."""

    business_id: str
    sandbox: bool
    key_id: str


def parse_json_body(text: str) -> Any:
    """Bodies are parsed with exact numbers: 0.1 stays Decimal("0.1") (no float ever touches a quantity
    or an amount); NaN and Infinity, which are not JSON, are malformed JSON (400). So are bodies that no
    field could use but that would otherwise break the parser or the answer: nesting deeper than Python's
    recursion limit, integers beyond its 4300 digits, and strings with lone surrogates (not Unicode text)."""
    try:
        body = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as exc:
        raise json.JSONDecodeError(f"unusable JSON ({type(exc).__name__})", "", 0) from None
    if _has_lone_surrogate(body):
        raise json.JSONDecodeError("a string is not Unicode text (lone surrogate)", "", 0)
    return body


def _reject_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not valid JSON", name, 0)


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
