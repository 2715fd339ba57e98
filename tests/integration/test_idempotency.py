"""The Idempotency-Key mechanism (services.idempotency), through POST /clients and directly."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers.api import Api, assert_error
from tests.helpers.aws import dynamodb_calls

CLIENTS = "/api/v1/clients"
BODY = {"name": "Idempotent AS", "email": "post@idempotent.no"}


def _key(name: str) -> dict[str, str]:
    return {"idempotency-key": name}


def _client_count(api: Api) -> int:
    return len(api.get(f"{CLIENTS}?archived=true&per_page=100").json["data"])


def test_a_sequential_repeat_answers_the_first_answer_and_does_nothing_again(api):
    first = api.post(CLIENTS, BODY, headers=_key("order-1"))
    repeat = api.post(CLIENTS, BODY, headers=_key("order-1"))
    assert first.status == repeat.status == 201
    assert repeat.json == first.json
    assert repeat.headers.get("idempotent-replayed") == "true"
    assert "idempotent-replayed" not in first.headers
    assert _client_count(api) == 1


def test_the_same_body_with_other_key_order_and_spacing_is_the_same_request(api):
    first = api.post(CLIENTS, raw=b'{"name": "Idempotent AS", "email": "post@idempotent.no"}', headers=_key("k"))
    repeat = api.post(CLIENTS, raw=b'{"email":"post@idempotent.no","name":"Idempotent AS"}', headers=_key("k"))
    assert repeat.status == 201 and repeat.json == first.json


def test_without_the_header_every_request_runs(api):
    assert api.post(CLIENTS, BODY).json["id"] != api.post(CLIENTS, BODY).json["id"]


def test_the_same_key_with_another_body_is_409(api):
    api.post(CLIENTS, BODY, headers=_key("order-2"))
    error = assert_error(api.post(CLIENTS, {**BODY, "name": "Someone Else"}, headers=_key("order-2")), 409, "conflict")
    assert "Idempotency-Key" in error["message"]
    assert _client_count(api) == 1


def test_another_business_with_the_same_key_is_independent(api, dynamodb):
    from fastfaktura.services.business import create_business

    other = Api(create_business("Other AB", country="SE", locale="sv").api_key)
    mine = api.post(CLIENTS, BODY, headers=_key("shared-key"))
    theirs = other.post(CLIENTS, BODY, headers=_key("shared-key"))
    assert mine.status == theirs.status == 201
    assert mine.json["id"] != theirs.json["id"]
    assert "idempotent-replayed" not in theirs.headers
    assert _client_count(other) == 1


def test_a_422_answer_is_replayed_and_then_binds_the_key(api):
    bad = {"name": "Bad Mail", "email": "not-an-email"}
    first = api.post(CLIENTS, bad, headers=_key("bad-1"))
    assert_error(first, 422, "validation_error")
    repeat = api.post(CLIENTS, bad, headers=_key("bad-1"))
    assert repeat.status == 422 and repeat.json == first.json
    assert repeat.headers.get("idempotent-replayed") == "true"
    # the key belongs to that request now: a corrected body needs a new key
    assert_error(api.post(CLIENTS, {**bad, "email": "good@example.com"}, headers=_key("bad-1")), 409, "conflict")


def test_a_409_answered_by_the_use_case_is_replayed(api):
    api.post(CLIENTS, {"name": "Holder", "external_id": "crm-9"})
    first = api.post(CLIENTS, {"name": "Clash", "external_id": "crm-9"}, headers=_key("clash"))
    assert_error(first, 409, "conflict")
    repeat = api.post(CLIENTS, {"name": "Clash", "external_id": "crm-9"}, headers=_key("clash"))
    assert repeat.json == first.json and repeat.headers.get("idempotent-replayed") == "true"


def test_a_5xx_answer_releases_the_key(api, monkeypatch):
    from fastfaktura.services import clients

    real_create = clients.create_client
    monkeypatch.setattr(clients, "create_client", lambda *_: (_ for _ in ()).throw(RuntimeError("boom")))
    failed = api.post(CLIENTS, BODY, headers=_key("flaky"))
    assert_error(failed, 500, "internal_error")
    monkeypatch.setattr(clients, "create_client", real_create)
    retried = api.post(CLIENTS, BODY, headers=_key("flaky"))
    assert retried.status == 201 and "idempotent-replayed" not in retried.headers
    assert _client_count(api) == 1


def test_a_concurrent_repeat_gets_409_while_the_first_runs(api, monkeypatch):
    from fastfaktura.services import clients

    api.get(CLIENTS)  # load the functions before the threads start
    api.post(CLIENTS, BODY)
    started, release = threading.Event(), threading.Event()
    real_create = clients.create_client

    def slow_create(*args):
        started.set()
        assert release.wait(30)
        return real_create(*args)

    monkeypatch.setattr(clients, "create_client", slow_create)
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(api.post, CLIENTS, BODY, headers=_key("race"))
        assert started.wait(30)
        repeats = list(pool.map(lambda _: api.post(CLIENTS, BODY, headers=_key("race")), range(3)))
        release.set()
        first = first.result()
    assert first.status == 201
    for repeat in repeats:
        assert_error(repeat, 409, "conflict")
        assert repeat.headers.get("retry-after") == "1"
    replay = api.post(CLIENTS, BODY, headers=_key("race"))
    assert replay.status == 201 and replay.json == first.json
    assert _client_count(api) == 2


def test_concurrent_first_requests_create_exactly_one_client(api):
    api.get(CLIENTS)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: api.post(CLIENTS, BODY, headers=_key("stampede")), range(8)))
    created = {a.json["id"] for a in answers if a.status == 201}
    assert len(created) == 1
    assert {a.status for a in answers} <= {201, 409}
    assert _client_count(api) == 1


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "nø"])
def test_a_malformed_key_is_400(api, key):
    assert_error(api.post(CLIENTS, BODY, headers=_key(key)), 400, "invalid_request")
    assert _client_count(api) == 0


def test_the_record_is_scoped_to_the_business_and_kept_24_hours(api, business):
    from fastfaktura.store import db, keys

    api.post(CLIENTS, BODY, headers=_key("kept"))
    record = db.get(keys.business_pk(business.business.id), keys.idempotency_sk("kept"))
    assert record["status"] == "COMPLETED"
    assert record["expires_at"] >= time.time() + 24 * 3600 - 60


def test_a_replay_is_one_write_attempt_and_no_work(api):
    api.post(CLIENTS, {**BODY, "external_id": "crm-1"}, headers=_key("counted"))
    with dynamodb_calls() as calls:
        api.post(CLIENTS, {**BODY, "external_id": "crm-1"}, headers=_key("counted"))
    assert calls == ["PutItem"]


def _event(path: str, body: bytes, key: str):
    from fastfaktura.devstack.runtime import http_event

    return http_event("POST", path, {"content-type": "application/json", "idempotency-key": key}, body)


def test_the_same_key_on_another_route_is_409(business):
    from fastfaktura.devstack.runtime import LambdaContext
    from fastfaktura.domain.errors import Conflict
    from fastfaktura.http.api import Caller
    from fastfaktura.services.idempotency import honour_idempotency_key

    caller = Caller(business.business.id, True, "test")
    done = {"statusCode": 201, "headers": {}, "body": '{"ok": true}', "isBase64Encoded": False}
    body = b'{"channels": ["link"]}'
    first = honour_idempotency_key(caller, _event("/api/v1/invoices/a/send", body, "route-key"),
                                   LambdaContext("f"), lambda: done)
    assert first == done
    for other_path in ("/api/v1/invoices/b/send", "/api/v1/invoices"):
        with pytest.raises(Conflict):
            honour_idempotency_key(caller, _event(other_path, body, "route-key"), LambdaContext("f"),
                                   lambda: pytest.fail("must not run"))
