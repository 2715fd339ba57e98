"""The settings: read once per container, every problem named at the cold start in one log line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from fastfaktura import settings
from fastfaktura.tools.template import ROOT

VALID = {"TABLE_NAME": "fastfaktura-Table-1", "BUCKET_NAME": "fastfaktura-pdfs-123",
         "SENDER_EMAIL": "invoices@example.com"}


def test_a_valid_environment_gives_every_setting():
    read = settings.Settings.from_environment({**VALID, "PUBLIC_BASE_URL": "https://pay.example.com/",
                                               "STRIPE_TEST_SECRET_KEY": "", "STRIPE_API_BASE": "http://127.0.0.1:12111/",
                                               "STRIPE_LIVE_SECRET_KEY": "sk_live_1",
                                               "STRIPE_LIVE_WEBHOOK_SECRET_PARAMETER": "/fastfaktura/stripe/webhook"})
    assert (read.table_name, read.bucket_name, read.sender_email) == tuple(VALID.values())
    assert read.public_base_url == "https://pay.example.com"
    assert read.stripe_test.secret_key == ""  # set but empty: no key, and SSM is not asked
    assert read.stripe_test.secret_key_parameter is None and read.stripe_test.webhook_secret is None
    assert read.stripe_live.secret_key == "sk_live_1" and read.stripe_live.webhook_secret is None
    assert read.stripe_live.webhook_secret_parameter == "/fastfaktura/stripe/webhook"
    assert read.stripe_api_base == "http://127.0.0.1:12111"


def test_an_empty_public_base_url_means_the_api_domain():
    assert settings.Settings.from_environment({**VALID, "PUBLIC_BASE_URL": ""}).public_base_url is None


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("TABLE_NAME", None, "TABLE_NAME is not set"),
    ("TABLE_NAME", " ", "TABLE_NAME is not set"),
    ("TABLE_NAME", "a b", "TABLE_NAME 'a b' is not a DynamoDB table name"),
    ("BUCKET_NAME", None, "BUCKET_NAME is not set"),
    ("BUCKET_NAME", "pdfs/invoices", "BUCKET_NAME 'pdfs/invoices' is not an S3 bucket name"),
    ("SENDER_EMAIL", "invoices", "SENDER_EMAIL 'invoices' is not an email address"),
    ("PUBLIC_BASE_URL", "pay.example.com", "PUBLIC_BASE_URL 'pay.example.com' is not an http(s) URL"),
    ("STRIPE_API_BASE", "ftp://stripe", "STRIPE_API_BASE 'ftp://stripe' is not an http(s) URL"),
    ("STRIPE_TEST_SECRET_KEY_PARAMETER", "no spaces",
     "STRIPE_TEST_SECRET_KEY_PARAMETER 'no spaces' is not an SSM parameter"),
    ("STRIPE_LIVE_WEBHOOK_SECRET_PARAMETER", "a b",
     "STRIPE_LIVE_WEBHOOK_SECRET_PARAMETER 'a b' is not an SSM parameter"),
])
def test_a_missing_or_bad_variable_is_named(name, value, problem):
    env = {k: v for k, v in {**VALID, name: value}.items() if v is not None}
    with pytest.raises(settings.SettingsError) as raised:
        settings.Settings.from_environment(env)
    assert problem in str(raised.value) and len(raised.value.problems) == 1


def test_every_problem_is_named_at_once():
    with pytest.raises(settings.SettingsError) as raised:
        settings.Settings.from_environment({"SENDER_EMAIL": "nobody"})
    assert len(raised.value.problems) == 3
    assert str(raised.value).startswith("invalid settings: TABLE_NAME is not set; BUCKET_NAME is not set; ")


def test_the_settings_are_read_once_per_container(monkeypatch):
    first = settings.get()
    monkeypatch.setenv("TABLE_NAME", "another-table")
    assert settings.get() is first  # a running container keeps what it started with
    settings.get.cache_clear()
    assert settings.get().table_name == "another-table"


# A function's handler module imported as Lambda does at a cold start, with one variable taken away.
_COLD_START = """
import importlib, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
importlib.import_module("app")
"""


@pytest.mark.parametrize("function", ["invoices_get", "public_page", "overdue", "timeline"])
def test_a_missing_variable_fails_the_cold_start_with_one_clear_log_line(function):
    env = {**os.environ, "AWS_DEFAULT_REGION": "eu-west-1", "POWERTOOLS_TRACE_DISABLED": "true",
           "POWERTOOLS_LOG_LEVEL": "INFO", "SENDER_EMAIL": "invoices@example.com", "BUCKET_NAME": "fastfaktura-pdfs"}
    env.pop("TABLE_NAME", None)
    answer = subprocess.run([sys.executable, "-c", _COLD_START, str(ROOT / "functions" / function),
                             str(ROOT / "layers" / "core")], env=env, capture_output=True, text=True, timeout=60)
    assert answer.returncode != 0
    assert "SettingsError: invalid settings: TABLE_NAME is not set" in answer.stderr
    logged = [json.loads(line) for line in answer.stdout.splitlines() if line.startswith("{")]
    assert [(line["level"], line["message"]) for line in logged] == [
        ("ERROR", "invalid settings: TABLE_NAME is not set")]
    assert logged[0]["problems"] == ["TABLE_NAME is not set"]
