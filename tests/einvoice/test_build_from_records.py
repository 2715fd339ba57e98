"""One builder from our records (einvoice/build.py through services/einvoices.py): an invoice record and a
credit note record, with the parties as stored, give documents the official checks accept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from fastfaktura.einvoice.cii import write_cii
from fastfaktura.einvoice.model import DocumentType
from fastfaktura.einvoice.ubl import write_ubl
from fastfaktura.models.invoices import InvoiceLine
from fastfaktura.services.einvoices import credit_note_document, missing_of
from fastfaktura.tools.einvoice_validate import validate_xml

SELLERS = {
    "FR": {"legal_name": "Atelier Dupont SAS", "street": "12 rue de la Paix", "postal_code": "75002", "city": "Paris",
           "country": "FR", "company_id": "732829320", "vat_number": "FR44732829320",
           "electronic_address": {"scheme": "0225", "id": "732829320"}, "legal_form": "SAS",
           "trade_register": "RCS Paris", "iban": "FR7630006000011234567890189", "bic": "BNPAFRPP",
           "default_locale": "fr"},
    "NO": {"legal_name": "Fjord Konsult AS", "street": "Karl Johans gate 1", "postal_code": "0154", "city": "Oslo",
           "country": "NO", "company_id": "923609016", "vat_number": "NO923609016MVA", "legal_form": "AS",
           "iban": "NO9386011117947", "bic": "DNBANOKK", "default_locale": "nb"},
}
CLIENTS = {
    "FR": {"name": "Boulangerie Martin SARL", "street": "3 place du Marché", "postal_code": "69002", "city": "Lyon",
           "country": "FR", "company_id": "552032534", "vat_number": "FR27552032534", "locale": "fr",
           "electronic_address": {"scheme": "0225", "id": "552032534"}},
    "NO": {"name": "Bergen Fisk AS", "street": "Bryggen 2", "postal_code": "5003", "city": "Bergen", "country": "NO",
           "company_id": "923609016", "vat_number": "NO923609016MVA", "locale": "nb"},
}
RATES = {"FR": Decimal(20), "NO": Decimal(25)}


@dataclass(frozen=True)
class CreditNoteRecord:
    """A credit note as the credit-note records keep it (the fields the builder reads)."""

    number: str
    currency: str
    issue_date: date
    reason: str
    lines: tuple[InvoiceLine, ...]


@dataclass(frozen=True)
class CorrectedInvoice:
    """The fields the builder reads of the invoice a credit note corrects (a `StoredInvoice` has them)."""

    number: str
    currency: str
    issue_date: date
    buyer_reference: str | None = None
    purchase_order: str | None = None


def credit_line(price_cents: int, rate: Decimal) -> InvoiceLine:
    return InvoiceLine(description="Retour — étude", quantity=Decimal(1), unit_price_cents=price_cents, tax_rate=rate,
                       amount_cents=price_cents, vat_category="S", unit="C62", kind="service")


@pytest.mark.parametrize("seller", SELLERS)
def test_a_credit_note_record_is_a_valid_credit_note_naming_the_invoice_it_corrects(seller):
    note = CreditNoteRecord(number="AV-0001", currency="EUR" if seller == "FR" else "NOK",
                            issue_date=date(2026, 12, 5), reason="Marchandise retournée",
                            lines=(credit_line(80_00, RATES[seller]), credit_line(1_50, RATES[seller])))
    invoice = CorrectedInvoice("F-0042", note.currency, date(2026, 11, 20), buyer_reference="Ola Nordmann")
    document = credit_note_document(note, invoice, (SELLERS[seller], CLIENTS[seller]))
    assert document is not None and missing_of(document) == []
    assert document.type is DocumentType.CREDIT_NOTE
    assert (document.preceding_invoice.number, document.preceding_invoice.issue_date) == ("F-0042", date(2026, 11, 20))
    assert document.notes == ("Marchandise retournée",) and document.buyer_reference == "Ola Nordmann"
    assert document.due_date is None
    for xml in (write_ubl(document), write_cii(document)):
        report = validate_xml(xml)
        assert report.valid, [(f.source, f.rule, f.message) for f in report.failures]
        assert b"F-0042" in xml and (b"2026-11-20" in xml or b"20261120" in xml)


def test_a_credit_note_whose_business_profile_is_gone_is_not_ready():
    note = CreditNoteRecord(number="AV-0001", currency="EUR", issue_date=date(2026, 12, 5), reason="x",
                            lines=(credit_line(100, RATES["FR"]),))
    document = credit_note_document(note, CorrectedInvoice("F-1", "EUR", date(2026, 11, 20)), (None, CLIENTS["FR"]))
    assert document is None and [item.field for item in missing_of(document)] == ["business"]
