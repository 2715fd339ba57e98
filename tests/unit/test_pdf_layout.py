"""The PDF's geometry, read back from the file: every text's position with pypdf (visitor_text), its
width measured with fontTools on Debian's DejaVu Sans (not with the renderer's own tables). For long
names and amounts up to the domain's cap, in every currency and locale: no two texts overlap and
none passes the margins, and every word of a wrapped name is printed."""

from __future__ import annotations

import copy
import io
import itertools
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from fastfaktura.domain.money import MAX_ABS_CENTS
from fastfaktura.i18n.catalogue import CATALOGUES
from fastfaktura.pdf import fonts
from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.pdf.render import render
from fontTools.ttLib import TTFont
from pypdf import PdfReader

BENCH = Path(__file__).resolve().parents[2] / "bench"
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT = 18 * MM, 192 * MM
EPSILON = 0.15  # points: coordinates are written to 0.01 pt, widths in thousandths of an em
CURRENCIES = ("EUR", "USD", "GBP", "NOK", "SEK", "DKK")
LOCALES = tuple(CATALOGUES)
LONG_BUYER = ("Société Coopérative d'Intérêt Collectif des Transports Scolaires et Interurbains de la Région "
              "Auvergne-Rhône-Alpes SAS")
LONG_SELLER = "Atelier de Conception Graphique, d'Édition et de Développement Logiciel Lumière & Associés"


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    x1: float
    bottom: float
    top: float

    def overlaps(self, other: Box) -> bool:
        return (self.x0 < other.x1 - EPSILON and other.x0 < self.x1 - EPSILON
                and self.bottom < other.top - EPSILON and other.bottom < self.top - EPSILON)


@cache
def _metrics(bold: bool) -> tuple[dict[int, str], dict[str, tuple[int, int]], int]:
    font = TTFont(fonts.system_font(fonts.FONT_FILES["B" if bold else ""]))
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def measured_width(text: str, bold: bool, size: float) -> float:
    cmap, metrics, units = _metrics(bold)
    return sum(metrics[cmap[ord(ch)]][0] for ch in text) * size / units


def text_boxes(body: bytes) -> list[list[Box]]:
    """Per page, the box of every upright text (the rotated CANCELLED stamp overlays on purpose)."""
    pages = []
    for page in PdfReader(io.BytesIO(body)).pages:
        boxes: list[Box] = []

        def visit(text, cm, tm, font, size, boxes=boxes):
            text = text.strip(" \n")  # pypdf adds separators between text objects
            if not text or font is None or cm[1] or cm[2] or tm[1] or tm[2]:
                return
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            size *= tm[0] * cm[0]
            width = measured_width(text, "Bold" in str(font["/BaseFont"]), size)
            boxes.append(Box(text, x, x + width, y - 0.24 * size, y + 0.76 * size))

        page.extract_text(visitor_text=visit)
        pages.append(boxes)
    return pages


def sample() -> dict:
    return json.loads((BENCH / "invoice-10.json").read_text(encoding="utf-8"))


def big_document(locale: str, currency: str, cents: int, status: str = "sent") -> dict:
    """Long names and wrapped texts; a line, a unit price, a tax group and totals of about `cents`."""
    document = sample()
    document["business"].update(name=LONG_SELLER, legal_name=LONG_SELLER + " SAS",
                                 address="Bâtiment B, 3e étage, 125 avenue des Champs-Élysées\n75008 Paris")
    document["client"].update(name=LONG_BUYER, locale=locale,
                              address="Hôtel de Région, 1 esplanade François-Mitterrand, CS 20033\n69269 Lyon")
    document["invoice"].update(currency=currency, status=status, number="2026/FACT-000000123456",
                               paid_at="2026-11-30T09:00:00Z")
    document["invoice"]["lines"] = [
        {"description": "Maîtrise d'œuvre complète du programme " * 4, "quantity": "1",
         "unit_price_cents": cents, "tax_rate": "25", "amount_cents": cents},
        {"description": "Remise", "quantity": "999999.999", "unit_price_cents": -10**9, "tax_rate": "12.5",
         "amount_cents": -cents // 10},
        {"description": "Frais", "quantity": "0.5", "unit_price_cents": 1, "tax_rate": "5.5", "amount_cents": 1},
    ]
    document["invoice"]["tax_breakdown"] = [
        {"tax_rate": "25", "taxable_cents": cents, "tax_cents": cents // 4},
        {"tax_rate": "12.5", "taxable_cents": -cents // 10, "tax_cents": -cents // 80},
        {"tax_rate": "5.5", "taxable_cents": 1, "tax_cents": 0},
    ]
    document["invoice"].update(subtotal_cents=cents, tax_cents=cents // 4, total_cents=cents + cents // 4)
    return document


def assert_laid_out(body: bytes) -> list[list[Box]]:
    pages = text_boxes(body)
    for number, boxes in enumerate(pages, start=1):
        for box in boxes:
            assert box.x0 >= LEFT - EPSILON and box.x1 <= RIGHT + EPSILON, f"page {number}: {box} past a margin"
            assert box.bottom >= 0 and box.top <= PAGE_H, f"page {number}: {box} off the page"
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), f"page {number}: {a} overlaps {b}"
    return pages


def words_in_order(text: str, printed: str) -> bool:
    position = 0
    for word in text.split():
        position = printed.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


STATUSES = ("sent", "paid", "cancelled")


@pytest.mark.parametrize(("locale", "currency"), list(itertools.product(LOCALES, CURRENCIES)))
def test_no_text_overlaps_or_passes_a_margin_with_large_amounts(locale, currency):
    for cents in (10**13, MAX_ABS_CENTS):
        status = STATUSES[(LOCALES.index(locale) + CURRENCIES.index(currency)) % 3]
        body = render(InvoiceDocument.from_dict(big_document(locale, currency, cents, status))).body
        pages = assert_laid_out(body)
        printed = " ".join(box.text for box in pages[0])
        assert words_in_order(LONG_BUYER, printed)
        assert words_in_order(LONG_SELLER, printed)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_sample_invoices_are_laid_out_in_every_locale(locale):
    for lines in (10, 200):
        document = json.loads((BENCH / f"invoice-{lines}.json").read_text(encoding="utf-8"))
        document["client"]["locale"] = locale
        document["business"]["sandbox"] = True
        assert_laid_out(render(InvoiceDocument.from_dict(document)).body)


def test_a_long_buyer_name_wraps_within_the_page():
    document = sample()
    document["client"]["name"] = LONG_BUYER
    [first, *_] = text_boxes(render(InvoiceDocument.from_dict(document)).body)
    name_lines = [box for box in first if box.text in LONG_BUYER]
    assert len(name_lines) >= 2
    assert " ".join(box.text for box in name_lines) == LONG_BUYER
    assert max(box.x1 for box in name_lines) <= RIGHT


def test_numbers_keep_a_gap_between_columns():
    """"25 % 12 345,67 DKK": the rate and the amount (and quantity and unit price) never touch."""
    document = big_document("sv", "DKK", 1_234_567)
    [first, *_] = text_boxes(render(InvoiceDocument.from_dict(document)).body)
    row = sorted((box for box in first if abs(box.bottom - _baseline_of(first, "Maîtrise")) < 1), key=lambda b: b.x0)
    assert [plain(box.text) for box in row[1:]] == ["1", "12 345,67 DKK", "25 %", "12 345,67 DKK"]
    for left, right in itertools.pairwise(row):
        assert right.x0 - left.x1 >= 3 * MM, (left, right)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _baseline_of(boxes: list[Box], start: str) -> float:
    return next(box.bottom for box in boxes if box.text.startswith(start))


def _printed(document: dict) -> str:
    return " ".join(box.text for page in text_boxes(render(InvoiceDocument.from_dict(document)).body)
                    for box in page)


def test_a_cancelled_invoice_prints_no_way_to_pay():
    document = sample()
    document["invoice"]["status"] = "cancelled"
    printed = _printed(document)
    labels = CATALOGUES["fr"].pdf
    assert labels.pay_online not in printed and labels.payment.upper() not in printed
    assert "FR76 3000" not in printed and document["invoice"]["public_url"] not in printed
    assert labels.cancelled in _all_text(document)  # the stamp (rotated) is still there


def test_a_paid_invoice_keeps_the_bank_details_but_no_pay_link():
    document = sample()
    document["invoice"].update(status="paid", paid_at="2026-11-30T09:00:00Z")
    printed = _printed(document)
    assert "FR76 3000 6000 0112 3456 7890 189" in printed
    assert CATALOGUES["fr"].pdf.pay_online not in printed
    assert document["invoice"]["public_url"] not in printed


def test_an_open_invoice_prints_the_pay_link():
    printed = _printed(sample())
    assert CATALOGUES["fr"].pdf.pay_online in printed and sample()["invoice"]["public_url"] in printed


def _all_text(document: dict) -> str:
    return " ".join(page.extract_text() for page in
                    PdfReader(io.BytesIO(render(InvoiceDocument.from_dict(document)).body)).pages)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_sandbox_business_pdf_is_marked_on_every_page(locale):
    document = json.loads((BENCH / "invoice-200.json").read_text(encoding="utf-8"))
    document["client"]["locale"] = locale
    document["business"]["sandbox"] = True
    rendered = render(InvoiceDocument.from_dict(document))
    mark = CATALOGUES[locale].invoice.sandbox
    assert mark.startswith("TEST / sandbox")
    pages = text_boxes(rendered.body)
    assert rendered.pages == len(pages) > 1
    for boxes in pages:
        [top] = [box for box in boxes if box.text == mark]
        assert top.top > max(box.top for box in boxes if box is not top)  # above everything else
    assert PdfReader(io.BytesIO(rendered.body)).metadata.title.startswith(mark)


def test_a_live_business_pdf_has_no_sandbox_mark():
    document = copy.deepcopy(sample())
    document["business"]["sandbox"] = False
    printed = _all_text(document)
    assert "TEST" not in printed and "sandbox" not in printed
