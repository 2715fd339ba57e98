"""Load on the local stack: `fastfaktura dev` started on a free loopback port, one live business
(`fastfaktura create-business --live --local`), then 50 concurrent callers for 60 s, each creating
invoices over HTTP, one after the other, with no client retries: a 503 is an error (and counted apart).
Answers throughput, latency (p50/p95/p99), the error count (target 0) and whether the numbers are still
gapless afterwards (every invoice of the business listed through the API: F-0001 … F-N, N = the creates
that succeeded). `--flow` makes each iteration create → send (email with the PDF, SMS, link) → get.
Also the CPU time each part of the stack spent per created invoice over the run (from /proc: the dev
process with its HTTP server, pollers and moto; DynamoDB Local's JVM; the function workers; the callers),
and how long after the last create its timeline event was listed (the stream's consumers catching up).

Bounded: 60 s of new iterations, at most MAX_ITERATIONS in all, 30 s per request; the stack is
stopped with SIGINT (Ctrl-C) afterwards.
`python -m bench.load [--seconds S] [--callers N] [--retries N] [--flow]`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

CALLERS = 50
SECONDS = 60.0
MAX_ITERATIONS = 20_000
REQUEST_TIMEOUT = 30.0
RETRIES = 0  # of a 503 (after its Retry-After); 0: the server alone must keep up
# The business's request budget for the run (the template's BusinessRequestsPerMinute, 1200 by default,
# is 20 requests a second: 50 callers on one business spend it within the minute and get 429s). Still
# taken at every request, as deployed (one UpdateItem), but never spent.
REQUESTS_PER_MINUTE = 1_000_000
LINES = [{"description": "Consulting", "quantity": "2", "unit_price_cents": 45000, "tax_rate": "25"},
         {"description": "Travel", "quantity": "1", "unit_price_cents": 12000, "tax_rate": "25"}]


def _fastfaktura() -> list[str]:
    script = Path(sys.executable).parent / "fastfaktura"
    return [str(script)] if script.exists() else [sys.executable, "-c",
                                                   "import sys; from fastfaktura.tools.cli import main; "
                                                   "sys.exit(main())"]


class DevProcess:
    """`fastfaktura dev` as a child process with its own state directory (so that a developer's
    running stack and its `.fastfaktura/local.json` are left alone)."""

    def __init__(self, state_dir: Path):
        from fastfaktura.devstack.dynamodb import free_port

        self.state_dir, self.port = state_dir, free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_ENDPOINT_URL", "STRIPE_"))}
        env.update({"AWS_DEFAULT_REGION": "eu-west-1", "POWERTOOLS_LOG_LEVEL": "ERROR",
                    "BUSINESS_REQUESTS_PER_MINUTE": str(REQUESTS_PER_MINUTE)})
        self.env = env
        self.process = subprocess.Popen([*_fastfaktura(), "dev", "--port", str(self.port), "--state-dir",
                                         str(state_dir)], env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.stderr_tail: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.process.stderr:
            self.stderr_tail = [*self.stderr_tail[-50:], line.rstrip()]

    def wait_ready(self, timeout: float = 120.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        local_json = self.state_dir / "local.json"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("fastfaktura dev exited: " + "\n".join(self.stderr_tail[-10:]))
            if local_json.exists():
                return json.loads(local_json.read_text())
            time.sleep(0.2)
        raise RuntimeError("fastfaktura dev did not start in time")

    def create_business(self) -> dict[str, str]:
        out = subprocess.run([*_fastfaktura(), "create-business", "--name", "Load Test AS", "--live", "--country",
                              "NO", "--locale", "nb", "--local", "--state-dir", str(self.state_dir)],
                             env=self.env, capture_output=True, text=True, check=True, timeout=120)
        return json.loads(out.stdout.strip().splitlines()[-1])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait(timeout=10)


class Callers:
    """N threads, each with its own HTTP connection, repeating create → send → get until time is up."""

    def __init__(self, base_url: str, key: str, client_id: str, seconds: float, callers: int, retries: int,
                 flow: bool):
        self.base_url, self.key, self.client_id = base_url, key, client_id
        self.seconds, self.callers, self.max_retries, self.flow = seconds, callers, retries, flow
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.retries: dict[str, int] = defaultdict(int)
        self.answered_503: dict[str, int] = defaultdict(int)
        self.created = self.iterations = 0
        self.last_invoice_id: str | None = None
        self.started = self.finished = 0.0

    def run(self) -> None:
        self.started = time.monotonic()
        threads = [threading.Thread(target=self._caller, daemon=True) for _ in range(self.callers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(self.seconds + 4 * REQUEST_TIMEOUT)
        self.finished = time.monotonic()

    def _take_iteration(self) -> bool:
        with self.lock:
            if time.monotonic() - self.started >= self.seconds or self.iterations >= MAX_ITERATIONS:
                return False
            self.iterations += 1
            return True

    def _caller(self) -> None:
        import requests

        session = requests.Session()
        session.headers.update({"X-Api-Key": self.key})
        while self._take_iteration():
            invoice = self._step(session, "create", "POST", "/api/v1/invoices", 201, {
                "client_id": self.client_id, "currency": "NOK", "lines": LINES},
                headers={"Idempotency-Key": str(uuid.uuid4())})
            if invoice is None:
                continue
            with self.lock:
                self.created += 1
                self.last_invoice_id = invoice["id"]
            if not self.flow:
                continue
            path = f"/api/v1/invoices/{invoice['id']}"
            if self._step(session, "send", "POST", f"{path}/send", 200,
                          {"channels": ["email", "sms", "link"]}) is None:
                continue
            self._step(session, "get", "GET", path, 200)

    def _step(self, session, name: str, method: str, path: str, expected: int, body: Any = None,
              headers: dict[str, str] | None = None) -> Any:
        """One call; a 503 is retried (up to `max_retries`) after its Retry-After, with the same
        Idempotency-Key; retries are counted, only the final failure is an error."""
        started = time.perf_counter()
        for attempt in range(self.max_retries + 1):
            try:
                answer = session.request(method, self.base_url + path, json=body, headers=headers,
                                         timeout=REQUEST_TIMEOUT)
                status, text = answer.status_code, answer.text
            except Exception as exc:  # a timeout or a dropped connection is an error of the run, not a crash
                status, text = 0, f"{type(exc).__name__}: {exc}"
                break
            if status == 503:
                with self.lock:
                    self.answered_503[name] += 1
            if status != 503 or attempt == self.max_retries:
                break
            with self.lock:
                self.retries[name] += 1
            time.sleep(float(answer.headers.get("Retry-After", "1")))
        with self.lock:
            self.latencies[name].append((time.perf_counter() - started) * 1000)
            if status != expected:
                self.errors.append(f"{name} {status} {text[:200]}")
        return json.loads(text) if status == expected else None


def _all_numbers(base_url: str, key: str) -> list[str]:
    import requests

    numbers, page = [], 1
    while True:
        answer = requests.get(f"{base_url}/api/v1/invoices", params={"page": page, "per_page": 100},
                              headers={"X-Api-Key": key}, timeout=60).json()
        numbers += [invoice["number"] for invoice in answer["data"]]
        if not answer["has_more"]:
            return numbers
        page += 1


def _timeline_lag(base_url: str, key: str, invoice_id: str | None, started: float) -> float | None:
    """Seconds from `started` until the invoice's timeline lists an event (None: not within 120 s)."""
    import requests

    while invoice_id and time.monotonic() - started < 120:
        answer = requests.get(f"{base_url}/api/v1/invoices/{invoice_id}/events", headers={"X-Api-Key": key},
                              timeout=60)
        if answer.status_code == 200 and answer.json()["data"]:
            return round(time.monotonic() - started, 1)
        time.sleep(0.2)
    return None


def _stack_cpu(pid: int) -> dict[str, float]:
    """CPU seconds so far of `fastfaktura dev` and of its descendants, by part ({} without /proc)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    processes: dict[int, tuple[int, float, str]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        processes[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, command)
    parts: dict[str, float] = defaultdict(float)
    for process, (_parent, seconds, command) in processes.items():
        ancestor = process
        while ancestor not in (pid, 0, 1) and ancestor in processes:
            ancestor = processes[ancestor][0]
        if ancestor != pid:
            continue
        # The workers are forked by multiprocessing's fork server (counted with them).
        part = ("fastfaktura dev" if process == pid else "DynamoDB Local" if "DynamoDBLocal" in command
                else "function workers" if "multiprocessing" in command else "other children")
        parts[part] += seconds
    return dict(parts)


def _cpu_per_create(before: dict[str, float], after: dict[str, float], callers: float,
                    created: int) -> dict[str, float]:
    per = {part: round(1000 * (seconds - before.get(part, 0.0)) / max(created, 1), 1)
           for part, seconds in after.items()}
    per["callers"] = round(1000 * callers / max(created, 1), 1)
    per["total"] = round(sum(per.values()), 1)
    return per


def _gapless(numbers: list[str]) -> dict[str, Any]:
    sequences = sorted(int(re.sub(r"\D", "", n)) for n in numbers)
    expected = list(range(1, len(sequences) + 1))
    return {"invoices_listed": len(sequences), "distinct": len(set(sequences)),
            "gapless": sequences == expected,
            "first": sequences[0] if sequences else None, "last": sequences[-1] if sequences else None}


def _by_step(errors: list[str]) -> dict[str, int]:
    """"create 503" → count, per step and status."""
    counts: dict[str, int] = {}
    for error in errors:
        step_status = " ".join(error.split(" ", 2)[:2])
        counts[step_status] = counts.get(step_status, 0) + 1
    return counts


def _percentile(values: list[float], share: float) -> float:
    return round(sorted(values)[int(share * (len(values) - 1))], 1)


def measure(seconds: float = SECONDS, callers: int = CALLERS, retries: int = RETRIES,
            flow: bool = False) -> dict[str, Any]:
    import requests

    with tempfile.TemporaryDirectory(prefix="fastfaktura-load-") as state:
        dev = DevProcess(Path(state))
        try:
            endpoints = dev.wait_ready()
            base_url = endpoints["api_base_url"]
            business = dev.create_business()
            client = requests.post(f"{base_url}/api/v1/clients", headers={"X-Api-Key": business["api_key"]},
                                   json={"name": "Kunde Last AS", "email": "kunde@last.example",
                                         "phone": "+4791234567", "country": "NO", "locale": "nb"},
                                   timeout=60).json()
            load_before = os.getloadavg()[0]
            run = Callers(base_url, business["api_key"], client["id"], seconds, callers, retries, flow)
            cpu_before, callers_before = _stack_cpu(dev.process.pid), time.process_time()
            run.run()
            cpu = _cpu_per_create(cpu_before, _stack_cpu(dev.process.pid), time.process_time() - callers_before,
                                  run.created)
            lag = _timeline_lag(base_url, business["api_key"], run.last_invoice_id, run.finished)
            numbers = _gapless(_all_numbers(base_url, business["api_key"]))
        finally:
            dev.stop()
    elapsed = run.finished - run.started
    requests_done = sum(len(v) for v in run.latencies.values())
    return {
        "callers": callers, "duration_s": round(elapsed, 1), "iterations": run.iterations,
        "iteration": "create → send → get" if flow else "create", "client_retries": retries,
        "answered_503": dict(run.answered_503),
        "requests": requests_done, "requests_per_second": round(requests_done / elapsed, 1),
        "invoices_per_second": round(run.created / elapsed, 2),
        "errors": len(run.errors), "errors_by_step": _by_step(run.errors),
        "retried_503": dict(run.retries),
        "error_samples": [next(e for e in run.errors if e.startswith(f"{step} ")) for step in _by_step(run.errors)],
        "created": run.created,
        "numbering": {**numbers, "matches_creates": numbers["invoices_listed"] == run.created},
        "latency_ms": {name: {"p50": round(statistics.median(v), 1), "p95": _percentile(v, 0.95),
                              "p99": _percentile(v, 0.99), "max": round(max(v), 1), "count": len(v)}
                       for name, v in run.latencies.items()},
        "cpu_ms_per_create": cpu, "timeline_lag_s": lag,
        "load_average_before": round(load_before, 1), "load_average_after": round(os.getloadavg()[0], 1),
        "notes": ("HTTP on loopback against `fastfaktura dev`: each concurrent invocation of a function runs in "
                  "a worker process of its own, as Lambda gives each its container, with the stream pollers, "
                  "DynamoDB Local and moto (SES, SNS, S3, SQS) beside them and the callers themselves, all on the "
                  "same 2 cores, shared with other work. Throughput here is this machine's, not Lambda's, where "
                  "each request has its own container. The numbering check lists every invoice of the business "
                  "through the API. "
                  "`client_retries` is how often a caller retries a 503 after its Retry-After (with the same "
                  "Idempotency-Key): 0 by default, so every 503 is an error; `answered_503` counts the 503 "
                  "answers, `retried_503` the retries. The business's request budget is raised to "
                  f"{REQUESTS_PER_MINUTE:,} a minute (BUSINESS_REQUESTS_PER_MINUTE; the template's 1200 is 20 "
                  "requests a second, which 50 callers on one business exceed): still taken at every request. "
                  "`cpu_ms_per_create`: CPU time of each part of the stack over the run (from /proc), divided "
                  "by the invoices created; the stream's consumers run at a lower CPU priority and partly "
                  "catch up after the run, which `timeline_lag_s` shows: seconds from the run's end until the "
                  "last invoice's timeline lists its creation (its first read includes a cold start of the "
                  "timeline's GET function)."),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--callers", type=int, default=CALLERS)
    parser.add_argument("--retries", type=int, default=RETRIES, help="retries of a 503 per request (default 0)")
    parser.add_argument("--flow", action="store_true", help="create → send → get instead of creates only")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.seconds, args.callers, args.retries, args.flow), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
