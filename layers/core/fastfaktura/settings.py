"""The functions' settings: every variable of the package's environment, read once per container and
checked as a whole when a handler is built, so that a missing or malformed one fails the cold start
with one log line naming every problem, never the first request.

`get()` is cached; tests that change the environment call `get.cache_clear()` (a new container).
Only this module reads `os.environ` (the local stack aside); AWS SDK variables (AWS_ENDPOINT_URL_*,
AWS_REGION) and Powertools' own (POWERTOOLS_*) stay theirs. Nothing of ours is imported here: every
room may import it.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

# Powertools' Logger(service="fastfaktura") writes this logger's records as JSON once it is set up.
_log = logging.getLogger("fastfaktura")

_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")
_BUCKET_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")  # legacy names (capitals, underscores) included
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PARAMETER_NAME = re.compile(r"[A-Za-z0-9_.\-/]{1,2048}")


class SettingsError(RuntimeError):
    """The environment cannot run the functions; `problems` says why, one entry per variable."""

    def __init__(self, problems: list[str]):
        super().__init__("invalid settings: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    table_name: str
    bucket_name: str
    sender_email: str
    public_base_url: str | None
    """The base of public invoice links without a trailing slash; None: the API's own domain."""
    stripe_secret_key: str | None
    """None when unset; set but empty means "no key" and SSM is not asked."""
    stripe_secret_key_parameter: str | None
    stripe_webhook_secret: str | None
    stripe_webhook_secret_parameter: str | None
    stripe_api_base: str | None
    """Another Stripe server (stripe-mock, a test's fake); unset in AWS."""
    cursor_signing_key: str = ""
    """Signs list cursors (`store.cursors`); unset: derived from the table name."""

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Settings:
        problems: list[str] = []

        def required(name: str, form: re.Pattern[str], what: str) -> str:
            value = env.get(name, "").strip()
            if not value:
                problems.append(f"{name} is not set")
            elif not form.fullmatch(value):
                problems.append(f"{name} {value!r} is not {what}")
            return value

        def url(name: str) -> str | None:
            value = env.get(name, "").strip().rstrip("/")
            parts = urlsplit(value)
            if value and (parts.scheme not in ("http", "https") or not parts.netloc):
                problems.append(f"{name} {value!r} is not an http(s) URL")
            return value or None

        def parameter(name: str) -> str | None:
            value = env.get(name, "").strip()
            if value and not _PARAMETER_NAME.fullmatch(value):
                problems.append(f"{name} {value!r} is not an SSM parameter name")
            return value or None

        settings = cls(
            table_name=required("TABLE_NAME", _TABLE_NAME, "a DynamoDB table name"),
            bucket_name=required("BUCKET_NAME", _BUCKET_NAME, "an S3 bucket name"),
            sender_email=required("SENDER_EMAIL", _EMAIL, "an email address"),
            public_base_url=url("PUBLIC_BASE_URL"),
            stripe_secret_key=_stripped(env.get("STRIPE_SECRET_KEY")),
            stripe_secret_key_parameter=parameter("STRIPE_SECRET_KEY_PARAMETER"),
            stripe_webhook_secret=_stripped(env.get("STRIPE_WEBHOOK_SECRET")),
            stripe_webhook_secret_parameter=parameter("STRIPE_WEBHOOK_SECRET_PARAMETER"),
            stripe_api_base=url("STRIPE_API_BASE"),
            cursor_signing_key=_stripped(env.get("CURSOR_SIGNING_KEY")) or f"table:{env.get('TABLE_NAME', '')}",
        )
        if problems:
            raise SettingsError(problems)
        return settings


def _stripped(value: str | None) -> str | None:
    return None if value is None else value.strip()


@cache
def get() -> Settings:
    """This container's settings. A handler calls it when it is built: an invalid environment is logged
    once, as one line, and fails the cold start."""
    try:
        return Settings.from_environment(os.environ)
    except SettingsError as exc:
        _log.error(str(exc), extra={"problems": exc.problems})
        raise
