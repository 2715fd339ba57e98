"""The API called in-process, routed by template.yaml exactly as the local stack routes HTTP, and the
contract's error JSON checked in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Api:
    """Calls the API as the business of `key` (sent on every request unless `key=` says otherwise)."""

    def __init__(self, key: str | None):
        self.key = key

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                key: str | None = "default", raw: bytes | None = None) -> Answer:
        from fastfaktura.devstack.runtime import call_api

        all_headers = {"content-type": "application/json"} if body is not None or raw is not None else {}
        key = self.key if key == "default" else key
        if key:
            all_headers["x-api-key"] = key
        all_headers.update(headers or {})
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        return Answer(*call_api(method, path, all_headers, payload))

    def get(self, path: str, **kw) -> Answer:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw) -> Answer:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw) -> Answer:
        return self.request("PUT", path, body, **kw)

    def delete(self, path: str, **kw) -> Answer:
        return self.request("DELETE", path, **kw)


def assert_error(answer: Answer, status: int, error_type: str) -> dict:
    """The contract's error JSON, with the expected status and type and a request id."""
    assert answer.status == status, (answer.status, answer.body[:500])
    error = answer.json["error"]
    assert error["type"] == error_type, error
    assert error["message"] and error["request_id"]
    return error
