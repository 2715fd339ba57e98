"""The legal mentions of an invoice as the PDF and the public page take them (the renderers do not
reach the domain, so the services list the mentions for them)."""

from __future__ import annotations

from typing import Any

from fastfaktura.domain.mentions import legal_mentions
from fastfaktura.domain.vat import franchise
from fastfaktura.models.codes import VATEX


def printable_mentions(business: dict[str, Any], client: dict[str, Any], invoice: dict[str, Any]) -> list[dict]:
    """The invoice's legal mentions as the PDF and the public page take them. An exemption reason whose
    text is the one we default to (the VATEX code's name, the country's exemption) is passed without it:
    the renderers print that default in the reader's language; a text the user gave is printed as is."""
    defaults = {franchise(business.get("country")).text}
    printable = []
    for mention in legal_mentions(business, client, invoice):
        values = dict(mention.values)
        code = mention.key.removeprefix("vat.reason.")
        if mention.key.startswith("vat.reason.") and values.get("text") in {*defaults, VATEX.get(code)}:
            values["text"] = ""
        printable.append({"key": mention.key, "values": values})
    return printable
