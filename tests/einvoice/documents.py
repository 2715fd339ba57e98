"""Parties and documents for the e-invoice tests: real-shaped identifiers (valid checksums) per country."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

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

SELLERS = {
    "FR": Party(
        name="Atelier Dupont SAS", trading_name="Atelier Dupont",
        address=Address("FR", street="12 rue de la Paix", city="Paris", postal_code="75002"),
        vat_number="FR44732829320", legal_id="732829320", legal_id_scheme="0002",
        electronic_address=ElectronicAddress("0225", "732829320"),
        trade_register="RCS Paris 732 829 320, SAS au capital de 10 000 €", contact_email="compta@dupont.example"),
    "NO": Party(
        name="Fjord Konsult AS", address=Address("NO", street="Karl Johans gate 1", city="Oslo", postal_code="0154"),
        vat_number="NO923609016MVA", legal_id="923609016", legal_id_scheme="0192",
        electronic_address=ElectronicAddress("0192", "923609016"), business_register_name="Foretaksregisteret"),
    "SE": Party(
        name="Svensk Design AB", address=Address("SE", street="Drottninggatan 5", city="Stockholm",
                                                 postal_code="111 51"),
        vat_number="SE556036079301", legal_id="5560360793", legal_id_scheme="0007",
        electronic_address=ElectronicAddress("0007", "5560360793")),
    "DK": Party(
        name="Dansk Tømrer ApS", address=Address("DK", street="Strøget 10", city="København K", postal_code="1160"),
        vat_number="DK13585628", legal_id="DK13585628", legal_id_scheme="0184",
        electronic_address=ElectronicAddress("0184", "DK13585628")),
}
SELLER_IBANS = {"FR": "FR7630006000011234567890189", "NO": "NO9386011117947", "SE": "SE4550000000058398257466",
                "DK": "DK5000400440116243"}
STANDARD_RATES = {"FR": (Decimal(20), Decimal(10), Decimal("5.5")), "NO": (Decimal(25), Decimal(15), Decimal(12)),
                  "SE": (Decimal(25), Decimal(12), Decimal(6)), "DK": (Decimal(25),)}

# A business client per locale (fr, en, nb, sv), plus an EU client outside our four for K and AE.
BUYERS = {
    "fr": Party(name="Boulangerie Martin SARL", address=Address("FR", street="3 place du Marché", city="Lyon",
                                                                 postal_code="69002"),
                vat_number="FR27552032534", legal_id="552032534", legal_id_scheme="0002",
                electronic_address=ElectronicAddress("0225", "552032534")),
    "en": Party(name="Thames Widgets Ltd", address=Address("GB", street="10 Downing Lane", city="London",
                                                            postal_code="SW1A 2AA"),
                vat_number="GB980780684", electronic_address=ElectronicAddress("0088", "5012345678900")),
    "nb": Party(name="Bergen Fisk AS", address=Address("NO", street="Bryggen 2", city="Bergen", postal_code="5003"),
                vat_number="NO923609016MVA", legal_id="923609016", legal_id_scheme="0192",
                electronic_address=ElectronicAddress("0192", "923609016")),
    "sv": Party(name="Göteborg Hamn AB", address=Address("SE", street="Hamngatan 1", city="Göteborg",
                                                          postal_code="411 06"),
                vat_number="SE556036079301", legal_id="5560360793", legal_id_scheme="0007",
                electronic_address=ElectronicAddress("0007", "5560360793")),
    "dk": Party(name="Aarhus Cykler A/S", address=Address("DK", street="Søndergade 3", city="Aarhus C",
                                                          postal_code="8000"),
                vat_number="DK13585628", legal_id="DK13585628", legal_id_scheme="0184",
                electronic_address=ElectronicAddress("0184", "DK13585628")),
    "de": Party(name="Berliner Maschinen GmbH", address=Address("DE", street="Unter den Linden 1", city="Berlin",
                                                                postal_code="10117"),
                vat_number="DE123456788", electronic_address=ElectronicAddress("9930", "DE123456788")),
}

FRENCH_NOTES = FrenchNotes(
    recovery_indemnity="Indemnité forfaitaire pour frais de recouvrement : 40 €.",
    late_penalties="Pénalités de retard : trois fois le taux d'intérêt légal.",
    early_payment="Pas d'escompte pour paiement anticipé.")

EXEMPTIONS = {
    VatCategory.EXEMPT: ("VATEX-EU-132-1I", "Exempt: medical care"),
    VatCategory.REVERSE_CHARGE: ("VATEX-EU-AE", "Reverse charge"),
    VatCategory.INTRA_COMMUNITY: ("VATEX-EU-IC", "Intra-community supply"),
    VatCategory.EXPORT: ("VATEX-EU-G", "Export outside the EU"),
    VatCategory.OUTSIDE_SCOPE: ("VATEX-EU-O", "Not subject to VAT"),
}


def line(number: int, price_cents: int = 12_50, quantity: str = "2", category: VatCategory = VatCategory.STANDARD,
         rate: Decimal = Decimal(25), **changes) -> Line:
    return Line(id=str(number), name=f"Consulting, item {number}", quantity=Decimal(quantity),
                unit_price_cents=price_cents, vat_category=category, vat_rate=rate, **changes)


def document(seller: str = "NO", buyer: str = "nb", currency: str = "NOK", lines: tuple[Line, ...] | None = None,
             **changes) -> Document:
    """A complete document (readiness() finds nothing missing) from `seller` to the client of `buyer`."""
    rate = STANDARD_RATES[seller][0]
    client = BUYERS[buyer]
    if seller != "FR" and client.country == "FR":  # through Peppol, not the French directory
        client = dataclasses.replace(client, electronic_address=ElectronicAddress("0002", client.legal_id))
    values = dict(
        type=DocumentType.INVOICE, number="INV-2026-0042", issue_date=date(2026, 12, 1), currency=currency,
        seller=SELLERS[seller], buyer=client, due_date=date(2026, 12, 31),
        lines=lines or (line(1, rate=rate), line(2, 99_99, "1.5", rate=rate, kind=ItemKind.GOODS, unit_code="HUR")),
        buyer_reference="Ola Nordmann", purchase_order="PO-7781",
        payment_means=PaymentMeans("58" if seller == "DK" else "30", iban=SELLER_IBANS[seller], bic="NDEANOKK",
                                   remittance="INV-2026-0042"),
        payment_terms="Net 30 days", french_notes=FRENCH_NOTES if seller == "FR" else None,
    )
    values.update(changes)
    draft = Document(**values)
    if seller == "FR" and currency != "EUR":  # the VAT total in EUR, at a made-up rate of 0.9
        return dataclasses.replace(draft, tax_currency="EUR", tax_in_tax_currency_cents=draft.tax_total_cents * 9 // 10)
    return draft


def credit_note(of: Document, lines: tuple[Line, ...] | None = None) -> Document:
    return dataclasses.replace(of, type=DocumentType.CREDIT_NOTE, number="CN-2026-0007", issue_date=date(2026, 12, 5),
                               due_date=None, lines=lines or of.lines,
                               preceding_invoice=PrecedingInvoice(of.number, of.issue_date))
