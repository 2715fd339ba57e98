"""`fastfaktura dev` over HTTP, as a developer uses it: the printed key works, routing follows
template.yaml, errors are JSON, the CLI reaches the running stack, the stream feeds the timeline,
and Ctrl-C stops everything it started."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.helpers.stack import read_local_json

pytestmark = pytest.mark.e2e


def get(stack, path: str, key: str | None = None, **kw) -> requests.Response:
    # A function's first request cold-starts its worker process: seconds here, more on a loaded machine.
    return requests.get(stack.url + path, headers={"x-api-key": key or stack.key}, timeout=180, **kw)


def test_the_printed_key_reads_the_business(dev_stack):
    answer = get(dev_stack, "/api/v1/business")
    assert answer.status_code == 200, answer.text
    assert answer.json()["sandbox"] is True
    assert answer.headers["apigw-requestid"]


def test_unknown_routes_and_methods_answer_json_never_html(dev_stack):
    missing = get(dev_stack, "/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/json")
    assert missing.json()["error"]["type"] == "not_found"

    wrong_method = requests.patch(dev_stack.url + "/api/v1/business", timeout=60)
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["type"] == "invalid_request"
    assert set(wrong_method.headers["allow"].replace(" ", "").split(",")) >= {"GET", "PUT"}

    no_key = requests.get(dev_stack.url + "/api/v1/business", timeout=60)
    assert no_key.status_code == 401 and no_key.json()["error"]["type"] == "authentication_error"


def test_put_business_round_trips(dev_stack):
    changes = {"name": "Atelier de bout en bout", "phone": "+4791234567", "payment_terms_days": 14}
    put = requests.put(dev_stack.url + "/api/v1/business", json=changes, headers={"x-api-key": dev_stack.key},
                       timeout=60)
    assert put.status_code == 200, put.text
    assert {k: put.json()[k] for k in changes} == changes
    assert {k: get(dev_stack, "/api/v1/business").json()[k] for k in changes} == changes


def test_concurrent_requests_never_see_each_other(dev_stack):
    def rename(i: int) -> str:
        return requests.put(dev_stack.url + "/api/v1/business", json={"name": f"Atelier {i}"},
                            headers={"x-api-key": dev_stack.key}, timeout=120).json()["name"]

    with ThreadPoolExecutor(max_workers=12) as pool:
        assert list(pool.map(rename, range(36))) == [f"Atelier {i}" for i in range(36)]


def test_local_json_lists_the_endpoints(dev_stack):
    local = read_local_json(dev_stack)
    assert local["api_base_url"] == dev_stack.url
    assert local["sandbox_api_key"] == dev_stack.key
    for name in ("dynamodb", "moto"):
        assert local[name].startswith("http://127.0.0.1:")
    assert local["table"] and local["bucket"]
    assert local["stream_arn"].startswith("arn:aws:dynamodb:")


def test_create_business_local_prints_a_working_key(dev_stack):
    run = dev_stack.cli("create-business", "--name", "Fjord AS", "--country", "NO", "--locale", "nb", "--local")
    assert run.returncode == 0, run.stderr
    created = json.loads(run.stdout.strip())
    assert set(created) == {"business_id", "api_key"} and created["api_key"].startswith("ffk_test_")
    business = get(dev_stack, "/api/v1/business", key=created["api_key"]).json()
    assert (business["id"], business["name"], business["country"]) == (created["business_id"], "Fjord AS", "NO")

    live = json.loads(dev_stack.cli("create-business", "--name", "Live SARL", "--live", "--local").stdout)
    assert live["api_key"].startswith("ffk_live_")


def test_create_key_adds_a_key_and_revoke_key_refuses_it(dev_stack):
    business_id = get(dev_stack, "/api/v1/business").json()["id"]
    run = dev_stack.cli("create-key", "--business", business_id, "--local")
    assert run.returncode == 0, run.stderr
    key = json.loads(run.stdout)["api_key"]

    revoked = dev_stack.cli("revoke-key", key[:16], "--local")
    assert revoked.returncode == 0, revoked.stderr
    assert json.loads(revoked.stdout) == {"revoked": key[:16]}
    assert get(dev_stack, "/api/v1/business", key=key).status_code == 401

    unknown = dev_stack.cli("create-key", "--business", "00000000-0000-7000-8000-000000000000", "--local")
    assert unknown.returncode == 1 and "not found" in unknown.stderr


def test_index_clients_writes_the_search_postings_of_a_business(dev_stack):
    """The upgrade step: a client stored without postings (as before the search index) is found
    once `fastfaktura index-clients` has run for its business."""
    import boto3
    from fastfaktura.devstack.dynamodb import LOCAL_CREDENTIALS
    from fastfaktura.domain.ids import new_id
    from fastfaktura.models.clients import Client
    from fastfaktura.store import clients, db

    business_id = get(dev_stack, "/api/v1/business").json()["id"]
    local = read_local_json(dev_stack)
    old = Client(id=new_id(), name="Førindeks Kunde AS", locale="nb", created_at="2025-01-01T00:00:00Z",
                 updated_at="2025-01-01T00:00:00Z")
    boto3.client("dynamodb", endpoint_url=local["dynamodb"], **LOCAL_CREDENTIALS).put_item(
        TableName=local["table"], Item=db.to_item(clients.client_item(business_id, old)))
    assert get(dev_stack, "/api/v1/clients?q=førindeks").json()["data"] == []
    run = dev_stack.cli("index-clients", "--business", business_id, "--local")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1])["business_id"] == business_id
    assert [c["id"] for c in get(dev_stack, "/api/v1/clients?q=førindeks").json()["data"]] == [old.id]


def test_invoke_runs_one_function_once_against_the_local_stack(dev_stack, tmp_path):
    from fastfaktura.devstack.runtime import http_event

    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps(http_event("GET", "/api/v1/business", {"x-api-key": dev_stack.key})))
    run = dev_stack.cli("invoke", "BusinessGetFunction", "--event", str(event_file), "--local")
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"])["sandbox"] is True

    needs_event = dev_stack.cli("invoke", "BusinessGetFunction", "--local")
    assert needs_event.returncode != 0 and "--event" in needs_event.stderr


def test_the_stream_feeds_the_timeline_and_pdfs_come_back_binary(dev_stack):
    headers = {"x-api-key": dev_stack.key}
    client = requests.post(dev_stack.url + "/api/v1/clients", json={"name": "Client Exemple SA"},
                           headers=headers, timeout=60)
    assert client.status_code == 201, client.text
    invoice = requests.post(dev_stack.url + "/api/v1/invoices", headers=headers, timeout=60, json={
        "client_id": client.json()["id"], "currency": "EUR",
        "lines": [{"description": "Conseil", "quantity": 1, "unit_price_cents": 50000, "tax_rate": 20}]})
    assert invoice.status_code == 201, invoice.text
    invoice_id = invoice.json()["id"]

    events = []
    for _attempt in range(300):     # the poller delivers within about a second; a busy CI machine is slower
        events = get(dev_stack, f"/api/v1/invoices/{invoice_id}/events").json()["data"]
        if events:
            break
        time.sleep(0.1)
    assert [e["type"] for e in events] == ["created"]

    pdf = get(dev_stack, f"/api/v1/invoices/{invoice_id}/pdf")
    assert pdf.status_code == 200, pdf.text[:500]
    assert pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF-") and int(pdf.headers["content-length"]) == len(pdf.content)


def test_30_callers_creating_2_invoices_each_all_get_201_and_gapless_numbers(dev_stack):
    """Each concurrent request runs in a worker process of its own function, as in Lambda; creates on
    one business queue on its counter instead of racing (no 503, no client retry)."""
    headers = {"x-api-key": dev_stack.key}
    client = requests.post(dev_stack.url + "/api/v1/clients", json={"name": "Import AS"}, headers=headers,
                           timeout=60).json()["id"]
    body = {"client_id": client, "currency": "EUR",
            "lines": [{"description": "Imported", "quantity": 1, "unit_price_cents": 1000, "tax_rate": 25}]}
    before = get(dev_stack, "/api/v1/invoices?per_page=1").json()["data"]
    first = int(before[0]["number"].removeprefix("F-")) + 1 if before else 1

    def caller(_: int) -> list[tuple[int, str]]:
        answers = [requests.post(dev_stack.url + "/api/v1/invoices", json=body, headers=headers, timeout=300)
                   for _ in range(2)]
        return [(a.status_code, a.json().get("number") or a.text) for a in answers]

    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = [answer for batch in pool.map(caller, range(30)) for answer in batch]
    assert [status for status, _ in answers] == [201] * 60, answers
    assert sorted(int(number.removeprefix("F-")) for _, number in answers) == list(range(first, first + 60))


def test_ctrl_c_stops_everything_it_started(stack_runner):
    """Last in this module: it stops the session's stack (a later test would start a new one)."""
    stack = stack_runner.running()
    children = stack.children()
    assert children, "DynamoDB Local's JVM should be a child of fastfaktura dev"

    assert stack_runner.interrupt() == 0
    for pid in children:
        assert not os.path.exists(f"/proc/{pid}") or "zombie" in _state(pid)
    assert not (stack.state_dir / "local.json").exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(stack.url + "/api/v1/business", timeout=5)


def _state(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/status").read().lower()
    except OSError:
        return "zombie"
