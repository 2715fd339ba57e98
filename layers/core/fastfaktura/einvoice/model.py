"""The EN 16931 semantic model of one invoice or credit note, as the two writers read it.

Money is integer cents (the document's currency has two decimals, as all six we bill in); rates and
quantities are Decimal. Amounts the document derives (line net amounts, the VAT breakdown, the totals)
are computed here once (and cached: the writers read them several times), by the same rule as the
invoice's own totals: a line is quantity × net price rounded to the cent, VAT is computed per breakdown
group (category and rate) on the group's sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from fastfaktura.domain.money import line_amount, normalized_rate, round_cents


class DocumentType(StrEnum):
    INVOICE = "380"
    CREDIT_NOTE = "381"


class VatCategory(StrEnum):
    """UNCL5305, the categories EN 16931 knows."""

    STANDARD = "S"
    ZERO_RATED = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    INTRA_COMMUNITY = "K"
    EXPORT = "G"
    OUTSIDE_SCOPE = "O"


# Categories whose breakdown needs an exemption reason (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
CATEGORIES_WITH_REASON = frozenset({VatCategory.EXEMPT, VatCategory.REVERSE_CHARGE, VatCategory.INTRA_COMMUNITY,
                                    VatCategory.EXPORT, VatCategory.OUTSIDE_SCOPE})


class ItemKind(StrEnum):
    GOODS = "goods"
    SERVICES = "services"


@dataclass(frozen=True)
class Address:
    """BG-5/BG-8: street lines (BT-35, BT-36, BT-162), city, postal code, subdivision, ISO 3166 country."""

    country: str
    street: str | None = None
    additional_street: str | None = None
    address_line: str | None = None
    city: str | None = None
    postal_code: str | None = None
    subdivision: str | None = None


@dataclass(frozen=True)
class ElectronicAddress:
    """BT-34/BT-49: an identifier in the EAS code list (0225 French directory, 0192 NO org.nr, 0007 SE,
    0184 DK CVR, 0088 GLN, 9930 DE VAT…)."""

    scheme: str
    id: str


@dataclass(frozen=True)
class Party:
    """The seller (BG-4) or the buyer (BG-7)."""

    name: str
    address: Address
    vat_number: str | None = None  # BT-31/BT-48, with its country prefix
    legal_id: str | None = None  # BT-30/BT-47 (SIREN, org.nr, CVR…)
    legal_id_scheme: str | None = None  # ICD code of legal_id (0002 SIREN, 0192, 0007, 0184)
    electronic_address: ElectronicAddress | None = None
    trading_name: str | None = None  # BT-28/BT-45
    trade_register: str | None = None  # BT-33, e.g. "RCS Paris 732 829 320, SAS au capital de 10 000 €"
    tax_registration: str | None = None  # BT-32, the seller's local tax registration (FR: franchise)
    business_register_name: str | None = None  # NO: "Foretaksregisteret" for an AS/ASA (NO-R-002)
    contact_email: str | None = None
    is_consumer: bool = False  # a private person, not a business

    @property
    def country(self) -> str:
        return self.address.country


@dataclass(frozen=True)
class Line:
    """BG-25. `unit_price_cents` is the API's price and may be negative (a discount line); the writers
    express it through `quantity_for_document` and `net_price_cents_for_document`."""

    id: str
    name: str
    quantity: Decimal
    unit_price_cents: int
    vat_category: VatCategory
    vat_rate: Decimal
    unit_code: str = "C62"  # UN/ECE Rec 20: C62 one, HUR hour, DAY day, KGM kilogram…
    kind: ItemKind = ItemKind.SERVICES
    description: str | None = None

    @cached_property
    def net_amount_cents(self) -> int:
        return line_amount(self.quantity, self.unit_price_cents)

    @property
    def quantity_for_document(self) -> Decimal:
        """BR-27 forbids a negative item net price (BT-146), and BR-FR-DEC-03 agrees. A discount line
        (negative price) is written as the negated quantity at the positive price: the line net amount
        (BT-131) is the same negative number, it keeps its own VAT category and rate (so the breakdown
        is the invoice's own, group by group, which a document-level allowance would need a category and
        rate for anyway), and the line stays where the customer saw it on the PDF."""
        return -self.quantity if self.unit_price_cents < 0 else self.quantity

    @property
    def net_price_cents_for_document(self) -> int:
        return abs(self.unit_price_cents)


@dataclass(frozen=True)
class PrecedingInvoice:
    """BG-3: the invoice a credit note corrects."""

    number: str
    issue_date: date


@dataclass(frozen=True)
class PaymentMeans:
    """BG-16. Code 30 credit transfer, 58 SEPA credit transfer (both need the IBAN, BR-61)."""

    code: str = "30"
    iban: str | None = None
    bic: str | None = None
    account_name: str | None = None
    remittance: str | None = None  # BT-83, the reference the payer should quote


@dataclass(frozen=True)
class FrenchNotes:
    """The three legal mentions a French seller's invoice carries as coded notes (BR-FR-05)."""

    recovery_indemnity: str  # PMT: the €40 flat recovery indemnity
    late_penalties: str  # PMD: late-payment penalties
    early_payment: str  # AAB: early-payment terms (discount, or none)


@dataclass(frozen=True)
class VatGroup:
    """BG-23, one per category and rate."""

    category: VatCategory
    rate: Decimal
    taxable_cents: int
    tax_cents: int
    exemption_reason_code: str | None
    exemption_reason: str | None


@dataclass(frozen=True)
class Document:
    type: DocumentType
    number: str
    issue_date: date
    currency: str
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    due_date: date | None = None
    delivery_date: date | None = None  # BT-72
    deliver_to_country: str | None = None  # BT-80
    buyer_reference: str | None = None  # BT-10
    purchase_order: str | None = None  # BT-13
    preceding_invoice: PrecedingInvoice | None = None  # BG-3, credit notes
    notes: tuple[str, ...] = ()
    payment_means: PaymentMeans | None = None
    payment_terms: str | None = None  # BT-20
    french_notes: FrenchNotes | None = None
    vat_on_debits: bool = False  # BT-8: VAT is due on the invoice date, not on payment
    # BT-120/BT-121 per category: {category: (code, text)}; code from the VATEX list.
    exemption_reasons: dict[VatCategory, tuple[str | None, str | None]] = field(default_factory=dict)
    rounding_cents: int = 0  # BT-114, written only when non-zero
    # BT-6 and BT-111: the VAT total in the seller's VAT accounting currency, when the document is in another
    # (a French seller invoicing in USD declares its VAT in EUR, BR-FR-CO-12).
    tax_currency: str | None = None
    tax_in_tax_currency_cents: int | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.type is DocumentType.CREDIT_NOTE

    @property
    def billing_framework(self) -> str:
        """BT-23 for French sellers: B1 goods, S1 services, M1 both (from the lines' kind)."""
        kinds = {line.kind for line in self.lines}
        if kinds == {ItemKind.GOODS}:
            return "B1"
        if kinds == {ItemKind.SERVICES}:
            return "S1"
        return "M1"

    @cached_property
    def vat_breakdown(self) -> tuple[VatGroup, ...]:
        taxable: dict[tuple[VatCategory, Decimal], int] = {}
        for line in self.lines:
            key = (line.vat_category, normalized_rate(line.vat_rate))
            taxable[key] = taxable.get(key, 0) + line.net_amount_cents
        groups = []
        for (category, rate), cents in sorted(taxable.items(), key=lambda item: (item[0][0].value, item[0][1])):
            code, text = self.exemption_reasons.get(category, (None, None))
            groups.append(VatGroup(category, rate, cents, round_cents(Decimal(cents) * rate / 100), code, text))
        return tuple(groups)

    @cached_property
    def line_total_cents(self) -> int:  # BT-106
        return sum(line.net_amount_cents for line in self.lines)

    @cached_property
    def tax_total_cents(self) -> int:  # BT-110
        return sum(group.tax_cents for group in self.vat_breakdown)

    @property
    def total_with_tax_cents(self) -> int:  # BT-112
        return self.line_total_cents + self.tax_total_cents

    @property
    def payable_cents(self) -> int:  # BT-115
        return self.total_with_tax_cents + self.rounding_cents


def amount(cents: int) -> str:
    """Cents as the decimal text both syntaxes want: 123456 → "1234.56", -5 → "-0.05"."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def decimal_text(value: Decimal) -> str:
    """A quantity or rate without exponent or trailing zeros: 2.500 → "2.5", 1E+1 → "10"."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
