"""The legal mentions a seller's country requires on an invoice, from the business profile.

FR: SIREN/SIRET, TVA intracommunautaire, the late-payment penalty rate and the €40 recovery indemnity
(Code de commerce L441-9, D441-5), "TVA non applicable, art. 293 B du CGI" for a business without VAT.
NO: "Org.nr … MVA" when VAT-registered, "Foretaksregisteret" for AS/ASA (foretaksregisterloven § 10-2).
SE: momsregistreringsnummer, "Godkänd för F-skatt" when approved. DK: CVR-nr.
Elsewhere: the company number and the VAT number, with the locale's labels.
"""

from __future__ import annotations

from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.pdf.formats import Formats
from fastfaktura.pdf.labels import Labels


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _norwegian_org_nr(value: str) -> str:
    digits = _digits(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 9 else value


def _french_company_id(value: str) -> str:
    digits = _digits(value)
    if len(digits) == 14:
        return f"SIRET {digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"
    if len(digits) == 9:
        return f"SIREN {digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"SIREN/SIRET {value}"


def identity_mentions(doc: InvoiceDocument, labels: Labels) -> list[str]:
    """Registration numbers, printed under the seller's name and in every page's footer."""
    seller = doc.business
    country = seller.country
    mentions: list[str] = []
    if seller.legal_form:
        mentions.append(seller.legal_form)
    if country == "FR":
        if seller.company_id:
            mentions.append(_french_company_id(seller.company_id))
        if seller.vat_number:
            mentions.append(f"TVA intracommunautaire {seller.vat_number}")
    elif country == "NO":
        if seller.company_id:
            vat = " MVA" if seller.vat_registered else ""
            mentions.append(f"Org.nr. {_norwegian_org_nr(seller.company_id)}{vat}")
        if (seller.legal_form or "").upper() in ("AS", "ASA"):
            mentions.append("Foretaksregisteret")
    elif country == "SE":
        if seller.company_id:
            mentions.append(f"Org.nr {seller.company_id}")
        if seller.vat_number:
            mentions.append(f"Momsreg.nr {seller.vat_number}")
        if seller.f_skatt:
            mentions.append("Godkänd för F-skatt")
    elif country == "DK":
        if seller.company_id:
            mentions.append(f"CVR-nr. {seller.company_id}")
        if seller.vat_number and _digits(seller.vat_number) != _digits(seller.company_id or ""):
            mentions.append(f"SE-nr. {seller.vat_number}")
    else:
        if seller.company_id:
            mentions.append(f"{labels.company_id} {seller.company_id}")
        if seller.vat_number:
            mentions.append(f"{labels.vat_number} {seller.vat_number}")
    return mentions


def terms_mentions(doc: InvoiceDocument, labels: Labels, formats: Formats) -> list[str]:
    """Sentences printed once, at the end of the invoice."""
    seller, invoice = doc.business, doc.invoice
    if seller.country != "FR":
        return []
    mentions = []
    if not seller.vat_number and invoice.tax_cents == 0:
        mentions.append(labels.vat_exempt)
    if seller.late_payment_rate is not None:
        mentions.append(labels.late_payment.format(rate=formats.quantity(seller.late_payment_rate)))
    else:
        mentions.append(labels.late_payment_legal_rate)
    mentions.append(labels.recovery_indemnity)
    return mentions
