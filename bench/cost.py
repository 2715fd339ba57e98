"""Cost per 10,000 invoices on AWS (eu-west-1), computed from the measured figures in
bench/results.json (sections endpoints and coldstart) and template.yaml's MemorySize, with list
prices. Each invoice is: created (POST /invoices), sent by email with its PDF (POST .../send, which
renders and stores the PDF), its PDF fetched once (GET .../pdf, from the bucket), and its timeline
written (the stream function: `created` and `sent`).

PRICES: eu-west-1 list prices as known in 2025, compared on 2026-12-01 with the copies of AWS's
pricing pages (and of guides quoting them) stored in a search index: PRICE_CHECKS says, per price,
what those copies show. Free tiers are left out.

Every input is labelled (`inputs` in the output): measured in this run (bench/endpoints.py,
bench/coldstart.py), read from template.yaml, or assumed. The largest assumption is the share of
invocations that start a container (COLD_SHARE), so the total is also given at COLD_SHARES.

How a measured figure becomes a billed one (all stated in the output):
- Lambda duration = the handler's CPU time measured here × 1,769 / MemorySize (a function gets one
  vCPU at 1,769 MB, a share below that) + each DynamoDB round trip × 6 ms + each other AWS call
  (S3, SES) × 25 ms (typical in-region latencies), rounded up to the millisecond;
- cold starts: INIT is billed since 2025-08-01; a share of COLD_SHARE of the invocations is assumed
  to start a container, which costs the cold start's CPU time measured here (bench/coldstart.py,
  with bytecode) scaled like the handler's;
- DynamoDB: the modeled capacity of bench/meter.py (what DynamoDB Local reports + what AWS bills and
  it does not report), as on-demand read/write request units;
- the stream: GetRecords by a Lambda trigger is free; the timeline function is invoked once per
  event-producing record (low traffic: batches of one; the worst case).

The same model, at each of MEMORY_SIZES, gives every function's warm duration, INIT and Lambda charges
(`memory`), and MEMORY_RULE picks its MemorySize from them: tests/unit/test_memory_sizes.py holds
template.yaml to that pick.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
INVOICES = 10_000
PRICES_CHECKED_ON = "2026-12-01"
PRICES_AS_OF = (f"2025 list prices, compared with the pricing pages as stored on {PRICES_CHECKED_ON} "
                "(see the prices table)")
PRICES = {
    "lambda_arm64_gb_second": 0.0000133334,     # Lambda arm64, eu-west-1, first 7.5 B GB-s/month
    "lambda_request": 0.20 / 1e6,               # per request
    "http_api_request": 1.11 / 1e6,             # API Gateway HTTP API, eu-west-1, first 300 M/month (per 512 KB)
    "dynamodb_write_request_unit": 0.7068 / 1e6,  # on-demand, eu-west-1 (after the 2024-11-01 price cut)
    "dynamodb_read_request_unit": 0.1415 / 1e6,
    "dynamodb_gb_month": 0.283,                 # Standard table class, eu-west-1
    "s3_put": 0.005 / 1000,                     # S3 Standard, eu-west-1
    "s3_get": 0.0004 / 1000,
    "s3_gb_month": 0.023,
    "ses_email": 0.10 / 1000,                   # SES outbound
    "ses_attachment_gb": 0.12,                  # SES, per GB of attachments sent
    "sns_sms_fr": 0.07,                         # SNS SMS to France, transactional, approx. (varies by country)
    "xray_trace": 5.00 / 1e6,                   # X-Ray traces recorded (Tracing: Active)
    "cloudwatch_logs_gb": 0.57,                 # CloudWatch Logs ingestion, eu-west-1
}
# How the prices above read on a pricing page: (multiplier, label) per key.
PRICE_LABELS = {
    "lambda_arm64_gb_second": (1, "Lambda arm64, per GB-second"),
    "lambda_request": (1e6, "Lambda, per million requests"),
    "http_api_request": (1e6, "API Gateway HTTP API, per million requests (first 300 M)"),
    "dynamodb_write_request_unit": (1e6, "DynamoDB on-demand, per million write request units"),
    "dynamodb_read_request_unit": (1e6, "DynamoDB on-demand, per million read request units"),
    "dynamodb_gb_month": (1, "DynamoDB storage, per GB-month"),
    "s3_put": (1000, "S3 Standard, per 1,000 PUT"),
    "s3_get": (1000, "S3 Standard, per 1,000 GET"),
    "s3_gb_month": (1, "S3 Standard storage, per GB-month"),
    "ses_email": (1000, "SES, per 1,000 emails"),
    "ses_attachment_gb": (1, "SES attachments, per GB"),
    "sns_sms_fr": (1, "SNS SMS to France, per message (approx.)"),
    "xray_trace": (1e6, "X-Ray, per million traces recorded"),
    "cloudwatch_logs_gb": (1, "CloudWatch Logs ingestion, per GB"),
}
# What the copies of the pricing pages (or of guides quoting them) show, as stored on PRICES_CHECKED_ON;
# a price none of them shows is said so.
PRICE_CHECKS = {
    "lambda_arm64_gb_second": "Arm, first 7.5 B GB-s: $0.0000133334 (a guide quoting US East); the stored AWS page "
                              "has no figures in its text",
    "lambda_request": "not in the stored text",
    "http_api_request": "US East: $1.00 per million, first 300 M (a guide); Europe (Ireland) not in the stored text",
    "dynamodb_write_request_unit": "US East on-demand after the 2024-11 cut: $0.625 per million WRU (a guide); an "
                                   "older table quoting $1.4135 (twice the figure used: the cut halved it)",
    "dynamodb_read_request_unit": "US East: $0.125 per million RRU (a guide); the older table $0.283 (twice)",
    "dynamodb_gb_month": "$0.283 per GB-month after 25 GB (the older table)",
    "ses_email": "$0.10 per 1,000 (a billing report quoted in a Q&A)",
    "ses_attachment_gb": "≈ $0.12 per GB (the same report: $0.44 for 3.70 GB)",
    "s3_put": "US East: $0.005 per 1,000 PUT (a guide); Europe (Ireland) not in the stored text",
    "s3_get": "US East: $0.0004 per 1,000 GET (the same guide)",
    "s3_gb_month": "US East: from $0.023 per GB-month (the same guide)",
    "xray_trace": "$5 per million traces recorded beyond the free 100,000 (AWS's page, German edition)",
    "cloudwatch_logs_gb": "US East: $0.50 per GB (a 2026 guide); Europe (Ireland) not in the stored text",
}
FULL_VCPU_MB = 1769
DYNAMODB_ROUND_TRIP_MS = 6
OTHER_AWS_CALL_MS = 25
COLD_SHARE = 0.25           # a small business's requests are minutes apart: many land on a new container
# MemorySize per function: the sizes weighed and the rule that picks one (MEMORY_RULE says it in words).
MEMORY_SIZES = (128, 256, 512, 1024, 1769)
COLD_REQUEST_TARGET_MS = 1000   # a caller who lands on a new container waits at most a second
WARM_COMPUTE_TARGET_MS = 100    # a warm request's own work stays under what a person sees as instant
RSS_HEADROOM = 2                # a request allocates more than the import did: MemorySize ≥ 2 × peak RSS
COLD_SHARES = (0.05, 0.25, 0.5)
LOG_BYTES_PER_INVOCATION = 2_000   # Powertools JSON lines + START/END/REPORT
STORED_BYTES_PER_INVOICE = 10_000  # invoice item + 4 index copies, lines, 2 events, 1 delivery (≈ 1 KB each)
HOSTED = [
    ("Stripe Invoicing (Starter)", "0.4 % of each paid invoice (on top of card fees): €4.00 on a €1,000 invoice",
     "stripe.com/invoicing/pricing (2024–2025)"),
    ("Stripe Invoicing (Plus)", "0.5 % of each paid invoice: €5.00 on a €1,000 invoice",
     "stripe.com/invoicing/pricing (2024–2025)"),
    ("Subscription apps (FreshBooks, Fiken, Zoho Invoice paid plans, …)",
     "a monthly fee (roughly €10–€60 a month per company): per invoice it depends on how many you send",
     "each vendor's pricing page (2024–2025)"),
]
FLOW = [  # (step, endpoint row, function, times per invoice)
    ("create", "POST /api/v1/invoices", "InvoicesCreateFunction", 1),
    ("send by email (renders and stores the PDF)", "POST /api/v1/invoices/{id}/send (email, renders)",
     "InvoicesSendFunction", 1),
    ("PDF fetched once", "GET /api/v1/invoices/{id}/pdf (stored)", "InvoicesPdfFunction", 1),
]
TIMELINE_EVENTS_PER_INVOICE = 2    # created, sent (email)
TIMELINE_RECORDS_PER_INVOICE = 3   # invoice INSERT, invoice MODIFY (sent), delivery INSERT


def memory_sizes() -> dict[str, int]:
    from fastfaktura.tools.template import load

    template = load()
    default = int(template["Globals"]["Function"].get("MemorySize", 128))
    return {name: int(r["Properties"].get("MemorySize", default)) for name, r in template["Resources"].items()
            if r["Type"] == "AWS::Serverless::Function"}


def _billed_ms(cpu_ms: float, memory_mb: int, round_trips: float, other_calls: int) -> int:
    return math.ceil(cpu_ms * FULL_VCPU_MB / memory_mb + round_trips * DYNAMODB_ROUND_TRIP_MS
                     + other_calls * OTHER_AWS_CALL_MS)


def _init_ms(cold: dict[str, Any], memory_mb: int) -> int:
    return math.ceil(cold.get("cpu_ms", cold.get("median_ms", 0.0)) * FULL_VCPU_MB / memory_mb)


class Request(NamedTuple):
    """A function's measured warm request, what its billed duration is modelled from."""
    name: str
    cpu_ms: float
    round_trips: float
    other_calls: int

    def billed_ms(self, memory_mb: int) -> int:
        return _billed_ms(self.cpu_ms, memory_mb, self.round_trips, self.other_calls)


def _timeline_record(timeline: dict[str, Any]) -> Request:
    """One stream record (batches of one): its CPU, and its share of the events' conditional PutItems."""
    return Request("a stream record", timeline["cpu_ms_per_record"],
                   timeline["round_trips_per_event"] * TIMELINE_EVENTS_PER_INVOICE / TIMELINE_RECORDS_PER_INVOICE, 0)


MEMORY_RULE = (
    f"MemorySize is the smallest of {', '.join(map(str, MEMORY_SIZES))} MB that is at least {RSS_HEADROOM}× the "
    "function's peak RSS at cold start and at which, as modelled, a caller who lands on a new container waits ≤ "
    f"{COLD_REQUEST_TARGET_MS:,} ms (INIT + the function's heaviest measured request) and the heaviest warm request "
    f"computes for ≤ {WARM_COMPUTE_TARGET_MS} ms (its CPU × {FULL_VCPU_MB:,} / MemorySize; the waits on DynamoDB, "
    f"S3 and SES are the same at every size). No size qualifying: {MEMORY_SIZES[-1]:,} MB, a full vCPU. A function "
    "with no measured warm request is judged by its INIT alone; one with no measured cold start keeps the "
    "template's size. Smallest is cheapest: under this model "
    f"CPU-bound work costs the same GB-seconds at any size up to {FULL_VCPU_MB:,} MB (it runs proportionally "
    "faster) while the waits on AWS are billed at the size's rate, so each size up costs a little more (to within "
    "the rounding to the millisecond) and the smallest sizes are the cheapest and the slowest; what a caller "
    "notices is the cold start, CPU-bound and hundreds of milliseconds. INIT is assumed to get the same CPU share "
    "as the handler at each size (not measurable here).")


def _warm_requests(results: dict[str, Any]) -> dict[str, list[Request]]:
    """Each function's measured warm requests: the endpoint rows by the template route they measure, and the
    stream record for the timeline function."""
    from fastfaktura.tools.template import routes

    from bench.endpoints import route_key, route_of

    function_of = {route_key(r): r.function_id for r in routes()}
    found: dict[str, list[Request]] = {}
    for name, row in results["endpoints"]["endpoints"].items():
        if function := function_of.get(route_of(name)):
            found.setdefault(function, []).append(
                Request(name, row["cpu_p50_ms"], row["round_trips"], sum(row.get("other_calls", {}).values())))
    timeline = results["endpoints"]["timeline"]
    found.setdefault(timeline["function"], []).append(_timeline_record(timeline))
    return found


def _usd_per_million(warm_ms: int, init_ms: int, memory_mb: int) -> float:
    """Lambda's charges for a million invocations of which COLD_SHARE start a container."""
    gb_seconds = (warm_ms + COLD_SHARE * init_ms) / 1000 * memory_mb / 1024
    return 1e6 * (PRICES["lambda_request"] + gb_seconds * PRICES["lambda_arm64_gb_second"])


def memory_table(results: dict[str, Any]) -> dict[str, Any]:
    """Per function of the template, at each of MEMORY_SIZES: the modelled warm duration, INIT and cost, and the
    size MEMORY_RULE picks (None when a figure it needs was not measured)."""
    cold = results.get("coldstart", {}).get("functions", {})
    requests = _warm_requests(results)
    functions = {}
    for function, template_mb in memory_sizes().items():
        measured, start = requests.get(function, []), cold.get(function, {})
        rss = start.get("peak_rss_mb")
        by_size = {}
        for mb in MEMORY_SIZES:
            size: dict[str, Any] = {"init_ms": _init_ms(start, mb) if "cpu_ms" in start else None,
                                    "fits": rss is not None and mb >= RSS_HEADROOM * rss}
            if size["init_ms"] is not None:
                warm = max((r.billed_ms(mb) for r in measured), default=0)
                compute = max((r.cpu_ms for r in measured), default=0) * FULL_VCPU_MB / mb
                size.update(cold_request_ms=size["init_ms"] + warm)
                if measured:
                    size.update(warm_ms=warm, usd_per_million=round(_usd_per_million(warm, size["init_ms"], mb), 2))
                size["qualifies"] = (size["fits"] and size["cold_request_ms"] <= COLD_REQUEST_TARGET_MS
                                     and compute <= WARM_COMPUTE_TARGET_MS)
            by_size[mb] = size
        choices = [mb for mb, size in by_size.items() if size.get("qualifies")]
        recommended = min(choices, default=MEMORY_SIZES[-1]) if "qualifies" in by_size[MEMORY_SIZES[0]] else None
        functions[function] = {"requests": [r.name for r in measured], "init_cpu_ms": start.get("cpu_ms"),
                               "peak_rss_mb": rss, "template_mb": template_mb, "recommended_mb": recommended,
                               "template_init_ms": _init_ms(start, template_mb) if "cpu_ms" in start else None,
                               "by_size": {str(mb): size for mb, size in by_size.items()}}
    endpoints, coldstart = results["endpoints"], results.get("coldstart", {})
    cold_load = coldstart.get("load_average", {})
    measured = (f"warm requests by bench/endpoints.py on {endpoints.get('measured_at')} at load average "
                f"{endpoints.get('load_average')}, cold starts by bench/coldstart.py on {coldstart.get('measured_at')} "
                f"at load average {cold_load.get('before')} → {cold_load.get('after')}")
    return {"rule": MEMORY_RULE, "measured": measured, "sizes": list(MEMORY_SIZES),
            "targets": {"cold_request_ms": COLD_REQUEST_TARGET_MS, "warm_compute_ms": WARM_COMPUTE_TARGET_MS,
                        "rss_headroom": RSS_HEADROOM},
            "functions": functions,
            "not_measured_warm": sorted(f for f, row in functions.items() if not row["requests"])}


def recommended_memory_sizes(results: dict[str, Any]) -> dict[str, int]:
    """The MemorySize MEMORY_RULE picks per function, for the functions whose figures it needs were measured."""
    return {f: row["recommended_mb"] for f, row in memory_table(results)["functions"].items()
            if row["recommended_mb"] is not None}


def _usage(results: dict[str, Any], cold_share: float) -> tuple[dict[str, float], list[dict[str, Any]], int]:
    """Units per invoice (invocations, GB-s, requests, capacity, S3, SES) at `cold_share`, the steps, the PDF size."""
    endpoints = results["endpoints"]["endpoints"]
    timeline = results["endpoints"]["timeline"]
    cold = results.get("coldstart", {}).get("functions", {})
    memory = memory_sizes()
    steps, totals = [], {"invocations": 0.0, "gb_seconds": 0.0, "init_gb_seconds": 0.0, "http_requests": 0.0,
                         "rru": 0.0, "wru": 0.0, "s3_put": 0.0, "s3_get": 0.0, "emails": 0.0, "attachment_bytes": 0.0}
    for step, row_name, function, times in FLOW:
        row = endpoints[row_name]
        other = row.get("other_calls", {})
        billed = _billed_ms(row["cpu_p50_ms"], memory[function], row["round_trips"], sum(other.values()))
        init_ms = _init_ms(cold.get(function, {}), memory[function])
        steps.append({"step": step, "function": function, "memory_mb": memory[function],
                      "cpu_ms_measured": row["cpu_p50_ms"], "billed_ms": billed, "init_ms": init_ms,
                      "round_trips": row["round_trips"], "rru": row["modeled_rcu"], "wru": row["modeled_wcu"],
                      "other_calls": other})
        totals["invocations"] += times
        totals["http_requests"] += times
        totals["gb_seconds"] += times * (billed + cold_share * init_ms) / 1000 * memory[function] / 1024
        totals["init_gb_seconds"] += times * cold_share * init_ms / 1000 * memory[function] / 1024
        totals["rru"] += times * row["modeled_rcu"]
        totals["wru"] += times * row["modeled_wcu"]
        totals["s3_put"] += times * other.get("s3.PutObject", 0)
        totals["s3_get"] += times * other.get("s3.GetObject", 0)
        totals["emails"] += times * other.get("sesv2.SendEmail", 0)
    pdf_bytes = endpoints["GET /api/v1/invoices/{id}/pdf (stored)"]["answer_bytes"]
    totals["attachment_bytes"] = totals["emails"] * pdf_bytes * 4 / 3  # base64 in the MIME message
    # the timeline: one invocation per event-producing record, one conditional PutItem per event
    timeline_memory = memory[timeline["function"]]
    per_record_ms = _timeline_record(timeline).billed_ms(timeline_memory)
    timeline_init = _init_ms(cold.get(timeline["function"], {}), timeline_memory)
    totals["invocations"] += TIMELINE_RECORDS_PER_INVOICE
    totals["gb_seconds"] += TIMELINE_RECORDS_PER_INVOICE * (per_record_ms + cold_share * timeline_init) / 1000 \
        * timeline_memory / 1024
    totals["init_gb_seconds"] += TIMELINE_RECORDS_PER_INVOICE * cold_share * timeline_init / 1000 \
        * timeline_memory / 1024
    totals["wru"] += TIMELINE_EVENTS_PER_INVOICE * timeline["modeled_wcu_per_event"]
    steps.append({"step": "timeline written (stream → TimelineFunction)", "function": timeline["function"],
                  "memory_mb": timeline_memory, "cpu_ms_measured": timeline["cpu_ms_per_record"],
                  "billed_ms": per_record_ms, "init_ms": timeline_init,
                  "round_trips": timeline["round_trips_per_event"] * TIMELINE_EVENTS_PER_INVOICE, "rru": 0.0,
                  "wru": TIMELINE_EVENTS_PER_INVOICE * timeline["modeled_wcu_per_event"],
                  "other_calls": {}, "times": TIMELINE_RECORDS_PER_INVOICE})
    return totals, steps, pdf_bytes


def _lines(totals: dict[str, float], n: int) -> dict[str, float]:
    p = PRICES
    return {
        "Lambda requests": totals["invocations"] * n * p["lambda_request"],
        "Lambda compute (arm64)": totals["gb_seconds"] * n * p["lambda_arm64_gb_second"],
        "API Gateway HTTP API": totals["http_requests"] * n * p["http_api_request"],
        "DynamoDB writes (on-demand)": totals["wru"] * n * p["dynamodb_write_request_unit"],
        "DynamoDB reads (on-demand)": totals["rru"] * n * p["dynamodb_read_request_unit"],
        "S3 requests": n * (totals["s3_put"] * p["s3_put"] + totals["s3_get"] * p["s3_get"]),
        "SES emails": totals["emails"] * n * p["ses_email"],
        "SES attachments": totals["attachment_bytes"] * n / 1e9 * p["ses_attachment_gb"],
        "X-Ray traces (every invocation sampled: the worst case)": totals["invocations"] * n * p["xray_trace"],
        "CloudWatch Logs ingestion": totals["invocations"] * n * LOG_BYTES_PER_INVOCATION / 1e9
        * p["cloudwatch_logs_gb"],
    }


def _without_bytecode(results: dict[str, Any]) -> str:
    """What the cold starts would cost without the layers' bytecode, from coldstart's sample."""
    ratios = [f["as_shipped_cpu_ms"] / f["cpu_ms"] for f in results.get("coldstart", {}).get("functions", {}).values()
              if "as_shipped_cpu_ms" in f and f.get("cpu_ms")]
    if not ratios:
        return ""
    return (f"Without the layers' bytecode a cold start would take {min(ratios):.1f}–{max(ratios):.1f}× the CPU "
            "(bench/coldstart.py's sample); the layers ship bytecode, so the INIT figures above are with it. ")


def measure(results: dict[str, Any] | None = None) -> dict[str, Any]:
    """From `results` (default: bench/results.json as the sections before this one left it)."""
    results = results or json.loads((HERE / "results.json").read_text())
    if not results.get("endpoints", {}).get("endpoints"):
        return {"error": "run the endpoints section first (python -m bench.run endpoints cost)"}
    n = INVOICES
    p = PRICES
    totals, steps, pdf_bytes = _usage(results, COLD_SHARE)
    lines = _lines(totals, n)
    total = sum(lines.values())
    by_cold_share = {f"{share:g}": round(sum(_lines(_usage(results, share)[0], n).values()), 2)
                     for share in COLD_SHARES}
    cold_part = totals["init_gb_seconds"] / totals["gb_seconds"] if totals["gb_seconds"] else 0.0
    monthly_storage = {
        "DynamoDB storage per month": n * STORED_BYTES_PER_INVOICE / 1e9 * p["dynamodb_gb_month"],
        "S3 storage per month (the PDFs)": n * pdf_bytes / 1e9 * p["s3_gb_month"],
    }
    coldstart_measured = results.get("coldstart", {}).get("measured_at", "not measured: INIT counted as 0")
    endpoints_measured = results["endpoints"].get("measured_at", "")
    inputs = [
        ("handler CPU ms per step (p50, warm)", "measured", f"bench/endpoints.py ({endpoints_measured})"),
        ("DynamoDB round trips, RRU/WRU (modeled from DynamoDB Local's report)", "measured", "bench/endpoints.py"),
        ("S3/SES calls per step, PDF size", "measured", f"bench/endpoints.py: PDF {pdf_bytes} bytes"),
        ("timeline CPU ms per record, writes per event", "measured", "bench/endpoints.py (stream → timeline)"),
        ("cold-start CPU ms per function (INIT)", "measured", f"bench/coldstart.py ({coldstart_measured})"),
        ("MemorySize per function", "template", "template.yaml"),
        (f"duration = CPU × {FULL_VCPU_MB} / MemorySize", "assumed", "one vCPU at 1,769 MB (Lambda's documentation)"),
        (f"a DynamoDB round trip {DYNAMODB_ROUND_TRIP_MS} ms, another AWS call {OTHER_AWS_CALL_MS} ms", "assumed",
         "typical in-region latencies (not measurable here)"),
        (f"share of invocations that start a container: {COLD_SHARE}", "assumed",
         f"totals at {', '.join(f'{c:g}' for c in COLD_SHARES)} below"),
        (f"{LOG_BYTES_PER_INVOCATION} log bytes per invocation", "assumed", "Powertools JSON lines + REPORT"),
        (f"{STORED_BYTES_PER_INVOICE} stored bytes per invoice", "assumed", "items ≈ 1 KB each"),
        ("every invocation traced by X-Ray", "assumed", "the worst case; sampling lowers it"),
        ("timeline invoked once per record (batches of one)", "assumed", "low traffic: the worst case"),
        ("prices", "list prices", PRICES_AS_OF),
    ]
    return {
        "invoices": n,
        "total_usd": round(total, 2),
        "per_invoice_usd": round(total / n, 5),
        "cold_share": COLD_SHARE,
        "total_usd_by_cold_share": by_cold_share,
        "lambda_compute_share_from_cold_starts": round(cold_part, 2),
        "breakdown_usd": {name: round(value, 4) for name, value in lines.items()},
        "storage_per_month_usd": {name: round(value, 4) for name, value in monthly_storage.items()},
        "memory": memory_table(results),
        "per_invoice_units": {k: round(v, 3) for k, v in totals.items()},
        "steps": steps,
        "inputs": [{"input": i, "kind": k, "source": src} for i, k, src in inputs],
        "sms_instead_of_email_usd_per_10000": round(n * p["sns_sms_fr"], 2),
        "prices": {"as_of": PRICES_AS_OF, "region": "eu-west-1", **p},
        "price_labels": {k: label for k, (_, label) in PRICE_LABELS.items()},
        "price_units": {k: unit for k, (unit, _) in PRICE_LABELS.items()},
        "price_checks": {k: PRICE_CHECKS.get(k, "not found in the stored copies") for k in p},
        "prices_checked_on": PRICES_CHECKED_ON,
        "assumptions": {"full_vcpu_mb": FULL_VCPU_MB, "dynamodb_round_trip_ms": DYNAMODB_ROUND_TRIP_MS,
                        "other_aws_call_ms": OTHER_AWS_CALL_MS, "cold_share": COLD_SHARE,
                        "log_bytes_per_invocation": LOG_BYTES_PER_INVOCATION,
                        "stored_bytes_per_invoice": STORED_BYTES_PER_INVOICE,
                        "pdf_bytes": pdf_bytes},
        "hosted_services": [{"service": s, "charges": c, "source": src} for s, c, src in HOSTED],
        "notes": ("Free tiers left out. SMS is not in the flow (email only): an SMS costs what SNS charges for "
                  "the destination country (about $0.07 to France, more or less elsewhere), which would dwarf "
                  "everything above. Fixed monthly costs outside the per-invoice figure: custom metrics "
                  "(Powertools EMF, $0.30 per metric per month), the API access log group, PITR backups "
                  "(about $0.22 per GB-month in eu-west-1). "
                  f"At a cold share of {COLD_SHARE}, {cold_part:.0%} of Lambda compute is INIT (cold starts). "
                  + _without_bytecode(results) + "Prices: " + PRICES_AS_OF + "."),
    }

if __name__ == "__main__":
    print(json.dumps(measure(), indent=1, ensure_ascii=False))
