"""Per endpoint, warm, in process: every route of template.yaml called 200 times through
`fastfaktura.devstack.runtime.call_api` (the routing of the local stack) against DynamoDB Local, with
moto's server for S3, SES and SNS and a stand-in for Stripe's API: p50/p95 latency (wall clock and
the calling thread's CPU time), DynamoDB round trips, consumed capacity (bench/meter.py) and the
other AWS calls of each request. Also the stream → timeline function, per batch of records.

The business is live (not sandbox), so a send really calls SES and SNS (moto) and renders the PDF.
Each measured series starts with one unmeasured call (the function's "container" loads, the API
key lands in the 60 s cache). `python -m bench.endpoints [--calls N]` prints the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bench.meter import AwsMeter, summarize

if TYPE_CHECKING:
    from fastfaktura.tools.template import Route

CALLS = 200
READ_TARGET = 1          # a read costs one round trip once the key is cached
CREATE_TARGET = 4        # one BatchGetItem (profile, client), then stage, claim and finish its number
STRIPE_TEST_KEY = "sk_test_51BenchKeyForFastFaktura"
STRIPE_LIVE_KEY = "sk_live_51BenchKeyForFastFaktura"  # the bench's business is live: its Pay needs a live key
STRIPE_WEBHOOK_SECRET = "whsec_bench_secret"
INVOICE_LINES = [
    {"description": "Développement", "quantity": "1", "unit_price_cents": 50000, "tax_rate": "20"},
    {"description": "Hébergement", "quantity": "3", "unit_price_cents": 333, "tax_rate": "20"},
    {"description": "Livres", "quantity": "2.5", "unit_price_cents": 1999, "tax_rate": "5.5"},
]

Request = tuple[str, str, dict[str, str], bytes | None]


@dataclass
class LocalAws:
    """DynamoDB Local + moto's server, and this process pointed at them as the functions are."""

    base_url: str
    stream_arn: str


@contextmanager
def local_aws(table: str = "fastfaktura-bench"):
    """DynamoDB Local and moto (S3, SES, SNS, SSM), this process's environment set to the functions'
    environment of the local stack (`fastfaktura.devstack.stack`), a fake Stripe; all stopped after."""
    from fastfaktura.devstack import stack
    from fastfaktura.devstack.dynamodb import DynamoDBLocal, create_table

    from tests.helpers.fake_stripe import FakeStripe

    saved = dict(os.environ)
    dynamodb = DynamoDBLocal().launch()
    moto = stack.MotoServer().start()
    fake_stripe = FakeStripe().start()
    try:
        dynamodb.wait_ready()
        stream_arn = create_table(dynamodb.client(), table)
        endpoints = stack.Endpoints(
            api_base_url="http://127.0.0.1:3000", dynamodb=dynamodb.endpoint, moto=moto.endpoint,
            region="eu-west-1", table=table, bucket="fastfaktura-bench-pdfs", stream_arn=stream_arn,
            sender_email="invoices@fastfaktura.test")
        stack.apply_environment(stack.environment(endpoints))
        os.environ.update({"STRIPE_TEST_SECRET_KEY": STRIPE_TEST_KEY, "STRIPE_LIVE_SECRET_KEY": STRIPE_LIVE_KEY,
                           "STRIPE_TEST_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET, "STRIPE_API_BASE": fake_stripe.base_url,
                           "POWERTOOLS_LOG_LEVEL": "WARNING",
                           # The business's limits are still taken at every request (their round trips
                           # are counted) but never reached: the bench sends more than the template's 1200
                           # requests a minute and 200 emails a day, and measures requests, not limits.
                           "BUSINESS_REQUESTS_PER_MINUTE": "1000000", "EMAIL_DAILY_QUOTA": "1000000",
                           "SMS_DAILY_QUOTA": "1000000"})
        stack.prepare_moto(endpoints)
        _clear_client_caches()
        stack.warm_clients()
        yield LocalAws(endpoints.api_base_url, stream_arn)
    finally:
        fake_stripe.stop()
        moto.stop()
        dynamodb.stop()
        os.environ.clear()
        os.environ.update(saved)
        _clear_client_caches()


def _clear_client_caches() -> None:
    """Settings and clients are cached per container; a new environment needs new ones."""
    from fastfaktura import settings
    from fastfaktura.delivery import providers
    from fastfaktura.store import db, pdfs

    for cached in (settings.get, db.client, providers.ses, providers.sns, pdfs.client):
        cached.cache_clear()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Bench:
    """Runs series of requests and keeps one row per endpoint."""

    def __init__(self, meter: AwsMeter, key: str):
        self.meter, self.key = meter, key
        self.rows: dict[str, dict[str, Any]] = {}

    def request(self, method: str, path: str, body: Any = None, key: bool = True,
                headers: dict[str, str] | None = None, raw: bytes | None = None) -> Request:
        all_headers = {"content-type": "application/json"} if body is not None or raw is not None else {}
        if key:
            all_headers["x-api-key"] = self.key
        all_headers.update(headers or {})
        return method, path, all_headers, raw if raw is not None else (
            json.dumps(body).encode() if body is not None else None)

    def call(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        from fastfaktura.devstack.runtime import call_api

        return call_api(*request)

    def json(self, request: Request, expected: int = 200) -> Any:
        status, _, body = self.call(request)
        if status != expected:
            raise RuntimeError(f"{request[0]} {request[1]}: {status} {body[:300]!r}")
        return json.loads(body)

    def series(self, name: str, make: Callable[[int], Request], calls: int, expected: int = 200,
               target: int | None = None, note: str = "") -> list[bytes]:
        """Call 0 warms up; calls 1..calls are measured. Answers the bodies of all calls + 1."""
        bodies = [self.call(make(0))[2]]
        self.meter.take()
        wall, cpu, costs, statuses = [], [], [], {}
        for i in range(1, calls + 1):
            request = make(i)
            started, started_cpu = time.perf_counter(), time.thread_time()
            status, _, body = self.call(request)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            costs.append(summarize(self.meter.take()))
            statuses[status] = statuses.get(status, 0) + 1
            bodies.append(body)
        trips = [c["round_trips"] for c in costs]
        typical = costs[len(costs) // 2]
        median_trips = statistics.median(trips)
        row = {
            "calls": calls, "p50_ms": round(statistics.median(wall), 1), "p95_ms": round(_percentile(wall, 0.95), 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "round_trips": median_trips, "round_trips_max": max(trips),
            "operations": ", ".join(f"{op}×{n}" if n > 1 else op for op, n in typical["operations"].items()) or "—",
            "rcu": round(statistics.median(c["rcu"] for c in costs), 2),
            "wcu": round(statistics.median(c["wcu"] for c in costs), 2),
            "modeled_rcu": round(statistics.median(c["modeled_rcu"] for c in costs), 2),
            "modeled_wcu": round(statistics.median(c["modeled_wcu"] for c in costs), 2),
            "other_aws_calls": ", ".join(f"{op}×{n}" if n > 1 else op for op, n in typical["other_calls"].items())
            or "—",
            "other_calls": typical["other_calls"],
            "answer_bytes": round(statistics.median(len(b) for b in bodies[1:])),
            "scans": sum(c["scans"] for c in costs),
            "statuses": {str(k): v for k, v in statuses.items()},
            "errors": sum(v for k, v in statuses.items() if k != expected),
            "target_round_trips": target,
            "meets_target": None if target is None else median_trips <= target,
        }
        if note:
            row["note"] = note
        self.rows[name] = row
        print(f"bench endpoints: {name}: p50 {row['p50_ms']} ms, {row['round_trips']} round trips",
              file=sys.stderr, flush=True)
        return bodies


def measure(calls: int = CALLS) -> dict[str, Any]:
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    with local_aws() as aws:
        return _measure(aws, calls)


def _measure(aws: LocalAws, calls: int) -> dict[str, Any]:
    from fastfaktura.models.sending import SendRequest
    from fastfaktura.services import sending
    from fastfaktura.services.business import create_business
    from fastfaktura.store import db

    from tests.helpers.fake_stripe import signature_header

    meter = AwsMeter().install()
    meter.watch(db.client())
    created = create_business("Bench Endpoints SARL", sandbox=False, country="FR", locale="fr",
                              email="compta@bench.example", iban="FR7630006000011234567890189")
    business_id = created.business.id
    bench = Bench(meter, created.api_key)
    n = calls + 1  # + the warm-up call
    payer = bench.json(bench.request("POST", "/api/v1/clients", {
        "name": "Client Payeur SAS", "email": "payeur@client.example", "phone": "+33612345678",
        "address": "1 rue de la Paix\n75002 Paris", "country": "FR", "locale": "fr"}), 201)

    def invoice_body(i: int) -> dict[str, Any]:
        return {"client_id": payer["id"], "currency": "EUR", "notes": f"Bench {i}", "lines": INVOICE_LINES}

    def route(method: str, path: str, **kw) -> Callable[[int], Request]:
        return lambda i: bench.request(method, path, **kw)

    # --- business
    bench.series("GET /api/v1/business", route("GET", "/api/v1/business"), calls, target=READ_TARGET)
    bench.series("PUT /api/v1/business", lambda i: bench.request(
        "PUT", "/api/v1/business", {"payment_terms_days": 30 + i % 2}), calls)

    # --- clients
    bodies = bench.series("POST /api/v1/clients", lambda i: bench.request("POST", "/api/v1/clients", {
        "name": f"Client {i:04d}", "email": f"client.{i:04d}@bench.example", "phone": f"+336{i:08d}",
        "country": "FR", "tags": ["bench"]}), calls, expected=201)
    client_ids = [json.loads(b)["id"] for b in bodies]
    bench.series("GET /api/v1/clients/{id}", lambda i: bench.request(
        "GET", f"/api/v1/clients/{client_ids[i]}"), calls, target=READ_TARGET)
    bench.series("PUT /api/v1/clients/{id}", lambda i: bench.request(
        "PUT", f"/api/v1/clients/{client_ids[i]}", {"tags": ["bench", f"t{i}"]}), calls)
    bench.series("GET /api/v1/clients", route("GET", "/api/v1/clients?per_page=50"), calls, target=READ_TARGET,
                 note=f"page 1 of {calls + 2} clients")
    bench.series("GET /api/v1/clients?q=", route("GET", "/api/v1/clients?q=client%2001"), calls,
                 note=f"search, 100 of {calls + 2} clients match")

    # --- invoices
    bodies = bench.series("POST /api/v1/invoices", lambda i: bench.request("POST", "/api/v1/invoices",
                          invoice_body(i)), calls, expected=201, target=CREATE_TARGET)
    sent_set = [json.loads(b) for b in bodies]
    bodies = bench.series("POST /api/v1/invoices (Idempotency-Key)", lambda i: bench.request(
        "POST", "/api/v1/invoices", invoice_body(i), headers={"Idempotency-Key": f"bench-create-{i}"}),
        calls, expected=201, note="+ the idempotency record: a conditional PutItem before, an UpdateItem after")
    paid_set = [json.loads(b) for b in bodies]
    bench.series("POST /api/v1/invoices (replayed Idempotency-Key)", lambda i: bench.request(
        "POST", "/api/v1/invoices", invoice_body(i), headers={"Idempotency-Key": f"bench-create-{i}"}),
        calls, expected=201, note="the stored answer: nothing is created again")
    bench.series("GET /api/v1/invoices/{id}", lambda i: bench.request(
        "GET", f"/api/v1/invoices/{sent_set[i]['id']}"), calls, target=READ_TARGET)
    bench.series("GET /api/v1/invoices", route("GET", "/api/v1/invoices?per_page=50"), calls, target=READ_TARGET,
                 note=f"page 1 of {3 * calls} invoices")
    bench.series("GET /api/v1/invoices?status=draft", route("GET", "/api/v1/invoices?status=draft&per_page=50"),
                 calls, target=READ_TARGET)
    bench.series("GET /api/v1/invoices/{id}/pdf (renders)", lambda i: bench.request(
        "GET", f"/api/v1/invoices/{sent_set[i]['id']}/pdf"), calls,
        target=None, note="first request of each invoice: render (3 lines, 1 page) + S3 PUT")
    bench.series("GET /api/v1/invoices/{id}/pdf (stored)", lambda i: bench.request(
        "GET", f"/api/v1/invoices/{sent_set[i]['id']}/pdf"), calls, target=READ_TARGET,
        note="later requests: served from the bucket")

    # --- sending (live business: SES and SNS through moto; the PDF is already stored)
    bench.series("POST /api/v1/invoices/{id}/send", lambda i: bench.request(
        "POST", f"/api/v1/invoices/{sent_set[i]['id']}/send",
        {"channels": ["email", "sms", "link"]}), calls,
        note="email (PDF attached) + SMS + link, draft → sent")
    emailed = [bench.json(bench.request("POST", "/api/v1/invoices", invoice_body(i)), 201) for i in range(n)]
    bench.series("POST /api/v1/invoices/{id}/send (email, renders)", lambda i: bench.request(
        "POST", f"/api/v1/invoices/{emailed[i]['id']}/send", {"channels": ["email"]}), calls,
        note="email only on a fresh invoice: the PDF is rendered and stored on the way (the cost model's send)")
    for invoice in paid_set:
        sending.send_invoice(business_id, invoice["id"], SendRequest(channels=["link"]), aws.base_url)

    # --- the stream → timeline function (every record written so far), then the timeline read
    timeline = _timeline(meter, aws)
    bench.series("GET /api/v1/invoices/{id}/events", lambda i: bench.request(
        "GET", f"/api/v1/invoices/{sent_set[i]['id']}/events"), calls, target=READ_TARGET)

    # --- public pages and payment
    tokens = [invoice["public_url"].rsplit("/", 1)[1] for invoice in sent_set]
    bench.series("GET /i/{token} (first view)", lambda i: bench.request(
        "GET", f"/i/{tokens[i]}", key=False), calls,
        note="marks the invoice opened")
    bench.series("GET /i/{token}", lambda i: bench.request("GET", f"/i/{tokens[i]}", key=False), calls)
    bench.series("GET /i/{token}/pdf", lambda i: bench.request("GET", f"/i/{tokens[i]}/pdf", key=False),
                 calls, note="served from the bucket")
    bench.series("POST /i/{token}/pay", lambda i: bench.request(
        "POST", f"/i/{tokens[i]}/pay", key=False, headers={"content-type": "application/x-www-form-urlencoded"},
        raw=b""), calls, expected=303, note="+ one Checkout Session request to a local stand-in for Stripe")

    def webhook(i: int) -> Request:
        invoice = sent_set[i]
        payload = json.dumps({
            "id": f"evt_bench_{i}", "object": "event", "type": "checkout.session.completed",
            "api_version": "2025-01-27.acacia", "created": int(time.time()), "livemode": False,
            "data": {"object": {"id": f"cs_test_bench_{i}", "object": "checkout.session", "mode": "payment",
                                "payment_status": "paid", "status": "complete", "client_reference_id": invoice["id"],
                                "amount_total": invoice["total_cents"], "currency": "eur",
                                "payment_intent": f"pi_test_{i}",
                                "metadata": {"invoice_id": invoice["id"], "business_id": business_id}}},
        }).encode()
        return bench.request("POST", "/webhooks/stripe", key=False, raw=payload,
                             headers={"stripe-signature": signature_header(payload, STRIPE_WEBHOOK_SECRET)})

    bench.series("POST /webhooks/stripe", webhook, calls, note="checkout.session.completed: opened → paid")
    bench.series("POST /api/v1/invoices/{id}/mark-paid", lambda i: bench.request(
        "POST", f"/api/v1/invoices/{paid_set[i]['id']}/mark-paid"), calls, note="sent → paid")
    drafts = [bench.json(bench.request("POST", "/api/v1/invoices", invoice_body(i)), 201) for i in range(n)]
    bench.series("POST /api/v1/invoices/{id}/cancel", lambda i: bench.request(
        "POST", f"/api/v1/invoices/{drafts[i]['id']}/cancel"), calls, note="draft → cancelled")
    bench.series("DELETE /api/v1/clients/{id}", lambda i: bench.request(
        "DELETE", f"/api/v1/clients/{client_ids[i]}"), calls, note="archives")

    # --- no key
    bench.series("GET /api/v1/openapi.json", route("GET", "/api/v1/openapi.json", key=False), calls, target=0)
    bench.series("$default (unknown route → 404)", route("GET", "/api/v1/nothing-here"), calls, expected=404,
                 target=0)

    meter.uninstall()
    covered = {route_of(name) for name in bench.rows}
    missing = [route_key(r) for r in _routes() if route_key(r) not in covered]
    return {
        "calls_per_endpoint": calls,
        "endpoints": bench.rows,
        "timeline": timeline,
        "routes_not_measured": missing,
        "scans_anywhere": sum(row["scans"] for row in bench.rows.values()) + timeline["scans"],
        "load_average": round(os.getloadavg()[0], 1),
        "notes": (
            "In process, warm, DynamoDB Local 3.3 (JVM) and moto on loopback: latencies are this machine's, "
            "not AWS's (a DynamoDB round trip in a region is ~3–8 ms). `cpu_p50_ms` is the handler thread's "
            "CPU time, which other load on the machine inflates less. Capacity: `rcu`/`wcu` as DynamoDB "
            "Local reports it (ReturnConsumedCapacity=TOTAL on every request); `modeled_*` adds what AWS "
            "bills and DynamoDB Local does not report (a ConditionCheck in a transaction, the 0.5 RCU minimum "
            "of an empty Query) — see bench/meter.py. Writes include the GSI writes (GSI1–GSI4 project ALL, "
            "GSI5 keys only). `round_trips_max` > `round_trips` is the API key lookup after its 60 s cache expired. "
            "The Stripe routes talk to a local stand-in for Stripe's API (tests/helpers/fake_stripe.py); Stripe's "
            "own latency is not in these figures."),
    }


def _routes():
    from fastfaktura.tools.template import routes

    return routes()


def route_key(route: Route) -> str:
    """A template route as the rows name it: `GET /api/v1/clients/{id}`, or `$default`."""
    return route.path if route.path == "$default" else f"{route.method} {route.path}"


def route_of(row: str) -> str:
    """The route a row measures: `GET /api/v1/clients?q=` and `POST /api/v1/invoices (Idempotency-Key)`
    are variants of `GET /api/v1/clients` and `POST /api/v1/invoices`."""
    return row.split(" (")[0].split("?")[0]


def _timeline(meter: AwsMeter, aws: LocalAws) -> dict[str, Any]:
    """Feeds the stream to the timeline function as its event source mapping would (batches of up to
    100 records), until the stream is drained; measures each invocation."""
    import boto3
    from fastfaktura.devstack import runtime
    from fastfaktura.devstack.streams import StreamPoller
    from fastfaktura.tools.template import stream_function

    function = stream_function()
    runtime.load_handler(function)  # warm: the container is loaded before the first batch
    invocations: list[dict[str, Any]] = []

    def measured(fn, event):
        meter.take()
        started, started_cpu = time.perf_counter(), time.thread_time()
        answer = runtime.invoke(fn, event)
        cost = summarize(meter.take())
        invocations.append({"records": len(event["Records"]), "ms": (time.perf_counter() - started) * 1000,
                            "cpu_ms": (time.thread_time() - started_cpu) * 1000, **cost})
        return answer

    client = boto3.client("dynamodbstreams", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
    with tempfile.TemporaryDirectory() as checkpoints:
        from pathlib import Path

        poller = StreamPoller.for_function(function, client, aws.stream_arn, measured, "eu-west-1",
                                           checkpoint_file=Path(checkpoints) / "checkpoints.json")
        idle_since = time.monotonic()
        while time.monotonic() - idle_since < 3.0:
            if poller.poll_once():
                idle_since = time.monotonic()
            time.sleep(0.05)
    records = sum(i["records"] for i in invocations)
    puts = sum(i["operations"].get("PutItem", 0) for i in invocations)
    return {
        "function": function.logical_id, "invocations": len(invocations), "records": records,
        "events_written": puts,
        "p50_ms_per_invocation": round(statistics.median(i["ms"] for i in invocations), 1) if invocations else None,
        "cpu_ms_per_record": round(sum(i["cpu_ms"] for i in invocations) / max(records, 1), 2),
        "round_trips_per_event": round(sum(i["round_trips"] for i in invocations) / max(puts, 1), 2),
        "wcu_per_event": round(sum(i["wcu"] for i in invocations) / max(puts, 1), 2),
        "modeled_wcu_per_event": round(sum(i["modeled_wcu"] for i in invocations) / max(puts, 1), 2),
        "scans": sum(i["scans"] for i in invocations),
        "note": "every record of the run (clients, invoices, deliveries, …); records that are no event are "
                "filtered out by the mapping's FilterCriteria or write nothing",
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=CALLS)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.calls), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
