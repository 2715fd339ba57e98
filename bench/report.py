"""bench/results.json → bench/RESULTS.md: one table per section, targets beside the figures."""

from __future__ import annotations

from typing import Any


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join("" if c is None else str(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    return "\n".join([_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)])


def coldstart(section: dict) -> str:
    rows = []
    for name, f in sorted(section["functions"].items()):
        if "error" in f:
            rows.append([name, "—", "—", "", f["error"]])
            continue
        heavy = {"InvoicesPdfFunction", "PublicPdfFunction", "PublicPayFunction", "StripeWebhookFunction"}
        target = "—" if name in heavy else "≤ 1.4×"
        verdict = "" if target == "—" else ("ok" if f["ratio_to_floor"] <= 1.4 else "over")
        rows.append([name, f["median_ms"], f"{f['ratio_to_floor']}×", target, f"{verdict} {', '.join(f['loaded'])}"])
    return (f"Floor (`import boto3; boto3.client('dynamodb')`): **{section['floor_ms']} ms** "
            f"(median of {section['runs']}, Python {section['python']}, only the DepsLayer's packages + boto3).\n\n"
            + _table(["function", "median ms", "× floor", "target", "notes (heavy modules loaded)"], rows))


def generic(section: dict) -> str:
    body = {k: v for k, v in section.items() if k not in ("measured_at", "seconds", "notes")}
    rows = [[k, v] for k, v in body.items() if not isinstance(v, dict | list)]
    parts = [_table(["measure", "value"], rows)] if rows else []
    for key, value in body.items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            columns = sorted({c for v in value.values() for c in v})
            parts.append(f"**{key}**\n\n" + _table([key, *columns],
                                                   [[k, *(v.get(c) for c in columns)] for k, v in value.items()]))
    if section.get("notes"):
        parts.append(section["notes"])
    return "\n\n".join(parts)


RENDERERS = {"coldstart": coldstart}
TITLES = {
    "coldstart": "1. Cold start per function",
    "endpoints": "2. Per endpoint, warm, against DynamoDB Local",
    "pdf": "3. PDF rendering",
    "scale": "4. Scale: a business with 10,000 clients and 10,000 invoices",
    "load": "5. Load on the local stack",
    "cost": "6. Cost per 10,000 invoices on AWS",
}


def render(results: dict) -> str:
    m = results.get("machine", {})
    out = ["# FastFaktura benchmarks", "",
           f"Machine: {m.get('cpus')} cores, {m.get('machine')}, {m.get('system')}, Python {m.get('python')}. "
           "Produced by `make bench`; figures are medians unless said otherwise. Benchmarks are not tests: "
           "nothing here fails CI.", ""]
    for key, title in TITLES.items():
        if key not in results:
            continue
        section = results[key]
        out += [f"## {title}", "", f"_Measured {section.get('measured_at')} in {section.get('seconds')} s._", "",
                RENDERERS.get(key, generic)(section), ""]
    return "\n".join(out)
