"""README's "Endpoints by example" block, run top to bottom in bash against the local stack with the
README's own variables (API, KEY): every curl answers the status its `# → NNN` comment says, in order."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
EXPECTED = re.compile(r"# → (\d{3})")
# Each curl of the block also writes its status to stderr (curl's own `%{stderr}` write-out).
CURL_STATUS = 'curl() { command curl -s -w "%{stderr}status %{http_code}\\n" "$@"; }\n'


def examples_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Endpoints by example"):]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_the_block_says_each_curls_status():
    block = examples_block()
    curls = [line for line in block.splitlines() if re.match(r"\s*(\w+=\$\()?curl ", line)]
    assert len(EXPECTED.findall(block)) == len(curls) > 20


def test_readme_examples_run_top_to_bottom(dev_stack, tmp_path):
    business = json.loads(dev_stack.cli("create-business", "--name", "README SAS", "--country", "FR",
                                        "--locale", "fr", "--local").stdout)
    block = examples_block()
    script = f"set -u\nexport API={dev_stack.url}/api/v1 KEY={business['api_key']}\n{CURL_STATUS}{block}"
    run = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         check=False)
    statuses = re.findall(r"^status (\d{3})$", run.stderr, re.M)
    expected = EXPECTED.findall(block)
    assert run.returncode == 0, run.stderr[-2000:]
    assert statuses == expected, f"{run.stdout[-3000:]}\n{run.stderr[-1500:]}"
    assert (tmp_path / "facture.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "invoice.pdf").read_bytes().startswith(b"%PDF")
