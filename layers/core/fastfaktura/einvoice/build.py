"""Our records → the EN 16931 model: the one place that decides which of our fields is which BT.

`build_document` reads the business profile and the client as stored (plain values), the invoice (a
`StoredInvoice`, or any record with the same field names: a credit note passes `kind` and the invoice it
corrects, and its `reason` is its note) and its lines. Pure: no I/O, no lxml, so an API answer can say
whether the invoice is ready.

Choices, where our data leaves one:
- BT-27 is the legal name (the trading name, BT-28, when it differs); BT-33 the legal form and the trade
  register ("SAS au capital de 10 000 € · RCS Paris").
- BT-30: the company id, in its country's scheme (FR the SIREN, the first 9 digits of a SIRET).
- BT-32 (tax registration): a seller without a VAT number names its company id there (BR-E-02).
- Payment means: a credit transfer to the IBAN (code 58, SEPA, for a Danish seller, whose domestic
  rules list no 30; 30 elsewhere), the invoice number as the remittance reference.
- BT-80 (deliver-to country): the client's country, written for intra-community supplies (BR-IC-12).
- French notes (PMT, PMD, AAB) in the client's language, the same words the PDF prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from fastfaktura.domain.identifiers import digits_of, electronic_address
from fastfaktura.einvoice.model import (
    Address,
    Document,
    DocumentType,
    ElectronicAddress,
    FrenchNotes,
    ItemKind,
    Line,
    Party,
    PaymentMeans,
    PrecedingInvoice,
    VatCategory,
)
from fastfaktura.i18n.catalogue import catalogue
from fastfaktura.i18n.identifiers import NO_REGISTER
from fastfaktura.models.codes import VATEX

# ICD scheme of a company id (BT-30/BT-47) by the party's country.
LEGAL_ID_SCHEMES = {"FR": "0002", "NO": "0192", "SE": "0007", "DK": "0184"}


class InvoiceFacts(Protocol):
    """What the builder reads of an invoice or credit note record (`StoredInvoice` has all of it; the
    optional fields, e.g. `buyer_reference`, are read when present)."""

    @property
    def number(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def issue_date(self) -> date: ...


class LineFacts(Protocol):
    """A line as stored (`models.invoices.InvoiceLine`)."""

    @property
    def description(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price_cents(self) -> int: ...
    @property
    def tax_rate(self) -> Decimal: ...
    @property
    def vat_category(self) -> str | None: ...
    @property
    def vat_exemption_reason(self) -> Any: ...
    @property
    def unit(self) -> str: ...
    @property
    def kind(self) -> str: ...


def build_document(business: Mapping[str, Any], client: Mapping[str, Any] | None, record: InvoiceFacts,
                   lines: Sequence[LineFacts], *, corrects: InvoiceFacts | None = None) -> Document:
    """The EN 16931 document of one invoice, or with `corrects` (the invoice it corrects) of a credit note:
    381, BG-3 naming that invoice, and the buyer's references (BT-10, BT-13) and delivery date taken from
    it where the credit note has none. `client` None: the client item is gone; the invoice's own client
    name is used."""
    client = client or {"name": getattr(record, "client_name", "")}
    locale = client.get("locale") or business.get("default_locale")
    seller = _seller(business)
    model_lines = tuple(_line(index, line) for index, line in enumerate(lines, start=1))
    categories = {line.vat_category for line in model_lines}
    reasons: dict[VatCategory, tuple[str | None, str | None]] = {}
    for line in lines:
        reason = line.vat_exemption_reason
        category = VatCategory(_category(line))
        if reason is not None and category not in reasons:
            code, text = reason.code, reason.text or (VATEX.get(reason.code) if reason.code else None)
            reasons[category] = (code, text)
    iban = business.get("iban")

    def reference(name: str) -> Any:
        return getattr(record, name, None) or getattr(corrects, name, None)

    return Document(
        type=DocumentType.CREDIT_NOTE if corrects else DocumentType.INVOICE, number=record.number,
        issue_date=record.issue_date, currency=record.currency, seller=seller, buyer=_buyer(client),
        lines=model_lines, due_date=None if corrects else getattr(record, "due_date", None),
        delivery_date=reference("delivery_date"),
        deliver_to_country=client.get("country") if VatCategory.INTRA_COMMUNITY in categories else None,
        buyer_reference=reference("buyer_reference"), purchase_order=reference("purchase_order"),
        preceding_invoice=PrecedingInvoice(corrects.number, corrects.issue_date) if corrects else None,
        notes=tuple(note for note in (getattr(record, "notes", None), getattr(record, "reason", None)) if note),
        payment_means=PaymentMeans("58" if seller.country == "DK" else "30", iban=digits_of(iban),
                                   bic=business.get("bic"), account_name=seller.name, remittance=record.number)
        if iban else None,
        french_notes=_french_notes(business, locale) if seller.country == "FR" else None,
        vat_on_debits=bool(business.get("vat_on_debits")) and seller.country == "FR",
        exemption_reasons=reasons,
    )


def _category(line: LineFacts) -> str:
    return line.vat_category or ("S" if line.tax_rate > 0 else "Z")


def _line(index: int, line: LineFacts) -> Line:
    return Line(id=str(index), name=line.description, quantity=Decimal(line.quantity),
                unit_price_cents=line.unit_price_cents, vat_category=VatCategory(_category(line)),
                vat_rate=Decimal(line.tax_rate), unit_code=line.unit or "C62",
                kind=ItemKind.GOODS if line.kind == "goods" else ItemKind.SERVICES)


def _address(party: Mapping[str, Any]) -> Address:
    """The structured address when given; else the free-text address, its first line as the street."""
    street = party.get("street")
    extra = None
    if not street and party.get("address"):
        first, _, rest = party["address"].partition("\n")
        street, extra = first.strip() or None, " ".join(rest.split()) or None
    elif street and "\n" in street:
        street, _, rest = street.partition("\n")
        extra = " ".join(rest.split()) or None
    return Address(country=party.get("country") or "", street=street, additional_street=extra,
                   city=party.get("city"), postal_code=party.get("postal_code"))


def _legal_id(party: Mapping[str, Any]) -> tuple[str | None, str | None]:
    company_id, country = party.get("company_id"), party.get("country")
    if not company_id:
        return None, None
    compact = digits_of(company_id)
    if country == "FR" and len(compact) == 14:
        compact = compact[:9]  # the SIREN of a SIRET
    scheme = LEGAL_ID_SCHEMES.get(country or "")
    return _in_scheme(scheme, compact), scheme


def _in_scheme(scheme: str | None, identifier: str) -> str:
    """A CVR in scheme 0184 is written DK + its 8 digits (PEPPOL-COMMON-R042)."""
    return f"DK{identifier}" if scheme == "0184" and identifier.isdigit() else identifier


def _endpoint(party: Mapping[str, Any]) -> ElectronicAddress | None:
    found = electronic_address(party.get("country"), party.get("company_id"), party.get("electronic_address"))
    return ElectronicAddress(found["scheme"], _in_scheme(found["scheme"], found["id"])) if found else None


def _seller(business: Mapping[str, Any]) -> Party:
    legal_id, scheme = _legal_id(business)
    name = business.get("legal_name") or business.get("name") or ""
    trading = business.get("name") if business.get("name") and business.get("name") != name else None
    register = " · ".join(part for part in (business.get("legal_form"), business.get("trade_register")) if part)
    vat_number = business.get("vat_number") if business.get("vat_regime") != "exempt" else None
    norwegian_register = business.get("country") == "NO" and (business.get("legal_form") or "").upper() in ("AS",
                                                                                                           "ASA")
    return Party(name=name, trading_name=trading, address=_address(business),
                 vat_number=digits_of(vat_number) if vat_number else None, legal_id=legal_id, legal_id_scheme=scheme,
                 electronic_address=_endpoint(business), trade_register=register or None,
                 tax_registration=legal_id if not vat_number else None,
                 business_register_name=NO_REGISTER if norwegian_register else None,
                 contact_email=business.get("email"))


def _buyer(client: Mapping[str, Any]) -> Party:
    legal_id, scheme = _legal_id(client)
    vat_number = client.get("vat_number")
    return Party(name=client.get("name") or "", address=_address(client),
                 vat_number=digits_of(vat_number) if vat_number else None, legal_id=legal_id, legal_id_scheme=scheme,
                 electronic_address=_endpoint(client), contact_email=client.get("email"),
                 is_consumer=client.get("kind") == "consumer")


def _french_notes(business: Mapping[str, Any], locale: str | None) -> FrenchNotes:
    legal = catalogue(locale).legal
    rate = business.get("late_payment_rate")
    if rate is not None:
        from fastfaktura.i18n.formats import Formatter

        late = legal.late_payment.format(rate=Formatter(locale, "EUR").quantity(rate))
    else:
        late = legal.late_payment_legal_rate
    return FrenchNotes(recovery_indemnity=legal.recovery_indemnity, late_penalties=late,
                       early_payment=business.get("early_payment_terms") or legal.no_early_payment_discount)


class GroupLine:
    """A line standing for one VAT group of a listed invoice (a list reads no lines): readiness reads
    lines only through their categories, exemption reasons and amounts, which the breakdown keeps."""

    def __init__(self, group: Any) -> None:
        self.description = "group"
        self.quantity = Decimal(1)
        self.unit_price_cents = group.taxable_cents
        self.tax_rate = Decimal(group.tax_rate)
        self.vat_category = group.vat_category
        self.vat_exemption_reason = group.vat_exemption_reason
        self.unit = "C62"
        self.kind = "service"
