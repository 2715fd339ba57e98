"""The model's amounts are the invoice's own (same rounding, same breakdown), written as both syntaxes want."""

import os
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from documents import document, line
from fastfaktura.domain.money import compute
from fastfaktura.einvoice.cii import write_cii
from fastfaktura.einvoice.model import VatCategory, amount, decimal_text
from fastfaktura.einvoice.ubl import write_ubl


def test_amount_and_decimal_texts():
    assert [amount(cents) for cents in (123456, -5, 0, -100)] == ["1234.56", "-0.05", "0.00", "-1.00"]
    assert [decimal_text(Decimal(text)) for text in ("2.500", "1E+1", "0.125", "25")] == ["2.5", "10", "0.125", "25"]


def test_totals_are_those_of_the_invoice_rules():
    zero = VatCategory.ZERO_RATED
    lines = (line(1, 33_33, "0.333", rate=Decimal(25)), line(2, 19_99, "3", rate=Decimal(15)),
             line(3, -5_00, "1", rate=Decimal(25)), line(4, 7_77, "7", category=zero, rate=Decimal(0)))
    doc = document(lines=lines)
    totals = compute([SimpleNamespace(quantity=item.quantity, unit_price_cents=item.unit_price_cents,
                                      tax_rate=item.vat_rate) for item in lines])
    assert (doc.line_total_cents, doc.tax_total_cents, doc.total_with_tax_cents) == \
        (totals.subtotal_cents, totals.tax_cents, totals.total_cents)
    assert [(group.category, group.rate, group.taxable_cents) for group in doc.vat_breakdown] == [
        (VatCategory.STANDARD, Decimal(15), 59_97), (VatCategory.STANDARD, Decimal(25), 11_10 - 5_00),
        (VatCategory.ZERO_RATED, Decimal(0), 54_39)]


def test_cash_rounding_is_written_only_when_not_zero():
    doc = document()
    assert b"PayableRoundingAmount" not in write_ubl(doc) and b"RoundingAmount" not in write_cii(doc)
    rounded = replace(doc, rounding_cents=-3)
    assert rounded.payable_cents == doc.payable_cents - 3
    assert b'<cbc:PayableRoundingAmount currencyID="NOK">-0.03</cbc:PayableRoundingAmount>' in write_ubl(rounded)
    assert b"<ram:RoundingAmount>-0.03</ram:RoundingAmount>" in write_cii(rounded)


def test_the_model_and_its_readiness_load_without_lxml_or_fpdf():
    """A function that only answers `einvoice.ready` pays nothing for the writers' libraries."""
    code = ("import sys, fastfaktura.einvoice.readiness, fastfaktura.einvoice.facturx_xmp; "
            "print(sorted(name for name in ('lxml', 'fpdf') if name in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "layers/core")}).stdout
    assert out.strip() == "[]"
