"""Which Stripe key the Pay button may use, and where the secrets come from (environment, else SSM)."""

from __future__ import annotations

import uuid

import boto3
import fastfaktura.settings
import pytest
from fastfaktura.payments import settings


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    from aws_lambda_powertools.utilities import parameters

    for mode in ("TEST", "LIVE"):
        for name in ("SECRET_KEY", "SECRET_KEY_PARAMETER", "WEBHOOK_SECRET", "WEBHOOK_SECRET_PARAMETER"):
            monkeypatch.delenv(f"STRIPE_{mode}_{name}", raising=False)
    monkeypatch.delenv("STRIPE_API_BASE", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    fastfaktura.settings.get.cache_clear()
    from aws_lambda_powertools.utilities.parameters.base import DEFAULT_PROVIDERS

    parameters.clear_caches()
    DEFAULT_PROVIDERS.clear()  # its SSM client is made anew, against this test's endpoint
    settings._absent_until.clear()
    yield
    parameters.clear_caches()
    DEFAULT_PROVIDERS.clear()
    settings._absent_until.clear()


@pytest.fixture
def ssm(aws_emulation, monkeypatch):
    """SSM on the session's moto server (never in-process `mock_aws`: it would reset the moto state that
    the server shares with it, e.g. the verified SES sender), with parameter names unique to the test."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", aws_emulation.endpoint)
    prefix = f"/fastfaktura-{uuid.uuid4().hex[:8]}/stripe"
    return boto3.client("ssm", region_name="eu-west-1"), prefix


@pytest.mark.parametrize(("variable", "key", "sandbox", "usable"), [
    ("STRIPE_TEST_SECRET_KEY", "sk_test_51Abc", True, True),
    ("STRIPE_TEST_SECRET_KEY", "rk_test_51Abc", True, True),
    ("STRIPE_TEST_SECRET_KEY", "sk_live_51Abc", True, False),  # a live key in the test slot is never used
    ("STRIPE_LIVE_SECRET_KEY", "sk_live_51Abc", False, True),
    ("STRIPE_LIVE_SECRET_KEY", "rk_live_51Abc", False, True),
    ("STRIPE_LIVE_SECRET_KEY", "sk_test_51Abc", False, False),  # nor a test key in the live slot
    ("STRIPE_TEST_SECRET_KEY", "sk_test_51Abc", False, False),  # a live business never uses the test key
    ("STRIPE_LIVE_SECRET_KEY", "sk_live_51Abc", True, False),  # nor a sandbox business the live key
    ("STRIPE_TEST_SECRET_KEY", "pk_test_51Abc", True, False),  # a publishable key cannot create sessions
    ("STRIPE_LIVE_SECRET_KEY", "nonsense", False, False),
])
def test_checkout_key_rules(monkeypatch, variable, key, sandbox, usable):
    monkeypatch.setenv(variable, key)
    fastfaktura.settings.get.cache_clear()
    assert (settings.checkout_key(sandbox) == key) is usable


def test_no_key_anywhere_means_no_payment():
    assert settings.checkout_key(True) is None and settings.checkout_key(False) is None
    assert settings.webhook_secret(True) is None and settings.webhook_secret(False) is None


def test_an_empty_variable_means_none_and_ssm_is_not_asked(monkeypatch):
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY", "")
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY_PARAMETER", "/fastfaktura/stripe/test/secret-key")
    fastfaktura.settings.get.cache_clear()
    assert settings.secret_key(True) is None  # no AWS call made (no mock here: one would fail)


def test_secrets_come_from_ssm_when_the_environment_has_none(monkeypatch, ssm):
    client, prefix = ssm
    for mode in ("test", "live"):
        client.put_parameter(Name=f"{prefix}/{mode}/secret-key", Value=f"sk_{mode}_51FromSsm", Type="SecureString")
        client.put_parameter(Name=f"{prefix}/{mode}/webhook-secret", Value=f"whsec_{mode}", Type="SecureString")
        monkeypatch.setenv(f"STRIPE_{mode.upper()}_SECRET_KEY_PARAMETER", f"{prefix}/{mode}/secret-key")
        monkeypatch.setenv(f"STRIPE_{mode.upper()}_WEBHOOK_SECRET_PARAMETER", f"{prefix}/{mode}/webhook-secret")
    fastfaktura.settings.get.cache_clear()
    assert settings.checkout_key(True) == "sk_test_51FromSsm" and settings.checkout_key(False) == "sk_live_51FromSsm"
    assert settings.webhook_secret(True) == "whsec_test" and settings.webhook_secret(False) == "whsec_live"


def test_a_missing_parameter_is_no_key_and_is_remembered(monkeypatch, ssm):
    client, prefix = ssm
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY_PARAMETER", f"{prefix}/secret-key")
    fastfaktura.settings.get.cache_clear()
    assert settings.secret_key(True) is None
    client.put_parameter(Name=f"{prefix}/secret-key", Value="sk_test_51Late", Type="SecureString")
    assert settings.secret_key(True) is None  # cached as absent for SECRETS_MAX_AGE_SECONDS, no call per view


def test_the_environment_wins_over_ssm(monkeypatch):
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY", "sk_test_51FromEnv")
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY_PARAMETER", "/fastfaktura/stripe/test/secret-key")
    fastfaktura.settings.get.cache_clear()
    assert settings.secret_key(True) == "sk_test_51FromEnv"


def test_checkout_origins_follow_an_overridden_api_base(monkeypatch):
    assert settings.checkout_origins() == ["https://checkout.stripe.com"]
    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:12111/")
    fastfaktura.settings.get.cache_clear()
    assert settings.checkout_origins() == ["https://checkout.stripe.com", "http://127.0.0.1:12111"]
