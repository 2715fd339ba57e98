"""The table's stream → webhook events: each into the feed once, and one delivery message per subscribed
enabled endpoint onto the queue.

A record that cannot be processed (or whose message SQS refuses) is reported in `batchItemFailures`; the
event source mapping retries it, and what was already done (feed item, messages sent) is not done again."""

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from fastfaktura.batch import partial_batch_handler
from fastfaktura.services import webhooks


def record_handler(record: DynamoDBRecord) -> None:
    webhooks.record_change(record.raw_event)


lambda_handler = partial_batch_handler(EventType.DynamoDBStreams, record_handler)
