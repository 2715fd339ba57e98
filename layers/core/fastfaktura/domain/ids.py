"""Ids that sort by creation time, to the microsecond (UUID version 7, RFC 9562 method 3)."""

from __future__ import annotations

import os
import threading
import time
import uuid

from fastfaktura.domain.errors import NotFound

_lock = threading.Lock()
_last = 0


def new_id() -> str:
    """A UUIDv7 whose 12 `rand_a` bits carry the sub-millisecond microseconds, monotonic per process,
    so that "newest first" is a plain descending sort of ids."""
    global _last
    with _lock:
        now_us = time.time_ns() // 1000
        _last = now_us = max(now_us, _last + 1)
    ms, us = divmod(now_us, 1000)
    rand_a = us * 4096 // 1000
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))


def parse_id(value: str | None) -> str | None:
    """The canonical form of a uuid, or None when `value` is not one (the caller answers 404)."""
    if not value or len(value) != 36:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def id_or_not_found(value: str | None, what: str) -> str:
    """The canonical form of a path's id; NotFound ("<what> not found") when it is not a uuid, so that a
    malformed id answers as an unknown one does."""
    canonical = parse_id(value)
    if canonical is None:
        raise NotFound(f"{what} not found")
    return canonical
