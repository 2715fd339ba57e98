"""What SAM deploys from template.yaml, checked in-process with aws-sam-translator: every HTTP API route
reaches a function whose handler imports as Lambda would load it, and every route of the contract is there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from tests.helpers.sam import deployed_routes, translated

ROOT = Path(__file__).resolve().parents[2]

CONTRACT_ROUTES = {
    # The 13 endpoints of the seed page
    ("GET", "/api/v1/business"), ("PUT", "/api/v1/business"),
    ("GET", "/api/v1/clients"), ("POST", "/api/v1/clients"), ("GET", "/api/v1/clients/{id}"),
    ("PUT", "/api/v1/clients/{id}"), ("DELETE", "/api/v1/clients/{id}"),
    ("GET", "/api/v1/invoices"), ("POST", "/api/v1/invoices"), ("GET", "/api/v1/invoices/{id}"),
    ("GET", "/api/v1/invoices/{id}/pdf"), ("POST", "/api/v1/invoices/{id}/send"),
    ("GET", "/api/v1/invoices/{id}/events"),
    # The contract's extensions, the public page, the webhook and the OpenAPI document
    ("POST", "/api/v1/invoices/{id}/cancel"), ("POST", "/api/v1/invoices/{id}/mark-paid"),
    ("GET", "/i/{token}"), ("GET", "/i/{token}/pdf"), ("POST", "/i/{token}/pay"),
    ("POST", "/webhooks/stripe"), ("GET", "/api/v1/openapi.json"),
}


def test_every_route_of_the_contract_is_deployed():
    missing = CONTRACT_ROUTES - set(deployed_routes())
    assert not missing, f"routes of the contract missing from template.yaml: {sorted(missing)}"


def test_unknown_routes_go_to_the_default_route_function():
    assert deployed_routes()[("ANY", "$default")] == "DefaultRouteFunction"


def test_every_route_is_an_http_api_payload_v2_lambda_proxy():
    body = translated()["Resources"]["HttpApi"]["Properties"]["Body"]
    for path, item in body["paths"].items():
        for operation in item.values():
            integration = operation["x-amazon-apigateway-integration"]
            assert (integration["type"], integration["payloadFormatVersion"]) == ("aws_proxy", "2.0"), path


def test_the_local_stack_routes_exactly_what_sam_deploys():
    from fastfaktura.tools.template import routes

    local = {(r.method, r.path): r.function_id for r in routes()}
    assert local == deployed_routes()


# A function's code may use its own folder, the core layer and the deps layer; not the dev stack
# (the layer build drops fastfaktura.devstack), not the tools and not dev-only packages.
_IMPORT_PROBE = r"""
import importlib.abc, importlib.util, json, sys

FORBIDDEN = ("fastfaktura.devstack", "fastfaktura.tools", "moto", "pytest", "yaml", "samtranslator", "tests")

class Forbid(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
            raise ImportError(f"{name} is not available in Lambda")
        return None

sys.meta_path.insert(0, Forbid())
results = {}
for function_id, code_dir, handler in json.loads(sys.argv[1]):
    module_name, attribute = handler.rsplit(".", 1)
    sys.path.insert(0, code_dir)
    try:
        spec = importlib.util.spec_from_file_location(f"handler_{function_id}",
                                                      f"{code_dir}/{module_name.replace('.', '/')}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        results[function_id] = "ok" if callable(getattr(module, attribute, None)) else f"no callable {attribute}"
    except Exception as exc:
        results[function_id] = f"{type(exc).__name__}: {exc}"
    finally:
        sys.path.remove(code_dir)
print(json.dumps(results))
"""


@cache
def import_results() -> dict[str, str]:
    """Each function's handler, imported in a fresh interpreter whose path is what Lambda gives it:
    the function's code, the core layer's package and the dependencies (the venv standing in for the
    deps layer), with the function's environment."""
    resources = translated()["Resources"]
    functions = []
    for function_id, resource in resources.items():
        if resource["Type"] == "AWS::Lambda::Function":
            props = resource["Properties"]
            functions.append((function_id, str(ROOT / props["Code"]["S3Key"]), props["Handler"]))
    layers = {r["Properties"]["LayerName"]: ROOT / r["Properties"]["Content"]["S3Key"]
              for r in resources.values() if r["Type"] == "AWS::Lambda::LayerVersion"}
    env = {**os.environ, "PYTHONPATH": str(layers["CoreLayer"]), "TABLE_NAME": "fastfaktura",
           "BUCKET_NAME": "fastfaktura-pdfs", "SENDER_EMAIL": "invoices@example.com",
           "PUBLIC_BASE_URL": "https://pay.example.com", "STAGE": "dev", "AWS_DEFAULT_REGION": "eu-west-1",
           "POWERTOOLS_SERVICE_NAME": "fastfaktura", "POWERTOOLS_TRACE_DISABLED": "true"}
    result = subprocess.run([sys.executable, "-c", _IMPORT_PROBE, json.dumps(functions)], env=env,
                            capture_output=True, text=True, timeout=300, cwd="/")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("method", "path"), sorted(CONTRACT_ROUTES | {("ANY", "$default")}),
                         ids=lambda value: value)
def test_route_handler_imports_and_exists(method, path):
    function_id = deployed_routes()[(method, path)]
    assert import_results()[function_id] == "ok", f"{method} {path} → {function_id}: {import_results()[function_id]}"


def test_every_function_of_the_template_has_a_handler_that_imports():
    broken = {fid: outcome for fid, outcome in import_results().items() if outcome != "ok"}
    assert not broken, broken
