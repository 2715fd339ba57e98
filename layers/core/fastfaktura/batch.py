"""The Lambda handler of a function fed in batches (the table's stream, a queue).

Each record is handled on its own; the failed ones are answered as `batchItemFailures`, so the event
source mapping retries only those (a stream: from the first failed record on) and in the end hands them
to the function's failure destination (a stream's on-failure queue, a queue's dead-letter queue)."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse

from fastfaktura import settings
from fastfaktura.observability import logger, tracer


def partial_batch_handler(event_type: EventType,
                          record_handler: Callable[[Any], Any]) -> Callable[[dict, Any], PartialItemFailureResponse]:
    """The `lambda_handler` that runs `record_handler` on every record of a batch. Even a batch in which
    every record failed answers its failures (instead of raising), so the mapping retries it as it does a
    partial failure. The settings are checked here, at the cold start, not at the first batch."""
    settings.get()
    # Powertools' own Logger, which its annotation (the standard library's) does not name but which it logs to.
    processor = BatchProcessor(event_type=event_type, raise_on_entire_batch_failure=False,
                               logger=logger)  # type: ignore[arg-type]

    @logger.inject_lambda_context(log_event=False)
    @tracer.capture_lambda_handler(capture_response=False)
    def lambda_handler(event: dict, context: Any) -> PartialItemFailureResponse:
        return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                        context=context)

    return lambda_handler
