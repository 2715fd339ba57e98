"""What the functions log, captured while a block runs."""

from __future__ import annotations

import io
from contextlib import contextmanager


@contextmanager
def captured_logs():
    """Everything the functions' Logger writes, at DEBUG level, while the block runs."""
    from fastfaktura.observability import logger

    handler = logger.registered_handler
    buffer = io.StringIO()
    previous_stream, previous_level = handler.setStream(buffer), logger.log_level
    logger.setLevel("DEBUG")
    try:
        yield buffer
    finally:
        handler.setStream(previous_stream)
        logger.setLevel(previous_level)
