"""A WSGI face for the in-process API (fastfaktura.devstack.runtime.call_api): every request is routed by
template.yaml exactly as the local stack's HTTP server routes it, with no server and no socket."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastfaktura.devstack.runtime import call_api


def application(environ: dict[str, Any], start_response) -> list[bytes]:
    headers = {name[5:].replace("_", "-").lower(): value for name, value in environ.items()
               if name.startswith("HTTP_")}
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            headers[name.replace("_", "-").lower()] = environ[name]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else None
    # PATH_INFO is decoded (and in latin-1); the route sees the path as it came over the wire.
    url = quote(environ.get("PATH_INFO", "/").encode("latin-1"), safe="/:@!$&'()*+,;=-._~")
    if environ.get("QUERY_STRING"):
        url += f"?{environ['QUERY_STRING']}"
    status, answer_headers, answer_body = call_api(environ["REQUEST_METHOD"], url, headers, body)
    start_response(f"{status} {HTTPStatus(status).phrase}", list(answer_headers.items()))
    return [answer_body]
