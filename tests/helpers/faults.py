"""Fault injection at the HTTP level of a real boto3 client, through botocore's own `before-send` event:
the injected answer is what the service would send, and it comes inside botocore's retry loop, so the
client's configured retries and backoff run exactly as they would against AWS."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from botocore.awsrequest import AWSResponse


class _Raw:
    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_kw):
        yield self._body


def dynamodb_error(code: str, message: str = "injected", status: int = 400, **extra) -> AWSResponse:
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message, **extra})
    return AWSResponse("https://dynamodb.local", status, {"x-amzn-RequestId": "injected"}, _Raw(body.encode()))


def transaction_conflict(items: int) -> AWSResponse:
    """TransactWriteItems cancelled because another transaction was writing one of its items."""
    reasons = [{"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}]
    reasons += [{"Code": "None"}] * (items - 1)
    return dynamodb_error("TransactionCanceledException", "Transaction cancelled, please refer cancellation "
                          "reasons for specific reasons [TransactionConflict]", CancellationReasons=reasons)


def s3_error(code: str = "InternalError", status: int = 500) -> AWSResponse:
    body = f"<Error><Code>{code}</Code><Message>injected</Message></Error>".encode()
    return AWSResponse("https://s3.local", status, {"x-amz-request-id": "injected"}, _Raw(body))


@dataclass
class Failing:
    """The first `times` attempts of `operation` on `client` get `answer()` instead of reaching the service
    (times=None: every attempt); with `matching`, only the attempts whose request body holds that text
    (e.g. one item's key). `attempts` counts every attempt made, failed or not."""

    client: object
    operation: str
    answer: object
    times: int | None = None
    matching: str | None = None
    attempts: int = 0
    failed: int = 0
    _event: str = field(init=False, default="")

    def __enter__(self) -> Failing:
        service = self.client.meta.service_model.service_id.hyphenize()
        self._event = f"before-send.{service}.{self.operation}"
        self.client.meta.events.register(self._event, self._send, unique_id=f"fault-{id(self)}")
        return self

    def __exit__(self, *exc) -> None:
        self.client.meta.events.unregister(self._event, unique_id=f"fault-{id(self)}")

    def _send(self, request, **_kw):
        if self.matching is not None and self.matching.encode() not in (request.body or b""):
            return None
        self.attempts += 1
        if self.times is None or self.failed < self.times:
            self.failed += 1
            return self.answer()
        return None


def rest_json_error(code: str, status: int = 500) -> AWSResponse:
    """An error of a rest-json service (SES v2)."""
    body = json.dumps({"message": "injected"}).encode()
    return AWSResponse("https://email.local", status, {"x-amzn-ErrorType": code, "x-amzn-RequestId": "injected"},
                       _Raw(body))


def query_error(code: str, status: int = 500) -> AWSResponse:
    """An error of a query-protocol service (SNS)."""
    body = (f"<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code><Message>injected</Message>"
            "</Error><RequestId>injected</RequestId></ErrorResponse>").encode()
    return AWSResponse("https://sns.local", status, {}, _Raw(body))
