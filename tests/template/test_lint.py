"""template.yaml passes AWS's own linters, offline (a region, no credentials, no telemetry)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("command", [["cfn-lint", "template.yaml"], ["sam", "validate", "--lint"]],
                         ids=["cfn-lint", "sam-validate-lint"])
def test_template_is_lint_clean(command):
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "eu-west-1"),
           "SAM_CLI_TELEMETRY": "0"}
    result = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
