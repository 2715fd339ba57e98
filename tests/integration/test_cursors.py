"""Lists at any depth: every list walked by cursor equals its page-by-page listing, a cursor page is
one Query, and a cursor is refused (400) anywhere but the list, business and filters it came from."""

from __future__ import annotations

import pytest

from tests.helpers.api import Api, assert_error
from tests.helpers.aws import dynamodb_calls
from tests.integration.test_invoices import create


def walk(api: Api, path: str, query: str, per_page: int) -> list[str]:
    """The ids of a list, read cursor after cursor to its end."""
    ids, cursor = [], None
    for _ in range(100):
        suffix = f"&cursor={cursor}" if cursor else ""
        answer = api.get(f"{path}?per_page={per_page}{query}{suffix}")
        assert answer.status == 200, answer.body
        ids += [item["id"] for item in answer.json["data"]]
        assert answer.json["page"] == (None if cursor else 1)
        cursor = answer.json["next_cursor"]
        assert (cursor is not None) == answer.json["has_more"]
        if cursor is None:
            return ids
    raise AssertionError("the cursors never ended")


def paged(api: Api, path: str, query: str, per_page: int) -> list[str]:
    """The ids of a list, read page number after page number to its end."""
    ids = []
    for page in range(1, 100):
        answer = api.get(f"{path}?page={page}&per_page={per_page}{query}")
        ids += [item["id"] for item in answer.json["data"]]
        if not answer.json["has_more"]:
            return ids
    raise AssertionError("the pages never ended")


@pytest.fixture
def filled(api, business):
    """Two clients (one archived later), nine invoices over both, some cancelled."""
    first = api.post("/api/v1/clients", {"name": "Alpha Élan", "email": "alpha@example.com"}).json["id"]
    second = api.post("/api/v1/clients", {"name": "Beta", "phone": "+4791234567"}).json["id"]
    for i in range(9):
        invoice = create(api, first if i % 3 else second)
        if i % 4 == 0:
            assert api.post(f"/api/v1/invoices/{invoice['id']}/cancel").status == 200
    for i in range(5):
        api.post("/api/v1/clients", {"name": f"Gamma {i}", "email": f"g{i}@example.com"})
    assert api.delete(f"/api/v1/clients/{second}").status == 200
    return first, second


def test_every_list_walked_by_cursor_equals_its_pages(api, filled):
    first, second = filled
    lists = [("/api/v1/invoices", ""), ("/api/v1/invoices", "&status=draft"),
             ("/api/v1/invoices", "&status=cancelled"), ("/api/v1/invoices", f"&client_id={first}"),
             ("/api/v1/invoices", f"&client_id={second}&status=draft"),
             ("/api/v1/clients", ""), ("/api/v1/clients", "&archived=true"), ("/api/v1/clients", "&q=gamma"),
             ("/api/v1/clients", "&q=ELAN"), ("/api/v1/clients", "&q=9123&archived=true")]
    for path, query in lists:
        for per_page in (1, 2, 4, 100):
            assert walk(api, path, query, per_page) == paged(api, path, query, per_page), (path, query, per_page)
    assert len(paged(api, "/api/v1/invoices", "", 100)) == 9
    assert len(paged(api, "/api/v1/clients", "&archived=true", 100)) == 7


def test_a_page_by_cursor_is_one_query_at_any_depth(api, business, filled):
    cursor = None
    for _ in range(4):  # the 5th page of 2
        cursor = api.get(f"/api/v1/invoices?per_page=2{f'&cursor={cursor}' if cursor else ''}").json["next_cursor"]
    with dynamodb_calls() as calls:
        answer = api.get(f"/api/v1/invoices?per_page=2&cursor={cursor}")
    assert answer.status == 200 and len(answer.json["data"]) == 1 and answer.json["next_cursor"] is None
    assert calls == ["Query", "BatchGetItem"]  # the page; then its drafts' parties, for their `einvoice`


def _cursor(api: Api, query: str = "") -> str:
    cursor = api.get(f"/api/v1/invoices?per_page=1{query}").json["next_cursor"]
    assert cursor
    return cursor


def test_a_cursor_with_page_or_of_another_list_is_a_400(api, business, filled):
    first, _ = filled
    cursor = _cursor(api)
    assert_error(api.get(f"/api/v1/invoices?page=2&cursor={cursor}"), 400, "invalid_request")
    assert_error(api.get(f"/api/v1/invoices?page=1&cursor={cursor}"), 400, "invalid_request")
    assert_error(api.get(f"/api/v1/invoices?cursor={cursor}&status=draft"), 400, "invalid_request")
    assert_error(api.get(f"/api/v1/invoices?cursor={cursor}&client_id={first}"), 400, "invalid_request")
    assert_error(api.get(f"/api/v1/clients?cursor={cursor}"), 400, "invalid_request")
    drafts = _cursor(api, "&status=draft")
    assert_error(api.get(f"/api/v1/invoices?cursor={drafts}&status=cancelled"), 400, "invalid_request")
    assert_error(api.get(f"/api/v1/invoices?cursor={drafts}"), 400, "invalid_request")
    assert api.get(f"/api/v1/invoices?cursor={drafts}&status=draft&per_page=3").status == 200  # per_page may change
    clients = api.get("/api/v1/clients?per_page=1").json["next_cursor"]
    assert_error(api.get(f"/api/v1/clients?cursor={clients}&archived=true"), 400, "invalid_request")
    assert_error(api.get(f"/api/v1/clients?cursor={clients}&q=gamma"), 400, "invalid_request")


@pytest.mark.parametrize("forged", ["", "x", "abc.def", "....", "%00", "a" * 3000, "eyJQSyI6IngifQ.AAAA"])
def test_a_cursor_that_is_not_ours_is_a_400(api, business, forged):
    answer = api.get(f"/api/v1/invoices?cursor={forged}")
    assert answer.status == 400, answer.body
    assert answer.json["error"]["type"] == "invalid_request"


def test_a_tampered_cursor_is_a_400(api, business, filled):
    import base64
    import json

    cursor = _cursor(api)
    payload, signature = cursor.split(".")
    position = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    position["GSI2SK"] = "N#000000000001"  # another position in the same list: still not signed by us
    moved = base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")
    assert_error(api.get(f"/api/v1/invoices?cursor={moved}.{signature}"), 400, "invalid_request")
    flipped = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")
    assert_error(api.get(f"/api/v1/invoices?cursor={flipped}"), 400, "invalid_request")


def test_another_business_cannot_use_a_cursor(api, business, filled):
    from fastfaktura.services.business import create_business

    other = Api(create_business("Other AS", sandbox=True, country="NO", locale="nb").api_key)
    for path in ("/api/v1/invoices", "/api/v1/clients"):
        cursor = api.get(f"{path}?per_page=1").json["next_cursor"]
        assert_error(other.get(f"{path}?cursor={cursor}"), 400, "invalid_request")
