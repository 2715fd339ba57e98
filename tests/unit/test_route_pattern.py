"""API Gateway's route matching, written once: the `$default` function's 404/405 table and the dev
stack's router (the template's routes) both match paths with it."""

from __future__ import annotations

import pytest
from fastfaktura.http.openapi_document import route_pattern
from fastfaktura.tools.template import Route


@pytest.mark.parametrize(("route", "path", "parameters"), [
    ("/api/v1/clients", "/api/v1/clients", {}),
    ("/api/v1/clients/{id}", "/api/v1/clients/cl_1", {"id": "cl_1"}),
    ("/api/v1/invoices/{id}/mark-paid", "/api/v1/invoices/in_1/mark-paid", {"id": "in_1"}),
    ("/i/{token}/pdf", "/i/t0k3n/pdf", {"token": "t0k3n"}),
    ("/files/{proxy+}", "/files/a", {"proxy": "a"}),
    ("/files/{proxy+}", "/files/a/b/c.pdf", {"proxy": "a/b/c.pdf"}),
    ("/{tenant}/files/{proxy+}", "/acme/files/2026/01/x", {"tenant": "acme", "proxy": "2026/01/x"}),
])
def test_a_route_matches_its_paths_and_names_their_parameters(route, path, parameters):
    match = route_pattern(route).match(path)
    assert match is not None
    assert match.groupdict() == parameters


@pytest.mark.parametrize(("route", "path"), [
    ("/api/v1/clients/{id}", "/api/v1/clients/cl_1/extra"),  # `{id}` is one segment
    ("/api/v1/clients/{id}", "/api/v1/clients/"),
    ("/api/v1/clients", "/api/v1/clients/"),
    ("/api/v1/openapi.json", "/api/v1/openapiXjson"),  # the dot is a dot
    ("/files/{proxy+}", "/files/"),  # a greedy parameter is not empty
    ("/files/{proxy+}", "/other/a/b"),
])
def test_a_route_does_not_match_other_paths(route, path):
    assert route_pattern(route).match(path) is None


def test_the_template_routes_path_parameters_span_segments_for_a_greedy_parameter():
    route = Route("GET", "/files/{proxy+}", "Files")
    assert route.pattern.match("/files/a/b")
    assert route.path_parameters("/files/a/b") == {"proxy": "a/b"}
    assert route.path_parameters("/elsewhere") == {}
