"""The webhook queue → one delivery attempt per message.

A failed attempt sets its message's visibility to the schedule's next delay and reports the message in
`batchItemFailures`, so SQS hands it over again then; a delivered, given-up or duplicate message succeeds
(and is deleted)."""

import json

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from fastfaktura.batch import partial_batch_handler
from fastfaktura.services import webhooks


def record_handler(record: SQSRecord) -> str:
    return webhooks.deliver_message(json.loads(record.body), record.message_id, record.receipt_handle)


lambda_handler = partial_batch_handler(EventType.SQS, record_handler)
