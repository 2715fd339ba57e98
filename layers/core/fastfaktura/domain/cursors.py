"""Opaque list cursors: where the last page ended, bound to the list it belongs to.

A cursor is base64url of `{"s": <digest of the scope>, "p": <the last sort key>}`. The scope is the list's
name, the business and the filters, so a cursor is refused (400) by any other list, business or filter;
the position must have the shape of that list's sort keys. The partition is always the caller's own
(it comes from the API key, never from the cursor), so even a forged position only moves within it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping

from fastfaktura.domain.errors import InvalidRequest

MAX_CURSOR_LENGTH = 1024


def _digest(scope: Mapping[str, str | None]) -> str:
    return hashlib.sha256(json.dumps(scope, sort_keys=True).encode()).hexdigest()[:32]


def encode(scope: Mapping[str, str | None], position: str) -> str:
    raw = json.dumps({"s": _digest(scope), "p": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode(cursor: str, scope: Mapping[str, str | None], position_shape: re.Pattern[str]) -> str:
    """The position `cursor` holds, or InvalidRequest when it is not one of this list's cursors."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position = data["p"]
        valid = data["s"] == _digest(scope) and isinstance(position, str) and position_shape.fullmatch(position)
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        valid = False
    if not valid:
        raise InvalidRequest("cursor is not a cursor of this list (same filters, from its next_cursor)",
                             [{"field": "cursor", "issue": "invalid_cursor", "value": None}])
    return str(position)
