"""The stored PDF's key (services.pdfs.digest) covers what is printed and the e-invoice embedded: the same
print with or without its CII, with another e-invoice, or after the e-invoice version is bumped is another
object in the bucket, so a Factur-X PDF is never served for a plain one or with a stale CII."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.services import pdfs
from fastfaktura.tools.render_pdf import completed, einvoice_document

DOCUMENT = completed(json.loads((Path(__file__).resolve().parents[2] / "bench" / "einvoice-10.json").read_text()))


def test_the_key_covers_the_embedded_e_invoice_and_its_version(monkeypatch):
    printed, einvoice = InvoiceDocument.from_dict(DOCUMENT), einvoice_document(DOCUMENT)
    plain, facturx = pdfs.digest(printed), pdfs.digest(printed, einvoice)
    assert plain == pdfs.digest(printed, None) and facturx == pdfs.digest(printed, einvoice)
    assert plain != facturx
    assert pdfs.digest(printed, dataclasses.replace(einvoice, buyer_reference="Autre")) != facturx
    monkeypatch.setattr(pdfs, "EINVOICE_VERSION", str(int(pdfs.EINVOICE_VERSION) + 1))
    assert pdfs.digest(printed, einvoice) != facturx and pdfs.digest(printed) == plain
    monkeypatch.setattr(pdfs, "LAYOUT_VERSION", str(int(pdfs.LAYOUT_VERSION) + 1))
    assert pdfs.digest(printed) != plain
