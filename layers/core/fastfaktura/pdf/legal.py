"""The legal mentions a seller's country requires on an invoice, from the business profile.

FR: SIREN/SIRET, TVA intracommunautaire, the late-payment penalty rate and the €40 recovery indemnity
(Code de commerce L441-9, D441-5), "TVA non applicable, art. 293 B du CGI" for a business without VAT.
NO: "Org.nr … MVA" when VAT-registered, "Foretaksregisteret" for AS/ASA (foretaksregisterloven § 10-2).
SE: momsregistreringsnummer, "Godkänd för F-skatt" when approved. DK: CVR-nr.
Elsewhere: the company number and the VAT number, with the locale's labels. The words and the number
formats are fastfaktura.i18n's; this module decides which of them an invoice prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastfaktura.i18n.catalogue import LegalTexts
from fastfaktura.i18n.formats import Formatter
from fastfaktura.i18n.identifiers import NO_REGISTER, SE_F_SKATT, identifiers
from fastfaktura.i18n.mentions import with_register
from fastfaktura.pdf.document import InvoiceDocument


def identity_mentions(doc: InvoiceDocument, legal: LegalTexts, trade_register: str | None = None) -> list[str]:
    """Registration numbers, printed under the seller's name and in every page's footer; the trade
    register ("RCS Paris") beside the company number."""
    seller = doc.business
    mentions = [seller.legal_form] if seller.legal_form else []
    found = identifiers(seller.country, seller.company_id, seller.vat_number, seller.vat_registered, legal)
    mentions += [f"{number.label} {with_register(number.value, trade_register)}" if index == 0 and seller.company_id
                 else str(number) for index, number in enumerate(found)]
    if seller.country == "NO" and (seller.legal_form or "").upper() in ("AS", "ASA"):
        mentions.append(NO_REGISTER)
    if seller.country == "SE" and seller.f_skatt:
        mentions.append(SE_F_SKATT)
    return mentions


def terms_mentions(doc: InvoiceDocument, legal: LegalTexts, fmt: Formatter, printed: Sequence[str] = ()) -> list[str]:
    """Sentences printed once, at the end of the invoice, after the mentions' `printed` sentences (293 B
    is printed by them when the invoice's lines say so, or here for an invoice of before categories)."""
    seller, invoice = doc.business, doc.invoice
    if seller.country != "FR":
        return []
    mentions = []
    if not seller.vat_number and invoice.tax_cents == 0 and legal.vat_exempt not in printed:
        mentions.append(legal.vat_exempt)
    if seller.late_payment_rate is not None:
        mentions.append(legal.late_payment.format(rate=fmt.quantity(seller.late_payment_rate)))
    else:
        mentions.append(legal.late_payment_legal_rate)
    mentions.append(legal.recovery_indemnity)
    return mentions
