"""VAT categories of invoice lines: the defaults that keep first-release requests working, and the
EN 16931 rules an invoice must meet before anything is written.

Defaults, per line without `vat_category`: S when `tax_rate` > 0, Z when it is 0; for a business
whose `vat_regime` is `exempt`, E with the exemption of its country (a rate > 0 stays S, which such
a business may not invoice: 422). AE, K, G and O lines without a reason take VATEX-EU-AE, -IC, -G
and -O.

The exemption of a business that is not registered for VAT, by the seller's country — the reason
(VATEX code; text) and the law:

- FR: VATEX-FR-FRANCHISE; "TVA non applicable, art. 293 B du CGI". Code général des impôts art. 293 B
  (franchise en base); the exemption is named on the invoice: CGI annexe II art. 242 nonies A.
- NO: no VATEX code; "Selger er ikke registrert i Merverdiavgiftsregisteret". Merverdiavgiftsloven
  § 2-1 (registration threshold); bokføringsforskriften § 5-1-1 (what an invoice states).
- SE: no VATEX code; "Omsättningen är undantagen från mervärdesskatt (18 kap. mervärdesskattelagen)".
  Mervärdesskattelagen (2023:200) 18 kap. (small-business exemption), 17 kap. (what an invoice states).
- DK: no VATEX code; "Virksomheden er ikke momsregistreret (momsloven § 48)". Momsloven § 48, stk. 1
  (registration threshold).
- another EU country: no VATEX code; "VAT exemption for small enterprises (Council Directive
  2006/112/EC, art. 284)". Directive 2006/112/EC art. 284 (small enterprises), art. 226 (11) (the
  exemption named on the invoice).
- elsewhere: no VATEX code; "Seller not registered for VAT".

The VATEX list has a code for the French franchise only: elsewhere the reason is its text (EN 16931
BR-E-10 asks for a code or a text).

Rules, each a 422 naming the field, with `issue` the EN 16931 rule id where one exists (K's rules
are EN 16931's "BR-IC-…"):

- S has a rate > 0; Z, E, AE, K, G, O have 0 — `lines.N.tax_rate`: BR-S-05, BR-Z-05, BR-E-05,
  BR-AE-05, BR-IC-05, BR-G-05, BR-O-05.
- S and Z carry no exemption reason — `lines.N.vat_exemption_reason`: BR-S-10, BR-Z-10.
- E, AE, K, G, O carry a reason, given or defaulted — `lines.N.vat_exemption_reason`: BR-E-10.
- a reason's code belongs to the line's category (VATEX-EU-AE and VATEX-FR-AE to AE, -IC to K, -G
  to G, -O to O, every other code to E) — `lines.N.vat_exemption_reason.code`: reason_category.
- one reason per (category, rate) group, the group's BT-120/121 — `lines.N.vat_exemption_reason`:
  reason_conflict.
- AE and K: the client has a VAT number — `client.vat_number`: BR-AE-02, BR-IC-02.
- K: seller and client in two different EU countries — `client.country` (or `business.country`):
  same_country, outside_eu.
- O is never mixed with another category — `lines.N.vat_category`: BR-O-11.
- an exempt business has no S line — `lines.N.vat_category` (`lines.N.tax_rate` when the category
  was defaulted): exempt_business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from fastfaktura.domain.errors import ValidationFailed
from fastfaktura.models.codes import VATEX, VATEX_CATEGORY
from fastfaktura.models.countries import EU_COUNTRIES

ZERO_RATED = ("Z", "E", "AE", "K", "G", "O")
NEEDS_REASON = ("E", "AE", "K", "G", "O")
_RULE_PREFIX = {"S": "BR-S", "Z": "BR-Z", "E": "BR-E", "AE": "BR-AE", "K": "BR-IC", "G": "BR-G", "O": "BR-O"}
_DEFAULT_CODE = {"AE": "VATEX-EU-AE", "K": "VATEX-EU-IC", "G": "VATEX-EU-G", "O": "VATEX-EU-O"}


@dataclass(frozen=True)
class Exemption:
    """A VATEX code (None for a national exemption the list has no code for) and its text."""

    code: str | None
    text: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "text": self.text}


FRANCHISE = {
    "FR": Exemption("VATEX-FR-FRANCHISE", "TVA non applicable, art. 293 B du CGI"),
    "NO": Exemption(None, "Selger er ikke registrert i Merverdiavgiftsregisteret"),
    "SE": Exemption(None, "Omsättningen är undantagen från mervärdesskatt (18 kap. mervärdesskattelagen)"),
    "DK": Exemption(None, "Virksomheden er ikke momsregistreret (momsloven § 48)"),
}
EU_FRANCHISE = Exemption(None, "VAT exemption for small enterprises (Council Directive 2006/112/EC, art. 284)")
NOT_REGISTERED = Exemption(None, "Seller not registered for VAT")


def franchise(country: str | None) -> Exemption:
    """The exemption of a business not registered for VAT in `country` (the table above)."""
    if country in FRANCHISE:
        return FRANCHISE[country]
    return EU_FRANCHISE if country in EU_COUNTRIES else NOT_REGISTERED


class LineVatInput(Protocol):
    tax_rate: Decimal
    vat_category: str | None
    vat_exemption_reason: Any  # None or an object with `code` and `text`


@dataclass(frozen=True)
class Parties:
    """What the rules need to know of the seller and the client."""

    seller_country: str | None
    vat_regime: str
    client_country: str | None
    client_vat_number: str | None


@dataclass(frozen=True)
class LineVat:
    """A line's category and exemption reason once defaults are applied."""

    category: str
    reason: Exemption | None


def default_category(tax_rate: Decimal, vat_regime: str = "standard") -> str:
    if tax_rate > 0:
        return "S"
    return "E" if vat_regime == "exempt" else "Z"


def resolve(lines: Sequence[LineVatInput], parties: Parties) -> list[LineVat]:
    """Each line's category and reason, defaults applied; ValidationFailed (422) naming every field
    that breaks a rule of the table above."""
    problems: list[dict[str, Any]] = []
    resolved = [_resolve_line(index, line, parties, problems) for index, line in enumerate(lines)]
    _check_groups(lines, resolved, problems)
    _check_parties(resolved, parties, problems)
    if problems:
        unique = list({(p["field"], p["issue"]): p for p in problems}.values())
        raise ValidationFailed("; ".join(p.pop("message") for p in unique), unique)
    return resolved


def _problem(field: str, issue: str, message: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "issue": issue, "value": value, "message": message}


def _resolve_line(index: int, line: LineVatInput, parties: Parties, problems: list[dict[str, Any]]) -> LineVat:
    at = f"lines.{index}"
    rate = line.tax_rate
    category = line.vat_category or default_category(rate, parties.vat_regime)
    given = line.vat_exemption_reason
    reason = Exemption(given.code, given.text) if given is not None else None
    rule = _RULE_PREFIX[category]
    if category == "S" and parties.vat_regime == "exempt":
        field = f"{at}.vat_category" if line.vat_category else f"{at}.tax_rate"
        problems.append(_problem(field, "exempt_business", f"{field}: a business whose vat_regime is exempt charges "
                                 "no VAT (category S); use tax_rate 0", line.vat_category or _number(rate)))
    elif category == "S" and rate <= 0:
        problems.append(_problem(f"{at}.tax_rate", f"{rule}-05", f"{at}.tax_rate must be above 0 for category S "
                                 "(standard rate); use Z for a zero rate", _number(rate)))
    elif category in ZERO_RATED and rate != 0:
        problems.append(_problem(f"{at}.tax_rate", f"{rule}-05", f"{at}.tax_rate must be 0 for category {category}",
                                 _number(rate)))
    if category in ("S", "Z") and reason is not None:
        problems.append(_problem(f"{at}.vat_exemption_reason", f"{rule}-10", f"{at}.vat_exemption_reason is only "
                                 f"for lines that carry no VAT by exemption (not category {category})"))
        reason = None
    if category in NEEDS_REASON and reason is None:
        reason = _default_reason(category, parties)
        if reason is None:
            problems.append(_problem(f"{at}.vat_exemption_reason", f"{rule}-10", f"{at}.vat_exemption_reason is "
                                     "needed for category E: a VATEX code (e.g. VATEX-EU-132-1I) and its text"))
    if reason is not None and reason.code is not None and VATEX_CATEGORY.get(reason.code, "E") != category:
        problems.append(_problem(f"{at}.vat_exemption_reason.code", "reason_category",
                                 f"{at}.vat_exemption_reason.code {reason.code} is for category "
                                 f"{VATEX_CATEGORY.get(reason.code, 'E')}, not {category}", reason.code))
    return LineVat(category, reason)


def _default_reason(category: str, parties: Parties) -> Exemption | None:
    if category in _DEFAULT_CODE:
        code = _DEFAULT_CODE[category]
        return Exemption(code, VATEX[code])
    if parties.vat_regime == "exempt":
        return franchise(parties.seller_country)
    return None


def _check_groups(lines: Sequence[LineVatInput], resolved: list[LineVat], problems: list[dict[str, Any]]) -> None:
    """O stands alone (BR-O-11); a (category, rate) group has one reason (it is the group's BT-120/121)."""
    categories = {vat.category for vat in resolved}
    if "O" in categories and len(categories) > 1:
        first = next(i for i, vat in enumerate(resolved) if vat.category != "O")
        problems.append(_problem(f"lines.{first}.vat_category", "BR-O-11", "an invoice with a line outside the "
                                 "scope of VAT (O) has only O lines", resolved[first].category))
    reasons: dict[tuple[str, Decimal], Exemption | None] = {}
    for index, (line, vat) in enumerate(zip(lines, resolved, strict=True)):
        group = (vat.category, Decimal(line.tax_rate).normalize())
        if group in reasons and reasons[group] != vat.reason and vat.reason is not None:
            problems.append(_problem(f"lines.{index}.vat_exemption_reason", "reason_conflict",
                                     f"lines.{index}.vat_exemption_reason differs from another {vat.category} line's "
                                     "at the same rate: one reason per category and rate"))
        reasons.setdefault(group, vat.reason)


def _check_parties(resolved: list[LineVat], parties: Parties, problems: list[dict[str, Any]]) -> None:
    categories = {vat.category for vat in resolved}
    for category in ("AE", "K"):
        if category in categories and not parties.client_vat_number:
            problems.append(_problem("client.vat_number", f"{_RULE_PREFIX[category]}-02", "the client needs a "
                                     f"vat_number for category {category} "
                                     f"({'reverse charge' if category == 'AE' else 'intra-community supply'})"))
    if "K" in categories:
        seller, client = parties.seller_country, parties.client_country
        if seller not in EU_COUNTRIES or client not in EU_COUNTRIES:
            field = "business.country" if seller not in EU_COUNTRIES else "client.country"
            problems.append(_problem(field, "outside_eu", "an intra-community supply (K) is between two EU "
                                     f"countries ({field} is {(seller if field == 'business.country' else client)})",
                                     seller if field == "business.country" else client))
        elif seller == client:
            problems.append(_problem("client.country", "same_country", "an intra-community supply (K) goes to "
                                     f"another EU country than the seller's ({seller})", client))


def _number(rate: Decimal) -> float | int:
    return int(rate) if rate == rate.to_integral_value() else float(rate)


def settle_regime(changes: dict[str, Any]) -> dict[str, Any]:
    """A business's `vat_registered` agrees with its `vat_regime`: `exempt` means not registered (so
    `vat_registered` becomes false), `vat_registered: true` means the `standard` regime. Both at once
    and contradicting: 422. `vat_registered: false` alone leaves the regime as it is (the first
    release's default, which said nothing of the regime)."""
    regime, registered = changes.get("vat_regime"), changes.get("vat_registered")
    if regime == "exempt" and registered is True:
        raise ValidationFailed.field("vat_registered", "regime_conflict", "vat_registered must be false for a "
                                     "business whose vat_regime is exempt (not registered for VAT)", True)
    if regime == "exempt":
        return {**changes, "vat_registered": False}
    if registered is True:
        return {**changes, "vat_regime": "standard"}
    return changes
