"""What every list of the API takes: a page number or a cursor (never both), and a page size."""

from __future__ import annotations

from fastfaktura.domain.errors import InvalidRequest
from fastfaktura.store.pages import PageRequest


def page_request(page: int | None, per_page: int, cursor: str | None) -> PageRequest:
    """The page asked for (`page` None: not in the query). A cursor already says where the page is, so
    `cursor` with `page` is a bad query (400), as is an empty cursor."""
    if cursor is not None and page is not None:
        raise InvalidRequest("use either page or cursor, not both",
                             [{"field": "cursor", "issue": "with_page", "value": None}])
    if cursor is not None and not cursor:
        raise InvalidRequest("cursor is empty", [{"field": "cursor", "issue": "invalid_cursor", "value": ""}])
    return PageRequest(page=page or 1, per_page=per_page, cursor=cursor)
