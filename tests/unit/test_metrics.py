"""Business metrics reach CloudWatch as EMF when a handler flushes them (Powertools Metrics)."""

from __future__ import annotations

import json

from fastfaktura import observability


def test_a_counted_metric_is_flushed_as_emf(capsys, monkeypatch):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    observability.metrics.clear_metrics()
    observability.count("InvoicesCreated")
    observability.count("InvoicesCreated")
    observability.metrics.flush_metrics()
    emf = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    [definition] = emf["_aws"]["CloudWatchMetrics"]
    assert definition["Namespace"] == "FastFaktura"
    assert {"Name": "InvoicesCreated", "Unit": "Count"} in definition["Metrics"]
    assert emf["InvoicesCreated"] == [1.0, 1.0]


def test_nothing_is_kept_while_metrics_are_disabled(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    observability.metrics.clear_metrics()
    observability.count("InvoicesCreated")
    assert not observability.metrics.metric_set
