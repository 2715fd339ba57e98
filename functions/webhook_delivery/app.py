"""The webhook queue → one delivery attempt per message.

A failed attempt sets its message's visibility to the schedule's next delay and reports the message in
`batchItemFailures`, so SQS hands it over again then; a delivered, given-up or duplicate message succeeds
(and is deleted)."""

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from fastfaktura.observability import logger, tracer
from fastfaktura.services import webhooks

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False, logger=logger)


def record_handler(record: SQSRecord) -> str:
    return webhooks.deliver_message(json.loads(record.body), record.message_id, record.receipt_handle)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict, context: Any) -> dict:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
