"""Clients: the bodies of POST and PUT /clients and the client as answered."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from fastfaktura.models.common import (
    CountryCode,
    E164Phone,
    EmailAddress,
    Locale,
    RequestBody,
    ResponseBody,
    Timestamp,
)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


ClientName = Annotated[str, Field(min_length=1, max_length=200, examples=["Åsa Ærø Ölund"]),
                       AfterValidator(_not_blank)]
Address = Annotated[str, Field(max_length=1000)]
ExternalId = Annotated[str, Field(min_length=1, max_length=200, examples=["crm-00042"],
                                  description="Your own id for the client (e.g. from a CRM); unique per business")]
Tag = Annotated[str, Field(min_length=1, max_length=50)]
Tags = Annotated[list[Tag], Field(max_length=20, examples=[["vip", "oslo"]])]


class ClientCreate(RequestBody):
    """`POST /clients`. `locale` defaults to the business's `default_locale`."""

    name: ClientName
    email: EmailAddress | None = None
    phone: E164Phone | None = None
    address: Address | None = None
    country: CountryCode | None = None
    locale: Locale | None = None
    external_id: ExternalId | None = None
    tags: Tags = Field(default_factory=list)


class ClientUpdate(RequestBody):
    """`PUT /clients/{id}`: a partial update; fields absent from the body are unchanged, null clears
    an optional field. `archived_at` accepts only null (unarchive); archiving is `DELETE`."""

    name: ClientName | None = None
    email: EmailAddress | None = None
    phone: E164Phone | None = None
    address: Address | None = None
    country: CountryCode | None = None
    locale: Locale | None = None
    external_id: ExternalId | None = None
    tags: Tags | None = None
    archived_at: None = Field(default=None, description="Only null: unarchives the client")

    @field_validator("name", "locale", "tags", mode="before")
    @classmethod
    def _not_null(cls, value):
        if value is None:
            raise ValueError("may be left out but not null")
        return value

    @field_validator("archived_at", mode="before")
    @classmethod
    def _only_null(cls, value):
        if value is not None:
            raise ValueError("may only be null (to unarchive); archive a client with DELETE /clients/{id}")
        return value


class Client(ResponseBody):
    """A client as answered by the API (every field present, null when unset)."""

    id: str
    name: str
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    country: str | None = None
    locale: str
    external_id: str | None = None
    tags: list[str] = Field(default_factory=list)
    archived_at: Timestamp | None = None
    created_at: Timestamp
    updated_at: Timestamp


class ClientPage(ResponseBody):
    """`GET /clients`: one page, newest first."""

    data: list[Client]
    page: int | None = Field(description="The page number asked for; null when the page was reached by cursor")
    per_page: int
    has_more: bool
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page (same "
                                    "filters); null on the last page")
