"""Routing as API Gateway does it from template.yaml: every private route refuses a request without a valid
key with the contract's 401, unknown routes answer 404 and known paths with another method 405 (with
Allow), in the contract's error JSON, and the OpenAPI document is served without a key."""

from __future__ import annotations

import json
import secrets
import uuid

import pytest
from fastfaktura.http.openapi_document import DOCUMENT
from fastfaktura.tools.template import Route, routes

from tests.helpers.api import Api, assert_error

PUBLIC_PREFIXES = ("/i/", "/webhooks/", "/api/v1/openapi.json")
METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH")


def concrete_path(route: Route) -> str:
    """The route's path with its parameters filled: a random uuid for ids, a random token for tokens."""
    path = route.path.replace("{token}", secrets.token_urlsafe(24))
    while "{" in path:
        start = path.index("{")
        path = path[:start] + str(uuid.uuid4()) + path[path.index("}", start) + 1:]
    return path


def private_routes() -> list[Route]:
    return [r for r in routes() if r.path != "$default" and not r.path.startswith(PUBLIC_PREFIXES)]


def public_routes() -> list[Route]:
    return [r for r in routes() if r.path != "$default" and r.path.startswith(PUBLIC_PREFIXES)]


def route_id(route: Route) -> str:
    return f"{route.method} {route.path}"


def send(route: Route, **kw):
    body = {} if route.method in ("POST", "PUT", "PATCH") else None
    return Api(None).request(route.method, concrete_path(route), body, **kw)


def test_the_walk_covers_every_private_route_of_the_template():
    assert len(private_routes()) >= 15  # the 13 of the seed page, cancel and mark-paid


@pytest.mark.parametrize("route", private_routes(), ids=route_id)
def test_a_private_route_without_a_key_is_401(route):
    answer = send(route)
    assert_error(answer, 401, "authentication_error")
    assert answer.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("route", private_routes(), ids=route_id)
@pytest.mark.parametrize("headers", [
    {"x-api-key": "not-a-key"},
    {"authorization": "Bearer "},
    {"authorization": "Basic ffk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
], ids=["malformed", "empty-bearer", "not-bearer"])
def test_a_private_route_with_a_bad_key_is_401(route, headers):
    assert_error(send(route, headers=headers), 401, "authentication_error")


@pytest.mark.parametrize("route", private_routes(), ids=route_id)
def test_an_unknown_or_revoked_key_is_the_same_401_as_no_key(route, business):
    from fastfaktura.domain import api_keys
    from fastfaktura.services.business import create_api_key, revoke_api_key

    revoked = create_api_key(business.business.id)
    revoke_api_key(revoked)
    missing = send(route)
    for key in (api_keys.new_key(sandbox=True), revoked):
        answer = send(route, headers={"x-api-key": key})
        assert_error(answer, 401, "authentication_error")
        assert answer.json["error"]["message"] == missing.json["error"]["message"]


PUBLIC_ANSWERS = {
    "GET /i/{token}": (404, "text/html", None), "GET /i/{token}/pdf": (404, "text/html", None),
    "POST /i/{token}/pay": (404, "text/html", None),
    "POST /webhooks/stripe": (400, "application/json", "invalid_request"),
    "GET /api/v1/openapi.json": (200, "application/json", None),
}
"""What each public route answers without a key, to an unknown token (the visitor's 404 page) or an
unsigned event: (status, content type, error type of the error JSON)."""


@pytest.mark.parametrize("route", public_routes(), ids=route_id)
def test_public_routes_need_no_key(route, dynamodb, monkeypatch):
    from fastfaktura import settings

    monkeypatch.setenv("STRIPE_TEST_WEBHOOK_SECRET", "whsec_routing")  # configured: the signature is what is missing
    settings.get.cache_clear()
    assert route_id(route) in PUBLIC_ANSWERS, f"{route_id(route)}: name the answer it gives without a key"
    status, content_type, error_type = PUBLIC_ANSWERS[route_id(route)]
    answer = send(route)
    assert answer.status == status, answer.body[:300]
    assert answer.headers["content-type"].startswith(content_type)
    if error_type is not None:
        assert_error(answer, status, error_type)


def test_the_openapi_document_is_served_without_a_key():
    answer = Api(None).get("/api/v1/openapi.json")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json == json.loads(DOCUMENT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ["/", "/nope", "/api/v1", "/api/v1/nope", "/api/v2/business", "/api/v1/business/",
                                  "/api/v1/clients/x/y", "/i", "/webhooks/paypal"])
def test_an_unknown_path_is_404_json(path):
    answer = Api(None).get(path)
    error = assert_error(answer, 404, "not_found")
    assert path in error["message"]
    assert answer.headers["content-type"].startswith("application/json")


def test_a_body_does_not_change_an_unknown_route_into_another_error():
    answer = Api(None).post("/nope", raw=b"x" * 2_000_000, headers={"content-type": "text/plain"})
    assert_error(answer, 404, "not_found")


def known_paths() -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for route in routes():
        if route.path != "$default":
            table.setdefault(route.path, set()).add(route.method)
    return table


@pytest.mark.parametrize(("path", "method"), [
    (path, method) for path, allowed in sorted(known_paths().items()) for method in METHODS if method not in allowed
])
def test_a_known_path_with_another_method_is_405_with_allow(path, method):
    allowed = sorted(known_paths()[path])
    concrete = concrete_path(Route(method, path, ""))
    answer = Api(None).request(method, concrete, {} if method in ("POST", "PUT", "PATCH") else None)
    error = assert_error(answer, 405, "invalid_request")
    assert answer.headers["allow"] == ", ".join(allowed)
    assert method in error["message"]
