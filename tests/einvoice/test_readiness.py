"""readiness() names what is missing, the writers refuse what it refuses, and each of its rules is one the
official checks enforce: the document written anyway fails them."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from documents import BUYERS, SELLERS, credit_note, document, line
from fastfaktura.einvoice.cii import write_cii
from fastfaktura.einvoice.model import ElectronicAddress, VatCategory
from fastfaktura.einvoice.readiness import NotReady, readiness
from fastfaktura.einvoice.ubl import write_ubl
from fastfaktura.tools.einvoice_validate import validate_xml

K_LINE = (line(1, category=VatCategory.INTRA_COMMUNITY, rate=Decimal(0)),)
K_REASON = {VatCategory.INTRA_COMMUNITY: ("VATEX-EU-IC", "Intra-community supply")}

CASES = {
    "client.electronic_address": lambda: replace(document(), buyer=replace(BUYERS["nb"], electronic_address=None)),
    "business.electronic_address": lambda: replace(document(), seller=replace(SELLERS["NO"], electronic_address=None)),
    "buyer_reference": lambda: document(buyer_reference=None, purchase_order=None),
    "business.company_id": lambda: replace(document("DK", "en", "DKK"), seller=replace(SELLERS["DK"], legal_id=None)),
    "business.company_id scheme": lambda: replace(document("FR", "fr", "EUR"),
                                                  seller=replace(SELLERS["FR"], legal_id_scheme="0009")),
    "delivery_date": lambda: document("DK", "de", "EUR", lines=K_LINE, exemption_reasons=K_REASON,
                                      deliver_to_country="DE"),
    "client.country": lambda: document("DK", "de", "EUR", lines=K_LINE, exemption_reasons=K_REASON,
                                           delivery_date=document().issue_date),
    "lines.vat_exemption_reason": lambda: document(lines=(line(1, category=VatCategory.EXEMPT, rate=Decimal(0)),)),
    "client.vat_number": lambda: replace(document("DK", "de", "EUR", lines=K_LINE, exemption_reasons=K_REASON,
                                                  delivery_date=document().issue_date, deliver_to_country="DE"),
                                         buyer=replace(BUYERS["de"], vat_number=None)),
    "business.legal_mentions": lambda: document("FR", "fr", "EUR", french_notes=None),
    "currency": lambda: replace(document("FR", "fr", "USD"), tax_currency=None, tax_in_tax_currency_cents=None),
    "number": lambda: document("FR", "fr", "EUR", number="FACTURE N° 42"),
    "business.vat_number": lambda: replace(document(), seller=replace(SELLERS["NO"], vat_number=None)),
    "invoice": lambda: replace(credit_note(document("FR", "fr", "EUR")), preceding_invoice=None),
    "business.iban": lambda: document(payment_means=replace(document().payment_means, iban=None)),
    "lines": lambda: replace(document(), lines=()),
    "payment_means": lambda: document("DK", "dk", "DKK", payment_means=replace(document("DK").payment_means,
                                                                              code="30")),
}


@pytest.mark.parametrize("field", sorted(CASES))
def test_each_rule_names_its_field_and_the_official_checks_agree(field):
    doc = CASES[field]()
    missing = readiness(doc)
    assert field.split()[0] in [item.field for item in missing]
    with pytest.raises(NotReady) as refused:
        write_ubl(doc)
    assert refused.value.missing == missing
    with pytest.raises(NotReady):
        write_cii(doc)
    ubl, cii = validate_xml(write_ubl(doc, check=False)), validate_xml(write_cii(doc, check=False))
    assert not (ubl.valid and cii.valid), f"{field}: readiness refuses what the official checks accept"


def test_a_french_invoice_to_a_consumer_is_not_an_e_invoice():
    consumer = replace(BUYERS["fr"], is_consumer=True, legal_id=None, vat_number=None)
    assert [item.field for item in readiness(replace(document("FR", "fr", "EUR"), buyer=consumer))] == ["client.kind"]


def test_a_french_business_is_addressed_through_the_directory_by_a_french_seller_and_through_peppol_by_others():
    in_directory = BUYERS["fr"]
    by_siren = replace(in_directory, electronic_address=ElectronicAddress("0002", "552032534"))
    french, norwegian = document("FR", "fr", "EUR"), document("NO", "fr", "EUR")
    assert readiness(replace(french, buyer=in_directory)) == []
    assert [item.field for item in readiness(replace(french, buyer=by_siren))] == ["client.electronic_address"]
    assert readiness(replace(norwegian, buyer=by_siren)) == []
    assert [item.field for item in readiness(replace(norwegian, buyer=in_directory))] == ["client.electronic_address"]


def test_an_invoice_with_an_amount_due_names_its_due_date_or_terms():
    """BR-CO-25; not in the compiled CEN rules we run, so shown on readiness alone."""
    assert [item.field for item in readiness(document(due_date=None, payment_terms=None))] == ["due_date"]
    assert readiness(document(due_date=None)) == []
