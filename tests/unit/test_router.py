"""The router of every HTTP function: what it routes, how it validates the handlers' parameters by their
annotations, and how it answers (the contract's error JSON through the API's router)."""

from __future__ import annotations

import base64
import json
from typing import Annotated

import pytest
from fastfaktura.http.api import make_api
from fastfaktura.http.router import Body, Query, Response
from fastfaktura.models.request import Caller
from pydantic import BaseModel, ConfigDict, Field


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    count: int = 1


class Answer(BaseModel):
    kind: str = Field(serialization_alias="type")
    secret: str | None = Field(default=None, exclude=True)


def event(method: str, path: str, query: dict[str, str] | None = None, body: str | None = None,
          raw_query: str = "", headers: dict[str, str] | None = None) -> dict:
    return {"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": raw_query,
            "queryStringParameters": query, "body": body, "isBase64Encoded": False,
            "headers": {"content-type": "application/json", **(headers or {})},
            "requestContext": {"http": {"method": method, "path": path}, "requestId": "req-1", "stage": "$default"}}


def error(answer: dict) -> dict:
    return json.loads(answer["body"])["error"]


@pytest.fixture
def app():
    app = make_api(lambda headers: Caller(business_id="biz", sandbox=True, key_id="k"))

    @app.get("/things/<thing_id>")
    def get_thing(thing_id: str, n: Annotated[int, Query(ge=1, le=5)] = 2) -> Answer:
        return Answer(kind=f"{thing_id}×{n}", secret="never answered")

    @app.post("/things")
    def create_thing(body: Annotated[Thing, Body()]) -> Response:
        return Response(201, "application/json", body.model_dump_json())

    @app.post("/things/<thing_id>/touch")
    def touch_thing(thing_id: str, body: Annotated[Thing | None, Body()] = None) -> dict:
        return {"touched": thing_id, "with": body.name if body else None}

    @app.get("/things/<thing_id>/file")
    def thing_file(thing_id: str) -> Response:
        return Response(200, "application/pdf", b"%PDF-\x00\xff")

    return app


def test_an_answer_is_serialized_by_the_return_annotation(app):
    answer = app.resolve(event("GET", "/things/t1", {"n": "3"}))
    assert answer["statusCode"] == 200
    assert answer["headers"]["Content-Type"] == "application/json"
    assert json.loads(answer["body"]) == {"type": "t1×3"}  # by alias, excluded fields left out


def test_a_path_parameter_is_one_segment(app):
    answer = app.resolve(event("GET", "/things/t1/extra"))
    assert (answer["statusCode"], error(answer)["message"]) == (404, "no such route")


def test_a_method_without_a_route_is_not_found(app):
    assert app.resolve(event("DELETE", "/things/t1"))["statusCode"] == 404


@pytest.mark.parametrize(("query", "raw", "issue"), [
    ({"n": "0"}, "n=0", "greater_than_equal"),
    ({"n": "x"}, "n=x", "int_parsing"),
    ({"n": ""}, "n=", "int_parsing"),
    ({"n": "1,2"}, "n=1&n=2", "int_type"),  # a name given twice is a list, not a number
])
def test_a_bad_query_parameter_is_a_400_naming_it(app, query, raw, issue):
    answer = app.resolve(event("GET", "/things/t1", query, raw_query=raw))
    assert answer["statusCode"] == 400
    assert error(answer)["type"] == "invalid_request"
    assert error(answer)["message"].startswith("query parameter n: ")
    assert error(answer)["details"][0]["field"] == "n"
    assert error(answer)["details"][0]["issue"] == issue


def test_an_undeclared_query_parameter_is_a_400(app):
    answer = app.resolve(event("GET", "/things/t1", {"m": "1"}, raw_query="m=1"))
    assert (answer["statusCode"], error(answer)["details"][0]["issue"]) == (400, "unknown_parameter")


def test_a_query_value_with_a_comma_given_once_is_one_value(app):
    answer = app.resolve(event("GET", "/things/a,b", {"n": "4"}, raw_query="n=4"))
    assert json.loads(answer["body"]) == {"type": "a,b×4"}


@pytest.mark.parametrize(("body", "status", "message"), [
    (None, 400, "a JSON object body is required"),
    ("null", 400, "a JSON object body is required"),
    ("[]", 400, "a JSON object body is required"),
    ("{", 400, "the body is not valid JSON"),
    ('{"name": ""}', 422, "name: string should have at least 1 character"),
    ('{"name": "a", "id": 1}', 422, "id is read-only"),
    ('{"name": "a", "colour": 1}', 422, "colour is not a known field"),
])
def test_a_bad_body_is_answered_as_the_contract_says(app, body, status, message):
    answer = app.resolve(event("POST", "/things", body=body))
    assert (answer["statusCode"], error(answer)["message"]) == (status, message)


def test_a_valid_body_reaches_the_handler_as_its_model(app):
    answer = app.resolve(event("POST", "/things", body='{"name": "Å", "count": 3}'))
    assert answer["statusCode"] == 201
    assert json.loads(answer["body"]) == {"name": "Å", "count": 3}


def test_an_optional_body_may_be_left_out(app):
    assert json.loads(app.resolve(event("POST", "/things/t1/touch"))["body"]) == {"touched": "t1", "with": None}
    answer = app.resolve(event("POST", "/things/t1/touch", body='{"name": "x"}'))
    assert json.loads(answer["body"]) == {"touched": "t1", "with": "x"}


def test_a_binary_answer_is_base64_encoded(app):
    answer = app.resolve(event("GET", "/things/t1/file"))
    assert answer["isBase64Encoded"] is True
    assert base64.b64decode(answer["body"]) == b"%PDF-\x00\xff"


def test_the_caller_lives_only_as_long_as_its_request():
    seen = []
    app = make_api(lambda headers: Caller(business_id=headers["x-biz"], sandbox=True, key_id="k"))

    @app.get("/me")
    def me() -> dict:
        seen.append(app.context["caller"].business_id)
        return {}

    for business in ("a", "b"):
        app.resolve(event("GET", "/me", headers={"x-biz": business}))
    assert seen == ["a", "b"]
    assert app.context == {}


def test_a_handler_that_raises_answers_a_500_without_internals(app):
    app = make_api(None)

    @app.get("/boom")
    def boom() -> dict:
        raise RuntimeError("secret internals")

    answer = app.resolve(event("GET", "/boom"))
    assert (answer["statusCode"], error(answer)["type"]) == (500, "internal_error")
    assert "secret" not in answer["body"]
