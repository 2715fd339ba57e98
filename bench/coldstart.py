"""Cold start per function: a fresh interpreter imports the handler module as Lambda would (its
CodeUri and the layers on sys.path, the template's environment) and creates the clients it uses;
median of N runs, beside the floor `import boto3; boto3.client("dynamodb")`."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from fastfaktura.local.template import ROOT, functions, load

CORE_LAYER = ROOT / "layers" / "core"
# The functions' view of the world: only the DepsLayer's requirements + boto3, as in Lambda
# (the dev venv also has awscrt & co., which botocore would load and Lambda's runtime has not).
LAMBDA_VENV = ROOT / ".venv-lambda"
LAMBDA_PYTHON = LAMBDA_VENV / "bin" / "python"


def lambda_python() -> str:
    if not LAMBDA_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LAMBDA_VENV)], check=True)
        subprocess.run([str(LAMBDA_PYTHON), "-m", "pip", "install", "--quiet", "-r",
                        str(ROOT / "layers" / "deps" / "requirements.txt"), "boto3"], check=True)
    return str(LAMBDA_PYTHON)

_PROBE = r"""
import functools, importlib.util, json, sys, time
t0 = time.perf_counter()
sys.path[:0] = [{code!r}, {layer!r}]
spec = importlib.util.spec_from_file_location("app", {path!r})
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
handler = getattr(module, {attr!r})
t1 = time.perf_counter()
for name, mod in list(sys.modules.items()):
    if name.startswith("fastfaktura.") and mod is not None:
        for attr_name, value in list(vars(mod).items()):
            if attr_name.endswith("client") and isinstance(value, functools._lru_cache_wrapper):
                try:
                    value()
                except TypeError:
                    pass
t2 = time.perf_counter()
heavy = sorted(m for m in ("fpdf", "stripe", "babel", "phonenumbers", "pydantic") if m in sys.modules)
print(json.dumps({{"import_ms": (t1 - t0) * 1000, "total_ms": (t2 - t0) * 1000, "loaded": heavy}}))
"""

_FLOOR = r"""
import json, time
t0 = time.perf_counter()
import boto3
boto3.client("dynamodb")
print(json.dumps({"total_ms": (time.perf_counter() - t0) * 1000, "import_ms": 0, "loaded": []}))
"""


def _environment(fn) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "TABLE_", "BUCKET_"))}
    parameters = load().get("Parameters", {})
    for key, value in fn.environment.items():
        ref = value.get("Ref") if isinstance(value, dict) else None
        default = parameters.get(ref, {}).get("Default") if ref else None
        env[key] = value if isinstance(value, str) else str(default) if default is not None else f"bench-{ref}"
    env.update({"AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                "POWERTOOLS_TRACE_DISABLED": "true", "PYTHONDONTWRITEBYTECODE": "1"})
    return env


def _run(code: str, env: dict[str, str]) -> dict:
    out = subprocess.run([lambda_python(), "-c", code], capture_output=True, text=True, env=env, check=True,
                         cwd="/")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(runs: int = 7) -> dict:
    """Median of `runs` fresh interpreters per function (7 in `make bench`)."""
    floor_env = {**os.environ, "AWS_DEFAULT_REGION": "eu-west-1"}
    floor = [_run(_FLOOR, floor_env)["total_ms"] for _ in range(runs)]
    floor_ms = statistics.median(floor)
    version = subprocess.run([lambda_python(), "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    results = {"floor_ms": round(floor_ms, 1), "runs": runs, "python": version, "functions": {}}
    for logical_id, fn in sorted(functions().items()):
        module, attr = fn.handler.rsplit(".", 1)
        probe = _PROBE.format(code=str(fn.code_uri), layer=str(CORE_LAYER),
                              path=str(fn.code_uri / f"{module}.py"), attr=attr)
        try:
            samples = [_run(probe, _environment(fn)) for _ in range(runs)]
        except subprocess.CalledProcessError as exc:
            results["functions"][logical_id] = {"error": exc.stderr.strip().splitlines()[-1][:200]}
            continue
        total = statistics.median(s["total_ms"] for s in samples)
        results["functions"][logical_id] = {
            "median_ms": round(total, 1), "ratio_to_floor": round(total / floor_ms, 2),
            "loaded": samples[-1]["loaded"], "code_bytes": _size(fn.code_uri),
        }
    return results


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=1))
