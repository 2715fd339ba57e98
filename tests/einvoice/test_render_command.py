"""`fastfaktura render-pdf --format …`: the four outputs from one JSON document whose money is left out, valid
by the official checks; a bad document gets one line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastfaktura.tools.einvoice_validate import validate_file

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "bench" / "einvoice-10.json"


def render(tmp_path: Path, document: Path, output_format: str) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / f"out.{output_format}"
    done = subprocess.run([sys.executable, "-m", "fastfaktura.tools.cli", "render-pdf", str(document), "-o", str(out),
                           "--format", output_format], capture_output=True, text=True, timeout=120)
    return done, out


def test_the_bench_document_leaves_the_money_out():
    invoice = json.loads(DOCUMENT.read_text())["invoice"]
    assert "total_cents" not in invoice and all("amount_cents" not in line for line in invoice["lines"])


@pytest.mark.parametrize("output_format", ["facturx", "ubl", "cii"])
def test_each_e_invoice_format_passes_the_official_checks(tmp_path, output_format):
    done, out = render(tmp_path, DOCUMENT, output_format)
    assert done.returncode == 0, done.stderr
    report = validate_file(out)
    assert report.valid, report.failures


def test_a_plain_pdf_embeds_nothing(tmp_path):
    done, out = render(tmp_path, DOCUMENT, "pdf")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF") and b"factur-x.xml" not in out.read_bytes()


@pytest.mark.parametrize(("document", "expected"), [
    ({"invoice": {"lines": [{"quantity": 1}]}}, "invoice.lines.0 has no 'unit_price_cents'"),
    ({"business": {}, "client": {}}, "the document has no 'invoice'"),
    ([1, 2], "the document is not a JSON object"),
])
def test_a_bad_document_gets_one_clear_line(tmp_path, document, expected):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    done, _ = render(tmp_path, path, "pdf")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"render-pdf: {path}: {expected}"]


def test_an_e_invoice_of_a_document_that_cannot_be_one_names_the_missing_fields(tmp_path):
    done, _ = render(tmp_path, ROOT / "bench" / "invoice-10.json", "ubl")
    assert done.returncode == 1
    assert "client.electronic_address" in done.stderr and "Traceback" not in done.stderr
