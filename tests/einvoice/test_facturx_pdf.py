"""A Factur-X PDF/A-3B made with fpdf2 and our XMP packet: checked structurally (no PDF/A validator installs
here) and read back by the factur-x package, the way a receiving platform extracts the XML."""

from __future__ import annotations

import io

import pypdf
from documents import document
from facturx import get_xml_from_pdf
from fastfaktura.einvoice.cii import write_cii
from fastfaktura.einvoice.facturx_xmp import FACTURX_FILENAME
from fastfaktura.pdf.facturx import attach, new_document
from fastfaktura.pdf.fonts import font_file
from fastfaktura.tools.einvoice_validate import validate_file


def facturx_pdf(xml: bytes) -> bytes:
    """A one-page document made with the pdf room's Factur-X recipe (pdf/facturx.py)."""
    pdf = new_document()
    pdf.set_title("Invoice INV-2026-0042")
    pdf.set_author("Atelier Dupont SAS")
    pdf.add_font("DejaVu", "", str(font_file("")))
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.cell(text="Invoice INV-2026-0042 — 123,45 kr")
    attach(pdf, xml, pdf.title, pdf.author)
    return bytes(pdf.output())


def test_factur_x_pdf_structure_and_embedded_xml(tmp_path):
    xml = write_cii(document("FR", "fr", "EUR"))
    data = facturx_pdf(xml)
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]

    metadata = reader.xmp_metadata
    assert metadata is not None
    description = metadata.rdf_root.toxml()
    assert "<pdfaid:part>3</pdfaid:part>" in description and "<pdfaid:conformance>B</pdfaid:conformance>" in description
    assert "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in description
    assert "<pdfaSchema:prefix>fx</pdfaSchema:prefix>" in description
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in description

    intents = root["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intents[0].get_object()

    associated = [spec.get_object() for spec in root["/AF"]]
    assert [(spec["/F"], spec["/AFRelationship"]) for spec in associated] == [(FACTURX_FILENAME, "/Data")]
    embedded = associated[0]["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/text/xml"
    assert embedded.get_data() == xml

    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]

    filename, extracted = get_xml_from_pdf(data, check_xsd=False)
    assert (filename, extracted) == (FACTURX_FILENAME, xml)
    path = tmp_path / "invoice.pdf"
    path.write_bytes(data)
    assert validate_file(path).valid
