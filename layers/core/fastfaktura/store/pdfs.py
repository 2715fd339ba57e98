"""Rendered invoice PDFs in the private bucket (SSE-S3), one object per printed version."""

from __future__ import annotations

import os
from functools import cache

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=10)


@cache
def client():
    return boto3.client("s3", config=_CONFIG)


def bucket() -> str:
    return os.environ["BUCKET_NAME"]


def object_key(business_id: str, invoice_id: str, state: str, content_digest: str) -> str:
    """`invoices/<business>/<invoice>/<state>-<digest>.pdf`: the business and invoice own the object;
    the printed state and the digest of everything printed make the version."""
    return f"invoices/{business_id}/{invoice_id}/{state}-{content_digest}.pdf"


def get(key: str) -> bytes | None:
    """The stored PDF, or None when this version was never rendered."""
    try:
        answer = client().get_object(Bucket=bucket(), Key=key)
    except client().exceptions.NoSuchKey:
        return None
    return answer["Body"].read()


def put(key: str, body: bytes, file_name: str) -> None:
    client().put_object(Bucket=bucket(), Key=key, Body=body, ContentType="application/pdf",
                        ContentDisposition=f'attachment; filename="{file_name}"', ServerSideEncryption="AES256")
