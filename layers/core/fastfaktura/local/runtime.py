"""Runs the template's functions in this process as Lambda would: API Gateway (HTTP API, payload
v2.0) events, the handler module loaded from its CodeUri, a Lambda-like context."""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastfaktura.local.template import Function, Route, functions, routes

_handlers: dict[str, Callable] = {}


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = ""
    invoked_function_arn: str = ""
    timeout_ms: int = 10_000

    def __post_init__(self):
        self.aws_request_id = self.aws_request_id or str(uuid.uuid4())
        self.invoked_function_arn = f"arn:aws:lambda:eu-west-1:000000000000:function:{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def load_handler(function: Function) -> Callable:
    """The function's handler, imported once from its CodeUri under a module name of its own."""
    if function.logical_id not in _handlers:
        module_name, attribute = function.handler.rsplit(".", 1)
        path = function.code_uri / f"{module_name.replace('.', '/')}.py"
        spec = importlib.util.spec_from_file_location(f"fastfaktura_fn_{function.logical_id}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        _handlers[function.logical_id] = getattr(module, attribute)
    return _handlers[function.logical_id]


def invoke(function: Function, event: dict) -> Any:
    context = LambdaContext(function.logical_id, timeout_ms=function.timeout * 1000)
    os.environ.setdefault("AWS_LAMBDA_FUNCTION_NAME", function.logical_id)
    return load_handler(function)(event, context)


def match_route(method: str, path: str) -> tuple[Route | None, list[str]]:
    """The route API Gateway would pick, and the methods allowed on that path (for 405)."""
    allowed, default = [], None
    for route in routes():
        if route.path == "$default":
            default = route
            continue
        if route.pattern.match(path):
            if route.method in (method, "ANY"):
                return route, [route.method]
            allowed.append(route.method)
    return default, allowed


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
            "requestId": base64.b32encode(os.urandom(10)).decode().rstrip("=").lower(),
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
        if is_text:
            event["body"] = body.decode("utf-8", errors="replace")
        else:
            event["body"] = base64.b64encode(body).decode()
            event["isBase64Encoded"] = True
    return event


def _is_text(content_type: str) -> bool:
    ct = content_type.lower()
    return ct.startswith("text/") or "json" in ct or "x-www-form-urlencoded" in ct or "xml" in ct or not ct


def http_answer(result: Any) -> tuple[int, dict[str, str], bytes]:
    """A Lambda answer in payload format 2.0 → status, headers, body bytes (as API Gateway does)."""
    if not isinstance(result, dict) or "statusCode" not in result:
        body = result if isinstance(result, str) else json.dumps(result)
        return 200, {"content-type": "application/json"}, body.encode()
    headers = {k.lower(): str(v) for k, v in (result.get("headers") or {}).items()}
    if result.get("cookies"):
        headers["set-cookie"] = ", ".join(result["cookies"])
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode()
    return int(result["statusCode"]), headers, body


def call_api(method: str, url: str, headers: dict[str, str] | None = None, body: bytes | None = None,
             domain: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
    """One request routed by the template's HTTP API routes, as API Gateway would."""
    path = urlsplit(url).path
    route, _allowed = match_route(method, path)
    if route is None:
        return 404, {"content-type": "application/json"}, b'{"message":"Not Found"}'
    function = functions()[route.function_id]
    event = http_event(method, url, headers, body, route=route, domain=domain)
    return http_answer(invoke(function, event))
