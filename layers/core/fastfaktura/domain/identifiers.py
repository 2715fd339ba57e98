"""Company, VAT and bank identifiers, checked with python-stdnum and chosen by the party's country.

- company_id, FR: SIREN, 9 digits (`fr.siren`), or SIRET, 14 digits (`fr.siret`): Luhn.
- company_id, NO: organisasjonsnummer (`no.orgnr`, mod 11); SE: organisationsnummer (`se.orgnr`,
  Luhn); DK: CVR-nummer (`dk.cvr`, mod 11).
- vat_number of a party in the EU, or starting with an EU prefix (EL for Greece): `eu.vat`, each
  country's own shape and check digits; NO (or prefix NO): `NO` + org.nr + `MVA` (`no.mva`); GB, CH
  (or their prefixes): `gb.vat`, `ch.vat`.
- iban (`iban`, mod 97) and bic (`bic`, its shape), whatever the country.
- electronic_address ids of the schemes 0002 SIREN, 0009 SIRET, 0192 NO org.nr, 0007 SE org-nr,
  0184 DK CVR.

Elsewhere a company id or VAT number is kept as given. python-stdnum is imported on the first
identifier checked, not at every cold start: most requests carry none.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

from fastfaktura.domain.errors import ValidationFailed
from fastfaktura.models.countries import EU_COUNTRIES

_COMPANY_ID = {"NO": ("no.orgnr", "Norwegian organisasjonsnummer"), "SE": ("se.orgnr", "Swedish organisationsnummer"),
               "DK": ("dk.cvr", "Danish CVR number")}
_VAT_PREFIX = {**{country: ("eu.vat", "EU VAT number") for country in EU_COUNTRIES | {"EL", "XI"}},
               "NO": ("no.mva", "Norwegian MVA number"), "GB": ("gb.vat", "UK VAT number"),
               "CH": ("ch.vat", "Swiss VAT number")}
_ENDPOINT_SCHEMES = {"0002": ("fr.siren", "SIREN"), "0009": ("fr.siret", "SIRET"),
                     "0192": ("no.orgnr", "Norwegian organisasjonsnummer"),
                     "0007": ("se.orgnr", "Swedish organisationsnummer"), "0184": ("dk.cvr", "Danish CVR number")}
_SEPARATORS = re.compile(r"[\s.\-/]")


def digits_of(value: str) -> str:
    """The identifier without spaces, dots, dashes and slashes, in upper case."""
    return _SEPARATORS.sub("", value).upper()


def _problem(module: str, value: str) -> str | None:
    """None when `value` is valid for the stdnum module, else the issue: `checksum` or `format`."""
    checker = importlib.import_module(f"stdnum.{module}")
    exceptions = importlib.import_module("stdnum.exceptions")
    try:
        checker.validate(value)
    except exceptions.InvalidChecksum:
        return "checksum"
    except exceptions.ValidationError:
        return "format"
    return None


def _detail(field: str, issue: str, value: str, what: str) -> dict[str, Any]:
    why = "its check digits are wrong" if issue == "checksum" else "it does not have the shape of one"
    return {"field": field, "issue": issue, "value": value, "message": f"{field} is not a valid {what}: {why}"}


def company_id_problem(field: str, country: str | None, value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    if country == "FR":
        compact = digits_of(value)
        module, what = ("fr.siret", "SIRET") if len(compact) == 14 else ("fr.siren", "SIREN")
        if len(compact) not in (9, 14):
            return _detail(field, "format", value, "SIREN (9 digits) or SIRET (14 digits)")
    elif country in _COMPANY_ID:
        module, what = _COMPANY_ID[country]
    else:
        return None
    issue = _problem(module, value)
    return _detail(field, issue, value, what) if issue else None


def vat_number_problem(field: str, country: str | None, value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    compact = digits_of(value)
    prefix = compact[:2]
    if prefix.isalpha() and prefix in _VAT_PREFIX:
        module, what = _VAT_PREFIX[prefix]
        number = compact
    elif country in _VAT_PREFIX:
        module, what = _VAT_PREFIX[country]
        number = ("EL" if country == "GR" else country) + compact
    else:
        return None
    issue = _problem(module, number)
    return _detail(field, issue, value, what) if issue else None


def endpoint_problem(field: str, address: dict[str, Any] | None) -> dict[str, Any] | None:
    """An electronic address whose scheme is a checked identifier (SIREN, SIRET, org.nr, CVR)."""
    if not address or address.get("scheme") not in _ENDPOINT_SCHEMES:
        return None
    module, what = _ENDPOINT_SCHEMES[address["scheme"]]
    issue = _problem(module, address["id"])
    return _detail(f"{field}.id", issue, address["id"], what) if issue else None


def check_party(party: dict[str, Any], fields: frozenset[str] | None = None) -> None:
    """ValidationFailed (422, every bad field named) when one of the party's identifiers is not valid
    for its country. `party` holds the party's field values (a business profile or a client); `fields`
    limits the check to the identifiers a change touched (None: all of them)."""
    country = party.get("country")
    checks: list[tuple[str, Callable[[], dict[str, Any] | None]]] = [
        ("company_id", lambda: company_id_problem("company_id", country, party.get("company_id"))),
        ("vat_number", lambda: vat_number_problem("vat_number", country, party.get("vat_number"))),
        ("electronic_address", lambda: endpoint_problem("electronic_address", party.get("electronic_address"))),
        ("iban", lambda: _simple("iban", party.get("iban"), "iban", "IBAN")),
        ("bic", lambda: _simple("bic", party.get("bic"), "bic", "BIC")),
    ]
    problems = [problem for name, check in checks if fields is None or name in fields or "country" in fields
                if (problem := check())]
    if problems:
        raise ValidationFailed("; ".join(p.pop("message") for p in problems), problems)


def _simple(field: str, value: str | None, module: str, what: str) -> dict[str, Any] | None:
    if not value:
        return None
    issue = _problem(module, value)
    return _detail(field, issue, value, what) if issue else None


def electronic_address(country: str | None, company_id: str | None,
                       given: dict[str, Any] | None) -> dict[str, str] | None:
    """The party's EN 16931 electronic address: the one given, else derived from its country and
    company id where a scheme exists (FR: 0009 SIRET or 0002 SIREN; NO 0192; SE 0007; DK 0184), else None."""
    if given:
        return {"scheme": given["scheme"], "id": given["id"]}
    if not company_id:
        return None
    compact = digits_of(company_id)
    if country == "FR":
        scheme = {14: "0009", 9: "0002"}.get(len(compact))
    else:
        scheme = {"NO": "0192", "SE": "0007", "DK": "0184"}.get(country or "")
    return {"scheme": scheme, "id": compact} if scheme else None
