"""E-invoices, warm, in one process: the Factur-X PDF against today's plain PDF of the same invoice (timed
in the same rounds, interleaved, so the machine's other work falls on both alike), and the UBL alone, on
bench/einvoice-10.json and bench/einvoice-200.json (ready French documents, as `render-pdf` reads them).

What each figure covers is what the API does beyond its reads: the plain PDF is the render; the Factur-X
PDF is the CII written from the EN 16931 document, then the render as PDF/A-3B with it embedded; the UBL is
the file written from the same document (its readiness checked again, as the endpoint does). Building the
document from the stored lines is common to all three (the answer's `einvoice` needs it too).

`python -m bench.einvoice [--repeat N]` prints the JSON."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCUMENTS = {"10 lines": "einvoice-10.json", "200 lines": "einvoice-200.json"}
REPEAT = 30
# The issue's targets, in ms: the Factur-X PDF's extra time over the plain PDF, and the UBL.
FACTURX_EXTRA_TARGET_MS = {"10 lines": 10, "200 lines": 25}
UBL_TARGET_MS = {"10 lines": 3, "200 lines": 30}


def _ms(make: Callable[[], object]) -> float:
    started = time.perf_counter()
    make()
    return (time.perf_counter() - started) * 1000


def _median(samples: list[float]) -> float:
    return round(statistics.median(samples), 2)


def _makers(source: dict) -> dict[str, Callable[[], object]]:
    """The three things timed, on one render-pdf document (a ready e-invoice)."""
    from fastfaktura.einvoice.cii import write_cii
    from fastfaktura.einvoice.readiness import require_ready
    from fastfaktura.einvoice.ubl import write_ubl
    from fastfaktura.pdf.document import InvoiceDocument
    from fastfaktura.pdf.render import render
    from fastfaktura.tools.render_pdf import einvoice_document

    printed = InvoiceDocument.from_dict(source)
    einvoice = einvoice_document(source)
    require_ready(einvoice)
    return {"plain_pdf": lambda: render(printed), "facturx_pdf": lambda: render(printed, write_cii(einvoice)),
            "ubl": lambda: write_ubl(einvoice)}


def measure(repeat: int = REPEAT) -> dict:
    from fastfaktura.tools.render_pdf import completed

    load_before = os.getloadavg()[0]
    documents: dict[str, dict] = {}
    for name, file_name in DOCUMENTS.items():
        source = completed(json.loads((HERE / file_name).read_text(encoding="utf-8")))
        makers = _makers(source)
        for make in makers.values():
            make()  # warm-up: fonts, babel data, lxml, the compiled namespaces
        samples: dict[str, list[float]] = {kind: [] for kind in makers}
        for _ in range(repeat):
            for kind, make in makers.items():
                samples[kind].append(_ms(make))
        medians = {kind: _median(values) for kind, values in samples.items()}
        extra = round(medians["facturx_pdf"] - medians["plain_pdf"], 2)
        documents[name] = {
            **{f"{kind}_median_ms": value for kind, value in medians.items()},
            "facturx_extra_ms": extra, "facturx_extra_target_ms": FACTURX_EXTRA_TARGET_MS[name],
            "facturx_extra_met": extra <= FACTURX_EXTRA_TARGET_MS[name],
            "ubl_target_ms": UBL_TARGET_MS[name], "ubl_met": medians["ubl"] <= UBL_TARGET_MS[name],
            "facturx_bytes": len(makers["facturx_pdf"]().body), "plain_bytes": len(makers["plain_pdf"]().body),
            "runs": repeat,
        }
        print(f"bench einvoice: {name}: plain {medians['plain_pdf']} ms, Factur-X {medians['facturx_pdf']} ms "
              f"(+{extra}), UBL {medians['ubl']} ms", file=sys.stderr, flush=True)
    return {
        "documents": documents,
        "load_average": {"before": round(load_before, 1), "after": round(os.getloadavg()[0], 1)},
        "notes": (f"Warm wall-clock medians of {repeat} interleaved rounds (plain PDF, Factur-X PDF, UBL) per "
                  "document. Factur-X = the CII written + the render as PDF/A-3B with it embedded; UBL = the "
                  "file written from the EN 16931 document (readiness checked again). One figure from the "
                  "command line: `fastfaktura render-pdf bench/einvoice-200.json -o /tmp/out.pdf --format facturx "
                  "--repeat 30`."),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=REPEAT)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.repeat), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
