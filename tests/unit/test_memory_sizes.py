"""template.yaml's MemorySize per function is what bench/cost.py's MEMORY_RULE picks from the committed
bench/results.json: a size changed by hand, or results.json re-measured without the template following,
fails here."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bench import cost, readme


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return json.loads(readme.RESULTS.read_text(encoding="utf-8"))


def test_template_memory_sizes_are_what_the_rule_picks(results):
    template = cost.memory_sizes()
    picked = cost.recommended_memory_sizes(results)
    assert picked, "the rule picked no size: the endpoints or coldstart section is missing"
    differs = {f: f"template {template[f]} MB, rule {mb} MB" for f, mb in picked.items() if template[f] != mb}
    assert not differs, f"set MemorySize in template.yaml as bench/cost.py's rule picks: {differs}"


def test_a_function_without_a_warm_figure_is_judged_by_its_cold_start_alone(results):
    table = cost.memory_table(results)
    picked = cost.recommended_memory_sizes(results)
    assert set(picked) == {f for f, row in table["functions"].items() if row["init_cpu_ms"] is not None}
    assert "TimelineFunction" not in table["not_measured_warm"]  # from the stream's figures, not an endpoint row
    assert table["not_measured_warm"], "every function has a warm figure now: drop this test's second half"
    for function in table["not_measured_warm"]:
        size = table["functions"][function]["by_size"][str(picked[function])]
        assert size["cold_request_ms"] == size["init_ms"]


def _function(results: dict[str, Any], name: str, init_cpu_ms: float, peak_rss_mb: float) -> dict[str, Any]:
    changed = copy.deepcopy(results)
    changed["coldstart"]["functions"][name].update(cpu_ms=init_cpu_ms, peak_rss_mb=peak_rss_mb)
    return changed


@pytest.mark.parametrize(("init_cpu_ms", "memory_mb"), [
    (100, 256),    # INIT CPU × 1769 / MB + the request ≤ 1 s: 691 ms at 256 MB
    (500, 1024),   # 864 ms at 1024 MB
    (700, 1769),   # 1209 ms at 1024 MB: a full vCPU
    (1200, 1769),  # over a second at every size: a full vCPU, the fastest there is
])
def test_a_slower_cold_start_needs_more_memory(results, init_cpu_ms, memory_mb):
    picked = cost.recommended_memory_sizes(_function(results, "OpenApiFunction", init_cpu_ms, 45))
    assert picked["OpenApiFunction"] == memory_mb


def test_the_size_stays_above_twice_the_peak_rss(results):
    # 100 ms of INIT CPU would fit 256 MB; 200 MB of RSS needs 400 MB of it: the next size is 512
    picked = cost.recommended_memory_sizes(_function(results, "OpenApiFunction", 100, 200))
    assert picked["OpenApiFunction"] == 512


def test_waits_on_aws_do_not_buy_memory_but_cpu_does(results):
    changed = _function(results, "OpenApiFunction", 100, 45)
    row = changed["endpoints"]["endpoints"]["GET /api/v1/openapi.json"]
    row.update(round_trips=30)  # 180 ms waiting on DynamoDB, the same at every size: still 256 MB
    assert cost.recommended_memory_sizes(changed)["OpenApiFunction"] == 256
    row.update(round_trips=0, cpu_p50_ms=40)  # 40 ms CPU → 276 ms at 256 MB, 138 ms at 512: over 100 ms
    assert cost.recommended_memory_sizes(changed)["OpenApiFunction"] == 1024


def test_the_published_table_is_the_rule_applied_to_the_committed_figures(results):
    assert results["cost"]["memory"] == cost.memory_table(results), (
        "bench/results.json's cost section is stale: run `python -m bench.run cost`")
