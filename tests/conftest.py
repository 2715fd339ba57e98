"""Shared fixtures: DynamoDB Local (one per test session / xdist worker), a fresh business per test,
`api` (tests/helpers/api.py) as that business, and moto's server for S3, SES, SNS and SSM."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.api import Api
from tests.helpers.aws import FAKE_CREDENTIALS, AwsEmulation, dynamodb_calls

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("TABLE_NAME", "fastfaktura-test")  # the `dynamodb` fixture's table
os.environ.setdefault("BUCKET_NAME", "fastfaktura-test-pdfs")
os.environ.setdefault("SENDER_EMAIL", "invoices@fastfaktura.test")
os.environ.setdefault("PUBLIC_BASE_URL", "http://127.0.0.1:3000")
# As on the local stack: the webhook master key (in AWS an SSM SecureString), sandbox endpoints on loopback.
os.environ.setdefault("WEBHOOK_MASTER_KEY", "dGVzdHMgb25seTogMzIgYnl0ZXMgb2YgbWFzdGVyIGtleSEhIQ==")
os.environ.setdefault("WEBHOOK_ALLOW_LOCAL_HTTP", "true")

AUDIT_WARNINGS = Path(__file__).resolve().parents[1] / ".fastfaktura" / "audit-warnings.txt"  # .ci/audit.py's


def pytest_terminal_summary(terminalreporter) -> None:
    """The dependency audit's warnings (e.g. packages it could not check) beside the test results, so that
    an audit that checked nothing is seen where the run is read."""
    if not AUDIT_WARNINGS.is_file():
        return
    at = datetime.fromtimestamp(AUDIT_WARNINGS.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
    terminalreporter.section(f"dependency audit warnings (make audit, {at})", yellow=True)
    for line in AUDIT_WARNINGS.read_text(encoding="utf-8").splitlines():
        terminalreporter.line(f"WARNING: {line}", yellow=True)


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test reads the settings anew, as a new container would (and again once monkeypatch has put the
    environment back). A test that changes the environment itself calls `settings.get.cache_clear()`."""
    from fastfaktura import settings

    settings.get.cache_clear()
    yield
    settings.get.cache_clear()


@pytest.fixture(scope="session")
def dynamodb():
    """DynamoDB Local with the template's table; the store's client is pointed at it."""
    from fastfaktura.devstack.dynamodb import DynamoDBLocal, create_table, local_environment
    from fastfaktura.store import db

    server = DynamoDBLocal().start()
    os.environ.update(local_environment(server.endpoint))
    os.environ["TABLE_NAME"] = "fastfaktura-test"
    os.environ["CURSOR_SIGNING_KEY"] = "test-cursor-signing-key-0123456789abcdef"
    create_table(server.client(), os.environ["TABLE_NAME"])
    db.client.cache_clear()
    yield server
    server.stop()


@pytest.fixture
def business(dynamodb):
    """A fresh sandbox business with its API key (every test is its own tenant)."""
    from fastfaktura.services.business import create_business

    return create_business("Atelier Test", sandbox=True, country="FR", locale="fr")


@pytest.fixture
def count_calls(dynamodb):
    """The DynamoDB operations the store makes while the test runs, in order (round trips)."""
    with dynamodb_calls() as calls:
        yield calls


@pytest.fixture
def api(business) -> Api:
    """The API as `business` sees it (its key on every request unless `key=` says otherwise)."""
    return Api(business.api_key)


@pytest.fixture(scope="session")
def aws_emulation():
    """moto's ThreadedMotoServer on a free port, reached through AWS_ENDPOINT_URL_S3/_SES/_SESV2/_SNS;
    the sender identity (SENDER_EMAIL) is verified and the PDF bucket exists. Tests share it: filter
    what was sent by a recipient of your own. Never use in-process `mock_aws` next to it: moto's server
    runs in this process and `mock_aws` resets the backends they share (verified sender, bucket)."""
    import boto3
    from moto.server import ThreadedMotoServer

    os.environ.update(FAKE_CREDENTIALS)  # never a developer's own: everything here is emulated
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for service in ("S3", "SES", "SESV2", "SNS"):
        os.environ[f"AWS_ENDPOINT_URL_{service}"] = endpoint
    boto3.client("sesv2").create_email_identity(EmailIdentity=os.environ["SENDER_EMAIL"])
    region = os.environ["AWS_DEFAULT_REGION"]
    boto3.client("s3").create_bucket(Bucket=os.environ["BUCKET_NAME"],
                                     CreateBucketConfiguration={"LocationConstraint": region})
    from fastfaktura.delivery import providers

    providers.ses.cache_clear()
    providers.sns.cache_clear()
    yield AwsEmulation(endpoint)
    server.stop()


def pytest_collection_modifyitems(items) -> None:
    """Schemathesis names each operation's test (`test…[GET /api/v1/clients]`) but gives them all one node
    id; pytest-xdist's `--dist loadfile` keys its work by node id, and would run one operation of them."""
    for item in items:
        if getattr(item, "operation_label", None) and not item.nodeid.endswith("]"):
            item._id = type(item._id).parse(f"{item.parent.nodeid}::{item.name}")  # pytest's structured node id
