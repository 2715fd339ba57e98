"""Invoice PDFs: `render(InvoiceDocument)` → bytes (fpdf2 is imported only when this package is)."""

from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.pdf.render import Rendered, file_name, render

__all__ = ["InvoiceDocument", "Rendered", "file_name", "render"]
