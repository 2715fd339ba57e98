"""Powertools Logger, Tracer and Metrics: one instance each per container."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.tracing.tracer import Tracer

logger = Logger(service="fastfaktura")
metrics = Metrics(namespace="FastFaktura", service="fastfaktura")


class Untraced:
    """The tracer when tracing is disabled (the template's `Tracing=Disabled`, tests, the local stack):
    Powertools' Tracer, even disabled, imports the X-Ray SDK (≈ 30 ms of a cold start) to switch it off."""

    def capture_lambda_handler(self, capture_response: bool = True) -> Callable[[Callable], Callable]:
        return lambda handler: handler


def _tracer() -> Any:
    # Powertools' own rule (POWERTOOLS_TRACE_DISABLED, outside Lambda, SAM local), asked without creating a
    # Tracer; a private API, checked with the others by fastfaktura.powertools_adapter.missing_private_apis.
    if Tracer._is_tracer_disabled():
        return Untraced()
    # Only botocore is patched: every AWS call is what the traces must show, and patching every library
    # X-Ray knows (its default) is work at every cold start for calls we never make.
    return Tracer(service="fastfaktura", patch_modules=("botocore",))


tracer = _tracer()


def count(name: str, value: int = 1) -> None:
    """A business metric (EMF, flushed by each handler's `log_metrics`): invoices created, sent per
    channel, paid per way; what an operator graphs and alarms on beside Lambda's own metrics. Nothing is
    kept while metrics are disabled (the local stack, tests): Powertools would still print every 100th."""
    if not is_metrics_disabled():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
