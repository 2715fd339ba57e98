"""Client use cases: create, read, partial update, archive, list and search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastfaktura.domain import identifiers
from fastfaktura.domain.clients import Search
from fastfaktura.domain.errors import Conflict, InvalidRequest, NotFound
from fastfaktura.domain.ids import id_or_not_found, new_id, parse_id
from fastfaktura.models.clients import Client, ClientCreate, ClientPage, ClientUpdate
from fastfaktura.models.common import to_rfc3339, utcnow
from fastfaktura.services.lists import page_request
from fastfaktura.store import businesses, clients

_UPDATE_ATTEMPTS = 3


def create_client(business_id: str, body: ClientCreate) -> Client:
    """A new client; without a `locale` it takes the business's `default_locale` (one more GetItem).
    Its identifiers are checked by its country first (422)."""
    identifiers.check_party(body.model_dump(mode="json"))
    locale = body.locale or businesses.get(business_id).default_locale
    now = utcnow()
    client = Client(id=new_id(), **body.model_dump(exclude={"locale"}), locale=locale, created_at=now,
                    updated_at=now)
    clients.create(business_id, client)
    return client


def get_client(business_id: str, client_id: str) -> Client:
    """One GetItem. NotFound for an id that is not a uuid, unknown, or another business's.

    For other use cases (e.g. invoice creation): `find_client` answers None instead of raising."""
    client = find_client(business_id, client_id)
    if client is None:
        raise NotFound("client not found")
    return client


def find_client(business_id: str, client_id: str) -> Client | None:
    """The business's client with this id (one GetItem), or None; archived clients are returned too
    (their `archived_at` is set: an archived client cannot receive a new invoice)."""
    parsed = parse_id(client_id)
    return clients.get(business_id, parsed) if parsed else None


def update_client(business_id: str, client_id: str, body: ClientUpdate) -> Client:
    """A partial update: absent fields unchanged, null clears (`archived_at: null` unarchives).
    A GetItem, then one conditional write; a concurrent change makes it read and try again."""
    changes = body.model_dump(mode="json", exclude_unset=True)

    def change(current: dict, _at: str) -> dict:
        identifiers.check_party({**current, **changes}, frozenset(changes))
        return changes

    return _update(business_id, id_or_not_found(client_id, "client"), change)


def archive_client(business_id: str, client_id: str) -> Client:
    """Sets `archived_at` (nothing is deleted), as an update does (the search postings hold it too);
    archiving an archived client changes nothing."""
    return _update(business_id, id_or_not_found(client_id, "client"),
                   lambda current, at: None if current.get("archived_at") else {"archived_at": at})


def _update(business_id: str, client_id: str, change: Callable[[dict, str], dict | None]) -> Client:
    """Reads the client (consistently) and writes `change(item, now)` conditional on it being unchanged;
    reads again when another request changed it in between. None: nothing to write, the client as it is."""
    for _attempt in range(_UPDATE_ATTEMPTS):
        current = clients.get_item(business_id, client_id, consistent=True)
        if current is None:
            raise NotFound("client not found")
        at = to_rfc3339(utcnow())
        changes = change(current, at)
        if changes is None:
            return clients.to_client(current)
        try:
            return clients.update(business_id, current, changes, at)
        except clients.StaleRead:
            continue
    raise Conflict("the client was changed by another request meanwhile; retry", headers={"Retry-After": "1"})


@dataclass(frozen=True)
class ClientQuery:
    """The query of `GET /clients` (already validated: page ≥ 1, per_page 1–100)."""

    page: int | None = None  # None: not asked (page 1, or the cursor's page)
    per_page: int = 50
    q: str | None = None
    archived: bool = False
    external_id: str | None = None
    cursor: str | None = None


def list_clients(business_id: str, query: ClientQuery) -> ClientPage:
    """Newest first; archived clients only with `archived=true`; `q` searches name, email and phone
    digits; `external_id` finds the one client holding it (one GSI1 Query), under the same filters."""
    search = Search.parse(query.q)
    asked = page_request(query.page, query.per_page, query.cursor)
    if query.external_id is not None:
        if query.cursor is not None:
            raise InvalidRequest("an external_id list has one page: it takes no cursor",
                                 [{"field": "cursor", "issue": "invalid_cursor", "value": None}])
        found = clients.find_by_external_id(business_id, query.external_id)
        shown = found is not None and asked.page == 1 and (query.archived or found.archived_at is None) and (
            search is None or search.matches(found.name, found.email, found.phone))
        return ClientPage(data=[found] if shown else [], page=asked.page, per_page=query.per_page, has_more=False)
    data, page = clients.list_page(business_id, asked, clients.ListFilter(include_archived=query.archived,
                                                                           search=search))
    return ClientPage(data=data, page=asked.page if query.cursor is None else None, per_page=query.per_page,
                      has_more=page.has_more, next_cursor=page.next_cursor)
