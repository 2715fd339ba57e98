"""`fastfaktura render-pdf INVOICE.json -o OUT [--format pdf|facturx|ubl|cii] [--repeat N]`: a PDF (plain or
Factur-X) or an e-invoice (UBL, CII) from the contract's JSON document `{"business": {…}, "client": {…},
"invoice": {…, "lines": […]}}`, with no AWS at all (template work and benchmarks).

Money is ours to compute: line amounts, the VAT breakdown and the totals the JSON leaves out are computed
as the API computes them. A document that cannot be read gets one line naming what is wrong (exit 2); an
e-invoice format for a document that cannot be a valid e-invoice names the missing fields (exit 1).
With `--repeat N` it renders N times in one process and prints `{"median_ms": …, "pages": …, "bytes": …}`
(the first render, which parses the fonts, is not counted)."""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

FORMATS = ("pdf", "facturx", "ubl", "cii")


class BadDocument(Exception):
    """The JSON document cannot be rendered; the message says why, in one line."""


def completed(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the line amounts, the breakdown and the totals filled in where absent."""
    from pydantic import ValidationError

    from fastfaktura.domain import money
    from fastfaktura.models.invoices import InvoiceLine

    try:
        invoice = dict(document["invoice"])
        lines = [dict(line) for line in invoice["lines"]]
        parsed = []
        for index, line in enumerate(lines):
            if "amount_cents" not in line:
                try:
                    line["amount_cents"] = money.line_amount(_decimal(line["quantity"]), int(line["unit_price_cents"]))
                except KeyError as missing:
                    raise BadDocument(f"invoice.lines.{index} has no {missing.args[0]!r}") from None
            try:
                parsed.append(InvoiceLine.model_validate(line))
            except ValidationError as exc:
                first = exc.errors()[0]
                raise BadDocument(f"invoice.lines.{index}.{'.'.join(map(str, first['loc']))}: {first['msg']}") from None
        totals = money.compute(parsed)
    except KeyError as missing:
        raise BadDocument(f"the document has no {missing.args[0]!r}") from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise BadDocument(str(exc)) from None
    invoice["lines"] = [line.model_dump(mode="json") for line in parsed]
    invoice.setdefault("tax_breakdown", [
        {"vat_category": group.vat_category, "tax_rate": str(group.tax_rate), "taxable_cents": group.taxable_cents,
         "tax_cents": group.tax_cents, "vat_exemption_reason": group.vat_exemption_reason.model_dump()
         if group.vat_exemption_reason else None} for group in totals.tax_breakdown])
    invoice.setdefault("subtotal_cents", totals.subtotal_cents)
    invoice.setdefault("tax_cents", totals.tax_cents)
    invoice.setdefault("total_cents", totals.total_cents)
    return {**document, "invoice": invoice}


def _decimal(value: Any):
    from decimal import Decimal

    return Decimal(str(value))


def einvoice_document(document: dict[str, Any]):
    """The EN 16931 document, built as the API builds it."""
    from fastfaktura.einvoice.build import build_document
    from fastfaktura.models.invoices import InvoiceLine

    invoice = document["invoice"]
    fields = {name: invoice.get(name) for name in ("number", "currency", "notes", "buyer_reference",
                                                   "purchase_order", "client_name")}
    for name in ("issue_date", "due_date", "delivery_date"):
        fields[name] = date.fromisoformat(invoice[name]) if invoice.get(name) else None
    if not fields["number"] or not fields["currency"] or not fields["issue_date"]:
        raise BadDocument("the invoice needs its number, currency and issue_date")
    lines = [InvoiceLine.model_validate(line) for line in invoice["lines"]]
    return build_document(document.get("business") or {}, document.get("client"), SimpleNamespace(**fields), lines)


def renderer(document: dict[str, Any], output_format: str) -> Callable[[], tuple[bytes, int]]:
    """A function making the output once (bytes, pages): raises BadDocument, or NotReady for an e-invoice."""
    from fastfaktura.einvoice.readiness import require_ready

    einvoice = einvoice_document(document) if output_format != "pdf" else None
    if einvoice is not None:
        require_ready(einvoice)
    if output_format in ("ubl", "cii"):
        return lambda: (_xml(einvoice, output_format), 0)
    from fastfaktura.pdf.document import InvoiceDocument
    from fastfaktura.pdf.render import render

    try:
        printed = InvoiceDocument.from_dict(document)
    except KeyError as missing:
        raise BadDocument(f"the document has no {missing.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise BadDocument(str(exc)) from None

    def make() -> tuple[bytes, int]:
        rendered = render(printed, _xml(einvoice, "cii") if einvoice is not None else None)
        return rendered.body, rendered.pages

    return make


def _xml(einvoice: Any, syntax: str) -> bytes:
    from fastfaktura.einvoice.cii import write_cii
    from fastfaktura.einvoice.ubl import write_ubl

    return (write_ubl if syntax == "ubl" else write_cii)(einvoice)


def main(args: Any) -> int:
    from fastfaktura.einvoice.readiness import NotReady

    output_format = getattr(args, "format", "pdf") or "pdf"
    try:
        source = json.loads(Path(args.input).read_text(encoding="utf-8"))
        if not isinstance(source, dict):
            raise BadDocument("the document is not a JSON object")
        make = renderer(completed(source), output_format)
        body, pages = make()  # warms the per-container caches (fonts, babel, lxml)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"render-pdf: {args.input}: {exc}", file=sys.stderr)
        return 2
    except BadDocument as exc:
        print(f"render-pdf: {args.input}: {exc}", file=sys.stderr)
        return 2
    except NotReady as exc:
        print(f"render-pdf: {args.input} cannot be a valid e-invoice: {exc}", file=sys.stderr)
        return 1
    timings = []
    for _ in range(args.repeat or 0):
        started = time.perf_counter()
        body, pages = make()
        timings.append((time.perf_counter() - started) * 1000)
    Path(args.output).write_bytes(body)
    if args.repeat:
        print(json.dumps({"median_ms": round(statistics.median(timings), 2), "pages": pages, "bytes": len(body)}))
    return 0
