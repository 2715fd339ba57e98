"""bench/results.json → bench/RESULTS.md: one table per section, targets beside the figures."""

from __future__ import annotations

from typing import Any


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join("" if c is None else str(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    return "\n".join([_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)])


HEAVY_FUNCTIONS = {"InvoicesPdfFunction", "InvoicesSendFunction", "PublicPdfFunction", "CreditNotesPdfFunction",
                   "PublicPayFunction", "StripeWebhookFunction"}  # render a PDF or call Stripe on every request


def coldstart(section: dict) -> str:
    rows, imports = [], []
    for name, f in sorted(section["functions"].items()):
        if "error" in f:
            rows.append([name, "—", "—", "—", "—", "", "", "", "", "", f["error"]])
            continue
        limit = 2.0 if name in HEAVY_FUNCTIONS else 1.4
        cpu_ratio = f.get("cpu_ratio_to_floor", f["ratio_to_floor"])
        untraced = f"{f['tracing_off_cpu_ratio']}×" if "tracing_off_cpu_ratio" in f else ""
        shipped = f"{f['as_shipped_cpu_ratio']}× ({f['as_shipped_cpu_ms']} ms)" if "as_shipped_cpu_ratio" in f else ""
        rows.append([name, f["median_ms"], f"{f['ratio_to_floor']}×", f.get("cpu_ms", ""), f"{cpu_ratio}×",
                     f"≤ {limit}× {_ok(cpu_ratio <= limit)}", shipped, untraced,
                     f.get("peak_rss_mb", ""),
                     round(f.get("code_bytes", 0) / 1024, 1), ", ".join(f["loaded"])])
        if f.get("import_time_top_ms"):
            imports.append([name, ", ".join(f"{k} {v}" for k, v in f["import_time_top_ms"].items())])
    layers = section.get("layers_bytes", {})
    load = section.get("load_average", {})
    return "\n\n".join(p for p in [
        f"Floor (`import boto3; boto3.client('dynamodb')`): **{section['floor_ms']} ms** wall, "
        f"**{section.get('floor_cpu_ms', '—')} ms** CPU, peak RSS {section.get('floor_peak_rss_mb', '—')} MB "
        f"(median of {section['runs']}, Python {section['python']}, only the DepsLayer's packages + boto3). "
        f"Tracing: {section.get('tracing', 'disabled')}, as the template ships it. "
        f"Load average {load.get('before')} → {load.get('after')}: the "
        "verdict uses the CPU ratio, which the machine's other work inflates far less than the wall clock. "
        "Targets: ≤ 1.4× the floor for every function that neither renders a PDF nor calls Stripe, ≤ 2× for "
        f"those ({', '.join(sorted(HEAVY_FUNCTIONS))}). "
        "\"Without bytecode\": what a cold start costs when the layers ship no bytecode, as SAM's default python "
        "builder makes them; the layers' Makefiles compile it, so the main columns are what ships.",
        _table(["function", "median ms", "× floor", "CPU ms", "CPU × floor", "target", "without bytecode: CPU × floor",
                "Tracing=Disabled: CPU × floor", "peak RSS MB", "code KB", "heavy modules loaded"], rows),
        "Deployment size (unzipped): " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in layers.items())
        + "; each function's own code is the `code KB` column." if layers else "",
        _before_after(section),
        _breakdown(section.get("import_breakdown")),
        ("`python -X importtime`, one cold start per function: the ten top-level packages whose modules took "
         "the most import time (self time summed per package, ms; importtime itself slows imports a little, so "
         "read the order, not the sum):\n\n" + _table(["function", "top 10 packages by import time (ms)"], imports))
        if imports else "",
    ] if p)


def _before_after(section: dict) -> str:
    """Each function's CPU × floor at the baseline commits and now, all measured in this run."""
    before = section.get("before")
    if not before:
        return ""
    baselines = before if isinstance(before, list) else [before]
    rows = []
    names = sorted(set(section["functions"]).union(*(b["functions"] for b in baselines)))
    for name in names:
        now_ratio = section["functions"].get(name, {}).get("cpu_ratio_to_floor")
        row = [name]
        for then in (b["functions"].get(name, {}) for b in baselines):
            then_ratio = then.get("cpu_ratio_to_floor")
            row += [f"{then_ratio}×" if then_ratio else then.get("error", "(not there yet)"),
                    f"{now_ratio / then_ratio:.2f}" if then_ratio and now_ratio else ""]
        rows.append([*row[:1], *row[1:], f"{now_ratio}×" if now_ratio else "(gone)"])
    described = "; ".join(f"`{b['revision']}`" + (f" ({b['what']})" if b.get("what") else "") for b in baselines)
    headers = ["function"]
    for b in baselines:
        headers += [f"before ({b['revision']})", f"now / {b['revision']}"]
    return (f"Before → after, all measured in this run (cold-start CPU × the floor; before: {described}; "
            f"median of {baselines[0]['runs']} each, with its own template, handlers and core layer, on the same "
            "interpreter and DepsLayer packages):\n\n" + _table([*headers, "now"], rows))


def _breakdown(breakdown: dict | None) -> str:
    if not breakdown:
        return ""
    total = breakdown["total_cpu_ms"]
    steps = _table(["step (in load order)", "CPU ms", "share"],
                   [[name, ms, f"{ms / total:.0%}"] for name, ms in breakdown["steps_cpu_ms"].items()]
                   + [["**total**", f"**{total}**", ""]])
    alone = _table(["module imported on its own after the floor", "CPU ms"],
                   [[f"`{name}`", ms] for name, ms in breakdown["alone_cpu_ms"].items()])
    return (f"Where {breakdown['function']}'s cold start goes, with the Tracer enabled as in Lambda and "
            f"botocore patched (CPU ms, median):\n\n{steps}\n\n{alone}")


def generic(section: dict) -> str:
    body = {k: v for k, v in section.items() if k not in ("measured_at", "seconds", "notes", "uptime")}
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


def _ok(verdict: bool | None) -> str:
    return "" if verdict is None else ("ok" if verdict else "**over**")


def endpoints(section: dict) -> str:
    rows = []
    for name, r in section["endpoints"].items():
        target = r.get("target_round_trips")
        trips = f"{r['round_trips']:g}" + (f" (max {r['round_trips_max']})" if r["round_trips_max"] != r["round_trips"]
                                            else "")
        rows.append([f"`{name}`", r["p50_ms"], r["p95_ms"], r["cpu_p50_ms"], trips,
                     "—" if target is None else f"≤ {target} {_ok(r.get('meets_target'))}", r["operations"],
                     f"{r['rcu']:g} / {r['wcu']:g}", f"{r['modeled_rcu']:g} / {r['modeled_wcu']:g}",
                     r["other_aws_calls"], r["scans"], r["errors"], r.get("note", "")])
    t = section["timeline"]
    timeline = _table(
        ["stream → timeline", "invocations", "records", "events written", "p50 ms / invocation", "CPU ms / record",
         "round trips / event", "WCU / event (modeled)", "scans"],
        [[t["function"], t["invocations"], t["records"], t["events_written"], t["p50_ms_per_invocation"],
          t["cpu_ms_per_record"], t["round_trips_per_event"],
          f"{t['wcu_per_event']:g} ({t['modeled_wcu_per_event']:g})", t["scans"]]])
    missing = section.get("routes_not_measured") or []
    return "\n\n".join([
        f"{section['calls_per_endpoint']} warm calls per endpoint (load average {section.get('load_average')}). "
        "Targets: a read costs one DynamoDB round trip once the key is cached; creating an invoice costs four "
        "(the read of the business and the client, then the stage, claim and finish of its number); nothing scans "
        f"(**Scans anywhere: {section['scans_anywhere']}**).",
        _table(["endpoint", "p50 ms", "p95 ms", "CPU p50 ms", "DynamoDB round trips", "target", "operations",
                "RCU / WCU reported", "RCU / WCU modeled", "other AWS calls", "scans", "errors", "note"], rows),
        timeline,
        ("Routes not measured: " + ", ".join(missing)) if missing else "Every route of template.yaml is measured.",
        section.get("notes", ""),
    ])


def scale(section: dict) -> str:
    parts = _scale_size(section)
    if "larger" in section:
        parts += _scale_size(section["larger"])
    if "search_options" in section:
        parts.append(_search_options(section))
    return "\n\n".join([*parts, section.get("notes", "")])


def _scale_size(section: dict) -> list[str]:
    """The invoices and clients tables of one size (either may be missing)."""
    parts = []
    inv = section.get("invoices")
    if inv:
        rows = [[f"`{name}`", c["median_ms"], c["max_ms"], c["round_trips"], c["items_read"], c["items_returned"],
                 c["read_capacity_units"], c["write_capacity_units"]] for name, c in inv["cases"].items()]
        parts += [f"**Invoices**: {inv['invoices']:,} invoices of {inv['clients_invoiced']} clients, "
                  f"{inv['per_page']} per page (last page {inv['last_page']}); seeded in {inv['seed_seconds']} s "
                  f"({inv['seeded_as']}); median of {inv['runs']} runs.",
                  _table(["request", "median ms", "max ms", "round trips", "items read", "returned", "RCU", "WCU"],
                         rows)]
    cl = section.get("clients")
    if not cl:
        return parts
    client_rows = [[f"`{name}`", c["median_ms"], c["max_ms"], c["round_trips"], c["items_read"], c["items_returned"],
                    c["read_capacity_units"]] for name, c in cl["cases"].items()]
    rare = cl.get("rare_search")
    search = (f"A rare-name search (`q={rare['q']}`) reads the postings of `{rare['run_read']}`: "
              f"**{rare['round_trips']} round trips, {rare['rcu']:g} RCU**; the same search reading every client "
              f"(v1): {rare['v1_round_trips']} round trips, {rare['v1_rcu']:g} RCU." if rare else
              f"A search reads the whole client partition: {cl['search_reads_whole_partition']} — its cost grows "
              "linearly with the number of clients, a listing page does not.")
    parts += [
        f"**Clients** (bench/clients_scale.py): {cl['clients']:,} clients ({cl['archived']} archived), "
        f"{cl['per_page']} per page; seeded in {cl['seed_seconds']} s; median of {cl['runs']} runs. {search}",
        _table(["request", "median ms", "max ms", "round trips", "items read", "returned", "RCU"], client_rows),
    ]
    if cl.get("writes"):
        parts.append(f"Client writes at {cl['clients']:,} clients (`*_v1`: the item write alone, as before the "
                     "search index). DynamoDB Local reports about 2 WCU for any transaction of small items; "
                     "\"WCU, AWS\" is what AWS bills for it (2 WCU per KB of each item, bench/meter.py):\n\n" + _table(
                         ["write", "median ms", "round trips", "operations", "transaction actions", "WCU reported",
                          "WCU, AWS"],
                         [[f"`{name}`", w["median_ms"], w["round_trips"], _operations(w["operations"]),
                           w.get("transaction_actions", ""), w["write_capacity_units"],
                           w.get("modeled_write_capacity_units", "")] for name, w in cl["writes"].items()]))
    parts.append(cl.get("note", ""))
    return parts


def _operations(operations: dict | list) -> str:
    if isinstance(operations, dict):
        return ", ".join(name + (f"×{n}" if n > 1 else "") for name, n in operations.items())
    return ", ".join(operations)


def _search_options(section: dict) -> str:
    """The search designs side by side, per size (postings: the clients tables above)."""
    options = section["search_options"]
    measured = {str(s["clients"]["clients"]): s["clients"] for s in (section, section.get("larger"))
                if s and "clients" in s}
    rows = []
    for size, designs in options["sizes"].items():
        for design, d in designs.items():
            rows.append([f"{int(size):,}", design, d["search"]["round_trips"], _aws_round_trips(d["search"]),
                         d["search"]["rcu"], d["search"]["ms"], f"+{d['create_adds_wcu']:g}"])
        cl = measured.get(size)
        if cl and "rare_search" in cl:
            rare, cases = cl["rare_search"], cl["cases"]
            create, v1 = cl["writes"]["create_client"], cl["writes"]["create_client_v1"]
            added = create["modeled_write_capacity_units"] - v1["write_capacity_units"]
            rows.append([f"{int(size):,}", "**postings (built)**", rare["round_trips"], rare["round_trips"],
                         rare["rcu"], cases["search_name_one_match"]["median_ms"], f"+{added:g}"])
            rows.append([f"{int(size):,}", "v1: every client item read", rare["v1_round_trips"],
                         rare["v1_round_trips"], rare["v1_rcu"],
                         cases["search_name_one_match_v1_full_read"]["median_ms"], "+0"])
    return "\n\n".join([
        f"**Client search designs weighed** (bench/search_options.py), rare name `q={options['rare_query']}`:",
        _table(["clients", "design", "round trips", "round trips on AWS (1 MB per Query)", "RCU", "ms",
                "WCU added to a create (AWS)"], rows),
        options.get("notes", ""),
        "DynamoDB Local answered each of these Queries in one page whatever its size; AWS stops a Query's "
        "page at 1 MB read (8 KB per eventually consistent RCU), so a design reading N MB needs N Queries "
        "there, plus the BatchGetItem of the page."])


def _aws_round_trips(search: dict) -> int:
    """The Queries a read of `rcu` units takes at 1 MB a page, plus the BatchGetItem (if any)."""
    queries = max(1, -(-int(search["rcu"] * 8192) // (1024 * 1024)))
    return queries + search["operations"].get("BatchGetItem", 0)


def retried(section: dict) -> str:
    """The load test's 503s that a retry then got through, per step ("27 (create: 27)")."""
    by_step = section.get("retried_503", {})
    return f"{sum(by_step.values())}" + "".join(f" ({k}: {v})" for k, v in by_step.items())


def pdf(section: dict) -> str:
    documents = section["documents"]
    names = list(documents)
    header = ["renderer", *(f"{d}: {c}" for d in names for c in ("wall ms", "CPU ms", "pages"))]
    rows = [["**ours (fastfaktura.pdf)**", *(f"**{documents[d][k]}**" if k != "pages" else documents[d][k]
                                            for d in names for k in ("median_ms", "cpu_median_ms", "pages"))]]
    for name, peer in section["peers"].items():
        missing = peer.get("unavailable") or peer.get("failed")
        if missing:
            rows.append([name, *([missing] + [""] * (3 * len(names) - 1))])
            continue
        rows.append([f"{name} ({peer['version']})" if peer.get("version") else name,
                     *(peer.get(d, {}).get(k, "—") for d in names for k in ("median_ms", "cpu_median_ms", "pages"))])
    def verdict(ours: dict) -> str:
        target = ours.get("target_ratio", section.get("target_ratio"))
        if not target:
            return ""
        met = min(ours.get("vs_fastest_peer_wall", 0), ours.get("vs_fastest_peer_cpu", 0)) >= target
        return f"≥ {target}×: {'met' if met else '**missed**'}"

    verdicts = _table(["document", "ours: wall ms (p90) / CPU ms", "target ms", "fastest peer, wall", "× (wall)",
                       "fastest peer, CPU", "× (CPU)", "target (wall and CPU)"],
                      [[d, f"{o['median_ms']} ({o['p90_ms']}) / {o['cpu_median_ms']}",
                        f"≤ {o['target_ms']}" if o.get("target_ms") else "—",
                        o.get("fastest_peer_wall", "—"), f"{o.get('vs_fastest_peer_wall', '—')}×",
                        o.get("fastest_peer_cpu", "—"), f"{o.get('vs_fastest_peer_cpu', '—')}×", verdict(o)]
                       for d, o in documents.items()])
    cold = section.get("cold", {})
    load = section.get("load_average", {})
    return "\n\n".join([
        _table(header, rows), verdicts,
        "First render in a fresh interpreter (what a cold container pays once): "
        + "; ".join(f"{d}: import {c['import_ms']} ms, first render {c['first_render_ms']} ms" for d, c in cold.items())
        + f". Load average {load.get('before')} → {load.get('after')}.",
        section.get("notes", ""),
    ])


def load(section: dict) -> str:
    n = section["numbering"]
    summary = _table(["measure", "value", "target"], [
        ["concurrent callers", section["callers"], "50"],
        ["duration (new iterations stop at 60 s; the last ones finish)", f"{section['duration_s']} s", "60 s"],
        [f"iterations ({section.get('iteration', 'create → send → get')})", section["iterations"], ""],
        ["client retries of a 503", section.get("client_retries", "up to 3"), "0"],
        ["requests / s", section["requests_per_second"], ""],
        ["invoices created / s", section["invoices_per_second"], ""],
        ["errors", f"{section['errors']} "
         + ", ".join(f"({k}: {v})" for k, v in section.get("errors_by_step", {}).items()),
         f"0 {_ok(section['errors'] == 0)}"],
        ["503 answers", sum(section.get("answered_503", {}).values()) if "answered_503" in section else "", ""],
        ["503 answers retried after Retry-After", retried(section), ""],
        ["numbers gapless afterwards", f"{n['gapless']}: {n['first']} … {n['last']}, {n['invoices_listed']} listed, "
         f"{n['distinct']} distinct, {section['created']} created",
         f"gapless {_ok(n['gapless'] and n['matches_creates'])}"],
        ["CPU ms per invoice created, by part of the stack",
         ", ".join(f"{part} {ms}" for part, ms in section["cpu_ms_per_create"].items())
         if section.get("cpu_ms_per_create") else "", ""],
        ["timeline of the last invoice listed, after the run", f"{section['timeline_lag_s']} s"
         if section.get("timeline_lag_s") is not None else "", ""],
        ["load average before / after", f"{section['load_average_before']} / {section['load_average_after']}", ""],
    ])
    latency = _table(["step", "p50 ms", "p95 ms", "p99 ms", "max ms", "count"],
                     [[k, v["p50"], v["p95"], v.get("p99", ""), v.get("max", ""), v["count"]]
                      for k, v in section["latency_ms"].items()])
    create = section["latency_ms"].get("create", {})
    verdict = (f"Create p99 {create['p99']} ms: target ≤ 2000 ms {_ok(create['p99'] <= 2000)}."
               if "p99" in create else "")
    errors = ("One error of each kind:\n\n" + "\n".join(f"- `{e}`" for e in section["error_samples"])
              if section["error_samples"] else "")
    return "\n\n".join(p for p in [summary, latency, verdict, errors, section.get("notes", "")] if p)


def cost(section: dict) -> str:
    if "error" in section:
        return section["error"]
    prices = section["prices"]
    breakdown = _table(["item", "USD per 10,000 invoices"],
                       [[k, f"{v:.4f}"] for k, v in section["breakdown_usd"].items()]
                       + [["**total**", f"**{section['total_usd']:.2f}**"],
                          ["per invoice", f"{section['per_invoice_usd']:.5f}"]])
    steps = _table(["step", "function", "MB", "CPU ms measured", "billed ms", "billed INIT ms (cold)", "round trips",
                    "RRU", "WRU", "other AWS calls"],
                   [[s["step"], s["function"], s["memory_mb"], s["cpu_ms_measured"], s["billed_ms"], s["init_ms"],
                     f"{s['round_trips']:g}", f"{s['rru']:g}", f"{s['wru']:g}",
                     ", ".join(f"{k}×{v}" for k, v in s["other_calls"].items()) or "—"] for s in section["steps"]])
    checks = section.get("price_checks", {})
    price_rows = [[section["price_labels"].get(k, k), f"{v * section['price_units'].get(k, 1):g}", checks.get(k, "")]
                  for k, v in prices.items() if k not in ("as_of", "region")]
    by_share = section.get("total_usd_by_cold_share", {})
    shares = _table(["share of invocations that start a container", "USD per 10,000 invoices"],
                    [[f"**{k}** (the figure above)" if float(k) == section.get("cold_share") else k, f"{v:.2f}"]
                     for k, v in by_share.items()])
    inputs = _table(["input", "kind", "source"], [[i["input"], i["kind"], i["source"]]
                                                 for i in section.get("inputs", [])])
    hosted = _table(["hosted service", "charges", "source"],
                    [[h["service"], h["charges"], h["source"]] for h in section["hosted_services"]])
    storage = ", ".join(f"{k}: ${v:.4f}" for k, v in section["storage_per_month_usd"].items())
    return "\n\n".join([
        f"**${section['total_usd']:.2f} per {section['invoices']:,} invoices** "
        f"(${section['per_invoice_usd']:.5f} per invoice: created, sent by email with its PDF, PDF fetched once, "
        f"timeline written), {prices['region']}, {prices['as_of']}. Storage: {storage}. "
        "The same 10,000 invoices sent by SMS instead would add about "
        f"${section['sms_instead_of_email_usd_per_10000']:,.0f}.",
        breakdown, shares, steps,
        "What the figure is made of (measured in this run, read from the template, or assumed):\n\n" + inputs,
        f"Prices used (USD, {prices['region']}, {prices['as_of']}):\n\n"
        + _table(["price", "USD", f"what the pricing pages show, as stored on {section.get('prices_checked_on')}"],
                 price_rows),
        "For comparison (list prices as known in 2024–2025, to be checked):\n\n" + hosted,
        section.get("notes", ""),
        *([_memory(section["memory"])] if "memory" in section else []),
    ])


def _memory(memory: dict) -> str:
    """The MemorySize table of the cost section: per size, warm ms / INIT ms and USD per million invocations."""
    sizes, functions = [str(mb) for mb in memory["sizes"]], memory["functions"]
    rows = []
    for name, f in functions.items():
        if f["recommended_mb"] is None:
            continue
        cells = []
        for mb in sizes:
            size = f["by_size"][mb]
            cell = (f"{size['warm_ms']} / {size['init_ms']} ms, ${size['usd_per_million']:.2f}" if "warm_ms" in size
                    else f"— / {size['init_ms']} ms")
            cells.append(f"**{cell}**" if int(mb) == f["recommended_mb"] else cell if size["fits"] else f"{cell} (RSS)")
        rows.append([name, "; ".join(f["requests"]), f["init_cpu_ms"], f["peak_rss_mb"], *cells,
                     f["template_mb"], f"{f['recommended_mb']} {_ok(f['template_mb'] == f['recommended_mb'])}"])
    unmeasured = [f"{name} ({functions[name]['template_mb']} MB, INIT {functions[name]['template_init_ms']} ms)"
                  for name in memory["not_measured_warm"]]
    return "\n\n".join(p for p in [
        "**MemorySize per function.** " + memory["rule"] + f" Measured: {memory['measured']}. Each size's cell: the "
        "modelled warm duration of the function's heaviest measured request / its INIT, in ms, and Lambda's charges "
        "per million invocations (— and no charges: no warm request measured, INIT alone decides); the size the "
        "rule picks in bold; (RSS): under the headroom over peak RSS.",
        _table(["function", "requests measured", "INIT CPU ms", "peak RSS MB", *(f"{mb} MB" for mb in sizes),
                "template MB", "rule MB"], rows),
        "Not measured warm (no row in the endpoints section), so INIT alone decides: " + ", ".join(unmeasured)
        + "." if unmeasured else "",
    ] if p)


def einvoice(section: dict) -> str:
    documents = section["documents"]
    rows = [[name, d["plain_pdf_median_ms"], d["facturx_pdf_median_ms"],
             f"+{d['facturx_extra_ms']} (≤ {d['facturx_extra_target_ms']} {_ok(d['facturx_extra_met'])})",
             f"{d['plain_bytes']:,} / {d['facturx_bytes']:,}",
             f"{d['ubl_median_ms']} (≤ {d['ubl_target_ms']} {_ok(d['ubl_met'])})", d["runs"]]
            for name, d in documents.items()]
    load = section.get("load_average", {})
    return "\n\n".join([
        _table(["document", "plain PDF ms", "Factur-X PDF ms", "Factur-X extra ms (target)", "bytes plain / Factur-X",
                "UBL ms (target)", "rounds"], rows),
        f"Load average {load.get('before')} before, {load.get('after')} after.", section.get("notes", ""),
    ])


RENDERERS = {"coldstart": coldstart, "endpoints": endpoints, "pdf": pdf, "scale": scale, "load": load, "cost": cost,
             "einvoice": einvoice}
TITLES = {
    "coldstart": "1. Cold start per function",
    "endpoints": "2. Per endpoint, warm, against DynamoDB Local",
    "pdf": "3. PDF rendering",
    "scale": "4. Scale: a business with 10,000 (and 100,000) clients and invoices",
    "load": "5. Load on the local stack",
    "cost": "6. Cost per 10,000 invoices on AWS",
    "einvoice": "7. E-invoices: the Factur-X PDF against the plain PDF, and the UBL",
}


def render(results: dict) -> str:
    m = results.get("machine", {})
    out = ["# FastFaktura benchmarks", "",
           f"Machine: {m.get('cpus')} cores, {m.get('machine')}, {m.get('system')}, Python {m.get('python')}. "
           "Produced by `make bench`; figures are medians unless said otherwise. Benchmarks are not tests: "
           "nothing here fails CI. The machine is shared with other work: see the load averages "
           f"(`{m.get('uptime', '')}` at the end of the run, and per section).", ""]
    for key, title in TITLES.items():
        if key not in results:
            continue
        section = results[key]
        out += [f"## {title}", "",
                f"_Measured {section.get('measured_at')} in {section.get('seconds')} s; "
                f"`{section.get('uptime', '')}`._", "",
                RENDERERS.get(key, generic)(section), ""]
    return "\n".join(out)
