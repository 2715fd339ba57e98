"""README's benchmark summary, written from bench/results.json between two markers (`make bench-readme`;
`make bench` runs it too). Every figure in the block comes from results.json, so a test can check that
README and results.json agree (tests/unit/test_bench_readme.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
RESULTS = HERE / "results.json"
START = "<!-- bench-summary: written by `make bench-readme` from bench/results.json; do not edit -->"
END = "<!-- /bench-summary -->"
# The reads of one object, and the other reads a caller makes often.
READS = {
    "GET /api/v1/business": "the business",
    "GET /api/v1/clients/{id}": "a client",
    "GET /api/v1/invoices/{id}": "an invoice",
    "GET /api/v1/invoices": "a page of invoices",
    "GET /api/v1/invoices/{id}/pdf (stored)": "a stored PDF",
    "GET /i/{token}": "the public page",
    "GET /i/{token}/pdf": "the public PDF",
}


def _count(n: float, thing: str) -> str:
    return f"{n:g} {thing}" + ("" if n == 1 else "s")


def _trips(n: float) -> str:
    return _count(n, "round trip")


def _endpoints(section: dict[str, Any]) -> list[str]:
    rows = section["endpoints"]
    reads = {}
    for name, what in READS.items():
        if name in rows:
            reads.setdefault(rows[name]["round_trips"], []).append(what)
    create = rows.get("POST /api/v1/invoices")
    parts = [f"{', '.join(whats)}: {_trips(trips)}" for trips, whats in sorted(reads.items())]
    line = "- DynamoDB per request (warm, key cached, the business's request budget taken): " + "; ".join(parts)
    if create:
        line += f"; creating an invoice: {_trips(create['round_trips'])} ({create['operations']})"
    return [line + f". Scans anywhere: {section['scans_anywhere']}."]


def _pdf(section: dict[str, Any]) -> list[str]:
    lines = []
    for name, ours in section["documents"].items():
        peers = ""
        if "vs_fastest_peer_wall" in ours:
            peers = (f"; {ours['vs_fastest_peer_wall']}× the fastest peer by wall clock "
                     f"({ours['fastest_peer_wall']}), {ours['vs_fastest_peer_cpu']}× by CPU "
                     f"({ours['fastest_peer_cpu']})")
        target = ours.get("target_ratio", section.get("target_ratio"))
        lines.append(f"{name}: {ours['median_ms']} ms wall, {ours['cpu_median_ms']} ms CPU{peers} (target ≥ {target}×)")
    missing = [n for n, p in section.get("peers", {}).items() if "unavailable" in p or "failed" in p]
    tail = f" Not measured (not installed or failed): {', '.join(missing)}." if missing else ""
    return ["- PDF, warm, medians, peers timed in the same run: " + "; ".join(lines) + "." + tail]


def _coldstart(section: dict[str, Any]) -> list[str]:
    from bench.report import HEAVY_FUNCTIONS

    functions = {n: f for n, f in section["functions"].items() if "cpu_ratio_to_floor" in f}
    light = {n: f["cpu_ratio_to_floor"] for n, f in functions.items() if n not in HEAVY_FUNCTIONS}
    heavy = {n: f["cpu_ratio_to_floor"] for n, f in functions.items() if n in HEAVY_FUNCTIONS}
    worst = sorted(light, key=lambda n: -light[n])[:3]
    rss = [f["peak_rss_mb"] for f in functions.values() if "peak_rss_mb" in f]
    line = (f"- Cold start, CPU against the floor `import boto3; boto3.client('dynamodb')` "
            f"({section['floor_cpu_ms']} ms CPU; tracing {section.get('tracing', 'disabled')}): "
            f"{min(light.values())}–{max(light.values())}× for the {len(light)} functions that neither render a PDF "
            f"nor call Stripe (target 1.4×; worst: {', '.join(f'{n} {light[n]}×' for n in worst)})")
    if heavy:
        line += f", {min(heavy.values())}–{max(heavy.values())}× for the {len(heavy)} that do (target 2×)"
    if rss:
        line += f"; peak RSS {min(rss)}–{max(rss)} MB"
    steps = section.get("import_breakdown", {}).get("steps_cpu_ms", {})
    floor = next((ms for name, ms in steps.items() if name.startswith("floor")), None)
    if floor:
        third_party = sum(ms for name, ms in steps.items() if not name.startswith(("fastfaktura", "the handler")))
        line += (f"; before a line of ours runs, boto3, pydantic and Powertools (Tracer enabled) take "
                 f"{third_party / floor:.2f}× the floor's CPU in the import breakdown")
    return [line + "."]


def _load(section: dict[str, Any]) -> list[str]:
    n = section["numbering"]
    retried = sum(section.get("retried_503", {}).values())
    gapless = "gapless" if n["gapless"] else "NOT gapless"
    create = section["latency_ms"].get("create", {})
    latency = (f", create p50/p95/p99 {create['p50']:g}/{create['p95']:g}/{create['p99']:g} ms, "
               f"{section['invoices_per_second']:g} invoices/s" if "p99" in create else "")
    answered = (f"{sum(section['answered_503'].values())} answered 503 (client retries: {section['client_retries']})"
                if "answered_503" in section else f"{retried} creates answered 503 and retried after Retry-After")
    return [f"- Load: {section['callers']} concurrent callers for {section['duration_s']} s on the local stack, "
            f"{section['iterations']} {section.get('iteration', 'create → send → get')}: "
            f"{_count(section['errors'], 'error')}, {answered}{latency}; numbers {gapless} afterwards "
            f"({n['first']} … {n['last']})."]


def _scale(section: dict[str, Any]) -> list[str]:
    inv, cl = section["invoices"], section["clients"]
    deepest = inv["cases"].get("list_last_page")
    rare = cl.get("rare_search")
    if rare:
        search = (f"a rare-name client search costs {_trips(rare['round_trips'])} and {rare['rcu']:g} RCU "
                  f"(reading every client: {rare['v1_rcu']:g} RCU)")
        larger = section.get("larger", {}).get("clients", {}).get("rare_search")
        if larger:
            search += (f", at {section['larger']['clients']['clients']:,} clients {_trips(larger['round_trips'])} and "
                       f"{larger['rcu']:g} RCU ({larger['v1_rcu']:g})")
    else:
        search = "a client search reads " + ("the whole client partition" if cl["search_reads_whole_partition"]
                                            else "an index")
    line = f"- Scale: {cl['clients']:,} clients and {inv['invoices']:,} invoices; {search}"
    if deepest:
        line += (f"; the last page of invoices reads {deepest['items_read']:,} items in {deepest['round_trips']} "
                 f"round trips ({deepest['median_ms']} ms on DynamoDB Local)")
    by_cursor = inv["cases"].get("list_last_page_by_cursor")
    if by_cursor:
        line += f", by cursor {_trips(by_cursor['round_trips'])} and {by_cursor['read_capacity_units']:g} RCU"
    return [line + "."]


def _cost(section: dict[str, Any]) -> list[str]:
    if "error" in section:
        return []
    shares = section.get("total_usd_by_cold_share", {})
    spread = ", ".join(f"${v:.2f} at {k}" for k, v in shares.items())
    return [f"- Cost: ${section['total_usd']:.2f} per {section['invoices']:,} invoices created, emailed with their "
            f"PDF and fetched once (eu-west-1; by the share of cold starts: {spread}; "
            f"{section['prices']['as_of']}).", *_memory(section.get("memory"))]


def _memory(memory: dict[str, Any] | None) -> list[str]:
    if not memory:
        return []
    picked: dict[int, int] = {}
    for f in memory["functions"].values():
        if f["recommended_mb"] is not None:
            picked[f["recommended_mb"]] = picked.get(f["recommended_mb"], 0) + 1
    targets = memory["targets"]
    sizes = ", ".join(f"{mb} MB for {_count(n, 'function')}" for mb, n in sorted(picked.items(), reverse=True))
    return [f"- MemorySize, the smallest size at which, as modelled, a request landing on a new container takes "
            f"≤ {targets['cold_request_ms']:,} ms and a warm one computes for ≤ {targets['warm_compute_ms']} ms "
            f"(≥ {targets['rss_headroom']}× peak RSS): {sizes}; {_count(len(memory['not_measured_warm']), 'function')} "
            "not measured warm are judged by their cold start alone."]


def _einvoice(section: dict[str, Any]) -> list[str]:
    parts = [f"{name}: Factur-X PDF +{d['facturx_extra_ms']} ms over the plain PDF (target ≤ "
             f"{d['facturx_extra_target_ms']}), UBL {d['ubl_median_ms']} ms (target ≤ {d['ubl_target_ms']})"
             for name, d in section["documents"].items()]
    return ["- E-invoices, warm, medians, in the same rounds: " + "; ".join(parts) + "."]


SECTIONS = {"endpoints": _endpoints, "pdf": _pdf, "einvoice": _einvoice, "coldstart": _coldstart, "load": _load,
            "scale": _scale, "cost": _cost}


def summary(results: dict[str, Any]) -> str:
    """The block between the markers (markers excluded)."""
    lines = []
    for key, make in SECTIONS.items():
        if key in results:
            lines += make(results[key])
    dates = sorted({results[k]["measured_at"][:10] for k in SECTIONS if k in results})
    lines.append(f"\nMeasured on {', '.join(dates)} ({results.get('machine', {}).get('cpus')} shared cores); "
                 "the tables and the load averages are in [bench/RESULTS.md](bench/RESULTS.md).")
    return "\n".join(lines)


def block_in(readme: str) -> str:
    """What README holds between the markers."""
    start, end = readme.index(START) + len(START), readme.index(END)
    return readme[start:end].strip("\n")


def write(readme: Path = README, results: Path = RESULTS) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(START) + len(START), text.index(END)
    block = summary(json.loads(results.read_text(encoding="utf-8")))
    readme.write_text(text[:start] + "\n" + block + "\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    write(*(Path(a) for a in sys.argv[1:3]))
    print(f"bench: wrote the summary into {README}", file=sys.stderr)
