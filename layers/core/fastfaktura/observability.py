"""Powertools Logger, Tracer and Metrics: one instance each per container."""

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

logger = Logger(service="fastfaktura")
# Only botocore is patched: every AWS call is what the traces must show, and patching every library
# X-Ray knows (its default) is work at every cold start for calls we never make.
tracer = Tracer(service="fastfaktura", patch_modules=("botocore",))
metrics = Metrics(namespace="FastFaktura", service="fastfaktura")


def count(name: str, value: int = 1) -> None:
    """A business metric (EMF, flushed by each handler's `log_metrics`): invoices created, sent per
    channel, paid per way; what an operator graphs and alarms on beside Lambda's own metrics. Nothing is
    kept while metrics are disabled (the local stack, tests): Powertools would still print every 100th."""
    if not is_metrics_disabled():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
