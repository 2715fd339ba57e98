"""The invoice PDF renderer (fpdf2; imported only by the PDF functions).

Speed: the fonts are a small subset (fonts.py), read once per container (writer.py). The layout
measures text with their widths and places plain positioned text (no cell or table API, no text
shaping), first into a list of drawing operations per page, so that "page x / y" is known when the
pages are drawn; writer.py writes those operations and the fonts itself, fpdf2 the document around them.

Layout: every text is measured before it is placed, and wrapped to the room its column has (names,
addresses, facts, payment rows, footer); the number columns are as wide as their widest value, so no
two texts overlap and none passes the margins (tests/unit/test_pdf_layout.py reads the positions back).
What varies by law or by case is a list the renderer prints as it comes: the party blocks
(`_party_blocks`), the seller's identity lines and the closing sentences (legal.py), and the legal
mentions of the document as `i18n.mentions.printed_mentions` places them (buyer's numbers, delivery
address, facts, sentences, the category beside each rate of the breakdown).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import phonenumbers
from fpdf import FPDF

from fastfaktura.i18n.catalogue import Catalogue, PdfTexts, catalogue
from fastfaktura.i18n.formats import Formatter
from fastfaktura.i18n.mentions import PrintedMentions, printed_mentions, rate_label
from fastfaktura.pdf import facturx
from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.pdf.legal import identity_mentions, terms_mentions
from fastfaktura.pdf.writer import Content, InvoicePdf, faces

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

SANDBOX_BAND = (253, 226, 223)
SANDBOX_INK = (138, 28, 18)
GAP = 4.0  # between two cells of a row, or two blocks side by side

# Header: the invoice facts at most this wide (values wrap beyond), party blocks two to a row.
FACTS_MAX_W = 90.0
PARTY_W = (RIGHT - LEFT - 2 * GAP) / 2
# The lines table: description, then quantity, unit price, VAT rate and amount, each as wide as its
# widest value or header (_measure_columns); the description keeps at least MIN_DESC_W.
DESC_X, AMOUNT_R = LEFT + 1.5, RIGHT - 1.5
ROW_SIZE, HEADER_SIZE = 8.5, 8.0
NUMBER_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
WIDE_DESC_W, MIN_DESC_W = 70.0, 55.0
ROW_LEADING, HEADER_LEADING = 3.9, 3.4
ROW_PAD = 1.4
TOTALS_X = 118.0  # where the totals' labels start unless their amounts need more room
FOOTER_SIZES, FOOTER_LINES = (6.8, 6.2, 5.6, 5.0), 3
SANDBOX_Y = 6.0  # the sandbox band, above the top margin


@dataclass(frozen=True)
class Rendered:
    body: bytes
    pages: int


# --- text measures -------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _units(text: str, style: str) -> float:
    """Width of `text` in thousandths of the font size; an invoice repeats its amounts and words."""
    widths = faces()[style].widths
    return sum(widths.get(ord(ch), 600) for ch in text)


def text_width(text: str, style: str, size: float) -> float:
    """Width in millimetres of `text` in the given style and size (points)."""
    return _units(text, style) * size * PT / 1000


def wrap(text: str, width: float, style: str, size: float) -> list[str]:
    """Greedy word wrap into lines no wider than `width` mm, breaking at plain spaces only (never at
    the no-break spaces of amounts); explicit newlines are kept, and a word too long for a line is cut."""
    limit = width * 1000 / (size * PT) * (1 + 1e-9)  # a word exactly as wide as the line fits
    widths = faces()[style].widths
    space = widths.get(32, 600)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current: list[str] = []
        used = 0.0
        for word in paragraph.replace("\t", " ").split(" "):
            if not word:
                continue
            w = _units(word, style)
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
                w = _units(word, style)
            current, used = [word], w
        lines.append(" ".join(current))
    return lines


# --- layout: operations per page ------------------------------------------------------------------


@dataclass
class _Page:
    ops: list[tuple] = field(default_factory=list)


class _Layout:
    """Places text, rules and bands on pages; `y` is the current vertical position in mm."""

    def __init__(self, texts: Catalogue, mentions: PrintedMentions):
        self.texts = texts
        self.mentions = mentions
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


def _address_lines(*parts: str | None) -> list[str]:
    lines: list[str] = []
    for part in parts:
        if part:
            lines.extend(line.strip() for line in part.splitlines() if line.strip())
    return lines


@dataclass(frozen=True)
class PartyBlock:
    """A titled address block under the header: the buyer, and its delivery address when it differs."""

    title: str
    name: str
    lines: list[str]


def _party_blocks(doc: InvoiceDocument, fmt: Formatter, texts: Catalogue,
                  mentions: PrintedMentions) -> list[PartyBlock]:
    """The buyer with its registration numbers; the delivery address beside it when it differs."""
    buyer = doc.client
    blocks = [PartyBlock(texts.pdf.buyer, buyer.name,
                         [*_address_lines(buyer.address, fmt.country(buyer.country), buyer.email),
                          *(str(number) for number in mentions.buyer)])]
    if mentions.delivery_address:
        blocks.append(PartyBlock(texts.mentions.delivery_address, buyer.name,
                                 _address_lines(mentions.delivery_address)))
    return blocks


def _header(layout: _Layout, doc: InvoiceDocument, fmt: Formatter) -> None:
    """Title and invoice facts (right), seller (left, beside them), the paid mark, then the party blocks.
    Every column is measured first, so a long name or number wraps instead of running into another."""
    texts, seller, invoice = layout.texts, doc.business, doc.invoice
    labels, shared = texts.pdf, texts.invoice
    title = labels.title.upper()
    title_w = text_width(title, "B", 20)
    layout.text(RIGHT - title_w, TOP + 6, title, "B", 20, ACCENT)

    facts = [(labels.number, invoice.number, "B"), (shared.issue_date, fmt.date(invoice.issue_date), ""),
             (shared.due_date, fmt.date(invoice.due_date), ""), (labels.currency, invoice.currency, ""),
             *((label, value, "") for label, value in layout.mentions.facts)]
    if doc.corrects:  # a credit note falls due on no date
        del facts[2]
    label_w = max(text_width(label, "", 8.5) for label, _, _ in facts)
    value_w = min(max(text_width(value, style, 8.5) for _, value, style in facts), FACTS_MAX_W - label_w - GAP)
    facts_x = RIGHT - value_w - GAP - label_w
    fy = TOP + 14
    for label, value, style in facts:
        layout.text(facts_x, fy, label, "", 8.5, MUTED)
        for part in wrap(value, value_w, style, 8.5):
            layout.text_right(RIGHT, fy, part, style, 8.5)
            fy += 3.9
        fy += 0.5
    if invoice.status == "paid":
        paid = shared.paid_on.format(date=fmt.date(invoice.paid_at)) if invoice.paid_at else shared.paid
        layout.ops.append(("badge", RIGHT, fy + 1.5, paid.upper(), GREEN))
        fy += 10

    width = min(facts_x, RIGHT - title_w) - 2 * GAP - LEFT
    y = TOP + 5 - 5.2
    for part in wrap(seller.name, width, "B", 13):
        y += 5.2
        layout.text(LEFT, y, part, "B", 13, ACCENT)
    y += 1.2
    seller_lines = _address_lines(seller.legal_name if seller.legal_name != seller.name else None,
                                  seller.address, fmt.country(seller.country), seller.email, _phone(seller.phone))
    for line in seller_lines:
        for part in wrap(line, width, "", 8.5):
            y += 3.9
            layout.text(LEFT, y, part, "", 8.5)
    for mention in identity_mentions(doc, texts.legal, layout.mentions.trade_register):
        for part in wrap(mention, width, "", SMALL):
            y += 3.6
            layout.text(LEFT, y, part, "", SMALL, MUTED)

    top = max(y, fy) + 9
    bottom = top
    for index, block in enumerate(_party_blocks(doc, fmt, texts, layout.mentions)):
        if index and index % 2 == 0:
            top = bottom + 6
        x = LEFT if index % 2 == 0 else LEFT + PARTY_W + 2 * GAP
        bottom = max(bottom, _party_block(layout, x, top, block))
    layout.y = bottom + 8


def _party_block(layout: _Layout, x: float, top: float, block: PartyBlock) -> float:
    """Draws one block from `top`; answers the baseline of its last line."""
    layout.text(x, top, block.title.upper(), "B", SMALL, MUTED)
    y = top + 1.3
    for part in wrap(block.name, PARTY_W, "B", 10):
        y += 4.3
        layout.text(x, y, part, "B", 10)
    for line in block.lines:
        for part in wrap(line, PARTY_W, "", 8.5):
            y += 3.9
            layout.text(x, y, part, "", 8.5)
    return y


@dataclass(frozen=True)
class _Columns:
    """The lines table's geometry, measured on the document's own values."""

    size: float  # of the number cells (descriptions stay at ROW_SIZE)
    header_size: float
    rights: tuple[float, float, float, float]  # right edges: quantity, unit price, VAT rate, amount
    description_w: float
    headers: tuple[list[str], ...]  # each column's header, wrapped: description, then the four numbers


def _measure_columns(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> _Columns:
    """The widest value or header of each number column decides its width, and the description takes the
    rest. If that leaves it too narrow, the number headers wrap at their words, and then the numbers get
    smaller (to MIN_NUMBER_SIZE), until it is wide enough; nothing is ever cut or overlapped."""
    value_w = [max((text_width(row[i], "", ROW_SIZE) for row in rows), default=0.0) for i in range(4)]
    attempts = [(False, ROW_SIZE, WIDE_DESC_W), *((True, size, MIN_DESC_W) for size in NUMBER_SIZES)]
    for wrap_headers, size, wanted in attempts:
        header_size = min(HEADER_SIZE, size)
        header_w = [max(text_width(word, "B", header_size) for word in h.split()) if wrap_headers
                    else text_width(h, "B", header_size) for h in headers[1:]]
        widths = [max(v * size / ROW_SIZE, h) for v, h in zip(value_w, header_w, strict=True)]
        description_w = AMOUNT_R - DESC_X - 4 * GAP - sum(widths)
        if description_w >= wanted or size == NUMBER_SIZES[-1]:
            break
    rate_r = AMOUNT_R - widths[3] - GAP
    price_r = rate_r - widths[2] - GAP
    rights = (price_r - widths[1] - GAP, price_r, rate_r, AMOUNT_R)
    wrapped = tuple(wrap(h, description_w if i == 0 else widths[i - 1], "B", header_size)
                    for i, h in enumerate(headers))
    return _Columns(size, header_size, rights, description_w, wrapped)


def _table_header(layout: _Layout, columns: _Columns) -> None:
    y = layout.y
    height = 7 + HEADER_LEADING * (max(len(h) for h in columns.headers) - 1)
    layout.band(LEFT, y, RIGHT - LEFT, height)
    base = y + 4.6
    for i, part in enumerate(columns.headers[0]):
        layout.text(DESC_X, base + i * HEADER_LEADING, part, "B", columns.header_size)
    for right, header in zip(columns.rights, columns.headers[1:], strict=True):
        for i, part in enumerate(header):
            layout.text_right(right, base + i * HEADER_LEADING, part, "B", columns.header_size)
    layout.y = y + height


def _lines_table(layout: _Layout, doc: InvoiceDocument, fmt: Formatter) -> None:
    """One row per line; the header is repeated on every page the table reaches."""
    labels, shared = layout.texts.pdf, layout.texts.invoice
    rows = [(fmt.quantity(line.quantity), fmt.money(line.unit_price_cents), fmt.rate(line.tax_rate),
             fmt.money(line.amount_cents)) for line in doc.invoice.lines]
    columns = _measure_columns((labels.description, labels.quantity, shared.unit_price, shared.vat_rate,
                                shared.amount), rows)
    _table_header(layout, columns)
    size, text, ops = columns.size, layout.text, None
    for line, cells in zip(doc.invoice.lines, rows, strict=True):
        desc = wrap(line.description, columns.description_w, "", ROW_SIZE)
        height = ROW_PAD * 2 + ROW_LEADING * len(desc)
        layout.ensure(height, lambda: _table_header(layout, columns))
        ops = layout.ops
        base = layout.y + ROW_PAD + 3.0
        for i, part in enumerate(desc):
            text(DESC_X, base + i * ROW_LEADING, part, "", ROW_SIZE)
        for right, value in zip(columns.rights, cells, strict=True):
            ops.append(("text", right - text_width(value, "", size), base, value, "", size, INK))
        layout.y += height
        ops.append(("line", LEFT, layout.y, RIGHT, layout.y, RULE, 0.15))


def _totals(layout: _Layout, doc: InvoiceDocument, fmt: Formatter) -> None:
    """The VAT breakdown per rate (left) and subtotal, VAT and total (right); stacked, breakdown first,
    when the two measured blocks do not fit side by side."""
    labels, shared, invoice = layout.texts.pdf, layout.texts.invoice, doc.invoice
    title = labels.vat_breakdown.upper()
    groups = [(rate_label(fmt.rate(g.tax_rate), g.vat_category, layout.texts.mentions), fmt.money(g.taxable_cents),
               fmt.money(g.tax_cents)) for g in invoice.tax_breakdown]
    header = (shared.vat_rate, labels.taxable, shared.vat)
    widths = [max(text_width(header[i], "B", 8), *(text_width(g[i], "", 8) for g in groups)) for i in range(3)]
    breakdown_w = max(sum(widths) + 2 * GAP, text_width(title, "B", SMALL))
    totals = [(labels.subtotal, fmt.money(invoice.subtotal_cents), "", 9.0),
              (shared.vat, fmt.money(invoice.tax_cents), "", 9.0),
              (shared.total, fmt.money(invoice.total_cents), "B", 10.5)]
    totals_w = max(text_width(label, style, size) for label, _, style, size in totals) + GAP + \
        max(text_width(amount, style, size) for _, amount, style, size in totals)
    x = min(TOTALS_X, AMOUNT_R - totals_w)
    side_by_side = LEFT + breakdown_w + 2 * GAP <= x - 2
    breakdown_h = 4.6 * (len(groups) + 1) + 2
    totals_h = 22.0
    layout.ensure(6 + (max(breakdown_h, totals_h) if side_by_side else breakdown_h + 4 + totals_h) + 4)
    top = layout.y + 6
    # VAT breakdown: rate | taxable | VAT
    rights = (LEFT + widths[0] + GAP + widths[1], LEFT + breakdown_w)
    y = top
    layout.text(LEFT, y, title, "B", SMALL, MUTED)
    y += 4.6
    layout.text(LEFT, y, header[0], "B", 8)
    layout.text_right(rights[0], y, header[1], "B", 8)
    layout.text_right(rights[1], y, header[2], "B", 8)
    layout.rule(LEFT, y + 1.4, rights[1])
    for rate, taxable, tax in groups:
        y += 4.6
        layout.text(LEFT, y, rate, "", 8)
        layout.text_right(rights[0], y, taxable, "", 8)
        layout.text_right(rights[1], y, tax, "", 8)
    # Totals
    ty = top + 4.6 if side_by_side else y + 8
    for label, amount, style, size in totals[:2]:
        layout.text(x, ty, label, style, size)
        layout.text_right(AMOUNT_R, ty, amount, style, size)
        ty += 5
    ty -= 2
    layout.band(x - 2, ty, RIGHT - x + 2, 8.5)
    ty += 5.8
    label, amount, style, size = totals[2]
    layout.text(x, ty, label, style, size, ACCENT)
    layout.text_right(AMOUNT_R, ty, amount, style, size, ACCENT)
    layout.y = max(y, ty + 2.7) + 4


def _section(layout: _Layout, title: str, rows: Iterable[tuple[str, str | None, str]]) -> None:
    """A titled list of label / value rows (value in `style`); values wrap beside their labels."""
    rows = [(label, value, style) for label, value, style in rows if value]
    if not rows:
        return
    value_x = LEFT + max(text_width(label, "", 8.5) for label, _, _ in rows) + GAP
    wrapped = [(label, wrap(value, RIGHT - value_x, style, 8.5), style) for label, value, style in rows]
    layout.ensure(9 + 4.4 * sum(len(parts) for _, parts, _ in wrapped))
    layout.y += 6
    layout.text(LEFT, layout.y, title.upper(), "B", SMALL, MUTED)
    layout.y += 0.6
    for label, parts, style in wrapped:
        layout.y += 4.4
        layout.text(LEFT, layout.y, label, "", 8.5, MUTED)
        for i, part in enumerate(parts):
            layout.y += 3.9 if i else 0
            layout.text(value_x, layout.y, part, style, 8.5)


def _payment_rows(doc: InvoiceDocument, labels: PdfTexts) -> list[tuple[str, str | None, str]]:
    """How to pay: nothing on a cancelled invoice, no online link on a paid one."""
    seller, invoice = doc.business, doc.invoice
    if invoice.status == "cancelled":
        return []
    rows = [("IBAN", seller.iban, "B"), ("BIC", seller.bic, "B"), (labels.reference, invoice.number, "B")]
    if invoice.status == "open":
        rows.append((labels.pay_online, invoice.public_url, ""))
    return rows


def _closing(layout: _Layout, doc: InvoiceDocument, fmt: Formatter) -> None:
    """Payment details (a credit note: what it corrects and why, instead), notes and the legal mentions
    (each a sentence of its own)."""
    texts, invoice = layout.texts, doc.invoice
    if doc.corrects:
        corrects = texts.credit_note.corrects.format(number=doc.corrects.number, date=fmt.date(doc.corrects.issue_date))
        _section(layout, texts.credit_note.title, [(texts.credit_note.reason, doc.corrects.reason, "")])
        layout.ensure(8)
        layout.y += 5
        layout.paragraph(LEFT, RIGHT - LEFT, corrects, "B", 8.5)
    else:
        _section(layout, texts.pdf.payment, _payment_rows(doc, texts.pdf))
    if invoice.notes:
        layout.ensure(14)
        layout.y += 6
        layout.text(LEFT, layout.y, texts.invoice.notes.upper(), "B", SMALL, MUTED)
        layout.y += 0.6
        layout.paragraph(LEFT, RIGHT - LEFT, invoice.notes, "", 8.5)
    sentences = layout.mentions.sentences
    terms = [*sentences, *terms_mentions(doc, texts.legal, fmt, sentences)]
    if terms:
        layout.ensure(4 + 3.6 * len(terms))  # kept together, unless they alone overflow a page
        layout.y += 4
        for sentence in terms:
            layout.paragraph(LEFT, RIGHT - LEFT, sentence, "", SMALL, MUTED)


def _footers(layout: _Layout, doc: InvoiceDocument) -> None:
    """Seller identity and "page x / y" on every page; the identity gets smaller rather than cut."""
    texts = layout.texts
    total = len(layout.pages)
    page_labels = [texts.pdf.page.format(page=number, pages=total) for number in range(1, total + 1)]
    width = RIGHT - LEFT - GAP - max(text_width(label, "", 7.5) for label in page_labels)
    identity = " · ".join([doc.business.legal_name or doc.business.name,
                           *identity_mentions(doc, texts.legal, layout.mentions.trade_register)])
    for size in FOOTER_SIZES:
        lines = wrap(identity, width, "", size)
        if len(lines) <= FOOTER_LINES:
            break
    for page, page_label in zip(layout.pages, page_labels, strict=True):
        page.ops.append(("line", LEFT, 281, RIGHT, 281, RULE, 0.2))
        for i, line in enumerate(lines):
            page.ops.append(("text", LEFT, 285 + i * size * PT * 1.25, line, "", size, MUTED))
        page.ops.append(("text", RIGHT - text_width(page_label, "", 7.5), 285, page_label, "", 7.5, MUTED))


def _sandbox_marks(layout: _Layout) -> None:
    """A sandbox business's PDF says so at the top of every page, above the content."""
    mark = layout.texts.invoice.sandbox
    for page in layout.pages:
        page.ops.append(("band", LEFT, SANDBOX_Y, RIGHT - LEFT, 6.5, SANDBOX_BAND))
        page.ops.append(("text", (PAGE_W - text_width(mark, "B", 8.5)) / 2, SANDBOX_Y + 4.4, mark, "B", 8.5,
                         SANDBOX_INK))


# --- drawing ---------------------------------------------------------------------------------------


def _draw(pdf: InvoicePdf, pages: list[_Page]) -> None:
    content = Content(pdf)
    for page in pages:
        pdf.add_page()
        for op in page.ops:
            kind = op[0]
            if kind == "text":
                content.text(*op[1:])
            elif kind == "line":
                content.line(*op[1:])
            elif kind == "band":
                content.band(*op[1:])
            elif kind == "badge":
                _badge(pdf, content, *op[1:])
            elif kind == "stamp":
                _stamp(pdf, content, *op[1:])
        content.flush()


def _badge(pdf: FPDF, content: Content, right: float, y: float, text: str, rgb: tuple[int, int, int]) -> None:
    """The PAID mark: coloured outlined text under the invoice facts."""
    size = 9.5
    width = text_width(text, "B", size) + 6
    content.flush()
    pdf.set_draw_color(*rgb)
    pdf.set_line_width(0.5)
    pdf.rect(right - width, y, width, 7, style="D", round_corners=True, corner_radius=1.2)
    content.text(right - width + 3, y + 4.9, text, "B", size, rgb)


def _stamp(pdf: FPDF, content: Content, text: str, rgb: tuple[int, int, int]) -> None:
    """The CANCELLED stamp: large, rotated, outlined, across the middle of the first page."""
    size = 46
    width = text_width(text, "B", size)
    cx, cy = PAGE_W / 2, 150
    content.flush()
    with pdf.rotation(24, cx, cy), pdf.local_context(fill_opacity=0.3, stroke_opacity=0.45):
        pdf.set_draw_color(*rgb)
        pdf.set_line_width(1.2)
        pdf.rect(cx - width / 2 - 6, cy - 12, width + 12, 22, style="D", round_corners=True, corner_radius=3)
        content.text(cx - width / 2, cy + 5.5, text, "B", size, rgb)
        content.flush()


def render(doc: InvoiceDocument, facturx_xml: bytes | None = None) -> Rendered:
    """The invoice as a PDF, in the document's locale; with `facturx_xml` (its CII), a Factur-X PDF/A-3B."""
    texts = catalogue(doc.locale)
    if doc.corrects:  # a credit note: its own title and number label, the invoice's layout
        texts = replace(texts, pdf=replace(texts.pdf, title=texts.credit_note.title, number=texts.credit_note.number))
    fmt = Formatter(doc.locale, doc.invoice.currency, doc.business.timezone)
    mentions = printed_mentions(doc.mentions, texts, doc.business.country, doc.client.country, fmt)
    layout = _Layout(texts, mentions)
    _header(layout, doc, fmt)
    _lines_table(layout, doc, fmt)
    _totals(layout, doc, fmt)
    _closing(layout, doc, fmt)
    _footers(layout, doc)
    if doc.business.sandbox:
        _sandbox_marks(layout)
    if doc.invoice.status == "cancelled":  # drawn last: translucent, over the first page's content
        layout.pages[0].ops.append(("stamp", texts.pdf.cancelled, RED))

    pdf = facturx.new_document(InvoicePdf) if facturx_xml else InvoicePdf(unit="mm", format="A4")
    pdf.alias_nb_pages(None)  # the page count is known when pages are drawn
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, TOP, PAGE_W - RIGHT)
    title = f"{texts.pdf.title} {doc.invoice.number}"
    pdf.set_title(f"{texts.invoice.sandbox} · {title}" if doc.business.sandbox else title)
    pdf.set_author(doc.business.legal_name or doc.business.name)
    pdf.set_creator("FastFaktura")
    pdf.set_lang(doc.locale)
    _draw(pdf, layout.pages)
    if facturx_xml:
        facturx.attach(pdf, facturx_xml, pdf.title, pdf.author)
    body = pdf.pdf_bytes()
    _units.cache_clear()  # memoizes the document's words: cleared, or a warm container would keep them all
    return Rendered(body=body, pages=len(layout.pages))
