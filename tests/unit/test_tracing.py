"""The template's Tracing parameter: disabled, a cold start never imports the X-Ray SDK; enabled (as
Lambda runs a function with Tracing: Active), Powertools' Tracer traces it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "layers" / "core"
_PROBE = """
import json, sys
from fastfaktura.observability import tracer
print(json.dumps({"xray": "aws_xray_sdk" in sys.modules, "tracer": type(tracer).__name__,
                  "decorates": callable(tracer.capture_lambda_handler(capture_response=False)(len))}))
"""


def _cold_start(trace_disabled: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(CORE), "AWS_DEFAULT_REGION": "eu-west-1",
           "AWS_LAMBDA_FUNCTION_NAME": "BusinessGetFunction", "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
           "LAMBDA_TASK_ROOT": str(CORE),
           "POWERTOOLS_TRACE_DISABLED": trace_disabled}
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True,
                         cwd="/", timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("value", ["true", "TRUE", "1"])
def test_tracing_disabled_never_imports_the_xray_sdk(value):
    assert _cold_start(value) == {"xray": False, "tracer": "Untraced", "decorates": True}


def test_tracing_enabled_is_powertools_tracer():
    assert _cold_start("false") == {"xray": True, "tracer": "Tracer", "decorates": True}
