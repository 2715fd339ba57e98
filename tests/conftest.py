"""Shared fixtures: DynamoDB Local (one per test session / xdist worker), a fresh business per test,
and `api`, which calls the template's functions through API Gateway-shaped events."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("TABLE_NAME", "fastfaktura-test")  # the `dynamodb` fixture's table
os.environ.setdefault("BUCKET_NAME", "fastfaktura-test-pdfs")
os.environ.setdefault("SENDER_EMAIL", "invoices@fastfaktura.test")
os.environ.setdefault("PUBLIC_BASE_URL", "http://127.0.0.1:3000")


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


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Api:
    """Calls the API in-process, routed by template.yaml exactly as the local stack routes HTTP."""

    def __init__(self, key: str | None):
        self.key = key

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                key: str | None = "default", raw: bytes | None = None) -> Answer:
        from fastfaktura.devstack.runtime import call_api

        all_headers = {"content-type": "application/json"} if body is not None or raw is not None else {}
        key = self.key if key == "default" else key
        if key:
            all_headers["x-api-key"] = key
        all_headers.update(headers or {})
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        return Answer(*call_api(method, path, all_headers, payload))

    def get(self, path: str, **kw) -> Answer:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw) -> Answer:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw) -> Answer:
        return self.request("PUT", path, body, **kw)

    def delete(self, path: str, **kw) -> Answer:
        return self.request("DELETE", path, **kw)


@pytest.fixture
def api(business) -> Api:
    """The API as `business` sees it (its key on every request unless `key=` says otherwise)."""
    return Api(business.api_key)


def assert_error(answer: Answer, status: int, error_type: str) -> dict:
    """The contract's error JSON, with the expected status and type and a request id."""
    assert answer.status == status, (answer.status, answer.body[:500])
    error = answer.json["error"]
    assert error["type"] == error_type, error
    assert error["message"] and error["request_id"]
    return error


@dataclass
class AwsEmulation:
    """moto's server for S3, SES and SNS (DynamoDB stays on DynamoDB Local)."""

    endpoint: str

    def sent(self) -> dict[str, Any]:
        """Everything moto's backends hold (`ses.RawMessage[]`, `sns.SMS[]`, …)."""
        import requests

        return requests.get(f"{self.endpoint}/moto-api/data.json", timeout=10).json()

    def emails_to(self, address: str) -> list[dict[str, Any]]:
        return [m for m in self.sent().get("ses", {}).get("RawMessage", [])
                if any(address in d for d in m["destinations"])]

    def sms_to(self, phone: str) -> list[dict[str, Any]]:
        return [m for m in self.sent().get("sns", {}).get("SMS", []) if m.get("phone_number") == phone]


@pytest.fixture(scope="session")
def aws_emulation(dynamodb):
    """moto's ThreadedMotoServer on a free port, reached through AWS_ENDPOINT_URL_S3/_SES/_SESV2/_SNS;
    the sender identity (SENDER_EMAIL) is verified and the PDF bucket exists. Tests share it: filter
    what was sent by a recipient of your own. Never use in-process `mock_aws` next to it: moto's server
    runs in this process and `mock_aws` resets the backends they share (verified sender, bucket)."""
    import boto3
    from moto.server import ThreadedMotoServer

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
