"""Known vulnerabilities in the project's installed (pinned) dependencies, with pip-audit.

Fails (exit 1) on any known vulnerability. Never fails because the vulnerability service could not be
asked: a network hiccup, or an index that does not serve PyPI's vulnerability data, is a warning that says
how many packages went unaudited. A vulnerability that does not apply can be listed, with its reason, in
.ci/audit-ignore.txt (`ID  # why`). The warnings of the last run are also kept in .fastfaktura/audit-warnings.txt,
which the test run prints in its summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

IGNORE_FILE = Path(__file__).with_name("audit-ignore.txt")
WARNINGS_FILE = Path(__file__).resolve().parents[1] / ".fastfaktura" / "audit-warnings.txt"
TIME_LIMIT_SECONDS = 300


def ignored() -> list[str]:
    if not IGNORE_FILE.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in IGNORE_FILE.read_text().splitlines())
    return [line for line in lines if line]


def warn(message: str) -> None:
    print(f"audit: WARNING: {message}")
    WARNINGS_FILE.parent.mkdir(exist_ok=True)
    with WARNINGS_FILE.open("a", encoding="utf-8") as kept:
        kept.write(message + "\n")


def main() -> int:
    WARNINGS_FILE.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off",
               "--skip-editable", "--timeout", "15"]
    for vuln_id in ignored():
        command += ["--ignore-vuln", vuln_id]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=TIME_LIMIT_SECONDS)
        report = json.loads(run.stdout)
    except (subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        detail = exc if isinstance(exc, subprocess.TimeoutExpired) else (run.stderr.strip().splitlines() or ["?"])[-1]
        warn(f"the vulnerability service could not be asked ({detail}); nothing was audited")
        return 0
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"audit: {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixes})")
    audited = len(dependencies) - len(skipped)
    print(f"audit: {audited} of {len(dependencies)} packages audited, {len(vulnerable)} with a known vulnerability")
    if skipped:
        warn(f"{len(skipped)} packages could not be audited (e.g. {skipped[0]['name']}: {skipped[0]['skip_reason']})")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
