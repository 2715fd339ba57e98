"""PDF rendering, warm, in one process (as a warm Lambda container), beside the peers of
bench/pdf_peers.py timed in the same run on the same invoices (bench/invoice-10.json and
bench/invoice-200.json): wall clock against wall clock, CPU against CPU, medians. The rounds
interleave (each round: some of our renders, then one render per peer), so the machine's other work
falls on all of them alike. Also the first render of a process (font parsing and babel's locale
data), which a cold container pays once.

`python -m bench.pdf [--repeat N] [--peer-repeat N]` prints the JSON."""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from functools import partial
from pathlib import Path

from bench.pdf_peers import PEERS, Peer, Unavailable

HERE = Path(__file__).resolve().parent
# name: (the render-pdf document, what ours makes of it, our target in ms, the target × the fastest peer).
# The Factur-X PDF (the CII written, then the PDF/A-3B with it embedded) is timed beside the peers'
# plain PDF of the same invoice: none of them makes a Factur-X.
DOCUMENTS = {"10 lines": ("invoice-10.json", "pdf", 30, 5), "200 lines": ("invoice-200.json", "pdf", 120, 5),
             "Factur-X, 10 lines": ("einvoice-10.json", "facturx", None, 4)}
REPEAT = 50       # our renders per document
PEER_REPEAT = 7   # each peer's renders per document (the slowest take over a second each)
TARGET_RATIO = 5  # ours against the fastest peer, for the plain PDF

_FIRST_RENDER = """
import json, sys, time
started = time.perf_counter()
from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.pdf.render import render
imported = time.perf_counter()
render(InvoiceDocument.from_dict(json.load(open(sys.argv[1], encoding="utf-8"))))
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - started) * 1000, "first_render_ms": (done - imported) * 1000}))
"""


def _first_render(path: Path) -> dict:
    runs = [json.loads(subprocess.run([sys.executable, "-c", _FIRST_RENDER, str(path)], check=True,
                                      capture_output=True, text=True).stdout) for _ in range(5)]
    return {key: round(statistics.median(run[key] for run in runs), 1) for key in runs[0]}


def _timed(make, cpu) -> tuple[float, float, object]:
    started_cpu = cpu()
    started = time.perf_counter()
    body = make()
    wall = (time.perf_counter() - started) * 1000
    return wall, cpu() - started_cpu, body


def _process_cpu_ms() -> float:
    return time.process_time() * 1000


def _pages(body: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(body)).pages)


def _summary(walls: list[float], cpus: list[float], body: bytes) -> dict:
    return {"median_ms": round(statistics.median(walls), 1), "cpu_median_ms": round(statistics.median(cpus), 1),
            "runs": len(walls), "pages": _pages(body), "bytes": len(body)}


def _fastest(peers: dict, document: str, key: str) -> tuple[str, float] | None:
    timed = [(name, p[document][key]) for name, p in peers.items() if document in p]
    return min(timed, key=lambda pair: pair[1]) if timed else None


def measure(repeat: int = REPEAT, peer_repeat: int = PEER_REPEAT) -> dict:
    from fastfaktura.pdf.document import InvoiceDocument
    from fastfaktura.tools.render_pdf import completed, renderer

    load_before = os.getloadavg()[0]
    ours_per_round = math.ceil(repeat / peer_repeat)
    peers: dict[str, dict] = {}
    documents: dict[str, dict] = {}
    with ExitStack() as stack:
        opened: dict[str, Peer] = {}
        for kind in PEERS:
            try:
                opened[kind.name] = stack.enter_context(kind())
                peers[kind.name] = {"version": getattr(opened[kind.name], "version", "")}
            except Unavailable as exc:
                peers[kind.name] = {"unavailable": str(exc)}
        for name, (file_name, output_format, target, ratio) in DOCUMENTS.items():
            source = completed(json.loads((HERE / file_name).read_text(encoding="utf-8")))
            document = InvoiceDocument.from_dict(source)
            make = renderer(source, output_format)
            ours_wall, ours_cpu = [], []
            ours_body = make()[0]  # warm-up
            samples: dict[str, tuple[list[float], list[float], bytes]] = {}
            for peer_name, peer in list(opened.items()):
                try:
                    samples[peer_name] = ([], [], peer.render(document))  # warm-up
                except Exception as exc:  # a peer that breaks is reported, the others go on
                    peers[peer_name]["failed"] = f"{type(exc).__name__}: {str(exc)[:160]}"
                    del opened[peer_name]
            for _ in range(peer_repeat):
                for _ in range(ours_per_round):
                    wall, cpu, _body = _timed(make, _process_cpu_ms)
                    ours_wall.append(wall)
                    ours_cpu.append(cpu)
                for peer_name, peer in opened.items():
                    wall, cpu, body = _timed(partial(peer.render, document), peer.cpu)
                    samples[peer_name][0].append(wall)
                    samples[peer_name][1].append(cpu)
            for peer_name, (walls, cpus, body) in samples.items():
                if walls:
                    peers[peer_name][name] = _summary(walls, cpus, body)
            ours = _summary(ours_wall, ours_cpu, ours_body)
            ours.update(p90_ms=round(statistics.quantiles(ours_wall, n=10)[-1], 1), target_ms=target,
                        target_ratio=ratio, format=output_format)
            for clock, key in (("wall", "median_ms"), ("cpu", "cpu_median_ms")):
                fastest = _fastest(peers, name, key)
                if fastest:
                    ours[f"fastest_peer_{clock}"] = fastest[0]
                    ours[f"vs_fastest_peer_{clock}"] = round(fastest[1] / ours[key], 1)
            documents[name] = ours
            print(f"bench pdf: {name}: ours {ours['median_ms']} ms, "
                  + ", ".join(f"{n} {p[name]['median_ms']} ms" for n, p in peers.items() if name in p),
                  file=sys.stderr, flush=True)
    return {
        "documents": documents,
        "peers": peers,
        "target_ratio": TARGET_RATIO,
        "cold": {"10 lines": _first_render(HERE / "invoice-10.json")},
        "load_average": {"before": round(load_before, 1), "after": round(os.getloadavg()[0], 1)},
        "notes": (f"Warm medians: {len(ours_wall)} renders of ours and {peer_repeat} of each peer per document, "
                  "in interleaved rounds. Wall is the caller's wall clock; CPU counts every process doing the "
                  "work (for Chromium kept open: the browser, its renderers and Playwright's driver; for one "
                  "process per PDF: the whole child process, start-up included). The HTML peers print the same "
                  "invoice (same data, babel formatting and DejaVu Sans) from one HTML page (bench/pdf_peers.py). "
                  "`cold` is a fresh interpreter: importing fpdf2 and the renderer, then the first render (fonts "
                  "parsed, babel data loaded). Factur-X: ours writes the CII and the PDF/A-3B with it embedded "
                  "(bench/einvoice-10.json), the peers print that invoice's plain PDF (none makes a Factur-X). Our "
                  "figure alone from the command line: `fastfaktura render-pdf bench/invoice-200.json -o "
                  "/tmp/out.pdf --repeat 50` (`--format facturx` on bench/einvoice-10.json)."),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--peer-repeat", type=int, default=PEER_REPEAT)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.repeat, args.peer_repeat), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
