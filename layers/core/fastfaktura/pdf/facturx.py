"""Factur-X: the invoice PDF as a PDF/A-3B with its CII embedded as factur-x.xml.

fpdf2 writes the PDF/A-3B structure itself (`enforce_compliance`: every font embedded, the catalog's
/AF); we add the sRGB output intent from the ICC profile fpdf2 ships, the XML as an associated file
(relationship Data, text/xml, Flate-compressed: a 200-line CII is 200 kB of text), and the XMP packet
with the Factur-X extension schema (einvoice.facturx_xmp), which replaces the one fpdf2 would write and
so must say what its Info says.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import fpdf
from fpdf import FPDF
from fpdf.enums import OutputIntentSubType
from fpdf.output import PDFICCProfile

from fastfaktura.einvoice.facturx_xmp import FACTURX_FILENAME, facturx_xmp

COMPLIANCE = "PDF/A-3B"
PRODUCER = "FastFaktura"


@cache
def _srgb_profile() -> bytes:
    return (Path(fpdf.__file__).parent / "data" / "color_profiles" / "sRGB2014.icc").read_bytes()


Document = TypeVar("Document", bound=FPDF)


def new_document(make: Callable[..., Document] = FPDF) -> Document:  # type: ignore[assignment]
    """An A4 document in millimetres (`make`: FPDF or a subclass) that fpdf2 keeps PDF/A-3B, with its
    sRGB output intent."""
    pdf = make(unit="mm", format="A4", enforce_compliance=COMPLIANCE)
    pdf.add_output_intent(OutputIntentSubType.PDFA, output_condition_identifier="sRGB", info="sRGB IEC61966-2.1",
                          dest_output_profile=PDFICCProfile(contents=_srgb_profile(), n=3, alternate="DeviceRGB"))
    return pdf


def attach(pdf: FPDF, xml: bytes, title: str, author: str) -> None:
    """Embeds the CII and writes the XMP packet (after the title, author and creator are set)."""
    pdf.embed_file(bytes=xml, basename=FACTURX_FILENAME, mime_type="text/xml", associated_file_relationship="Data",
                   desc="Factur-X invoice (EN 16931)", compress=True)
    pdf.set_producer(PRODUCER)
    pdf.set_xmp_metadata(facturx_xmp(title, pdf.creation_date.isoformat(timespec="seconds"), producer=PRODUCER,
                                     creator_tool=getattr(pdf, "creator", PRODUCER), author=author))
