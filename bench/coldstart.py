"""Cold start per function: a fresh interpreter imports the handler module as Lambda would (its
CodeUri and the layers on sys.path, the template's environment) and creates the clients it uses;
median of N runs, beside the floor `import boto3; boto3.client("dynamodb")`.

The Tracer is enabled as the template ships it (`Tracing: Active`): the probe runs with the
environment Lambda gives a function (AWS_LAMBDA_FUNCTION_NAME, AWS_EXECUTION_ENV, LAMBDA_TASK_ROOT),
so Powertools loads aws_xray_sdk and patches botocore, as the code asks. Each function also gets its
peak RSS at the end of the cold start and, from one more run under `python -X importtime`, the ten
packages whose modules took the most import time (self time summed per top-level package).

Wall clock and CPU time are both kept: on a machine shared with other work the wall clock swings
with the load average while the process's CPU time barely moves, so the verdict uses the CPU ratio.

"Without bytecode": SAM's default python builder unpacks wheels without compiling them, and Lambda's
/opt is read-only, so every cold start would compile those modules from source. A few functions are
measured that way (bytecode read from a separate cache, PYTHONPYCACHEPREFIX, that holds only the
stdlib's and boto3's) — why both layers' Makefiles compile bytecode at build time, so that the main
columns are what ships."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from fastfaktura.tools.template import ROOT, functions, load

CORE_LAYER = ROOT / "layers" / "core"
# The functions' view of the world: only the DepsLayer's requirements + boto3, as in Lambda
# (the dev venv also has awscrt & co., which botocore would load and Lambda's runtime has not).
LAMBDA_VENV = ROOT / ".venv-lambda"
LAMBDA_PYTHON = LAMBDA_VENV / "bin" / "python"


def lambda_python() -> str:
    """The functions' interpreter: this Python (the runtime's version, as `make install` picks it), rebuilt
    when an older venv was made with another version."""
    config = LAMBDA_VENV / "pyvenv.cfg"
    version = ".".join(map(str, sys.version_info[:2]))
    if config.exists() and not re.search(rf"^version(_info)? = {re.escape(version)}\.", config.read_text(), re.M):
        shutil.rmtree(LAMBDA_VENV)
    if not LAMBDA_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LAMBDA_VENV)], check=True)
        subprocess.run([str(LAMBDA_PYTHON), "-m", "pip", "install", "--quiet", "-r",
                        str(ROOT / "layers" / "deps" / "requirements.txt"), "boto3"], check=True)
    return str(LAMBDA_PYTHON)

_PROBE = r"""
import functools, importlib.util, json, sys, time
{peak_rss}
t0, c0 = time.perf_counter(), time.process_time()
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
t2, c2 = time.perf_counter(), time.process_time()
heavy = sorted(m for m in ("fpdf", "stripe", "babel", "phonenumbers", "pydantic", "email_validator", "aws_xray_sdk")
               if m in sys.modules)
if "aws_xray_sdk" in sys.modules:
    from aws_xray_sdk.core import patcher
    heavy.append("patched: " + "+".join(sorted(patcher._PATCHED_MODULES)))
print(json.dumps({{"import_ms": (t1 - t0) * 1000, "total_ms": (t2 - t0) * 1000, "cpu_ms": (c2 - c0) * 1000,
                   "loaded": heavy, "peak_rss_kb": peak_rss_kb()}}))
"""

# VmHWM, not getrusage's ru_maxrss: a child's ru_maxrss starts at its parent's RSS when forked.
_PEAK_RSS = """def peak_rss_kb():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))"""

_FLOOR = r"""
import json, time
""" + _PEAK_RSS + r"""
t0, c0 = time.perf_counter(), time.process_time()
import boto3
boto3.client("dynamodb")
print(json.dumps({"total_ms": (time.perf_counter() - t0) * 1000, "cpu_ms": (time.process_time() - c0) * 1000,
                  "import_ms": 0, "loaded": [], "peak_rss_kb": peak_rss_kb()}))
"""
# Earlier code measured again in every run, beside today's ("before"): where the cold-start work started,
# and the last commit before the functions' own router replaced Powertools' resolver.
BASELINES = {"26f1a92": "v1.0, where the cold-start work started",
             "7487adb": "v1.1 with Powertools' resolver, before the router"}
BASELINE_RUNS = 3
# Measured without bytecode too (a sample: the other functions differ by what they import, not by this).
AS_SHIPPED = ("BusinessGetFunction", "ClientsListFunction", "InvoicesCreateFunction", "InvoicesSendFunction")
AS_SHIPPED_RUNS = 5
# Every function is also measured with the template's `Tracing=Disabled` (what the X-Ray SDK costs each).
TRACING_OFF_RUNS = 3
# What the Lambda runtime brings compiled besides the stdlib.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "six.py")
# Not in the DepsLayer: the runtime's packages, and the venv's own tooling.
NOT_IN_DEPS_LAYER = (*RUNTIME_PACKAGES, "pip", "setuptools", "pkg_resources", "_distutils_hack",
                     "distutils-precedence.pth", "__pycache__")


def _environment(fn, tracing: bool = True, template: dict | None = None) -> dict[str, str]:
    """The template's environment for `fn`, as Lambda sets it: tracing on, as the template's `Tracing`
    parameter ships (Active), or off (`Tracing=Disabled`: POWERTOOLS_TRACE_DISABLED=true)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "TABLE_", "BUCKET_"))}
    parameters = (template or load()).get("Parameters", {})
    for key, value in fn.environment.items():
        ref = value.get("Ref") if isinstance(value, dict) else None
        default = parameters.get(ref, {}).get("Default") if ref else None
        placeholder = f"https://bench.invalid/{ref or key}" if key.endswith("_URL") else f"bench-{ref or key}"
        env[key] = value if isinstance(value, str) else str(default) if default is not None else placeholder
    env["POWERTOOLS_TRACE_DISABLED"] = "false" if tracing else "true"
    env.update({"AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                "AWS_LAMBDA_FUNCTION_NAME": fn.logical_id, "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
                "LAMBDA_TASK_ROOT": str(fn.code_uri), "PYTHONDONTWRITEBYTECODE": "1"})
    return env


def _site_packages() -> Path:
    return Path(subprocess.run([lambda_python(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())


def runtime_bytecode() -> Path:
    """A bytecode cache with only what Lambda's runtime has compiled: the stdlib and boto3 & co."""
    prefix = LAMBDA_VENV / "runtime-bytecode"
    if not (prefix / ".built").exists():
        stdlib = subprocess.run([lambda_python(), "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                                capture_output=True, text=True, check=True).stdout.strip()
        site = _site_packages()
        subprocess.run([lambda_python(), "-m", "compileall", "-q", "-x", r"/(test|tests|idlelib|tkinter|lib2to3)/",
                        stdlib, *(str(site / name) for name in RUNTIME_PACKAGES)],
                       env={**os.environ, "PYTHONPYCACHEPREFIX": str(prefix)}, check=False, capture_output=True)
        (prefix / ".built").write_text("")
    return prefix


def layer_sizes() -> dict[str, int]:
    """Unzipped bytes: the CoreLayer as its Makefile builds it (without fastfaktura/devstack), the
    DepsLayer as the requirements install here (x86_64 wheels; arm64's are of the same order)."""
    core = CORE_LAYER / "fastfaktura"
    deps = _site_packages()
    return {"CoreLayer": sum(_size(p) if p.is_dir() else p.stat().st_size for p in core.iterdir()
                             if p.name not in ("devstack", "__pycache__")),
            "DepsLayer": sum(_size(p) if p.is_dir() else p.stat().st_size for p in deps.iterdir()
                             if p.name not in NOT_IN_DEPS_LAYER and not p.name.startswith(RUNTIME_PACKAGES))}


# Where a cold start of an API function goes, step by step in the order a function loads them (CPU ms
# each, one fresh interpreter per run). The Tracer is enabled as in Lambda (Tracing: Active) and patches
# botocore only, as fastfaktura.observability creates it.
BREAKDOWN = [
    ("floor: import boto3, one DynamoDB client", "import boto3; boto3.client('dynamodb')"),
    ("pydantic (BaseModel and Field, as every model module imports them)", "from pydantic import BaseModel, Field"),
    ("Powertools Logger + Metrics", "from aws_lambda_powertools import Logger, Metrics; Logger(service='f'); "
                                    "Metrics(namespace='f')"),
    ("Powertools Tracer, enabled (aws_xray_sdk, botocore patched)",
     "from aws_lambda_powertools import Tracer; Tracer(service='f', patch_modules=('botocore',))"),
    ("fastfaktura.http.router (routing and validation by the handlers' annotations)", "import fastfaktura.http.router"),
    ("fastfaktura.http.api (the contract's errors, settings, common models)", "import fastfaktura.http.api"),
    ("fastfaktura models, services.auth, store", "import fastfaktura.services.auth, fastfaktura.services.business"),
    ("the handler module (routes, validation models)", "import importlib.util as u; "
     "s = u.spec_from_file_location('app', {app!r}); m = u.module_from_spec(s); s.loader.exec_module(m)"),
]
# What importing a module costs on top of the floor, each in a fresh interpreter (what a lazy import saves).
ALONE = ["email_validator", "phonenumbers", "babel.numbers", "requests", "stripe", "fpdf"]


def import_breakdown(runs: int) -> dict:
    """CPU ms per step of BusinessGetFunction's cold start (see BREAKDOWN), and per module of ALONE."""
    fn = functions()["BusinessGetFunction"]
    env = _environment(fn)
    lines = ["import json, sys, time", f"sys.path[:0] = [{str(fn.code_uri)!r}, {str(CORE_LAYER)!r}]", "out = []"]
    for name, statement in BREAKDOWN:
        lines += ["c = time.process_time()", statement.format(app=str(fn.handler_file)),
                  f"out.append(({name!r}, (time.process_time() - c) * 1000))"]
    lines.append("print(json.dumps(dict(out)))")
    samples = [_run("\n".join(lines), env) for _ in range(runs)]
    steps = {name: round(statistics.median(s[name] for s in samples), 1) for name, _ in BREAKDOWN}
    alone = {}
    for module in ALONE:
        probe = ("import json, time\nimport boto3; boto3.client('dynamodb')\nc = time.process_time()\n"
                 f"import {module}\nprint(json.dumps({{'cpu_ms': (time.process_time() - c) * 1000}}))")
        alone[module] = round(statistics.median(_run(probe, env)["cpu_ms"] for _ in range(min(runs, 5))), 1)
    return {"function": fn.logical_id, "steps_cpu_ms": steps, "total_cpu_ms": round(sum(steps.values()), 1),
            "alone_cpu_ms": alone}


def import_time_top(probe: str, env: dict[str, str], top: int = 10) -> dict[str, float]:
    """`python -X importtime` of one cold start: self time (ms) summed per top-level package, the `top` largest."""
    out = subprocess.run([lambda_python(), "-X", "importtime", "-c", probe], capture_output=True, text=True, env=env,
                         check=True, cwd="/")
    per_package: dict[str, float] = {}
    for line in out.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \| ( *)(\S+)", line)
        if match:
            package = match.group(3).split(".")[0]
            per_package[package] = per_package.get(package, 0.0) + int(match.group(1)) / 1000
    ranked = sorted(per_package.items(), key=lambda item: -item[1])[:top]
    return {name: round(ms, 1) for name, ms in ranked}


def baseline(revision: str, floor_cpu: float, runs: int = BASELINE_RUNS) -> dict:
    """The same probe, in this run, on the code of `revision` (its template, handlers and core layer, from
    `git archive`): each function's CPU × floor then."""
    found: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="fastfaktura-baseline-") as tmp:
        root = Path(tmp)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive.stdout, check=True)
        template = load(root / "template.yaml")
        for logical_id, fn in sorted(functions(template).items()):
            then = dataclasses.replace(fn, code_uri=root / fn.code_uri.relative_to(ROOT))
            module, attr = fn.handler.rsplit(".", 1)
            probe = _PROBE.format(peak_rss=_PEAK_RSS, code=str(then.code_uri), layer=str(root / "layers" / "core"),
                                  path=str(then.code_uri / f"{module}.py"), attr=attr)
            try:
                cpu = statistics.median(_run(probe, _environment(then, template=template))["cpu_ms"]
                                        for _ in range(runs))
            except subprocess.CalledProcessError as exc:
                found[logical_id] = {"error": exc.stderr.strip().splitlines()[-1][:200]}
                continue
            found[logical_id] = {"cpu_ms": round(cpu, 1), "cpu_ratio_to_floor": round(cpu / floor_cpu, 2)}
    return {"revision": revision, "what": BASELINES.get(revision, ""), "runs": runs, "functions": found}


def _run(code: str, env: dict[str, str]) -> dict:
    out = subprocess.run([lambda_python(), "-c", code], capture_output=True, text=True, env=env, check=True,
                         cwd="/")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(runs: int = 7) -> dict:
    """Median of `runs` fresh interpreters per function (7 in `make bench`)."""
    load_before = os.getloadavg()[0]
    floor_env = {**os.environ, "AWS_DEFAULT_REGION": "eu-west-1"}
    floor = [_run(_FLOOR, floor_env) for _ in range(runs)]
    floor_ms = statistics.median(f["total_ms"] for f in floor)
    floor_cpu = statistics.median(f["cpu_ms"] for f in floor)
    version = subprocess.run([lambda_python(), "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    shipped_cache = runtime_bytecode()
    results = {"floor_ms": round(floor_ms, 1), "floor_cpu_ms": round(floor_cpu, 1), "runs": runs, "python": version,
               "floor_peak_rss_mb": round(statistics.median(f["peak_rss_kb"] for f in floor) / 1024, 1),
               "tracing": "enabled, botocore patched",
               "layers_bytes": layer_sizes(), "functions": {}}
    for logical_id, fn in sorted(functions().items()):
        module, attr = fn.handler.rsplit(".", 1)
        probe = _PROBE.format(peak_rss=_PEAK_RSS, code=str(fn.code_uri), layer=str(CORE_LAYER),
                              path=str(fn.code_uri / f"{module}.py"), attr=attr)
        try:
            samples = [_run(probe, _environment(fn)) for _ in range(runs)]
            shipped = [_run(probe, {**_environment(fn), "PYTHONPYCACHEPREFIX": str(shipped_cache)})
                       for _ in range(AS_SHIPPED_RUNS)] if logical_id in AS_SHIPPED else []
            untraced = [_run(probe, _environment(fn, tracing=False)) for _ in range(TRACING_OFF_RUNS)]
        except subprocess.CalledProcessError as exc:
            results["functions"][logical_id] = {"error": exc.stderr.strip().splitlines()[-1][:200]}
            continue
        total = statistics.median(s["total_ms"] for s in samples)
        cpu = statistics.median(s["cpu_ms"] for s in samples)
        results["functions"][logical_id] = {
            "median_ms": round(total, 1), "ratio_to_floor": round(total / floor_ms, 2),
            "cpu_ms": round(cpu, 1), "cpu_ratio_to_floor": round(cpu / floor_cpu, 2),
            "loaded": samples[-1]["loaded"], "code_bytes": _size(fn.code_uri),
            "peak_rss_mb": round(statistics.median(s["peak_rss_kb"] for s in samples) / 1024, 1),
            "import_time_top_ms": import_time_top(probe, _environment(fn)),
        }
        untraced_cpu = statistics.median(s["cpu_ms"] for s in untraced)
        results["functions"][logical_id].update(
            tracing_off_cpu_ms=round(untraced_cpu, 1), tracing_off_cpu_ratio=round(untraced_cpu / floor_cpu, 2))
        if shipped:
            shipped_cpu = statistics.median(s["cpu_ms"] for s in shipped)
            results["functions"][logical_id].update(
                as_shipped_ms=round(statistics.median(s["total_ms"] for s in shipped), 1),
                as_shipped_cpu_ms=round(shipped_cpu, 1), as_shipped_cpu_ratio=round(shipped_cpu / floor_cpu, 2))
    results["before"] = [baseline(revision, floor_cpu) for revision in BASELINES]
    results["import_breakdown"] = import_breakdown(runs)
    results["load_average"] = {"before": round(load_before, 1), "after": round(os.getloadavg()[0], 1)}
    return results


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=1))
