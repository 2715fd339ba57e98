"""The legal mentions an invoice needs, as text keys and their values: the PDF and the public page
look the keys up in the client's locale and print them; no wording lives here.

Keys, in the order they are listed, with when and why (FR "242 nonies A" is CGI annexe II art. 242
nonies A, as amended by décret n° 2022-1299 for the e-invoicing mentions; EU "226" is Council
Directive 2006/112/EC art. 226):

- `vat.reason.<VATEX code>` {text: the invoice's own text or ""}: each exemption reason of the tax
  breakdown that has a code (FR 242 nonies A, the exemption provision named; EU 226 (11), (11a)).
- `vat.reason.franchise.<NO|SE|DK|eu|other>` {text}: an exempt seller whose country's exemption has
  no VATEX code (the law per country: `domain.vat`).
- `vat.category.<E|AE|K|G|O>`: each category on the invoice that carries no VAT by law, e.g.
  "Autoliquidation" / "Omvendt avgiftsplikt" / "Omvänd betalningsskyldighet" for AE (EU 226 (11a);
  FR CGI art. 283; NO merverdiavgiftsloven § 11-1; SE mervärdesskattelagen 17 kap.; DK momsloven).
- `fr.vat_on_debits`: a French seller with `vat_on_debits` (242 nonies A: "Option pour le paiement
  de la taxe d'après les débits").
- `fr.operations.<goods|services|goods_and_services>`: a French seller, from its lines' `kind`
  (242 nonies A: the nature of the operations).
- `fr.trade_register` {value}: a French seller with `trade_register` (Code de commerce R123-237).
- `fr.early_payment.terms` {text} or `fr.early_payment.none`: a French seller, its
  `early_payment_terms` or the standard "no discount" wording (Code de commerce L441-9).
- `client.company_id` {value}: the client has one (242 nonies A: the client's SIREN).
- `client.vat_number` {value}: the client has one (242 nonies A; EU 226 (4)).
- `delivery_address` {value}: the client's delivery address differs from its address (242 nonies A).
- `buyer_reference` {value} (EN 16931 BT-10), `purchase_order` {value} (Code de commerce L441-9,
  the purchase order number; BT-13), `delivery_date` {value: ISO date} (EU 226 (7)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastfaktura.domain.vat import FRANCHISE
from fastfaktura.models.countries import EU_COUNTRIES


@dataclass(frozen=True)
class Mention:
    """One legal mention: the text's key and the values the text is filled with."""

    key: str
    values: dict[str, str] = field(default_factory=dict)


def legal_mentions(business: dict[str, Any], client: dict[str, Any], invoice: dict[str, Any]) -> list[Mention]:
    """The mentions of one invoice, from the business, the client and the invoice as the API answers
    them (plain JSON values; `invoice` with its `lines` and `tax_breakdown`)."""
    mentions: list[Mention] = []
    breakdown = invoice.get("tax_breakdown") or []
    seen: set[str] = set()
    for group in breakdown:
        reason = group.get("vat_exemption_reason")
        if not reason:
            continue
        key = _reason_key(reason, business.get("country"))
        if key not in seen:
            seen.add(key)
            mentions.append(Mention(key, {"text": reason.get("text") or ""}))
    for category in dict.fromkeys(group.get("vat_category") for group in breakdown):
        if category not in (None, "S", "Z"):
            mentions.append(Mention(f"vat.category.{category}"))
    if business.get("country") == "FR":
        mentions.extend(_french_seller(business, invoice))
    for name in ("company_id", "vat_number"):
        if client.get(name):
            mentions.append(Mention(f"client.{name}", {"value": client[name]}))
    delivery = client.get("delivery_address")
    if delivery and _normal(delivery) != _normal(_client_address(client)):
        mentions.append(Mention("delivery_address", {"value": delivery}))
    for name in ("buyer_reference", "purchase_order", "delivery_date"):
        if invoice.get(name):
            mentions.append(Mention(name, {"value": str(invoice[name])}))
    return mentions


def _reason_key(reason: dict[str, Any], seller_country: str | None) -> str:
    if reason.get("code"):
        return f"vat.reason.{reason['code']}"
    if seller_country in FRANCHISE:
        return f"vat.reason.franchise.{seller_country}"
    return "vat.reason.franchise.eu" if seller_country in EU_COUNTRIES else "vat.reason.franchise.other"


def _french_seller(business: dict[str, Any], invoice: dict[str, Any]) -> list[Mention]:
    mentions = []
    if business.get("vat_on_debits"):
        mentions.append(Mention("fr.vat_on_debits"))
    kinds = {line.get("kind") or "service" for line in invoice.get("lines") or []}
    if kinds:
        nature = "goods_and_services" if len(kinds) > 1 else ("goods" if kinds == {"goods"} else "services")
        mentions.append(Mention(f"fr.operations.{nature}"))
    if business.get("trade_register"):
        mentions.append(Mention("fr.trade_register", {"value": business["trade_register"]}))
    terms = business.get("early_payment_terms")
    mentions.append(Mention("fr.early_payment.terms", {"text": terms}) if terms else Mention("fr.early_payment.none"))
    return mentions


def _client_address(client: dict[str, Any]) -> str:
    structured = [client.get("street"), " ".join(p for p in (client.get("postal_code"), client.get("city")) if p)]
    return "\n".join(p for p in structured if p) or client.get("address") or ""


def _normal(text: str) -> str:
    return " ".join(text.replace(",", " ").split()).casefold()
