"""The PDF renderer alone, from the contract's render-pdf JSON document: no AWS at all."""

from __future__ import annotations

import copy
import io
import json
import struct
from argparse import Namespace
from pathlib import Path

import pytest
from fastfaktura.pdf import fonts
from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.pdf.render import _units, render, text_width, wrap
from fontTools.ttLib import TTFont
from pypdf import PdfReader

BENCH = Path(__file__).resolve().parents[2] / "bench"


def sample(lines: int = 10) -> dict:
    return json.loads((BENCH / f"invoice-{lines}.json").read_text(encoding="utf-8"))


def pages_text(body: bytes) -> list[str]:
    return [p.extract_text().replace("\u202f", " ").replace("\xa0", " ") for p in PdfReader(io.BytesIO(body)).pages]


@pytest.mark.parametrize(("locale", "currency", "title", "total"), [
    ("fr", "EUR", "FACTURE", "6 898,53 €"),
    ("en", "EUR", "INVOICE", "€6,898.53"),
    ("nb", "NOK", "FAKTURA", "6 898,53 kr"),
    ("sv", "SEK", "FAKTURA", "6 898,53 kr"),
])
def test_each_locale_prints_its_title_and_totals(locale, currency, title, total):
    document = sample()
    document["client"]["locale"] = locale
    document["invoice"]["currency"] = currency

    rendered = render(InvoiceDocument.from_dict(document))

    text = pages_text(rendered.body)[0]
    assert rendered.pages == 1
    assert title in text
    assert "F-0042" in text
    assert "Émilie Čapek" in text and "Åsa Ærø Ölund" in text
    assert total in text


def test_two_hundred_lines_repeat_the_table_header_and_number_the_pages():
    rendered = render(InvoiceDocument.from_dict(sample(200)))
    pages = pages_text(rendered.body)
    assert rendered.pages == len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} / {len(pages)}" in text
    *line_pages, terms_page = pages  # 200 lines fill six pages; the legal terms take a seventh of their own
    for number, text in enumerate(line_pages, start=1):
        assert "Désignation" in text and "Prix unitaire HT" in text and "Montant HT" in text, number
    assert "Total TTC" in line_pages[-1]
    assert "Désignation" not in terms_page and "pénalités" in terms_page


def test_the_document_accepts_a_full_api_answer_and_ignores_unknown_fields():
    document = sample()
    document["invoice"].update(id="x", events=[], client={"id": "c", "name": "n"}, line_count=10)
    document["business"].update(sandbox=True, timezone="Europe/Paris", business_id="b")
    assert render(InvoiceDocument.from_dict(document)).body.startswith(b"%PDF-")


@pytest.mark.parametrize(("locale", "file_name"), [
    ("fr", "facture-F-0042.pdf"), ("en", "invoice-F-0042.pdf"), ("nb", "faktura-F-0042.pdf"),
    ("sv", "faktura-F-0042.pdf"),
])
def test_file_name_per_locale(locale, file_name):
    document = sample()
    document["client"]["locale"] = locale
    assert InvoiceDocument.from_dict(document).file_name == file_name


def test_file_name_keeps_only_safe_characters():
    document = sample()
    document["invoice"]["number"] = "2026/F.0007"
    assert InvoiceDocument.from_dict(document).file_name == "facture-2026-F.0007.pdf"


def test_wrap_keeps_lines_within_the_width_and_cuts_overlong_words():
    text = "Développement " * 20 + "x" * 300 + "\nsecond paragraph"
    lines = wrap(text, 60, "", 9)
    assert all(text_width(line, "", 9) <= 60 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert lines[-1] == "second paragraph"


def test_paid_and_cancelled_marks():
    paid = sample()
    paid["invoice"].update(status="paid", paid_at="2026-11-30T09:00:00.000000Z")
    assert "PAYÉE LE 30 NOVEMBRE 2026" in pages_text(render(InvoiceDocument.from_dict(paid)).body)[0]
    cancelled = copy.deepcopy(sample())
    cancelled["invoice"]["status"] = "cancelled"
    cancelled["client"]["locale"] = "sv"
    assert "MAKULERAD" in pages_text(render(InvoiceDocument.from_dict(cancelled)).body)[0]


def test_renders_leave_no_document_in_fpdf2s_glyph_caches():
    from fpdf.fonts import SubsetMap

    for _ in range(3):
        render(InvoiceDocument.from_dict(sample()))
    assert SubsetMap.pick.cache_info().currsize == 0
    assert SubsetMap.get_glyph.cache_info().currsize == 0
    assert _units.cache_info().currsize == 0


def test_render_pdf_command_with_repeat(tmp_path, capsys):
    from fastfaktura.tools.render_pdf import main

    output = tmp_path / "out.pdf"
    assert main(Namespace(input=str(BENCH / "invoice-10.json"), output=str(output), repeat=3)) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"median_ms", "pages", "bytes"}
    assert printed["pages"] == 1
    assert printed["bytes"] == len(output.read_bytes())
    assert output.read_bytes().startswith(b"%PDF-")


def test_render_pdf_command_without_repeat_prints_nothing(tmp_path, capsys):
    from fastfaktura.tools.render_pdf import main

    main(Namespace(input=str(BENCH / "invoice-10.json"), output=str(tmp_path / "o.pdf"), repeat=None))
    assert capsys.readouterr().out == ""
    assert (tmp_path / "o.pdf").exists()


def test_wrap_breaks_at_plain_spaces_only_never_inside_an_amount():
    amount = "12\u202f345,67\xa0€"
    lines = wrap(f"Total {amount} " * 6, 25, "", 9)
    assert len(lines) > 1
    assert all(part == amount for line in lines for part in line.split(" ") if part != "Total")


def _widths_by_glyph(widths) -> dict[int, int]:
    """A CIDFont's /W array (`first [w1 w2 …]` runs) as glyph id → width."""
    found = {}
    for first, run in zip(widths[::2], widths[1::2], strict=True):
        found.update({first + i: int(width) for i, width in enumerate(run)})
    return found


def test_the_embedded_fonts_are_truetype_with_the_packaged_outline_of_every_glyph_printed():
    """The renderer cuts each font program itself (pdf/writer.py): the file's checksums hold, and every
    glyph the page uses (its /W) has the packaged font's outline, composites with their components, and
    the packaged font's advance width."""
    body = render(InvoiceDocument.from_dict(sample(200))).body
    composites = 0
    page_fonts = PdfReader(io.BytesIO(body)).pages[0]["/Resources"]["/Font"].values()
    for font in page_fonts:
        cid_font = font.get_object()["/DescendantFonts"][0].get_object()
        program = cid_font["/FontDescriptor"]["/FontFile2"].get_data()
        padded = program + bytes(-len(program) % 4)
        assert sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF == 0xB1B0AFBA
        embedded = TTFont(io.BytesIO(program), checkChecksums=2)
        packaged = TTFont(fonts.font_file("B" if "Bold" in cid_font["/BaseFont"] else ""))
        units = 1000 / packaged["head"].unitsPerEm
        used = _widths_by_glyph(cid_font["/W"])
        assert len(used) > 40
        for gid, width in used.items():
            ours, theirs = embedded.getGlyphOrder()[gid], packaged.getGlyphOrder()[gid]
            glyph = packaged["glyf"][theirs]
            composites += glyph.isComposite()
            assert (embedded["glyf"][ours].getCoordinates(embedded["glyf"])[0]
                    == glyph.getCoordinates(packaged["glyf"])[0]), theirs
            assert width == round(packaged["hmtx"][theirs][0] * units + 0.001), theirs
    assert len(page_fonts) == 2 and composites  # both styles; accented letters are composites


def test_a_character_the_font_lacks_prints_as_nothing_and_is_named_in_a_warning(caplog):
    document = sample()
    document["client"]["name"] = "Ωmega Émilie"
    with caplog.at_level("WARNING", logger="fastfaktura.pdf"):
        text = pages_text(render(InvoiceDocument.from_dict(document)).body)[0]
    assert "mega Émilie" in text and "Ω" not in text
    assert "U+03A9" in caplog.text
