"""What a business and a client share: the structured address, the identifiers and the electronic
address (EN 16931 BT-34 / BT-49)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from fastfaktura.models.codes import DERIVED_SCHEMES, EasScheme
from fastfaktura.models.common import RequestBody, text

Street = Annotated[str, *text(
    1000, lines=True, examples=["3 quai Voltaire"],
    description="Street and number (line feeds allowed); with postal_code and city, what documents print")]
PostalCode = Annotated[str, *text(20, examples=["75007"])]
City = Annotated[str, *text(100, examples=["Paris"])]
Address = Annotated[str, *text(
    1000, lines=True, description="The address as free text (line feeds allowed); when street, "
                                  "postal_code or city are given, documents print those instead")]
CompanyId = Annotated[str, *text(
    32, description="The company's registration number, checked by its country: FR SIREN (9 digits) "
                    "or SIRET (14), NO org.nr, SE org-nr, DK CVR (a bad check digit is a 422)")]
VatNumber = Annotated[str, *text(
    32, description="The VAT number, checked by country (every EU shape, NO …MVA); a bad check digit is a 422")]

EndpointId = Annotated[str, *text(200, min_length=1, examples=["12345678200010"])]

VatRegime = Literal["standard", "exempt"]
ClientKind = Literal["business", "consumer"]


class ElectronicAddress(RequestBody):
    """An EN 16931 electronic address (Peppol endpoint): a scheme of the EAS code list and its id."""

    model_config = RequestBody.model_config | {"json_schema_extra": {"description": (
        "The EN 16931 / Peppol endpoint, or null: then it is derived from the country and company_id where "
        f"a scheme exists ({DERIVED_SCHEMES}).")}}

    scheme: EasScheme = Field(examples=["0225"])
    id: EndpointId
