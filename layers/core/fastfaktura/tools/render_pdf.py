"""`fastfaktura render-pdf INVOICE.json -o OUT.pdf [--repeat N]`: a PDF from the contract's JSON document
`{"business": {…}, "client": {…}, "invoice": {…, "lines": […]}}`, with no AWS at all (template work and
benchmarks). With `--repeat N` it renders N times in one process and prints
`{"median_ms": …, "pages": …, "bytes": …}` (the first render, which parses the fonts, is not counted)."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any


def main(args: Any) -> int:
    from fastfaktura.pdf.document import InvoiceDocument
    from fastfaktura.pdf.render import render

    document = InvoiceDocument.from_dict(json.loads(Path(args.input).read_text(encoding="utf-8")))
    rendered = render(document)  # warms the per-container caches (fonts, babel)
    timings = []
    for _ in range(args.repeat or 0):
        started = time.perf_counter()
        rendered = render(document)
        timings.append((time.perf_counter() - started) * 1000)
    Path(args.output).write_bytes(rendered.body)
    if args.repeat:
        print(json.dumps({"median_ms": round(statistics.median(timings), 2), "pages": rendered.pages,
                          "bytes": len(rendered.body)}))
    return 0
