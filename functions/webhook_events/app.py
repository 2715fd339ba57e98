"""The table's stream → webhook events: each into the feed once, and one delivery message per subscribed
enabled endpoint onto the queue.

A record that cannot be processed (or whose message SQS refuses) is reported in `batchItemFailures`; the
event source mapping retries it, and what was already done (feed item, messages sent) is not done again."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from fastfaktura.observability import logger, tracer
from fastfaktura.services import webhooks

processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False, logger=logger)


def record_handler(record: DynamoDBRecord) -> None:
    webhooks.record_change(record.raw_event)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict, context: Any) -> dict:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
