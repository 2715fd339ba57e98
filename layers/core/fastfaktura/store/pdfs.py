"""Rendered invoice PDFs in the private bucket (SSE-S3), one object per printed version."""

from __future__ import annotations

from functools import cache

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from fastfaktura import settings
from fastfaktura.observability import logger

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=10)


@cache
def client():
    return boto3.client("s3", config=_CONFIG)


def bucket() -> str:
    return settings.get().bucket_name


def object_key(business_id: str, invoice_id: str, state: str, content_digest: str) -> str:
    """`invoices/<business>/<invoice>/<state>-<digest>.pdf`: the business and invoice own the object;
    the printed state and the digest of everything printed make the version."""
    return f"invoices/{business_id}/{invoice_id}/{state}-{content_digest}.pdf"


def get(key: str) -> bytes | None:
    """The stored PDF, or None when this version was never rendered or the bucket cannot be read after
    the client's retries (the PDF is then rendered again: the bucket only spares renderings)."""
    try:
        answer = client().get_object(Bucket=bucket(), Key=key)
        return answer["Body"].read()
    except client().exceptions.NoSuchKey:
        return None
    except (ClientError, BotoCoreError):
        logger.warning("stored PDF unreadable; rendering it again", extra={"key": key}, exc_info=True)
        return None


def put(key: str, body: bytes, file_name: str) -> None:
    """Keeps a rendered PDF. When the bucket refuses it after the client's retries, the caller still answers
    the PDF it has, and the next request renders and tries to keep it again."""
    try:
        client().put_object(Bucket=bucket(), Key=key, Body=body, ContentType="application/pdf",
                            ContentDisposition=f'attachment; filename="{file_name}"', ServerSideEncryption="AES256")
    except (ClientError, BotoCoreError):
        logger.warning("rendered PDF not stored", extra={"key": key}, exc_info=True)
