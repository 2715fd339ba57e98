"""`make bench`: runs the benchmark sections, merges them into bench/results.json and writes
bench/RESULTS.md and README's summary (bench/readme.py). `python -m bench.run coldstart pdf` runs only
the named sections."""

from __future__ import annotations

import importlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
# Cold start last among the measurements (the load test is over, the machine is at its quietest);
# cost is arithmetic on the others' figures.
SECTIONS = ["pdf", "einvoice", "endpoints", "scale", "load", "coldstart", "cost"]


def machine() -> dict:
    return {"cpus": os.cpu_count(), "machine": platform.machine(), "system": platform.platform(),
            "python": platform.python_version(), "uptime": _uptime()}


def _uptime() -> str:
    """`uptime`'s line (its load averages say how shared the machine was)."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str]) -> None:
    wanted = argv or SECTIONS
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        started = time.monotonic()
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        section = module.measure()
        section["measured_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        section["seconds"] = round(time.monotonic() - started, 1)
        section["uptime"] = _uptime()
        results[name] = section
        results["machine"] = machine()
        RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    from bench import readme
    from bench.report import render

    (HERE / "RESULTS.md").write_text(render(results))
    readme.write()
    print(f"bench: wrote {RESULTS}, {HERE / 'RESULTS.md'} and README's summary", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
