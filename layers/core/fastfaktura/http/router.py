"""The request router of every HTTP function: a route's path and query parameters and its JSON body
validated with the handler's own pydantic annotations, its return value serialized by its return
annotation, every answer in API Gateway's payload format 2.0.

Why our own: Powertools' resolver imports every other resolver, its data classes and its OpenAPI
machinery at the cold start (≈ 65 ms of CPU, bench/RESULTS.md), for one route per function. The
OpenAPI document is still Powertools' work, at build time: `fastfaktura.tools.openapi` hands these
routes, with `Body`/`Query` turned into Powertools' own parameters, to its resolver (`documented`).

A handler declares its route as with Powertools (`@app.get("/api/v1/invoices/<invoice_id>", …)`): a
parameter named in the path is a path parameter, `Annotated[T, Query(…)]` a query parameter (the
keywords are pydantic `Field` constraints), `Annotated[Model, Body()]` the JSON body."""

from __future__ import annotations

import base64
import inspect
import json
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastfaktura.domain.errors import InvalidRequest, NotFound
from fastfaktura.http.openapi_document import route_pattern
from fastfaktura.models.request import parse_json_body

OBJECT_ONLY = "a JSON object body is required"


def dump_json(value: Any) -> str:
    """The one JSON encoding of every answer: compact UTF-8 (`Å`, not `\\u00c5`); Decimals (in an error's
    `details`) as Powertools' encoder writes them, as text."""
    from aws_lambda_powertools.shared.json_encoder import Encoder

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), cls=Encoder)


class Param:
    """A parameter's declaration in a handler's signature; `constraints` are pydantic `Field` keywords."""

    where = ""

    def __init__(self, **constraints: Any):
        self.constraints = constraints


def declared_parameter(annotation: Any) -> tuple[Param | None, Any, tuple[Any, ...]]:
    """A handler parameter's annotation read apart: its `Query`/`Body` marker (None: a path parameter),
    the declared type, and the annotation's other metadata (pydantic's, kept)."""
    metadata = getattr(annotation, "__metadata__", ())
    marker = next((m for m in metadata if isinstance(m, Param)), None)
    if marker is None:
        return None, annotation, ()
    return marker, annotation.__origin__, tuple(m for m in metadata if m is not marker)


class Query(Param):
    where = "query"


class Body(Param):
    where = "body"


@dataclass
class Response:
    """An answer: a `str` body is sent as is, `bytes` base64-encoded (API Gateway decodes it for the
    client); `content_type` becomes the Content-Type header unless `headers` name one."""

    status_code: int
    content_type: str | None = None
    body: str | bytes = ""
    headers: dict[str, str] = field(default_factory=dict)

    def lambda_answer(self) -> dict[str, Any]:
        headers = {"Content-Type": self.content_type, **self.headers} if self.content_type else dict(self.headers)
        binary = isinstance(self.body, bytes)
        body = base64.b64encode(self.body).decode() if isinstance(self.body, bytes) else self.body
        return {"statusCode": self.status_code, "body": body, "isBase64Encoded": binary, "headers": headers}


class ParameterErrors(Exception):
    """Pydantic's errors of a request's parameters and body, each `loc` starting with where it was:
    `("query", "page")`, `("body", "lines", 0, "quantity")`, or `("body",)` for a missing body."""

    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__(f"{len(errors)} invalid parameters")
        self.errors = errors


class Request:
    """The API Gateway event (payload 2.0) being handled, read the way the handlers need it."""

    def __init__(self, event: dict[str, Any]):
        self.event = event
        self.headers: dict[str, str] = {k.lower(): v for k, v in (event.get("headers") or {}).items()}

    @property
    def method(self) -> str:
        return self.event.get("requestContext", {}).get("http", {}).get("method", "").upper()

    @property
    def raw_path(self) -> str:
        return self.event.get("rawPath") or "/"

    @property
    def path(self) -> str:
        """The path the route matches: without the stage's name when the stage is not `$default`."""
        stage = self.event.get("requestContext", {}).get("stage", "$default")
        return self.raw_path if stage == "$default" else self.raw_path[len("/" + stage):]

    @property
    def request_id(self) -> str | None:
        return self.event.get("requestContext", {}).get("requestId")

    @property
    def domain_name(self) -> str:
        return self.event.get("requestContext", {}).get("domainName", "")

    @property
    def path_parameters(self) -> dict[str, str]:
        return self.event.get("pathParameters") or {}

    @property
    def query_parameters(self) -> dict[str, str]:
        return self.event.get("queryStringParameters") or {}

    def query(self, name: str) -> str | None:
        return self.query_parameters.get(name)

    @cached_property
    def repeated_query_names(self) -> frozenset[str]:
        """Names given more than once (`?a=1&a=2`, which payload 2.0 joins as `"1,2"`)."""
        raw = self.event.get("rawQueryString") or ""
        return frozenset(name for name, values in parse_qs(raw, keep_blank_values=True).items() if len(values) > 1)

    @cached_property
    def text(self) -> str | None:
        """The body as text (base64 decoded when API Gateway encoded it); None when there is none."""
        body = self.event.get("body")
        if body and self.event.get("isBase64Encoded"):
            return base64.b64decode(body).decode("utf-8")
        return body or None


@dataclass
class _Parameter:
    name: str
    where: str  # "path", "query" or "body"
    adapter: Any  # pydantic TypeAdapter
    required: bool
    default: Any


class Route:
    """One route of a function: its method, its path (`<name>` for a path parameter), its handler and the
    documentation keywords (`summary`, `tags`, `responses`, `description`) the OpenAPI document takes."""

    def __init__(self, method: str, path: str, handler: Callable[..., Any], documentation: dict[str, Any]):
        self.method, self.path, self.handler, self.documentation = method, path, handler, documentation
        self.pattern = route_pattern(re.sub(r"<(\w+)>", r"{\1}", path))  # API Gateway's matching

    @cached_property
    def _shape(self) -> tuple[list[_Parameter], Any]:
        """The parameters' validators and the return value's, built at the first request (pydantic's
        model schemas are built then too: `defer_build`)."""
        from pydantic import Field, TypeAdapter

        hints = typing.get_type_hints(self.handler, include_extras=True)
        parameters = []
        for name, parameter in inspect.signature(self.handler).parameters.items():
            marker, declared, others = declared_parameter(hints.get(name, str))
            where = marker.where if marker else "path"
            if marker and (marker.constraints or others):
                declared = Annotated[(declared, *others, Field(**marker.constraints))]
            required = parameter.default is inspect.Parameter.empty
            parameters.append(_Parameter(name, where, TypeAdapter(declared), required,
                                         None if required else parameter.default))
        returned = hints.get("return")
        return parameters, (None if returned in (None, type(None), Response) else TypeAdapter(returned))

    @property
    def query_names(self) -> set[str]:
        return {p.name for p in self._shape[0] if p.where == "query"}

    def arguments(self, request: Request, path_values: dict[str, str]) -> dict[str, Any]:
        """The handler's keyword arguments, validated; ParameterErrors names every invalid one (the
        path's and the query's first, then the body's)."""
        from pydantic import ValidationError

        values: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for parameter in sorted(self._shape[0], key=lambda p: p.where == "body"):
            if parameter.where == "path":
                value: Any = path_values.get(parameter.name)
            elif parameter.where == "query":
                value = request.query(parameter.name)
                if value is not None and parameter.name in request.repeated_query_names:
                    value = value.split(",")
            else:
                value = _json_object(request.text)
            loc: tuple[str, ...] = (parameter.where,) if parameter.where == "body" else (parameter.where,
                                                                                         parameter.name)
            if value is None:
                if parameter.required:
                    errors.append({"type": "missing", "loc": loc, "msg": "Field required", "input": None})
                else:
                    values[parameter.name] = parameter.default
                continue
            try:
                values[parameter.name] = parameter.adapter.validate_python(value)
            except ValidationError as exc:
                errors += [{**e, "loc": (*loc, *e["loc"])} for e in exc.errors(include_url=False)]
        if errors:
            raise ParameterErrors(errors)
        return values

    def answer(self, result: Any) -> Response:
        """What the handler returned: a Response as is, anything else as JSON by its return annotation."""
        if isinstance(result, Response):
            return result
        returned = self._shape[1]
        if returned is not None:
            result = returned.dump_python(returned.validate_python(result), mode="json", by_alias=True)
        return Response(200, "application/json", dump_json(result))


def _json_object(text: str | None) -> dict | None:
    """A request body: a JSON object (or `null`, the same as no body); anything else is a 400."""
    if text is None:
        return None
    try:
        body = parse_json_body(text)
    except json.JSONDecodeError:
        raise InvalidRequest("the body is not valid JSON") from None
    if body is not None and not isinstance(body, dict):
        raise InvalidRequest(OBJECT_ONLY)
    return body


class Router:
    """Routes an event to its handler and answers it; subclasses say how an error is answered
    (`error_answer`). One instance serves one request at a time, as a Lambda container does, so the
    request being handled is simply an attribute (`request`, with `context` for what hooks add)."""

    authenticated = False
    """Whether every request needs an API key (the OpenAPI document's security per operation)."""
    around: Any = None
    """The wrapper of each authenticated request, if any (the OpenAPI document names its header)."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.request: Request = Request({})
        self.context: dict[str, Any] = {}
        self._unmatched: Callable[[], Response] | None = None

    def route(self, method: str, path: str, **documentation: Any) -> Callable[[Callable], Callable]:
        def register(handler: Callable) -> Callable:
            self.routes.append(Route(method, path, handler, documentation))
            return handler
        return register

    def get(self, path: str, **documentation: Any) -> Callable[[Callable], Callable]:
        return self.route("GET", path, **documentation)

    def post(self, path: str, **documentation: Any) -> Callable[[Callable], Callable]:
        return self.route("POST", path, **documentation)

    def put(self, path: str, **documentation: Any) -> Callable[[Callable], Callable]:
        return self.route("PUT", path, **documentation)

    def delete(self, path: str, **documentation: Any) -> Callable[[Callable], Callable]:
        return self.route("DELETE", path, **documentation)

    def not_found(self, handler: Callable[[], Response]) -> Callable[[], Response]:
        """The answer to a request that no route takes (else `error_answer` of a NotFound)."""
        self._unmatched = handler
        return handler

    def resolve(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """The Lambda handler's answer to `event` (Lambda's `context` is not needed to route)."""
        return self.routed(event)

    def routed(self, event: dict[str, Any], **values: Any) -> dict[str, Any]:
        """The Lambda answer to `event`; never raises (every error is answered by `error_answer`).
        `values` are what is known of the request before it is routed (e.g. the caller)."""
        self.request, self.context = Request(event), dict(values)
        try:
            return self._call(self.request).lambda_answer()
        except Exception as exc:  # every error is an answer, as the contract says
            return self.error_answer(exc).lambda_answer()
        finally:
            self.context = {}

    def _call(self, request: Request) -> Response:
        for route in self.routes:
            match = route.pattern.match(request.path) if route.method == request.method else None
            if match:
                arguments = route.arguments(request, match.groupdict())
                self.before(route)
                return route.answer(route.handler(**arguments))
        if self._unmatched is not None:
            return self._unmatched()
        raise NotFound("no such route")

    def before(self, route: Route) -> None:
        """Runs once the route's arguments are valid, before its handler (e.g. the API's query check)."""

    def error_answer(self, exc: Exception) -> Response:
        """The answer to `exc`, raised while routing or by the handler."""
        raise NotImplementedError
