"""OverdueFunction — scheduled (hourly): marks sent/opened invoices overdue once their due date has
passed in their business's time zone, and numbers the credit notes whose create died between their stage
and their claim (their invoice is already credited). The schedule's event carries nothing the job needs."""

from typing import Any

from fastfaktura import settings
from fastfaktura.observability import logger, metrics
from fastfaktura.services.numbering import finish_abandoned_stages
from fastfaktura.services.overdue import mark_overdue_invoices

settings.get()  # checked at the cold start, not at the first run


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def lambda_handler(event: dict, context: Any) -> dict[str, int]:
    summary = {**mark_overdue_invoices(), "abandoned_numbered": finish_abandoned_stages()}
    logger.info("overdue job done", extra=summary)
    metrics.add_metric(name="InvoicesMarkedOverdue", unit="Count", value=summary["marked"])
    return summary
