"""The invoice PDF renderer (fpdf2; imported only by the PDF functions).

Speed: the fonts are a small subset (fonts.py), parsed once per container; each document gets a cheap
copy of the parsed font with a fresh file handle (fpdf2 subsets the font in place when it writes).
The layout measures text with the parsed widths and writes plain positioned text (no cell or table
API, no text shaping), first into a list of drawing operations per page, so that "page x / y" is known
when the pages are drawn.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

import phonenumbers
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from fastfaktura.i18n.catalogue import Catalogue, catalogue
from fastfaktura.i18n.formats import Formatter
from fastfaktura.pdf import fonts
from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.pdf.legal import identity_mentions, terms_mentions

FAMILY = "dejavu"
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP = 18.0, 192.0, 18.0
CONTENT_BOTTOM = 276.0  # the footer lives below
PT = 25.4 / 72  # millimetres per point
BODY, SMALL = 9.0, 7.5

INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
BAND = (241, 243, 245)
ACCENT = (23, 64, 120)
RED = (200, 30, 30)
GREEN = (25, 135, 84)

# The lines table: description, quantity, unit price, VAT rate, amount (right edges of the number columns).
DESC_X, DESC_W = LEFT + 1.5, 90.0
QTY_R, PRICE_R, RATE_R, AMOUNT_R = 124.0, 153.0, 167.0, RIGHT - 1.5
ROW_LEADING = 3.9
ROW_PAD = 1.4


@dataclass(frozen=True)
class Rendered:
    body: bytes
    pages: int


# --- fonts: parsed once per container -----------------------------------------------------------


@cache
def _parsed_fonts() -> dict[str, TTFFont]:
    """The parsed subset fonts by style, registered on a throwaway document (fpdf2 needs one)."""
    pdf = FPDF()
    for style in fonts.FONT_FILES:
        pdf.add_font(FAMILY, style, fonts.font_file(style))
    return {style: pdf.fonts[f"{FAMILY}{style}"] for style in fonts.FONT_FILES}


def _attach_fonts(pdf: FPDF) -> None:
    """Gives `pdf` the parsed fonts without parsing again: widths and cmap are shared; the TTFont
    (which fpdf2 subsets in place on output) and the glyph usage map are the document's own."""
    for style, parsed in _parsed_fonts().items():
        font = copy.deepcopy(parsed)
        font.i = len(pdf.fonts) + 1
        font.ttfont = TTFont(fonts.font_file(style), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
        font.subset = SubsetMap(font)
        pdf.fonts[font.fontkey] = font


@cache
def _widths(style: str) -> dict[int, float]:
    """Glyph advance widths in thousandths of the font size, by code point."""
    return dict(_parsed_fonts()[style].cw)


def text_width(text: str, style: str, size: float) -> float:
    """Width in millimetres of `text` in the given style and size (points)."""
    widths = _widths(style)
    return sum(widths.get(ord(ch), 600) for ch in text) * size * PT / 1000


def wrap(text: str, width: float, style: str, size: float) -> list[str]:
    """Greedy word wrap into lines no wider than `width` mm; explicit newlines are kept, and a word
    too long for a line is cut."""
    limit = width * 1000 / (size * PT)
    widths = _widths(style)
    space = widths.get(32, 600)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current: list[str] = []
        used = 0.0
        for word in paragraph.split():
            w = sum(widths.get(ord(ch), 600) for ch in word)
            if current and used + space + w <= limit:
                current.append(word)
                used += space + w
                continue
            if current:
                lines.append(" ".join(current))
            while w > limit:  # a single word longer than the line
                cut, part_w = 0, 0.0
                while cut < len(word) and part_w + widths.get(ord(word[cut]), 600) <= limit:
                    part_w += widths.get(ord(word[cut]), 600)
                    cut += 1
                cut = max(cut, 1)
                lines.append(word[:cut])
                word = word[cut:]
                w = sum(widths.get(ord(ch), 600) for ch in word)
            current, used = [word], w
        lines.append(" ".join(current))
    return lines


# --- layout: operations per page ------------------------------------------------------------------


@dataclass
class _Page:
    ops: list[tuple] = field(default_factory=list)


class _Layout:
    """Places text, rules and bands on pages; `y` is the current vertical position in mm."""

    def __init__(self, texts: Catalogue):
        self.texts = texts
        self.pages: list[_Page] = [_Page()]
        self.y = TOP

    @property
    def ops(self) -> list[tuple]:
        return self.pages[-1].ops

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = TOP

    def ensure(self, height: float, on_new_page=None) -> None:
        """Starts a new page when `height` mm do not fit on this one."""
        if self.y + height > CONTENT_BOTTOM:
            self.new_page()
            if on_new_page:
                on_new_page()

    def text(self, x: float, baseline: float, text: str, style: str = "", size: float = BODY,
             color: tuple[int, int, int] = INK) -> None:
        self.ops.append(("text", x, baseline, text, style, size, color))

    def text_right(self, right: float, baseline: float, text: str, style: str = "", size: float = BODY,
                   color: tuple[int, int, int] = INK) -> None:
        self.text(right - text_width(text, style, size), baseline, text, style, size, color)

    def rule(self, x1: float, y: float, x2: float, color=RULE, width: float = 0.2) -> None:
        self.ops.append(("line", x1, y, x2, y, color, width))

    def band(self, x: float, y: float, w: float, h: float, color=BAND) -> None:
        self.ops.append(("band", x, y, w, h, color))

    def paragraph(self, x: float, width: float, text: str, style: str = "", size: float = BODY,
                  color=INK, leading: float | None = None) -> None:
        """Wrapped text from the current `y`, moving `y` down; breaks pages between lines."""
        leading = leading or size * PT * 1.35
        for line in wrap(text, width, style, size):
            self.ensure(leading)
            self.y += leading
            self.text(x, self.y - leading * 0.25, line, style, size, color)


def _phone(number: str | None) -> str | None:
    """+33142000000 → +33 1 42 00 00 00."""
    if not number:
        return None
    try:
        return phonenumbers.format_number(phonenumbers.parse(number, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return number


def _address_lines(name: str | None, *parts: str | None) -> list[str]:
    lines = [name] if name else []
    for part in parts:
        if part:
            lines.extend(line.strip() for line in part.splitlines() if line.strip())
    return lines


def _header(layout: _Layout, doc: InvoiceDocument, fmt: Formatter) -> None:
    """Seller (left), title and invoice facts (right), buyer, and the paid/cancelled mark."""
    texts, seller, invoice = layout.texts, doc.business, doc.invoice
    labels, shared = texts.pdf, texts.invoice
    y = TOP + 5
    layout.text(LEFT, y, seller.name, "B", 13, ACCENT)
    seller_lines = _address_lines(seller.legal_name if seller.legal_name != seller.name else None,
                                  seller.address, fmt.country(seller.country),
                                  seller.email, _phone(seller.phone))
    y += 1.2
    for line in seller_lines:
        y += 3.9
        layout.text(LEFT, y, line, "", 8.5, INK)
    for mention in identity_mentions(doc, texts.legal):
        y += 3.6
        layout.text(LEFT, y, mention, "", SMALL, MUTED)

    layout.text_right(RIGHT, TOP + 6, labels.title.upper(), "B", 20, ACCENT)
    facts = [(labels.number, invoice.number), (shared.issue_date, fmt.date(invoice.issue_date)),
             (shared.due_date, fmt.date(invoice.due_date)), (labels.currency, invoice.currency)]
    if doc.corrects:  # a credit note falls due on no date
        del facts[2]
    fy = TOP + 14
    for label, value in facts:
        layout.text(128, fy, label, "", 8.5, MUTED)
        layout.text_right(RIGHT, fy, value, "B" if label == labels.number else "", 8.5)
        fy += 4.4
    if invoice.status == "paid":
        paid = shared.paid_on.format(date=fmt.date(invoice.paid_at)) if invoice.paid_at else shared.paid
        layout.ops.append(("badge", RIGHT, fy + 2.5, paid.upper(), GREEN))
        fy += 11

    by = max(y, fy) + 9
    layout.text(LEFT, by, labels.buyer.upper(), "B", SMALL, MUTED)
    by += 1.3
    buyer = doc.client
    for i, line in enumerate(_address_lines(buyer.name, buyer.address, fmt.country(buyer.country), buyer.email)):
        by += 4.3 if i == 0 else 3.9
        layout.text(LEFT, by, line, "B" if i == 0 else "", 10 if i == 0 else 8.5)
    layout.y = by + 8


def _table_header(layout: _Layout) -> None:
    labels, shared = layout.texts.pdf, layout.texts.invoice
    y = layout.y
    layout.band(LEFT, y, RIGHT - LEFT, 7)
    base = y + 4.6
    layout.text(DESC_X, base, labels.description, "B", 8)
    layout.text_right(QTY_R, base, labels.quantity, "B", 8)
    layout.text_right(PRICE_R, base, shared.unit_price, "B", 8)
    layout.text_right(RATE_R, base, shared.vat_rate, "B", 8)
    layout.text_right(AMOUNT_R, base, shared.amount, "B", 8)
    layout.y = y + 7


def _lines_table(layout: _Layout, doc: InvoiceDocument, fmt: Formatter) -> None:
    """One row per line; the header is repeated on every page the table reaches."""
    _table_header(layout)
    size = 8.5
    text, ops = layout.text, None
    for line in doc.invoice.lines:
        desc = wrap(line.description, DESC_W, "", size)
        height = ROW_PAD * 2 + ROW_LEADING * len(desc)
        layout.ensure(height, lambda: _table_header(layout))
        ops = layout.ops
        base = layout.y + ROW_PAD + 3.0
        for i, part in enumerate(desc):
            text(DESC_X, base + i * ROW_LEADING, part, "", size)
        for right, value in ((QTY_R, fmt.quantity(line.quantity)),
                             (PRICE_R, fmt.money(line.unit_price_cents)),
                             (RATE_R, fmt.rate(line.tax_rate)),
                             (AMOUNT_R, fmt.money(line.amount_cents))):
            ops.append(("text", right - text_width(value, "", size), base, value, "", size, INK))
        layout.y += height
        ops.append(("line", LEFT, layout.y, RIGHT, layout.y, RULE, 0.15))


def _totals(layout: _Layout, doc: InvoiceDocument, fmt: Formatter) -> None:
    """The VAT breakdown per rate (left) and subtotal, VAT and total (right)."""
    labels, shared, invoice = layout.texts.pdf, layout.texts.invoice, doc.invoice
    groups = invoice.tax_breakdown
    layout.ensure(10 + max(4.6 * len(groups) + 8, 22))
    top = layout.y + 6
    # VAT breakdown: rate | taxable | VAT
    y = top
    layout.text(LEFT, y, labels.vat_breakdown.upper(), "B", SMALL, MUTED)
    y += 4.6
    layout.text(LEFT, y, shared.vat_rate, "B", 8)
    layout.text_right(LEFT + 52, y, labels.taxable, "B", 8)
    layout.text_right(LEFT + 82, y, shared.vat, "B", 8)
    layout.rule(LEFT, y + 1.4, LEFT + 82)
    for group in groups:
        y += 4.6
        layout.text(LEFT, y, fmt.rate(group.tax_rate), "", 8)
        layout.text_right(LEFT + 52, y, fmt.money(group.taxable_cents), "", 8)
        layout.text_right(LEFT + 82, y, fmt.money(group.tax_cents), "", 8)
    # Totals
    x = 118.0
    ty = top + 4.6
    layout.text(x, ty, labels.subtotal, "", 9)
    layout.text_right(AMOUNT_R, ty, fmt.money(invoice.subtotal_cents), "", 9)
    ty += 5
    layout.text(x, ty, shared.vat, "", 9)
    layout.text_right(AMOUNT_R, ty, fmt.money(invoice.tax_cents), "", 9)
    ty += 3
    layout.band(x - 2, ty, RIGHT - x + 2, 8.5)
    ty += 5.8
    layout.text(x, ty, shared.total, "B", 10.5, ACCENT)
    layout.text_right(AMOUNT_R, ty, fmt.money(invoice.total_cents), "B", 10.5, ACCENT)
    layout.y = max(y, ty + 2.7) + 4


def _section(layout: _Layout, title: str, rows: Iterable[tuple[str, str]]) -> None:
    rows = [(label, value) for label, value in rows if value]
    if not rows:
        return
    layout.ensure(9 + 4.4 * len(rows))
    layout.y += 6
    layout.text(LEFT, layout.y, title.upper(), "B", SMALL, MUTED)
    layout.y += 0.6
    for label, value in rows:
        layout.y += 4.4
        layout.text(LEFT, layout.y, label, "", 8.5, MUTED)
        layout.text(LEFT + 34, layout.y, value, "B" if label != layout.texts.pdf.pay_online else "", 8.5)


def _closing(layout: _Layout, doc: InvoiceDocument, fmt: Formatter) -> None:
    """Payment details, notes and the country's legal terms."""
    texts, seller, invoice = layout.texts, doc.business, doc.invoice
    labels = texts.pdf
    if doc.corrects:  # what it corrects and why, instead of how to pay
        corrects = texts.credit_note.corrects.format(number=doc.corrects.number, date=fmt.date(doc.corrects.issue_date))
        _section(layout, texts.credit_note.title, [(texts.credit_note.reason, doc.corrects.reason)])
        layout.ensure(8)
        layout.y += 5
        layout.paragraph(LEFT, RIGHT - LEFT, corrects, "B", 8.5)
    else:
        _section(layout, labels.payment, [("IBAN", seller.iban), ("BIC", seller.bic),
                                          (labels.reference, invoice.number),
                                          (labels.pay_online, invoice.public_url)])
    if invoice.notes:
        layout.ensure(14)
        layout.y += 6
        layout.text(LEFT, layout.y, texts.invoice.notes.upper(), "B", SMALL, MUTED)
        layout.y += 0.6
        layout.paragraph(LEFT, RIGHT - LEFT, invoice.notes, "", 8.5)
    terms = terms_mentions(doc, texts.legal, fmt)
    if terms:
        layout.ensure(4 + 3.6 * len(terms))  # kept together, unless they alone overflow a page
        layout.y += 4
        for sentence in terms:
            layout.paragraph(LEFT, RIGHT - LEFT, sentence, "", SMALL, MUTED)


def _footers(layout: _Layout, doc: InvoiceDocument) -> None:
    """Seller identity and "page x / y" on every page."""
    texts = layout.texts
    identity = " · ".join([doc.business.legal_name or doc.business.name, *identity_mentions(doc, texts.legal)])
    lines = wrap(identity, 140, "", 6.8)
    total = len(layout.pages)
    for number, page in enumerate(layout.pages, start=1):
        page.ops.append(("line", LEFT, 281, RIGHT, 281, RULE, 0.2))
        for i, line in enumerate(lines[:2]):
            page.ops.append(("text", LEFT, 285 + i * 3.2, line, "", 6.8, MUTED))
        page_label = texts.pdf.page.format(page=number, pages=total)
        page.ops.append(("text", RIGHT - text_width(page_label, "", 7.5), 285, page_label, "", 7.5, MUTED))


# --- drawing ---------------------------------------------------------------------------------------


def _draw(pdf: FPDF, pages: list[_Page]) -> None:
    font = None
    color = None
    for page in pages:
        pdf.add_page()
        font = color = None  # fpdf2 re-emits the font on a new page when asked
        for op in page.ops:
            kind = op[0]
            if kind == "text":
                _, x, y, text, style, size, rgb = op
                if font != (style, size):
                    pdf.set_font(FAMILY, style, size)
                    font = (style, size)
                if color != rgb:
                    pdf.set_text_color(*rgb)
                    color = rgb
                pdf.text(x, y, text)
            elif kind == "line":
                _, x1, y1, x2, y2, rgb, width = op
                pdf.set_draw_color(*rgb)
                pdf.set_line_width(width)
                pdf.line(x1, y1, x2, y2)
            elif kind == "band":
                _, x, y, w, h, rgb = op
                pdf.set_fill_color(*rgb)
                pdf.rect(x, y, w, h, style="F")
            elif kind == "badge":
                _, right, y, text, rgb = op
                _badge(pdf, right, y, text, rgb)
                font = color = None
            elif kind == "stamp":
                _, text, rgb = op
                _stamp(pdf, text, rgb)
                font = color = None


def _badge(pdf: FPDF, right: float, y: float, text: str, rgb: tuple[int, int, int]) -> None:
    """The PAID mark: coloured outlined text under the invoice facts."""
    size = 9.5
    width = text_width(text, "B", size) + 6
    pdf.set_draw_color(*rgb)
    pdf.set_line_width(0.5)
    pdf.rect(right - width, y, width, 7, style="D", round_corners=True, corner_radius=1.2)
    pdf.set_font(FAMILY, "B", size)
    pdf.set_text_color(*rgb)
    pdf.text(right - width + 3, y + 4.9, text)


def _stamp(pdf: FPDF, text: str, rgb: tuple[int, int, int]) -> None:
    """The CANCELLED stamp: large, rotated, outlined, across the middle of the first page."""
    size = 46
    width = text_width(text, "B", size)
    cx, cy = PAGE_W / 2, 150
    with pdf.rotation(24, cx, cy), pdf.local_context(fill_opacity=0.3, stroke_opacity=0.45):
        pdf.set_draw_color(*rgb)
        pdf.set_line_width(1.2)
        pdf.rect(cx - width / 2 - 6, cy - 12, width + 12, 22, style="D", round_corners=True, corner_radius=3)
        pdf.set_font(FAMILY, "B", size)
        pdf.set_text_color(*rgb)
        pdf.text(cx - width / 2, cy + 5.5, text)


def render(doc: InvoiceDocument) -> Rendered:
    """The invoice as a PDF, in the document's locale."""
    texts = catalogue(doc.locale)
    if doc.corrects:  # a credit note: its own title and number label, the invoice's layout
        texts = replace(texts, pdf=replace(texts.pdf, title=texts.credit_note.title, number=texts.credit_note.number))
    fmt = Formatter(doc.locale, doc.invoice.currency, doc.business.timezone)
    layout = _Layout(texts)
    _header(layout, doc, fmt)
    _lines_table(layout, doc, fmt)
    _totals(layout, doc, fmt)
    _closing(layout, doc, fmt)
    _footers(layout, doc)
    if doc.invoice.status == "cancelled":  # drawn last: translucent, over the first page's content
        layout.pages[0].ops.append(("stamp", texts.pdf.cancelled, RED))

    pdf = FPDF(unit="mm", format="A4")
    pdf.alias_nb_pages(None)  # the page count is known when pages are drawn
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, TOP, PAGE_W - RIGHT)
    pdf.set_title(f"{texts.pdf.title} {doc.invoice.number}")
    pdf.set_author(doc.business.legal_name or doc.business.name)
    pdf.set_creator("FastFaktura")
    pdf.set_lang(doc.locale)
    _attach_fonts(pdf)
    _draw(pdf, layout.pages)
    body = bytes(pdf.output())
    # fpdf2 memoizes glyph lookups per SubsetMap in module-wide caches: clear them, or every
    # document rendered by a warm container would stay in memory.
    SubsetMap.pick.cache_clear()
    SubsetMap.get_glyph.cache_clear()
    return Rendered(body=body, pages=len(layout.pages))
