"""SES v2 (email) and SNS (SMS): the only AWS calls of sending. Clients are created once per
container; endpoints come from the environment (AWS_ENDPOINT_URL_SESV2 / _SNS locally)."""

from __future__ import annotations

from functools import cache

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from fastfaktura import settings

# A send must not hang the request: short timeouts, few retries (a failed channel is reported, not fatal).
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=2, read_timeout=8)


class ProviderError(Exception):
    """A provider refused or could not be reached; the message is the reason kept on the delivery."""


@cache
def ses():
    return boto3.client("sesv2", config=_CONFIG)


@cache
def sns():
    return boto3.client("sns", config=_CONFIG)


def sender_email() -> str:
    return settings.get().sender_email


def send_raw_email(raw: bytes, to: str) -> str:
    """One SES v2 SendEmail with Raw content; answers SES's message id."""
    try:
        answer = ses().send_email(FromEmailAddress=sender_email(), Destination={"ToAddresses": [to]},
                                  Content={"Raw": {"Data": raw}})
    except (ClientError, BotoCoreError) as exc:
        raise ProviderError(_reason("SES", exc)) from exc
    return answer["MessageId"]


def send_sms(phone: str, text: str) -> str:
    """One SNS Publish to an E.164 number, as a transactional SMS; answers SNS's message id."""
    try:
        answer = sns().publish(PhoneNumber=phone, Message=text, MessageAttributes={
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}})
    except (ClientError, BotoCoreError) as exc:
        raise ProviderError(_reason("SNS", exc)) from exc
    return answer["MessageId"]


def _reason(provider: str, exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{provider} {error.get('Code', 'Error')}: {error.get('Message', '')}".strip()
    return f"{provider} unreachable: {exc}"
