"""The webhook delivery queue (SQS): one message per (endpoint, event), retried by its visibility.

A failed attempt keeps its message: its visibility is set to the retry's delay (at most 12 h, SQS's
maximum) and the delivery function reports it failed, so SQS hands it over again then, with the same
message id. Nothing here parks retries elsewhere, so there is no schedule object to create or clean up.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from fastfaktura import settings

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=5)


@cache
def client():
    return boto3.client("sqs", config=_CONFIG)


def queue_url() -> str:
    url = settings.get().webhook_queue_url
    if url is None:
        raise RuntimeError("WEBHOOK_QUEUE_URL is not set")
    return url


def send(message: dict[str, Any]) -> str:
    """Enqueues one delivery; its SQS message id. Raises when SQS does not take it (the stream consumer
    then reports the record failed and it is retried: no event is lost)."""
    return client().send_message(QueueUrl=queue_url(), MessageBody=json.dumps(message, separators=(",", ":")))[
        "MessageId"]


def retry_after(receipt_handle: str, seconds: int) -> None:
    """The received message comes back after `seconds` (0–43,200) instead of the queue's default."""
    client().change_message_visibility(QueueUrl=queue_url(), ReceiptHandle=receipt_handle,
                                       VisibilityTimeout=max(0, min(seconds, 43200)))
