"""The XMP packet of a Factur-X PDF/A-3B.

fpdf2's `set_xmp_metadata` replaces the packet it would write for PDF/A, so this one carries all of it:
the PDF/A identification (part 3, conformance B), the PDF/A extension schema that declares the Factur-X
properties (PDF/A allows no undeclared property), and those properties (Factur-X 1.0, EN 16931 profile).
Built with ElementTree from the standard library: no lxml is needed to make a PDF.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFA_EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
FX = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
DC = "http://purl.org/dc/elements/1.1/"
XMP = "http://ns.adobe.com/xap/1.0/"
PDF = "http://ns.adobe.com/pdf/1.3/"
FACTURX_FILENAME = "factur-x.xml"

_FX_PROPERTIES = (
    ("DocumentFileName", "The name of the embedded XML invoice file"),
    ("DocumentType", "The type of the hybrid document: INVOICE"),
    ("Version", "The version of the Factur-X XML schema"),
    ("ConformanceLevel", "The conformance level of the embedded Factur-X data"),
)
for _prefix, _uri in (("x", "adobe:ns:meta/"), ("rdf", RDF), ("pdfaid", PDFAID), ("pdfaExtension", PDFA_EXTENSION),
                      ("pdfaSchema", PDFA_SCHEMA), ("pdfaProperty", PDFA_PROPERTY), ("fx", FX), ("dc", DC),
                      ("xmp", XMP), ("pdf", PDF)):
    ET.register_namespace(_prefix, _uri)


def _sub(parent: ET.Element, namespace: str, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{namespace}}}{name}", attributes)
    element.text = text
    return element


def facturx_xmp(title: str, created_at: str, producer: str = "FastFaktura", creator_tool: str = "FastFaktura",
                author: str | None = None) -> str:
    """The whole `x:xmpmeta` element (fpdf2 wraps it in the `<?xpacket?>` processing instructions).
    `created_at` is an ISO 8601 date-time with its offset, the PDF's creation date; title, producer, creator
    tool and author are the document information dictionary's, which PDF/A wants the XMP to repeat."""
    root = ET.Element("{adobe:ns:meta/}xmpmeta")
    rdf = _sub(root, RDF, "RDF")
    about = {f"{{{RDF}}}about": ""}

    identification = _sub(rdf, RDF, "Description", **about)
    _sub(identification, PDFAID, "part", "3")
    _sub(identification, PDFAID, "conformance", "B")

    document = _sub(rdf, RDF, "Description", **about)
    _sub(_sub(_sub(document, DC, "title"), RDF, "Alt"), RDF, "li", title, **{"xml:lang": "x-default"})
    if author:
        _sub(_sub(_sub(document, DC, "creator"), RDF, "Seq"), RDF, "li", author)
    _sub(document, PDF, "Producer", producer)
    _sub(document, XMP, "CreateDate", created_at)
    _sub(document, XMP, "ModifyDate", created_at)
    _sub(document, XMP, "CreatorTool", creator_tool)

    extension = _sub(rdf, RDF, "Description", **about)
    schema = _sub(_sub(_sub(extension, PDFA_EXTENSION, "schemas"), RDF, "Bag"), RDF, "li",
                  **{f"{{{RDF}}}parseType": "Resource"})
    _sub(schema, PDFA_SCHEMA, "schema", "Factur-X PDFA Extension Schema")
    _sub(schema, PDFA_SCHEMA, "namespaceURI", FX)
    _sub(schema, PDFA_SCHEMA, "prefix", "fx")
    properties = _sub(_sub(schema, PDFA_SCHEMA, "property"), RDF, "Seq")
    for name, description in _FX_PROPERTIES:
        item = _sub(properties, RDF, "li", **{f"{{{RDF}}}parseType": "Resource"})
        _sub(item, PDFA_PROPERTY, "name", name)
        _sub(item, PDFA_PROPERTY, "valueType", "Text")
        _sub(item, PDFA_PROPERTY, "category", "external")
        _sub(item, PDFA_PROPERTY, "description", description)

    facturx = _sub(rdf, RDF, "Description", **about)
    _sub(facturx, FX, "DocumentType", "INVOICE")
    _sub(facturx, FX, "DocumentFileName", FACTURX_FILENAME)
    _sub(facturx, FX, "Version", "1.0")
    _sub(facturx, FX, "ConformanceLevel", "EN 16931")
    return ET.tostring(root, encoding="unicode")

