"""Cost per 10,000 invoices on AWS (eu-west-1), computed from the measured figures in
bench/results.json (sections endpoints and coldstart) and template.yaml's MemorySize, with list
prices. Each invoice is: created (POST /invoices), sent by email with its PDF (POST .../send, which
renders and stores the PDF), its PDF fetched once (GET .../pdf, from the bucket), and its timeline
written (the stream function: `created` and `sent`).

PRICES: eu-west-1 list prices as known to the author in 2025 (no web access when this was written):
they must be checked against aws.amazon.com/pricing before quoting them. Free tiers are left out.

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
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
INVOICES = 10_000
PRICES_AS_OF = "2025 list prices (as known to the author; check before quoting)"
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
FULL_VCPU_MB = 1769
DYNAMODB_ROUND_TRIP_MS = 6
OTHER_AWS_CALL_MS = 25
COLD_SHARE = 0.25           # a small business's requests are minutes apart: many land on a new container
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


def measure(results: dict[str, Any] | None = None) -> dict[str, Any]:
    """From `results` (default: bench/results.json as the sections before this one left it)."""
    results = results or json.loads((HERE / "results.json").read_text())
    endpoints = results.get("endpoints", {}).get("endpoints")
    if not endpoints:
        return {"error": "run the endpoints section first (python -m bench.run endpoints cost)"}
    timeline = results["endpoints"]["timeline"]
    cold = results.get("coldstart", {}).get("functions", {})
    memory = memory_sizes()
    steps, totals = [], {"invocations": 0.0, "gb_seconds": 0.0, "http_requests": 0.0, "rru": 0.0, "wru": 0.0,
                         "s3_put": 0.0, "s3_get": 0.0, "emails": 0.0, "attachment_bytes": 0.0}
    for step, row_name, function, times in FLOW:
        row = endpoints[row_name]
        other = row.get("other_calls", {})
        calls = sum(other.values())
        billed = _billed_ms(row["cpu_p50_ms"], memory[function], row["round_trips"], calls)
        init_ms = _init_ms(cold.get(function, {}), memory[function])
        gb_s = (billed + COLD_SHARE * init_ms) / 1000 * memory[function] / 1024
        steps.append({"step": step, "function": function, "memory_mb": memory[function],
                      "cpu_ms_measured": row["cpu_p50_ms"], "billed_ms": billed, "init_ms": init_ms,
                      "round_trips": row["round_trips"], "rru": row["modeled_rcu"], "wru": row["modeled_wcu"],
                      "other_calls": other})
        totals["invocations"] += times
        totals["http_requests"] += times
        totals["gb_seconds"] += times * gb_s
        totals["rru"] += times * row["modeled_rcu"]
        totals["wru"] += times * row["modeled_wcu"]
        totals["s3_put"] += times * other.get("s3.PutObject", 0)
        totals["s3_get"] += times * other.get("s3.GetObject", 0)
        totals["emails"] += times * other.get("sesv2.SendEmail", 0)
    pdf_bytes = endpoints["GET /api/v1/invoices/{id}/pdf (stored)"]["answer_bytes"]
    totals["attachment_bytes"] = totals["emails"] * pdf_bytes * 4 / 3  # base64 in the MIME message
    # the timeline: one invocation per event-producing record, one conditional PutItem per event
    timeline_memory = memory[timeline["function"]]
    per_record_ms = _billed_ms(timeline["cpu_ms_per_record"], timeline_memory,
                               timeline["round_trips_per_event"] * TIMELINE_EVENTS_PER_INVOICE
                               / TIMELINE_RECORDS_PER_INVOICE, 0)
    timeline_init = _init_ms(cold.get(timeline["function"], {}), timeline_memory)
    totals["invocations"] += TIMELINE_RECORDS_PER_INVOICE
    totals["gb_seconds"] += TIMELINE_RECORDS_PER_INVOICE * (per_record_ms + COLD_SHARE * timeline_init) / 1000 \
        * timeline_memory / 1024
    totals["wru"] += TIMELINE_EVENTS_PER_INVOICE * timeline["modeled_wcu_per_event"]
    steps.append({"step": "timeline written (stream → TimelineFunction)", "function": timeline["function"],
                  "memory_mb": timeline_memory, "cpu_ms_measured": timeline["cpu_ms_per_record"],
                  "billed_ms": per_record_ms, "init_ms": timeline_init,
                  "round_trips": timeline["round_trips_per_event"] * TIMELINE_EVENTS_PER_INVOICE, "rru": 0.0,
                  "wru": TIMELINE_EVENTS_PER_INVOICE * timeline["modeled_wcu_per_event"],
                  "other_calls": {}, "times": TIMELINE_RECORDS_PER_INVOICE})

    n = INVOICES
    p = PRICES
    lines = {
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
    total = sum(lines.values())
    monthly_storage = {
        "DynamoDB storage per month": n * STORED_BYTES_PER_INVOICE / 1e9 * p["dynamodb_gb_month"],
        "S3 storage per month (the PDFs)": n * pdf_bytes / 1e9 * p["s3_gb_month"],
    }
    return {
        "invoices": n,
        "total_usd": round(total, 2),
        "per_invoice_usd": round(total / n, 5),
        "breakdown_usd": {name: round(value, 4) for name, value in lines.items()},
        "storage_per_month_usd": {name: round(value, 4) for name, value in monthly_storage.items()},
        "per_invoice_units": {k: round(v, 3) for k, v in totals.items()},
        "steps": steps,
        "sms_instead_of_email_usd_per_10000": round(n * p["sns_sms_fr"], 2),
        "prices": {"as_of": PRICES_AS_OF, "region": "eu-west-1", **p},
        "price_labels": {k: label for k, (_, label) in PRICE_LABELS.items()},
        "price_units": {k: unit for k, (unit, _) in PRICE_LABELS.items()},
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
                  "(about $0.22 per GB-month in eu-west-1). Cold starts are counted with bytecode in the layers; "
                  "as `sam build` ships them today (no .pyc) a cold start takes about 1.7× the CPU "
                  "(bench/coldstart.py, \"as shipped\"), which would add about a third to Lambda compute. "
                  "Prices: " + PRICES_AS_OF + "."),
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=1, ensure_ascii=False))
