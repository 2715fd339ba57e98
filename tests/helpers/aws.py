"""moto's server as the tests read it back, and the DynamoDB round trips of a block of code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


@dataclass
class AwsEmulation:
    """moto's server for S3, SES, SNS and SSM (DynamoDB stays on DynamoDB Local)."""

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


@contextmanager
def dynamodb_calls(client: Any = None) -> Iterator[list[str]]:
    """The names of the DynamoDB operations made inside the block, in order (on the store's client unless
    another is given). The hook is removed on the way out, whatever happens in the block."""
    if client is None:
        from fastfaktura.store import db

        client = db.client()
    calls: list[str] = []

    def record(model, **_kw) -> None:
        calls.append(model.name)

    unique_id = f"dynamodb-calls-{id(calls)}"
    client.meta.events.register("before-call.dynamodb", record, unique_id=unique_id)
    try:
        yield calls
    finally:
        client.meta.events.unregister("before-call.dynamodb", unique_id=unique_id)
