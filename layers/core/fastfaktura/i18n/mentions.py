"""What each legal mention key (`domain.mentions`) prints, in the reader's language, and where: the
PDF and the public page both read `printed_mentions`, so one fact reads alike on paper and on screen.

Mentions arrive as `{"key": …, "values": {…}}` (the JSON the render document and the page carry). A
reason's `text` is printed as given; an empty one means "the default": the wording of its VATEX code,
or of the seller country's exemption, in the reader's language.

Key — what it prints (fr) — the law (Dir. = Council Directive 2006/112/EC; CGI = code général des
impôts, "242 nonies A" its annexe II art. 242 nonies A as amended by décret n° 2022-1299):

| key | printed (fr) | source |
|---|---|---|
| vat.category.AE | "Autoliquidation" | Dir. 226 (11a); CGI 283-2, 242 nonies A; NO mval. § 11-1; SE ML 17 kap. |
| vat.category.K | "Exonération de TVA, article 262 ter I du CGI" (other EU: Dir. 138) | CGI 262 ter I; Dir. 138 |
| vat.category.G | "Exonération de TVA, article 262 I du CGI" (NO: mval. § 6-21; EU: Dir. 146) | CGI 262 I; Dir. 146 |
| vat.category.O | "Opération hors du champ d'application de la TVA" | Dir. 2, 226 (11) |
| vat.category.E | nothing of its own: its reason names the provision | Dir. 226 (11) |
| vat.reason.VATEX-FR-FRANCHISE | "TVA non applicable, art. 293 B du CGI." | CGI 293 B; 242 nonies A |
| vat.reason.VATEX-EU-… | "Exonération de TVA, article 132(1)(i) de la directive 2006/112/CE" | Dir. 226 (11) |
| vat.reason.VATEX-FR-CGI… | "Exonération de TVA, article 261 D, 1° du CGI" | 242 nonies A |
| vat.reason.VATEX-EU-D/F/I/J | the margin scheme named ("Régime de la marge : biens d'occasion") | Dir. 226 (14) |
| vat.reason.franchise.* | the seller country's exemption | NO mval. § 2-1; SE ML 18 kap.; DK momsl. § 48; Dir. 284 |
| fr.vat_on_debits | "Option pour le paiement de la taxe d'après les débits" | 242 nonies A |
| fr.operations.* | "Nature des opérations : prestation de services" | 242 nonies A |
| fr.trade_register | beside the SIREN, as given: "SIRET 123 456 789 00012 (RCS Paris)" | C. com. R123-237 |
| fr.early_payment.* | "Escompte pour paiement anticipé : …" / "Pas d'escompte …" | C. com. L441-9 |
| client.company_id, client.vat_number | in the buyer's block, as its country writes them | 242 nonies A; Dir. 226 (4) |
| delivery_address | its own block, "Adresse de livraison" | 242 nonies A |
| buyer_reference | among the invoice's facts, "Référence acheteur" | EN 16931 BT-10 |
| purchase_order | among the invoice's facts, "Bon de commande" | C. com. L441-9; EN 16931 BT-13 |
| delivery_date | among the invoice's facts, "Date de livraison" | Dir. 226 (7) |
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastfaktura.i18n.catalogue import Catalogue, MentionTexts
from fastfaktura.i18n.identifiers import Identifier, identifiers
from fastfaktura.models.codes import VATEX

# The provisions a seller's country cites for K and G; elsewhere in the EU the Directive's article.
_NATIONAL_LAW = {("FR", "K"): "article 262 ter I du CGI", ("FR", "G"): "article 262 I du CGI",
                 ("NO", "G"): "merverdiavgiftsloven § 6-21"}
_DIRECTIVE_ARTICLE = {"K": "138", "G": "146"}
_EU_CODE = re.compile(r"VATEX-EU-(\d+)(?:-(\d*)([A-Z]*))?$")
_CGI_NAME = re.compile(r"Exempt based on (?:(.+?) of )?article (.+?) of the Code")
_NAMED_REASONS = {"VATEX-EU-D": "exempt_d", "VATEX-EU-F": "exempt_f", "VATEX-EU-I": "exempt_i",
                  "VATEX-EU-J": "exempt_j", "VATEX-FR-CNWVAT": "exempt_cnwvat"}
# Codes that are a category's own (AE, K, G, O): the category's sentence says it already.
_CATEGORY_CODES = frozenset({"VATEX-EU-AE", "VATEX-FR-AE", "VATEX-EU-IC", "VATEX-EU-G", "VATEX-EU-O"})


@dataclass
class PrintedMentions:
    """The mentions of one invoice, placed: lines of the buyer's block, a delivery address block, label /
    value facts beside the invoice number and dates, and sentences at the end."""

    buyer: list[Identifier] = field(default_factory=list)
    delivery_address: str | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    trade_register: str | None = None  # printed beside the seller's SIREN


def category_word(category: str | None, texts: MentionTexts) -> str | None:
    """The breakdown's word beside a rate: None for S (and for a group of before categories)."""
    return getattr(texts, f"category_{category.lower()}", None) if category and category != "S" else None


def with_register(company_number: str, trade_register: str | None) -> str:
    """"123 456 789 (RCS Paris)": a French seller's company number with the register that holds it."""
    return f"{company_number} ({trade_register})" if trade_register else company_number


def rate_label(rate: str, category: str | None, texts: MentionTexts) -> str:
    """A breakdown's rate as both outputs print it: "20 %", "0 % (Autoliquidation)"."""
    word = category_word(category, texts)
    return f"{rate} ({word})" if word else rate


def _category_sentence(category: str, seller_country: str | None, texts: MentionTexts) -> str | None:
    if category == "AE":
        return texts.reverse_charge
    if category == "O":
        return texts.outside_scope
    if category in _DIRECTIVE_ARTICLE:
        law = _NATIONAL_LAW.get((seller_country or "", category))
        if law is None and seller_country != "NO":
            law = texts.directive.format(article=_DIRECTIVE_ARTICLE[category])
        template = texts.intra_community if category == "K" else texts.export
        return template.format(law=law) if law else category_word(category, texts)
    return None  # E: its reason names the provision


def _reason_sentence(key: str, text: str, texts: Catalogue) -> str | None:
    if text:
        return text
    words = texts.mentions
    kind = key.removeprefix("vat.reason.")
    if kind.startswith("franchise."):
        return getattr(words, f"franchise_{kind.removeprefix('franchise.').lower()}")
    if kind in _CATEGORY_CODES:
        return None
    if kind == "VATEX-FR-FRANCHISE":
        return texts.legal.vat_exempt
    if kind in _NAMED_REASONS:
        return getattr(words, _NAMED_REASONS[kind])
    eu = _EU_CODE.match(kind)
    if eu:
        article, number, letters = eu.groups()
        provision = article + (f"({number})" if number else "") + (f"({letters.lower()})" if letters else "")
        return words.exempt_directive.format(provision=provision)
    cgi = _CGI_NAME.match(VATEX.get(kind, ""))
    if cgi:
        point, article = cgi.groups()
        return words.exempt_cgi.format(provision=f"{article}, {point}" if point else article)
    return VATEX.get(kind, kind)  # a code of a later list: its English name


def printed_mentions(mentions: Iterable[Mapping[str, Any]], texts: Catalogue, seller_country: str | None,
                     client_country: str | None, fmt: Any) -> PrintedMentions:
    """Each mention's text in `texts`' language, placed (see PrintedMentions); `fmt` (a Formatter)
    writes the delivery date."""
    words = texts.mentions
    printed = PrintedMentions()
    client_ids: dict[str, str | None] = {"company_id": None, "vat_number": None}
    for mention in mentions:
        key, values = mention["key"], mention.get("values") or {}
        if key.startswith("vat.reason."):
            sentence = _reason_sentence(key, values.get("text") or "", texts)
        elif key.startswith("vat.category."):
            sentence = _category_sentence(key.removeprefix("vat.category."), seller_country, words)
        elif key == "fr.vat_on_debits":
            sentence = words.vat_on_debits
        elif key.startswith("fr.operations."):
            sentence = getattr(words, f"operations_{key.removeprefix('fr.operations.')}")
        elif key == "fr.early_payment.terms":
            sentence = words.early_payment_terms.format(text=values["text"])
        elif key == "fr.early_payment.none":
            sentence = words.early_payment_none
        else:
            sentence = None
            if key == "fr.trade_register":
                printed.trade_register = values["value"]
            elif key.startswith("client."):
                client_ids[key.removeprefix("client.")] = values["value"]
            elif key == "delivery_address":
                printed.delivery_address = values["value"]
            elif key == "delivery_date":
                printed.facts.append((words.delivery_date, fmt.date(values["value"])))
            elif key in ("buyer_reference", "purchase_order"):
                printed.facts.append((getattr(words, key), values["value"]))
        if sentence and sentence not in printed.sentences:
            printed.sentences.append(sentence)
    printed.buyer.extend(identifiers(client_country, client_ids["company_id"],
                                     client_ids["vat_number"], bool(client_ids["vat_number"]), texts.legal))
    return printed
