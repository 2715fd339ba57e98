"""Clients: the bodies of POST and PUT /clients and the client as answered."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from fastfaktura.models.common import (
    CountryCode,
    E164Phone,
    E164Text,
    EmailAddress,
    Locale,
    RequestBody,
    ResponseBody,
    Timestamp,
    Uuid,
    not_null,
    text,
)
from fastfaktura.models.parties import (
    Address,
    City,
    ClientKind,
    CompanyId,
    ElectronicAddress,
    PostalCode,
    Street,
    VatNumber,
)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


ClientName = Annotated[str, *text(200, min_length=1, examples=["Åsa Ærø Ölund"]), AfterValidator(_not_blank)]
ExternalId = Annotated[str, *text(200, min_length=1, examples=["crm-00042"],
                  description="Your own id for the client (e.g. from a CRM); unique per business")]
Tag = Annotated[str, *text(50, min_length=1)]
Kind = Annotated[ClientKind, Field(description="business (the default) or consumer (a French invoice to a "
                                               "consumer is not an e-invoice)")]
DeliveryAddress = Annotated[str, *text(
    1000, lines=True, description="Where the goods or services are delivered, when not at "
                                  "the client's address (printed when it differs)")]
Tags = Annotated[list[Tag], Field(max_length=20, examples=[["vip", "oslo"]])]


class ClientCreate(RequestBody):
    """`POST /clients`. `locale` defaults to the business's `default_locale`."""

    name: ClientName
    email: EmailAddress | None = None
    phone: E164Phone | None = None
    address: Address | None = None
    street: Street | None = None
    postal_code: PostalCode | None = None
    city: City | None = None
    country: CountryCode | None = None
    kind: Kind = "business"
    company_id: CompanyId | None = None
    vat_number: VatNumber | None = None
    electronic_address: ElectronicAddress | None = None
    delivery_address: DeliveryAddress | None = None
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
    street: Street | None = None
    postal_code: PostalCode | None = None
    city: City | None = None
    country: CountryCode | None = None
    kind: Kind | None = None
    company_id: CompanyId | None = None
    vat_number: VatNumber | None = None
    electronic_address: ElectronicAddress | None = None
    delivery_address: DeliveryAddress | None = None
    locale: Locale | None = None
    external_id: ExternalId | None = None
    tags: Tags | None = None
    archived_at: None = Field(default=None, description="Only null: unarchives the client")

    _not_null = not_null("name", "locale", "tags", "kind")

    @field_validator("archived_at", mode="before")
    @classmethod
    def _only_null(cls, value: Any) -> Any:
        if value is not None:
            raise ValueError("may only be null (to unarchive); archive a client with DELETE /clients/{id}")
        return value


class Client(ResponseBody):
    """A client as answered by the API (every field present, null when unset)."""

    id: Uuid
    name: str
    email: str | None = None
    phone: E164Text | None = None
    address: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    kind: ClientKind = "business"
    company_id: str | None = None
    vat_number: str | None = None
    electronic_address: ElectronicAddress | None = None
    delivery_address: str | None = None
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
