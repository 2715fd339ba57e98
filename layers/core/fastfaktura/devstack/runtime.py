"""Runs the template's functions as Lambda would: API Gateway (HTTP API, payload v2.0) events, the
handler module loaded from its CodeUri, a Lambda-like context.

Two ways to run them. `fastfaktura dev` (`use_worker_processes()`): one process per concurrent
invocation of a function, like Lambda's containers — each a process of its own (forked from a fresh
interpreter that has imported the libraries only) that loads the function once and then serves one
invocation at a time, so nothing per request (Powertools' logger
keys and correlation id, metrics, the router's request, the caller) is ever shared between two
functions or two concurrent requests. The tests (the default): the same handlers in this process,
one instance per concurrent invocation, so they can patch and observe what the functions do."""

from __future__ import annotations

import base64
import contextlib
import importlib.util
import json
import multiprocessing
import os
import re
import sys
import threading
import time
import traceback
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from multiprocessing import forkserver, resource_tracker
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastfaktura.tools.template import Function, Route, functions, routes


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = ""
    invoked_function_arn: str = ""
    timeout_ms: int = 10_000

    def __post_init__(self):
        self.aws_request_id = self.aws_request_id or str(uuid.uuid4())
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "eu-west-1")
        self.invoked_function_arn = f"arn:aws:lambda:{region}:000000000000:function:{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


_import_lock = threading.RLock()


def _load(function: Function, instance: int) -> Callable:
    """One "container": the handler module executed afresh under a name of its own, with the
    function's layers and its CodeUri on sys.path while it loads (as LAMBDA_TASK_ROOT is)."""
    path = function.handler_file
    suffix = f"_{instance}" if instance else ""
    name = f"fastfaktura_fn_{function.logical_id}{suffix}"
    code_dir = str(function.code_uri)
    with _import_lock:
        for layer in function.layers:
            for candidate in (layer / "python", layer):
                if candidate.is_dir() and str(candidate) not in sys.path:
                    sys.path.append(str(candidate))
        before = set(sys.modules)
        sys.path.insert(0, code_dir)
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise ImportError(f"no handler module at {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        finally:
            sys.path.remove(code_dir)
            # Sibling modules of app.py (a helpers.py of one function) must not shadow another's.
            for added in set(sys.modules) - before - {name}:
                if str(getattr(sys.modules[added], "__file__", "") or "").startswith(code_dir + os.sep):
                    del sys.modules[added]
    return getattr(module, function.handler.rsplit(".", 1)[1])


class _Containers:
    """Warm handler instances per function, each serving one invocation at a time like a Lambda
    container; a concurrent invocation gets a new instance (module state is per instance)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._idle: dict[str, list[Callable]] = defaultdict(list)
        self._started: dict[str, int] = defaultdict(int)

    @contextmanager
    def handler(self, function: Function) -> Iterator[Callable]:
        with self._lock:
            idle = self._idle[function.logical_id]
            handler = idle.pop() if idle else None
            if handler is None:
                instance = self._started[function.logical_id]
                self._started[function.logical_id] += 1
        if handler is None:
            try:
                handler = _load(function, instance)
            except BaseException:
                with self._lock:
                    self._started[function.logical_id] -= 1
                raise
        try:
            yield handler
        finally:
            with self._lock:
                self._idle[function.logical_id].append(handler)


_containers = _Containers()


class FunctionFailed(Exception):
    """The function raised, timed out or its process died (Lambda's "Unhandled" error)."""


# Spawning an interpreter and importing a function takes seconds on a busy machine (many at once).
COLD_START_LIMIT_SECONDS = 300
# A laptop running every function, DynamoDB Local and the emulators is slower than Lambda: a function
# is stopped after this many times its timeout (Lambda's own stops it at 1×).
LOCAL_TIMEOUT_FACTOR = 3
MAX_WORKERS_PER_FUNCTION = 4
# The functions no HTTP request waits for (fed by the stream, a queue or a schedule) run their
# invocations at this much lower CPU priority: in AWS they never take CPU from an API request, here
# they share two cores with them. They still get their share (they lag under load, then catch up).
BACKGROUND_NICENESS = 10


class _Worker:
    """One "container" in a process of its own: loads the function at start, then runs one event at
    a time sent over a pipe. Its stdout and stderr are the stack's, as a function's go to its logs."""

    def __init__(self, function: Function):
        self.function = function
        context = _worker_context()
        self._pipe, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(function.logical_id, child, dict(os.environ)),
                                       name=f"lambda-{function.logical_id}", daemon=True)
        self.process.start()
        child.close()
        self._stopping = threading.Lock()

    def wait_ready(self) -> None:
        """Returns once the function is loaded (its cold start); FunctionFailed on an init error."""
        self._receive(COLD_START_LIMIT_SECONDS, "its cold start took too long")

    def invoke(self, event: dict) -> Any:
        """The handler's answer; FunctionFailed when it raised, ran past the function's timeout (the
        process is then killed, as Lambda does) or died."""
        self._pipe.send(event)
        limit = self.function.timeout * LOCAL_TIMEOUT_FACTOR
        return self._receive(limit, f"task timed out after {limit} s")

    def _receive(self, seconds: float, late: str) -> Any:
        if not self._pipe.poll(seconds):
            self.stop()
            raise FunctionFailed(f"{self.function.logical_id}: {late}")
        try:
            ok, answer = self._pipe.recv()
        except (EOFError, OSError) as exc:
            self.stop()
            raise FunctionFailed(f"{self.function.logical_id}: its process exited") from exc
        if not ok:
            raise FunctionFailed(f"{self.function.logical_id}: {answer}")
        return answer

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        """Kills the process (if it still runs) and closes the pipe; the stack's stop and a cold start
        that fails may both call it."""
        with self._stopping:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(timeout=5)
            self._pipe.close()


# Imported once by the server that forks the worker processes (never the functions' own code): a worker's
# cold start is then its function's modules, about 0.2 s of CPU instead of 0.5 s, which counts when a
# burst of requests meets a stack that has not served that function yet.
WORKER_PRELOAD = ["boto3", "botocore.client", "pydantic.main", "pydantic.types", "aws_lambda_powertools.logging",
                  "aws_lambda_powertools.metrics", "aws_lambda_powertools.utilities.idempotency"]


@cache
def _worker_context() -> Any:
    """Workers are forked by multiprocessing's fork server, a fresh interpreter of its own that has
    imported `WORKER_PRELOAD` and nothing of this process (spawned where there is no fork server)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    return context


def _serve(logical_id: str, pipe, environment: dict[str, str]) -> None:
    """A worker process's life: the stack's environment and the function's name, the handler loaded
    once (its cold start), then one event after another until the pipe closes."""
    os.environ.clear()
    os.environ.update(environment)
    os.environ["AWS_LAMBDA_FUNCTION_NAME"] = logical_id
    function = _functions()[logical_id]
    try:
        handler = _load(function, 0)
    except Exception as exc:  # an init error, as Lambda reports it
        traceback.print_exc()
        pipe.send((False, f"init failed: {type(exc).__name__}: {exc}"))
        return
    if function.event_of_type("HttpApi") is None and hasattr(os, "nice"):
        os.nice(BACKGROUND_NICENESS)
    pipe.send((True, "ready"))
    while True:
        try:
            event = pipe.recv()
        except (EOFError, OSError, KeyboardInterrupt):  # the stack closed the pipe, or Ctrl-C in its terminal
            return
        context = LambdaContext(logical_id, timeout_ms=function.timeout * 1000)
        try:
            answer = (True, handler(event, context))
        except Exception as exc:  # reported to the invoker, as Lambda reports an unhandled error
            traceback.print_exc()
            answer = (False, f"{type(exc).__name__}: {exc}")
        pipe.send(answer)


class _Turns:
    """Up to `size` holders at a time; the others wait in their order of arrival, and a holder that is
    done hands its turn to the longest waiter. (A `threading.Semaphore` lets a caller that arrives just
    then take the freed turn before the waiter it woke, again and again under load: a few requests
    wait many times their share, which is the p99.)"""

    def __init__(self, size: int):
        self._lock = threading.Lock()
        self._free = size
        self._waiting: deque[threading.Lock] = deque()

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._lock:
            waiter = None
            if self._free:
                self._free -= 1
            else:
                waiter = threading.Lock()
                waiter.acquire()
                self._waiting.append(waiter)
        if waiter is not None:
            waiter.acquire()  # released by the holder that hands its turn over
        try:
            yield
        finally:
            with self._lock:
                if self._waiting:
                    self._waiting.popleft().release()
                else:
                    self._free += 1

    @property
    def waiting(self) -> int:
        """How many invocations wait for a turn."""
        with self._lock:
            return len(self._waiting)


class _WorkerPools:
    """Worker processes per function, each serving one invocation at a time. An invocation takes an
    idle worker; when there is none, the function grows by one worker at a time, up to
    `MAX_WORKERS_PER_FUNCTION`, and the invocation takes whichever is free first: a busy worker that
    finishes or the new one once it has started. Beyond the cap invocations wait for their turn, first
    come first served (as a function with reserved concurrency queues, here without a 429): fifty cold
    starts at once would only stall a laptop, and a request would wait for a cold start that a warm
    worker beats by far."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._idle: dict[str, list[_Worker]] = defaultdict(list)
        self._all: list[_Worker] = []
        self._starting: set[str] = set()
        self._waiting: dict[str, int] = defaultdict(int)
        self._init_errors: dict[str, list[FunctionFailed]] = defaultdict(list)
        self._turns: dict[str, _Turns] = defaultdict(lambda: _Turns(MAX_WORKERS_PER_FUNCTION))
        self._stopped = False

    def invoke(self, function: Function, event: dict) -> Any:
        with self._lock:
            turns = self._turns[function.logical_id]
        with turns.turn():
            worker = self._take(function)
            try:
                return worker.invoke(event)
            finally:
                if worker.alive:
                    with self._lock:
                        self._idle[function.logical_id].append(worker)
                        self._lock.notify_all()

    def _take(self, function: Function) -> _Worker:
        name = function.logical_id
        with self._lock:
            while True:
                if self._stopped:
                    raise FunctionFailed(f"{name}: the local stack is stopping")
                if self._idle[name]:
                    return self._idle[name].pop()
                if self._init_errors[name]:
                    raise self._init_errors[name].pop()
                live = sum(1 for worker in self._all if worker.function.logical_id == name and worker.alive)
                if name not in self._starting and live < MAX_WORKERS_PER_FUNCTION:
                    self._starting.add(name)
                    worker = _Worker(function)  # started under the lock, so that `stop` sees every worker
                    self._all.append(worker)
                    threading.Thread(target=self._start, args=(worker,), name=f"start-{name}", daemon=True).start()
                self._waiting[name] += 1
                self._lock.wait()
                self._waiting[name] -= 1

    def _start(self, worker: _Worker) -> None:
        """A new worker's cold start; then it is idle. An init error goes to an invocation still waiting."""
        name = worker.function.logical_id
        try:
            worker.wait_ready()
            error = None
        except FunctionFailed as exc:
            error = exc
        with self._lock:
            self._starting.discard(name)
            if error is None and not self._stopped:
                self._idle[name].append(worker)
            elif error is not None and self._waiting[name]:
                self._init_errors[name].append(error)
            elif error is not None and not self._stopped:
                print(error, file=sys.stderr)
            self._lock.notify_all()

    def processes(self, function: Function) -> list[multiprocessing.Process]:
        """The function's worker processes started so far (idle or busy)."""
        with self._lock:
            return [worker.process for worker in self._all if worker.function.logical_id == function.logical_id]

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            workers, self._all, self._idle = self._all, [], defaultdict(list)
            self._lock.notify_all()
        for worker in workers:
            worker.stop()
        # The fork server and multiprocessing's resource tracker are children of this process; they
        # would outlive the stack by a moment (Python has no public way to stop them).
        with contextlib.suppress(Exception):
            forkserver._forkserver._stop()  # type: ignore[attr-defined]
        with contextlib.suppress(Exception):
            resource_tracker._resource_tracker._stop()  # type: ignore[attr-defined]


_workers: _WorkerPools | None = None


def use_worker_processes() -> _WorkerPools:
    """From now on every invocation runs in a worker process (see the module's docstring)."""
    global _workers
    _workers = _workers or _WorkerPools()
    return _workers


def stop_worker_processes() -> None:
    global _workers
    workers, _workers = _workers, None
    if workers:
        workers.stop()


def load_handler(function: Function) -> Callable:
    """A warm handler of the function (for callers that only need to check that it loads)."""
    with _containers.handler(function) as handler:
        return handler


def invoke(function: Function, event: dict) -> Any:
    if _workers is not None:
        return _workers.invoke(function, event)
    context = LambdaContext(function.logical_id, timeout_ms=function.timeout * 1000)
    os.environ.setdefault("AWS_LAMBDA_FUNCTION_NAME", function.logical_id)
    with _containers.handler(function) as handler:
        return handler(event, context)


@cache
def _functions() -> dict[str, Function]:
    """The template's functions, read once per process (the template is too: `tools.template.load`)."""
    return functions()


@cache
def _routes() -> tuple[tuple[Route, re.Pattern[str]], ...]:
    """The routes in API Gateway's order of matching, each with its compiled path pattern."""
    return tuple((route, route.pattern) for route in routes())


def match_route(method: str, path: str) -> Route:
    """The route API Gateway would pick: the most specific one of that method and path, else the
    template's `$default` (whose function answers 404 and 405)."""
    return next(route for route, pattern in _routes() if route.path == "$default"
                or (route.method in (method, "ANY") and pattern.match(path)))


def new_request_id() -> str:
    return base64.b32encode(os.urandom(10)).decode().rstrip("=").lower()


def http_event(method: str, url: str, headers: dict[str, str] | None = None, body: bytes | None = None,
               route: Route | None = None, domain: str = "127.0.0.1") -> dict:
    """The HTTP API payload v2.0 event for one request."""
    parts = urlsplit(url)
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    query_pairs = parse_qsl(parts.query, keep_blank_values=True)
    query: dict[str, str] = {}
    for key, value in query_pairs:
        query[key] = f"{query[key]},{value}" if key in query else value
    now = datetime.now(UTC)
    route_key = f"{route.method} {route.path}" if route and route.path != "$default" else "$default"
    is_text = body is None or _is_text(headers.get("content-type", ""))
    event = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": parts.path,
        "rawQueryString": parts.query,
        "headers": headers,
        "requestContext": {
            "accountId": "000000000000", "apiId": "local", "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {"method": method, "path": parts.path, "protocol": "HTTP/1.1",
                     "sourceIp": "127.0.0.1", "userAgent": headers.get("user-agent", "")},
            "requestId": new_request_id(),
            "routeKey": route_key, "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"), "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = query
    if route and route.path != "$default":
        params = route.path_parameters(parts.path)
        if params:
            event["pathParameters"] = params
    if "cookie" in headers:
        event["cookies"] = [c.strip() for c in headers["cookie"].split(";")]
    if body:
        if is_text and _is_utf8(body):
            event["body"] = body.decode("utf-8")
        else:  # bytes that are not UTF-8 pass unchanged, never with replacement characters
            event["body"] = base64.b64encode(body).decode()
            event["isBase64Encoded"] = True
    return event


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_text(content_type: str) -> bool:
    ct = content_type.lower()
    return ct.startswith("text/") or "json" in ct or "x-www-form-urlencoded" in ct or "xml" in ct or not ct


def http_answer(result: Any) -> tuple[int, dict[str, str], bytes]:
    """A Lambda answer in payload format 2.0 → status, headers, body bytes (as API Gateway does)."""
    if not isinstance(result, dict) or "statusCode" not in result:
        text = result if isinstance(result, str) else json.dumps(result)
        return 200, {"content-type": "application/json"}, text.encode()
    headers = {k.lower(): str(v) for k, v in (result.get("headers") or {}).items()}
    if result.get("cookies"):
        headers["set-cookie"] = ", ".join(result["cookies"])
    raw: str = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode()
    return int(result["statusCode"]), headers, body


def call_api(method: str, url: str, headers: dict[str, str] | None = None, body: bytes | None = None,
             domain: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
    """One request routed by the template's HTTP API routes, as API Gateway would."""
    event, result = route_request(method, url, headers, body, domain)
    status, answer_headers, answer_body = http_answer(result)
    answer_headers.setdefault("apigw-requestid", event["requestContext"]["requestId"])
    return status, answer_headers, answer_body


def route_request(method: str, url: str, headers: dict[str, str] | None = None, body: bytes | None = None,
                  domain: str = "127.0.0.1") -> tuple[dict, Any]:
    """The event API Gateway would build for one request, and the answer of the routed function."""
    route = match_route(method, urlsplit(url).path)
    event = http_event(method, url, headers, body, route=route, domain=domain)
    return event, invoke(_functions()[route.function_id], event)

