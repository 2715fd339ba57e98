"""The table's stream → the invoice timeline: one event item per event, written at most once; and the
repair of a claimed invoice number whose create died before writing it (services.numbering).

A record that cannot be processed is reported in `batchItemFailures`; the rest of the batch lands, and
the event source mapping retries the failed record and then hands it to the on-failure queue."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from fastfaktura import settings
from fastfaktura.observability import logger, tracer
from fastfaktura.services import numbering, timeline

settings.get()  # checked at the cold start, not at the first batch

# Even a batch in which every record failed answers its failures (instead of raising), so the
# event source mapping retries from the first failed record as it does for a partial failure.
processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False, logger=logger)


def record_handler(record: DynamoDBRecord) -> None:
    numbering.repair_claim(record.raw_event)
    timeline.record_change(record.raw_event)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict, context: Any) -> dict:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
