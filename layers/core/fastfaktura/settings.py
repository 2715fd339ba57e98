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
class StripeSecrets:
    """One Stripe mode's secret key and webhook signing secret: each a value (None when unset; set but
    empty means "none" and SSM is not asked) or the SSM parameter holding it. Stripe keeps test and live
    apart (keys, webhook endpoints, their secrets), and so do we."""

    secret_key: str | None
    secret_key_parameter: str | None
    webhook_secret: str | None
    webhook_secret_parameter: str | None


# The EU's member states, for SMS_COUNTRIES' "EU".
EU_COUNTRIES = frozenset({"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
                          "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})


@dataclass(frozen=True)
class SendLimits:
    """What a business may send (the template's parameters; defaults sized for a small business). Email
    and SMS cost money and reputation, so a stolen key must not pump them."""

    emails_per_day: int = 200
    sms_per_day: int = 50
    resend_cooldown_seconds: int = 300
    """The same message (channel and kind) to the same invoice again only after this long."""
    deliveries_per_invoice: int = 100
    sms_countries: frozenset[str] = frozenset({"FR", "NO", "SE", "DK"}) | EU_COUNTRIES


@dataclass(frozen=True)
class Settings:
    table_name: str
    bucket_name: str
    sender_email: str
    public_base_url: str | None
    """The base of public invoice links without a trailing slash; None: the API's own domain."""
    stripe_test: StripeSecrets
    """Test mode: sandbox businesses pay through it, and only it."""
    stripe_live: StripeSecrets
    """Live mode: live businesses pay through it, and only it."""
    stripe_api_base: str | None
    """Another Stripe server (stripe-mock, a test's fake); unset in AWS."""
    webhook_master_key: str | None
    """The webhook secrets' master key itself (tests, the local stack); in AWS it comes from SSM."""
    webhook_master_key_parameter: str | None
    webhook_queue_url: str | None
    webhook_api_base_url: str | None
    """The API's own base URL, for the invoice links inside webhook events (PUBLIC_BASE_URL wins)."""
    webhook_allow_local_http: bool
    """The local stack only: a sandbox endpoint may be http://127.0.0.1:<port>."""
    webhook_retry_scale: float
    """Every webhook retry delay is multiplied by it (1 in AWS; `fastfaktura dev --fast-retries`)."""
    send_limits: SendLimits = SendLimits()
    requests_per_minute: int = 0
    """Each business's budget of authenticated requests a minute (429 beyond); 0: none."""
    stripe_payment_modes: frozenset[str] = frozenset()
    """The Stripe modes (`test`, `live`) whose businesses get a Pay button: not a secret, so the public
    page decides without decrypting one."""
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

        def positive_number(name: str) -> float:
            value = env.get(name, "").strip()
            try:
                number = float(value) if value else 1.0
            except ValueError:
                number = 0.0
            if not number > 0:
                problems.append(f"{name} {value!r} is not a positive number")
            return number

        def count(name: str, default: int) -> int:
            value = env.get(name, "").strip()
            if not value:
                return default
            if not value.isdigit():
                problems.append(f"{name} {value!r} is not a whole number")
                return default
            return int(value)

        def countries(name: str, default: frozenset[str]) -> frozenset[str]:
            value = env.get(name, "").strip()
            if not value:
                return default
            codes = {code.strip().upper() for code in value.split(",") if code.strip()}
            if any(not re.fullmatch(r"[A-Z]{2}", code) for code in codes):
                problems.append(f"{name} {value!r} is not a list of ISO country codes (EU for the EU)")
            return frozenset(codes - {"EU"}) | (EU_COUNTRIES if "EU" in codes else frozenset())

        modes = frozenset(m.strip() for m in env.get("STRIPE_PAYMENT_MODES", "").split(",") if m.strip())
        if modes - {"test", "live"}:
            problems.append(f"STRIPE_PAYMENT_MODES {env['STRIPE_PAYMENT_MODES']!r} is not a list of test, live")
        defaults = SendLimits()
        settings = cls(
            table_name=required("TABLE_NAME", _TABLE_NAME, "a DynamoDB table name"),
            bucket_name=required("BUCKET_NAME", _BUCKET_NAME, "an S3 bucket name"),
            sender_email=required("SENDER_EMAIL", _EMAIL, "an email address"),
            public_base_url=url("PUBLIC_BASE_URL"),
            stripe_test=StripeSecrets(
                secret_key=_stripped(env.get("STRIPE_TEST_SECRET_KEY")),
                secret_key_parameter=parameter("STRIPE_TEST_SECRET_KEY_PARAMETER"),
                webhook_secret=_stripped(env.get("STRIPE_TEST_WEBHOOK_SECRET")),
                webhook_secret_parameter=parameter("STRIPE_TEST_WEBHOOK_SECRET_PARAMETER")),
            stripe_live=StripeSecrets(
                secret_key=_stripped(env.get("STRIPE_LIVE_SECRET_KEY")),
                secret_key_parameter=parameter("STRIPE_LIVE_SECRET_KEY_PARAMETER"),
                webhook_secret=_stripped(env.get("STRIPE_LIVE_WEBHOOK_SECRET")),
                webhook_secret_parameter=parameter("STRIPE_LIVE_WEBHOOK_SECRET_PARAMETER")),
            stripe_api_base=url("STRIPE_API_BASE"),
            webhook_master_key=_stripped(env.get("WEBHOOK_MASTER_KEY")) or None,
            webhook_master_key_parameter=parameter("WEBHOOK_MASTER_KEY_PARAMETER"),
            webhook_queue_url=url("WEBHOOK_QUEUE_URL"),
            webhook_api_base_url=url("WEBHOOK_API_BASE_URL"),
            webhook_allow_local_http=env.get("WEBHOOK_ALLOW_LOCAL_HTTP", "").strip().lower() == "true",
            webhook_retry_scale=positive_number("WEBHOOK_RETRY_SCALE"),
            send_limits=SendLimits(
                emails_per_day=count("EMAIL_DAILY_QUOTA", defaults.emails_per_day),
                sms_per_day=count("SMS_DAILY_QUOTA", defaults.sms_per_day),
                resend_cooldown_seconds=count("RESEND_COOLDOWN_SECONDS", defaults.resend_cooldown_seconds),
                deliveries_per_invoice=count("DELIVERIES_PER_INVOICE", defaults.deliveries_per_invoice),
                sms_countries=countries("SMS_COUNTRIES", defaults.sms_countries)),
            stripe_payment_modes=modes,
            requests_per_minute=count("BUSINESS_REQUESTS_PER_MINUTE", 0),
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
