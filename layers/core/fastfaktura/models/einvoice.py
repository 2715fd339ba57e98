"""Whether an invoice can be a valid EN 16931 e-invoice, as every invoice answer says."""

from __future__ import annotations

from pydantic import Field

from fastfaktura.models.common import ResponseBody


class EinvoiceMissing(ResponseBody):
    field: str = Field(examples=["client.electronic_address"], description="The field (of the business, the client "
                                                                           "or the invoice) to fill or change")
    message: str


class EinvoiceReadiness(ResponseBody):
    """`ready`: the UBL, the CII and a Factur-X PDF can be made (and pass the official EN 16931, Peppol BIS 3
    and French rules); otherwise `missing` says what stops it, and the PDF is a plain one."""

    ready: bool
    missing: list[EinvoiceMissing]
