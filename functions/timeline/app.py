"""The table's stream → the invoice timeline: one event item per event, written at most once; and the
repair of a claimed invoice number whose create died before writing it (services.numbering).

A record that cannot be processed is reported in `batchItemFailures`; the rest of the batch lands, and
the event source mapping retries the failed record and then hands it to the on-failure queue."""

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from fastfaktura.batch import partial_batch_handler
from fastfaktura.services import numbering, timeline


def record_handler(record: DynamoDBRecord) -> None:
    numbering.repair_claim(record.raw_event)
    timeline.record_change(record.raw_event)


lambda_handler = partial_batch_handler(EventType.DynamoDBStreams, record_handler)
