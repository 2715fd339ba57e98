"""The client endpoints against DynamoDB Local: validation, tenancy, archive, lists, search, external_id."""

from __future__ import annotations

import uuid

import pytest

from tests.helpers.api import Api, assert_error
from tests.helpers.aws import dynamodb_calls

CLIENTS = "/api/v1/clients"


def _create(api: Api, name: str = "Fjord Consulting AS", **fields) -> dict:
    answer = api.post(CLIENTS, {"name": name, **fields})
    assert answer.status == 201, answer.body
    return answer.json


def _names(answer) -> list[str]:
    assert answer.status == 200, answer.body
    return [c["name"] for c in answer.json["data"]]


@pytest.fixture
def other_api(dynamodb) -> Api:
    from fastfaktura.services.business import create_business

    return Api(create_business("Other Business AB", country="SE", locale="sv").api_key)


@pytest.fixture
def round_trips(api):
    """The DynamoDB operations of the requests made inside the block (the API key is cached first)."""
    api.get("/api/v1/business")
    with dynamodb_calls() as calls:
        yield calls


# --- create and read --------------------------------------------------------------------------------

def test_create_answers_201_with_every_field(api):
    answer = api.post(CLIENTS, {"name": "Fjord Consulting AS", "email": "post@fjord.no", "phone": "+4791234567",
                                "address": "Storgata 1\n0155 Oslo", "country": "NO", "locale": "nb",
                                "external_id": "crm-1", "tags": ["vip", "oslo"]})
    assert answer.status == 201, answer.body
    client = answer.json
    assert uuid.UUID(client["id"]).version == 7
    assert client["phone"] == "+4791234567"
    assert client["locale"] == "nb"
    assert client["tags"] == ["vip", "oslo"]
    assert client["archived_at"] is None
    assert client["created_at"] == client["updated_at"] and client["created_at"].endswith("Z")
    assert api.get(f"{CLIENTS}/{client['id']}").json == client


def test_a_minimal_client_has_every_field_null_and_the_business_locale(api):
    client = _create(api, "Minimal")
    assert client["locale"] == "fr"  # the business's default_locale
    assert {k: client[k] for k in ("email", "phone", "address", "country", "external_id")} == dict.fromkeys(
        ("email", "phone", "address", "country", "external_id"))
    assert client["tags"] == []


def test_the_default_locale_is_the_business_default_at_creation(api):
    api.put("/api/v1/business", {"default_locale": "sv"})
    assert _create(api, "Svensk Kund")["locale"] == "sv"


@pytest.mark.parametrize("name", ["Åsa Ærø Ölund", "Émilie Čapek", "Łukasz Żółć", "李小龍", "Zoë 🎉 O'Brien"])
def test_unicode_names_round_trip(api, name):
    client = _create(api, name)
    assert client["name"] == name
    assert api.get(f"{CLIENTS}/{client['id']}").json["name"] == name
    assert _names(api.get(CLIENTS)) == [name]


@pytest.mark.parametrize(("body", "field"), [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": None}, "name"),
    ({"name": 42}, "name"),
    ({"name": "A", "email": "not-an-email"}, "email"),
    ({"name": "A", "email": "a@b"}, "email"),
    ({"name": "A", "phone": "0612345678"}, "phone"),
    ({"name": "A", "phone": "+4712"}, "phone"),
    ({"name": "A", "phone": "+47 abc"}, "phone"),
    ({"name": "A", "country": "XX"}, "country"),
    ({"name": "A", "country": "no"}, "country"),
    ({"name": "A", "locale": "de"}, "locale"),
    ({"name": "A", "locale": "FR"}, "locale"),
    ({"name": "A", "tags": [f"t{i}" for i in range(21)]}, "tags"),
    ({"name": "A", "tags": ["x" * 51]}, "tags.0"),
    ({"name": "A", "tags": [""]}, "tags.0"),
    ({"name": "A", "tags": "vip"}, "tags"),
    ({"name": "A", "tags": [1]}, "tags.0"),
    ({"name": "A", "external_id": ""}, "external_id"),
    ({"name": "A", "external_id": "x" * 201}, "external_id"),
    ({"name": "A", "address": "x" * 1001}, "address"),
    ({"name": "A", "colour": "blue"}, "colour"),
    ({"name": "A", "id": "0b1e2a6c-5d2f-4c8e-9a71-3f0c2d9e8b47"}, "id"),
    ({"name": "A", "created_at": "2026-01-01T00:00:00Z"}, "created_at"),
    ({"name": "A", "updated_at": "2026-01-01T00:00:00Z"}, "updated_at"),
    ({"name": "A", "archived_at": None}, "archived_at"),
])
def test_create_rejects_each_bad_field_with_422_naming_it(api, body, field):
    error = assert_error(api.post(CLIENTS, body), 422, "validation_error")
    assert error["details"][0]["field"] == field
    assert _names(api.get(f"{CLIENTS}?archived=true")) == []


@pytest.mark.parametrize("field", ["id", "created_at", "updated_at", "archived_at"])
def test_read_only_fields_are_named_read_only_on_create(api, field):
    error = assert_error(api.post(CLIENTS, {"name": "A", field: "x"}), 422, "validation_error")
    assert error["details"][0]["issue"] == "read_only"


def test_limits_are_inclusive(api):
    client = _create(api, "x" * 200, tags=["t" * 50] * 20, external_id="e" * 200)
    assert len(client["name"]) == 200 and len(client["tags"]) == 20


def test_malformed_json_is_400(api):
    assert_error(api.post(CLIENTS, raw=b'{"name": '), 400, "invalid_request")
    client = _create(api)
    assert_error(api.put(f"{CLIENTS}/{client['id']}", raw=b"{nope}"), 400, "invalid_request")


def test_a_body_that_is_not_an_object_is_rejected(api):
    assert_error(api.post(CLIENTS, raw=b'["name"]'), 400, "invalid_request")


# --- tenancy and ids --------------------------------------------------------------------------------

@pytest.mark.parametrize("client_id", ["not-a-uuid", "123", "0b1e2a6c-5d2f-4c8e-9a71-3f0c2d9e8b47",
                                       "01a21576-b9ad-76a7-ba02-1d13874ec9bZ"])
def test_unknown_or_malformed_ids_are_404_everywhere(api, client_id):
    assert_error(api.get(f"{CLIENTS}/{client_id}"), 404, "not_found")
    assert_error(api.put(f"{CLIENTS}/{client_id}", {"name": "X"}), 404, "not_found")
    assert_error(api.delete(f"{CLIENTS}/{client_id}"), 404, "not_found")


def test_another_business_client_is_404_on_get_update_and_archive(api, other_api):
    theirs = _create(other_api, "Their Client", external_id="theirs-1")
    path = f"{CLIENTS}/{theirs['id']}"
    unknown = api.get(f"{CLIENTS}/{uuid.uuid4()}").json["error"]["message"]
    for answer in (api.get(path), api.put(path, {"name": "Hijacked"}), api.delete(path)):
        assert assert_error(answer, 404, "not_found")["message"] == unknown
    assert other_api.get(path).json == theirs  # untouched
    assert api.get(f"{CLIENTS}?external_id=theirs-1").json["data"] == []
    assert _names(api.get(f"{CLIENTS}?archived=true")) == []


# --- update -----------------------------------------------------------------------------------------

def test_put_is_a_partial_update(api):
    client = _create(api, email="a@fjord.no", phone="+4791234567", tags=["vip"], country="NO")
    answer = api.put(f"{CLIENTS}/{client['id']}", {"name": "Fjord Consulting ASA", "email": None, "tags": []})
    assert answer.status == 200, answer.body
    updated = answer.json
    assert updated["name"] == "Fjord Consulting ASA"
    assert updated["email"] is None
    assert updated["tags"] == []
    assert updated["phone"] == "+4791234567" and updated["country"] == "NO"  # absent → unchanged
    assert updated["created_at"] == client["created_at"] and updated["updated_at"] > client["updated_at"]
    assert api.get(f"{CLIENTS}/{client['id']}").json == updated


def test_an_empty_put_changes_nothing_but_updated_at(api):
    client = _create(api)
    updated = api.put(f"{CLIENTS}/{client['id']}", {}).json
    assert {k: v for k, v in updated.items() if k != "updated_at"} == {
        k: v for k, v in client.items() if k != "updated_at"}


@pytest.mark.parametrize(("body", "field"), [
    ({"name": None}, "name"),
    ({"name": ""}, "name"),
    ({"locale": None}, "locale"),
    ({"locale": "de"}, "locale"),
    ({"tags": None}, "tags"),
    ({"tags": ["x"] * 21}, "tags"),
    ({"email": "nope"}, "email"),
    ({"phone": "12345"}, "phone"),
    ({"country": "ZZ"}, "country"),
    ({"archived_at": "2026-01-01T00:00:00Z"}, "archived_at"),
    ({"colour": "blue"}, "colour"),
    ({"id": "0b1e2a6c-5d2f-4c8e-9a71-3f0c2d9e8b47"}, "id"),
    ({"created_at": "2026-01-01T00:00:00Z"}, "created_at"),
])
def test_put_rejects_each_bad_field_with_422_naming_it(api, body, field):
    client = _create(api)
    error = assert_error(api.put(f"{CLIENTS}/{client['id']}", body), 422, "validation_error")
    assert error["details"][0]["field"] == field
    assert api.get(f"{CLIENTS}/{client['id']}").json == client


# --- archive ----------------------------------------------------------------------------------------

def test_archive_unarchive_and_the_archived_filter(api):
    kept = _create(api, "Kept")
    gone = _create(api, "Gone")
    archived = api.delete(f"{CLIENTS}/{gone['id']}")
    assert archived.status == 200
    assert archived.json["archived_at"] is not None
    assert archived.json["updated_at"] == archived.json["archived_at"]

    again = api.delete(f"{CLIENTS}/{gone['id']}")
    assert again.status == 200 and again.json == archived.json  # a no-op

    assert api.get(f"{CLIENTS}/{gone['id']}").json == archived.json  # still readable
    assert _names(api.get(CLIENTS)) == ["Kept"]
    assert _names(api.get(f"{CLIENTS}?archived=false")) == ["Kept"]
    assert _names(api.get(f"{CLIENTS}?archived=true")) == ["Gone", "Kept"]

    restored = api.put(f"{CLIENTS}/{gone['id']}", {"archived_at": None})
    assert restored.status == 200 and restored.json["archived_at"] is None
    assert _names(api.get(CLIENTS)) == ["Gone", "Kept"]
    assert api.get(f"{CLIENTS}/{kept['id']}").json == kept


def test_archived_clients_keep_their_data(api):
    client = _create(api, email="x@y.no", external_id="crm-7")
    api.delete(f"{CLIENTS}/{client['id']}")
    stored = api.get(f"{CLIENTS}/{client['id']}").json
    assert {k: stored[k] for k in ("name", "email", "external_id")} == {
        k: client[k] for k in ("name", "email", "external_id")}
    assert api.get(f"{CLIENTS}?external_id=crm-7").json["data"] == []  # archived: left out…
    assert api.get(f"{CLIENTS}?external_id=crm-7&archived=true").json["data"][0]["id"] == client["id"]  # …unless


# --- lists ------------------------------------------------------------------------------------------

def test_pagination_arithmetic_newest_first(api):
    names = [f"Client {i}" for i in range(1, 8)]
    for name in names:
        _create(api, name)
    newest_first = list(reversed(names))
    pages = [api.get(f"{CLIENTS}?page={page}&per_page=3").json for page in (1, 2, 3, 4)]
    assert [[c["name"] for c in p["data"]] for p in pages] == [newest_first[0:3], newest_first[3:6],
                                                              newest_first[6:7], []]
    assert [p["has_more"] for p in pages] == [True, True, False, False]
    assert [(p["page"], p["per_page"]) for p in pages] == [(1, 3), (2, 3), (3, 3), (4, 3)]
    created = [c["created_at"] for p in pages for c in p["data"]]
    assert created == sorted(created, reverse=True)


def test_exactly_full_last_page_has_no_more(api):
    for i in range(6):
        _create(api, f"C{i}")
    assert api.get(f"{CLIENTS}?page=2&per_page=3").json["has_more"] is False


def test_pagination_skips_archived_clients(api):
    created = [_create(api, f"Client {i}") for i in range(1, 8)]
    for client in (created[1], created[4]):  # Client 2 and Client 5
        api.delete(f"{CLIENTS}/{client['id']}")
    pages = [_names(api.get(f"{CLIENTS}?page={page}&per_page=2")) for page in (1, 2, 3)]
    assert pages == [["Client 7", "Client 6"], ["Client 4", "Client 3"], ["Client 1"]]
    assert api.get(f"{CLIENTS}?page=2&per_page=2").json["has_more"] is True
    assert api.get(f"{CLIENTS}?page=3&per_page=2").json["has_more"] is False


def test_defaults_are_page_1_of_50(api):
    body = api.get(CLIENTS).json
    assert body == {"data": [], "page": 1, "per_page": 50, "has_more": False, "next_cursor": None}


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=abc", "per_page=0", "per_page=101", "per_page=x",
                                   "archived=yes", "archived=1", "archived=TRUE", "perpage=10", "status=sent",
                                   "q=" + "x" * 201])
def test_bad_list_queries_are_400(api, query):
    assert_error(api.get(f"{CLIENTS}?{query}"), 400, "invalid_request")


@pytest.fixture
def directory(api):
    _create(api, "Åsa Ærø Ölund", email="asa@fjord.no", phone="+4791234567")
    _create(api, "Émilie Čapek", email="emilie.capek@example.fr", phone="+33612345678")
    _create(api, "Bob Builder", email="bob@builders.co.uk", phone="+447911123456")
    _create(api, "No Contact AS")


@pytest.mark.parametrize(("q", "expected"), [
    ("ÆRØ", ["Åsa Ærø Ölund"]),
    ("émilie", ["Émilie Čapek"]),
    ("ČAPEK", ["Émilie Čapek"]),
    ("builder", ["Bob Builder"]),
    ("FJORD.NO", ["Åsa Ærø Ölund"]),
    ("example.fr", ["Émilie Čapek"]),
    ("@", ["Bob Builder", "Émilie Čapek", "Åsa Ærø Ölund"]),
    ("912345", ["Åsa Ærø Ölund"]),
    ("912 34 567", ["Åsa Ærø Ölund"]),
    ("+47 (912)", ["Åsa Ærø Ölund"]),
    ("33-6", ["Émilie Čapek"]),
    ("7911", ["Bob Builder"]),
    ("as", ["No Contact AS", "Åsa Ærø Ölund"]),
    ("nobody", []),
    ("99999", []),
])
def test_search(api, directory, q, expected):
    from urllib.parse import quote

    assert _names(api.get(f"{CLIENTS}?q={quote(q)}")) == expected


def test_search_leaves_archived_clients_out_unless_asked(api, directory):
    bob = api.get(f"{CLIENTS}?q=bob").json["data"][0]
    api.delete(f"{CLIENTS}/{bob['id']}")
    assert _names(api.get(f"{CLIENTS}?q=bob")) == []
    assert _names(api.get(f"{CLIENTS}?q=bob&archived=true")) == ["Bob Builder"]


def test_search_pages(api):
    for i in range(5):
        _create(api, f"Match {i}")
        _create(api, f"Other {i}")
    pages = [api.get(f"{CLIENTS}?q=match&per_page=2&page={p}").json for p in (1, 2, 3)]
    assert [[c["name"] for c in p["data"]] for p in pages] == [["Match 4", "Match 3"], ["Match 2", "Match 1"],
                                                              ["Match 0"]]
    assert [p["has_more"] for p in pages] == [True, True, False]


def test_search_follows_updates(api):
    client = _create(api, "Old Name", email="old@example.com", phone="+4791234567")
    api.put(f"{CLIENTS}/{client['id']}", {"name": "New Name", "phone": "+4798765432"})
    assert _names(api.get(f"{CLIENTS}?q=new")) == ["New Name"]
    assert _names(api.get(f"{CLIENTS}?q=old")) == ["New Name"]  # still in the email
    assert _names(api.get(f"{CLIENTS}?q=9876")) == ["New Name"]
    assert _names(api.get(f"{CLIENTS}?q=91234")) == []
    api.put(f"{CLIENTS}/{client['id']}", {"email": None, "phone": None})
    assert _names(api.get(f"{CLIENTS}?q=old")) == []
    assert _names(api.get(f"{CLIENTS}?q=9876")) == []


# --- external_id ------------------------------------------------------------------------------------

def test_external_id_is_unique_within_a_business(api, other_api):
    holder = _create(api, "Holder", external_id="crm-42")
    error = assert_error(api.post(CLIENTS, {"name": "Clash", "external_id": "crm-42"}), 409, "conflict")
    assert {"field": "client_id", "issue": "holder", "value": holder["id"]} in error["details"]
    assert _names(api.get(CLIENTS)) == ["Holder"]
    assert _create(other_api, "Same id elsewhere", external_id="crm-42")["external_id"] == "crm-42"


def test_lookup_by_external_id(api):
    _create(api, "Other", external_id="crm-1")
    wanted = _create(api, "Wanted", external_id="crm-2")
    found = api.get(f"{CLIENTS}?external_id=crm-2").json
    assert found == {"data": [wanted], "page": 1, "per_page": 50, "has_more": False, "next_cursor": None}
    assert api.get(f"{CLIENTS}?external_id=crm-404").json["data"] == []


def test_changing_external_id_moves_the_guard(api):
    client = _create(api, "Mover", external_id="crm-old")
    moved = api.put(f"{CLIENTS}/{client['id']}", {"external_id": "crm-new"})
    assert moved.status == 200 and moved.json["external_id"] == "crm-new"
    assert api.get(f"{CLIENTS}?external_id=crm-old").json["data"] == []
    assert api.get(f"{CLIENTS}?external_id=crm-new").json["data"][0]["id"] == client["id"]
    assert _create(api, "Takes the old one", external_id="crm-old")["external_id"] == "crm-old"
    assert_error(api.post(CLIENTS, {"name": "Clash", "external_id": "crm-new"}), 409, "conflict")


def test_clearing_external_id_frees_it(api):
    client = _create(api, "Clearer", external_id="crm-free")
    cleared = api.put(f"{CLIENTS}/{client['id']}", {"external_id": None})
    assert cleared.status == 200 and cleared.json["external_id"] is None
    assert api.get(f"{CLIENTS}?external_id=crm-free").json["data"] == []
    assert _create(api, "Next", external_id="crm-free")["external_id"] == "crm-free"


def test_taking_an_external_id_in_use_on_put_is_409_and_changes_nothing(api):
    _create(api, "Holder", external_id="crm-a")
    client = _create(api, "Wants it", external_id="crm-b")
    assert_error(api.put(f"{CLIENTS}/{client['id']}", {"external_id": "crm-a", "name": "Renamed"}), 409, "conflict")
    assert api.get(f"{CLIENTS}/{client['id']}").json == client
    assert api.get(f"{CLIENTS}?external_id=crm-b").json["data"][0]["id"] == client["id"]


def test_setting_the_same_external_id_again_is_fine(api):
    client = _create(api, "Same", external_id="crm-same")
    assert api.put(f"{CLIENTS}/{client['id']}", {"external_id": "crm-same", "name": "Same 2"}).status == 200
    assert api.get(f"{CLIENTS}?external_id=crm-same").json["data"][0]["name"] == "Same 2"


def test_a_concurrent_update_is_retried_on_a_fresh_read(api, monkeypatch):
    """The write is conditional on what was read: a change in between makes the update read again,
    so the search fields always describe the stored name and email."""
    from fastfaktura.store import clients as store

    client = _create(api, "Racer", email="racer@example.com")
    real_update, interfered = store.update, []

    def update_after_someone_else(business_id, current, changes, updated_at):
        if not interfered:
            interfered.append(True)
            real_update(business_id, current, {"email": "changed@example.com"}, "2030-01-01T00:00:00.000000Z")
        return real_update(business_id, current, changes, updated_at)

    monkeypatch.setattr(store, "update", update_after_someone_else)
    answer = api.put(f"{CLIENTS}/{client['id']}", {"name": "Racer Renamed"})
    assert answer.status == 200
    assert answer.json["email"] == "changed@example.com" and answer.json["name"] == "Racer Renamed"
    monkeypatch.undo()
    assert _names(api.get(f"{CLIENTS}?q=changed@")) == ["Racer Renamed"]


# --- round trips ------------------------------------------------------------------------------------

def test_round_trips_per_request(api, round_trips):
    """A create is one transaction with its search postings; an update or an archive reads, then
    writes one UpdateItem when the postings keep what they hold, else one transaction."""
    with_locale = api.post(CLIENTS, {"name": "Anna", "locale": "en"}).json
    assert round_trips == ["TransactWriteItems"]
    round_trips.clear()
    api.post(CLIENTS, {"name": "B", "locale": "en", "external_id": "crm-b"})
    assert round_trips == ["TransactWriteItems"]
    round_trips.clear()
    api.post(CLIENTS, {"name": "C"})
    assert round_trips == ["GetItem", "TransactWriteItems"]  # the business's default locale
    round_trips.clear()
    api.get(f"{CLIENTS}/{with_locale['id']}")
    assert round_trips == ["GetItem"]
    round_trips.clear()
    api.get(CLIENTS)
    assert round_trips == ["Query"]
    round_trips.clear()
    api.get(f"{CLIENTS}?external_id=crm-b")
    assert round_trips == ["Query"]
    round_trips.clear()
    api.put(f"{CLIENTS}/{with_locale['id']}", {"address": "Storgata 1"})
    assert round_trips == ["GetItem", "UpdateItem"]
    round_trips.clear()
    api.put(f"{CLIENTS}/{with_locale['id']}", {"name": "Anna Berg"})
    assert round_trips == ["GetItem", "TransactWriteItems"]
    round_trips.clear()
    api.delete(f"{CLIENTS}/{with_locale['id']}")
    assert round_trips == ["GetItem", "TransactWriteItems"]
    round_trips.clear()
    api.get(f"{CLIENTS}?q=berg&archived=true")
    assert round_trips == ["Query", "BatchGetItem"]  # the postings of one run of "berg", the page's clients


def test_a_deep_page_counts_then_reads(api, round_trips):
    for i in range(7):
        api.post(CLIENTS, {"name": f"C{i}", "locale": "en"})
    round_trips.clear()
    assert len(api.get(f"{CLIENTS}?page=3&per_page=3").json["data"]) == 1
    assert round_trips == ["Query", "Query"]  # the keys of the 6 before, then the page
