"""The client search index (store.clients postings) against DynamoDB Local: it answers exactly what
reading every client would, through creates, updates, archives and unarchives, on every page; a rare
name costs two round trips and a few read units; `index_business` indexes clients stored without it."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LETTERS = "aAbeÉéøØčČsS ßo.1-"
names = st.text(LETTERS, min_size=1, max_size=12).filter(str.strip)
emails = st.one_of(st.none(), st.builds(lambda local: f"{local}@ex.no", st.text("abéø1", min_size=1, max_size=6)))
phones = st.one_of(st.none(), st.text("0123456789", min_size=7, max_size=7).map(lambda d: "+479" + d))
clients = st.lists(st.tuples(names, emails, phones, st.booleans(), st.one_of(st.none(), names)),
                   min_size=1, max_size=6)
# A q: a piece of a stored value (as typed, any case), or anything.
queries = st.one_of(st.text(LETTERS + "@+()", min_size=1, max_size=6), st.sampled_from(["@ex", "47", "éø", "SS"]))


def _new_business() -> str:
    from fastfaktura.services.business import create_business

    return create_business(f"Index {uuid.uuid4().hex[:6]}", country="NO", locale="nb").business.id


def _write(business_id: str, specs) -> None:
    """Creates each client; archives those marked, then renames those given a new name (archived
    or not, so a rename of an archived client is covered too), then unarchives every third archived."""
    from fastfaktura.models.clients import ClientCreate, ClientUpdate
    from fastfaktura.services import clients

    for i, (name, email, phone, archived, renamed) in enumerate(specs):
        client = clients.create_client(business_id, ClientCreate(name=name, email=email, phone=phone, locale="nb"))
        if archived:
            clients.archive_client(business_id, client.id)
        if renamed:
            clients.update_client(business_id, client.id, ClientUpdate(name=renamed, phone=None))
        if archived and i % 3 == 0:
            clients.update_client(business_id, client.id, ClientUpdate.model_validate({"archived_at": None}))


def _every_page(business_id: str, q: str, archived: bool, per_page: int) -> list[str]:
    """The ids a search answers, page after page by cursor (and page 2 by number agrees)."""
    from fastfaktura.services import clients

    found, cursor, first = [], None, None
    while True:
        page = clients.list_clients(business_id, clients.ClientQuery(q=q, archived=archived, per_page=per_page,
                                                                     cursor=cursor))
        found += [c.id for c in page.data]
        first = first or page
        if not page.has_more:
            break
        cursor = page.next_cursor
    by_number = clients.list_clients(business_id, clients.ClientQuery(q=q, archived=archived, per_page=per_page,
                                                                      page=2))
    assert [c.id for c in by_number.data] == found[per_page:2 * per_page]
    return found


def _full_read(business_id: str, q: str, archived: bool) -> list[str]:
    """What v1 answered: every client item read, matched by the domain's rule, newest first."""
    from fastfaktura.domain.clients import Search
    from fastfaktura.store import clients, db, keys

    search = Search.parse(q)
    items = db.query_all({"TableName": db.table_name(), "KeyConditionExpression": "PK = :pk AND begins_with(SK, :p)",
                          "ExpressionAttributeValues": db.to_item({":pk": keys.business_pk(business_id),
                                                                   ":p": keys.CLIENT_SK_PREFIX})})
    everyone = [clients.to_client(db.from_item(item)) for item in items]
    return [c.id for c in sorted(everyone, key=lambda c: c.id, reverse=True)
            if (archived or c.archived_at is None) and (search is None or search.matches(c.name, c.email, c.phone))]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=clients, asked=st.lists(queries, min_size=1, max_size=4), archived=st.booleans(),
       per_page=st.integers(1, 3))
def test_the_index_answers_what_a_full_read_would(dynamodb, specs, asked, archived, per_page):
    business_id = _new_business()
    _write(business_id, specs)
    stored = [s for spec in specs for s in (spec[0], spec[1] or "", spec[2] or "", spec[4] or "")]
    pieces = [value[i:i + n] for value in stored for i in range(0, len(value), 4) for n in (3, 5)][:6]
    for q in [*asked, *filter(str.strip, pieces)]:
        assert _every_page(business_id, q, archived, per_page) == _full_read(business_id, q, archived), q


def test_a_rare_name_costs_two_round_trips_and_a_few_read_units(dynamodb):
    """300 clients with their postings, one of them the rare name: one Query of its run's postings,
    one BatchGetItem of the page's client (a full read of the 300: about 20 read units)."""
    from fastfaktura.domain.ids import new_id
    from fastfaktura.models.clients import Client
    from fastfaktura.services import clients
    from fastfaktura.store import clients as store
    from fastfaktura.store import db

    from bench.meter import AwsMeter, summarize
    from bench.seeding import batch_put

    business_id = _new_business()
    people = [Client(id=new_id(), name=f"Kunde {i:03d}", email=f"k{i:03d}@example.no",
                     locale="nb", created_at="2026-01-01T00:00:00Z", updated_at="2026-01-01T00:00:00Z")
              for i in range(300)]
    people[123] = people[123].model_copy(update={"name": "Ærlig Qvist"})
    items = [store.client_item(business_id, p) for p in people]
    batch_put(items + [posting for p, item in zip(people, items, strict=True)
                       for posting in store.postings(business_id, p.id, None, item)])
    meter = AwsMeter().install()
    meter.watch(db.client())
    try:
        meter.take()
        page = clients.list_clients(business_id, clients.ClientQuery(q="qvist"))
        cost = summarize(meter.take())
    finally:
        meter.uninstall()
    assert [c.name for c in page.data] == ["Ærlig Qvist"]
    assert cost["operations"] == {"Query": 1, "BatchGetItem": 1}
    assert cost["rcu"] <= 1.5


def test_clients_stored_before_the_index_are_found_once_indexed(dynamodb):
    from fastfaktura.models.clients import Client
    from fastfaktura.services import clients
    from fastfaktura.store import clients as store

    from bench.seeding import batch_put

    business_id = _new_business()
    old = Client(id=str(uuid.uuid4()), name="Gammel Kunde AS", locale="nb", created_at="2025-01-01T00:00:00Z",
                 updated_at="2025-01-01T00:00:00Z")
    batch_put([store.client_item(business_id, old)])  # as v1 wrote it: no postings
    assert clients.list_clients(business_id, clients.ClientQuery(q="gammel")).data == []
    assert store.index_business(business_id) == 1
    assert [c.id for c in clients.list_clients(business_id, clients.ClientQuery(q="gammel")).data] == [old.id]
    assert store.index_business(business_id) == 1  # rerunnable


@pytest.mark.parametrize("length", [120, 200])
def test_a_long_name_past_one_transaction_is_still_found(dynamodb, length):
    from fastfaktura.models.clients import ClientCreate
    from fastfaktura.services import clients

    business_id = _new_business()
    name = "".join(chr(0x4E00 + i) for i in range(length))  # every run distinct: `length - 2` postings
    created = clients.create_client(business_id, ClientCreate(name=name, locale="nb"))
    for q in (name[:5], name[-5:], name[length // 2:length // 2 + 9]):
        assert [c.id for c in clients.list_clients(business_id, clients.ClientQuery(q=q)).data] == [created.id]
