"""The arrows between the rooms (README's Architecture section), checked on the code rather than
trusted to review.

1. Between the rooms of the `fastfaktura` package and the functions, from each module's imports as
   written (ast; imports inside functions, the lazy ones, count too): arrows point down only; nothing
   imports the dev stack (`devstack`) but itself and the `fastfaktura` command's lazy `dev`/`invoke`,
   and only the dev stack imports the tools (`tools`). No code calls a DynamoDB Scan. Only `settings` (and the
   dev stack and tools) reads the environment.
2. Third-party packages stay in their rooms: the AWS SDK in store and delivery, fpdf2 in pdf, stripe
   in payments; domain is pure (the standard library and models only).
3. Per Lambda function of template.yaml: a separate interpreter imports the handler (what a cold start
   pays: sys.modules tells) and no function loads fpdf2 (it is imported when a PDF is rendered) nor,
   but the payment functions, stripe; and the static closure of everything a function may ever import
   reaches fpdf2 only from the PDF functions and stripe only from the payment functions.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from fastfaktura.tools.template import ROOT, functions

PACKAGE_DIR = ROOT / "layers" / "core"
FUNCTIONS_DIR = ROOT / "functions"

# Each room (a subpackage of fastfaktura, or the functions) → the modules it may import besides its own
# room, as dotted prefixes. "devstack" and "tools" are in nobody's list: no room of the functions imports them.
# `settings` imports nothing of ours and every room may import it.
EVERYONE = ("fastfaktura.settings",)
ALLOWED: dict[str, tuple[str, ...]] = {
    "functions": ("fastfaktura.http", "fastfaktura.web", "fastfaktura.models", "fastfaktura.services",
                  "fastfaktura.payments.settings", "fastfaktura.observability", "fastfaktura.batch"),
    "services": ("fastfaktura.domain", "fastfaktura.store", "fastfaktura.models", "fastfaktura.pdf",
                 "fastfaktura.delivery", "fastfaktura.payments", "fastfaktura.timeline", "fastfaktura.webhooks",
                 "fastfaktura.observability", "fastfaktura.powertools_adapter", "fastfaktura.i18n",
                 "fastfaktura.einvoice"),
    "store": ("fastfaktura.domain", "fastfaktura.models", "fastfaktura.observability"),
    "domain": ("fastfaktura.models",),
    "models": (),
    "http": ("fastfaktura.models", "fastfaktura.domain.errors", "fastfaktura.observability",
             "fastfaktura.powertools_adapter"),
    # The public HTML pages: http's twin for browsers.
    "web": ("fastfaktura.http", "fastfaktura.models", "fastfaktura.domain.errors", "fastfaktura.observability",
            "fastfaktura.i18n"),
    # Not the pydantic models: the renderer runs without. The Factur-X XMP packet (standard library only).
    "pdf": ("fastfaktura.i18n", "fastfaktura.models.locales", "fastfaktura.einvoice.facturx_xmp"),
    "delivery": ("fastfaktura.i18n",),
    "payments": ("fastfaktura.domain.errors", "fastfaktura.observability", "fastfaktura.i18n"),
    # Every user-facing text and format.
    "i18n": ("fastfaktura.models",),
    # Stream records → events: reads the keys' shapes, never the table.
    "timeline": ("fastfaktura.models", "fastfaktura.domain", "fastfaktura.store.keys"),
    # Outbound webhooks: the timeline's derivation, the keys' shapes and the error hierarchy; no AWS.
    "webhooks": ("fastfaktura.models", "fastfaktura.domain.errors", "fastfaktura.store.keys", "fastfaktura.timeline"),
    "observability": (),
    # The handler of the functions fed in batches (the stream's, the queue's): http's twin for records.
    "batch": ("fastfaktura.observability",),
    "settings": (),
    # Every Powertools API that Powertools does not call public, behind one door.
    "powertools_adapter": (),
    # The emulator; and the tools that serve a deployed stack too (the CLI, the template reader, the
    # OpenAPI generator). Both may import any room; see the tests of who may import them.
    "devstack": ("fastfaktura",),
    "tools": ("fastfaktura",),
    # E-invoices: the EN 16931 model and its writers, on the invoice's money rules; the builder reads our
    # records' identifiers, code lists and the texts of the French notes.
    "einvoice": ("fastfaktura.domain.money", "fastfaktura.domain.identifiers", "fastfaktura.models.codes",
                 "fastfaktura.i18n"),
}

# The one module outside the dev stack that imports it, lazily: the `fastfaktura` command's `dev`,
# `invoke` and `--local`.
DEV_STACK_COMMAND = "fastfaktura.tools.cli"

# Third-party top-level packages → the rooms that may import them.
CONFINED: dict[str, frozenset[str]] = {
    "boto3": frozenset({"store", "delivery", "devstack", "tools"}),
    "botocore": frozenset({"store", "delivery", "devstack", "tools"}),
    "fpdf": frozenset({"pdf"}),
    "fontTools": frozenset({"pdf"}),
    "stripe": frozenset({"payments"}),
    "lxml": frozenset({"einvoice", "tools"}),
    "saxonche": frozenset({"tools"}),
    "facturx": frozenset({"tools"}),
}

PDF_FUNCTIONS = frozenset({"invoices_pdf", "public_pdf", "invoices_send",  # send attaches the PDF to emails
                           "credit_notes_pdf"})
PAYMENT_FUNCTIONS = frozenset({"public_pay", "stripe_webhook", "credit_notes_create"})  # a credit note may refund
# Of those, the ones whose every request calls Stripe: only they load it at the cold start (a credit note
# loads it when it asks for a refund).
STRIPE_AT_COLD_START = frozenset({"public_pay", "stripe_webhook"})
# The functions that write e-invoice XML (the files, the Factur-X PDFs and the email attaching both): lxml.
XML_FUNCTIONS = frozenset({"invoices_ubl", "invoices_cii", "credit_notes_ubl", "credit_notes_cii"}) | PDF_FUNCTIONS


@dataclass(frozen=True)
class Import:
    module: str  # as resolved: a module of ours (dotted name) or a third-party top-level package
    line: int
    lazy: bool  # inside a function body: paid when the function runs, not at import


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    room: str

    @property
    def imports(self) -> tuple[Import, ...]:
        return _imports(self.name, self.path)


@cache
def our_modules() -> dict[str, Module]:
    """Every module of the package and every function's handler, by dotted name."""
    found = {}
    for path in sorted((PACKAGE_DIR / "fastfaktura").rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        found[name] = Module(name, path, parts[1] if len(parts) > 1 else "fastfaktura")
    for path in sorted(FUNCTIONS_DIR.glob("*/*.py")):
        name = f"functions.{path.parent.name}.{path.stem}"
        found[name] = Module(name, path, "functions")
    return found


def _resolve(name: str) -> str:
    """A dotted import target → the module of ours it loads, or the third-party top-level package."""
    if name.split(".")[0] != "fastfaktura":
        return name.split(".")[0]
    while name not in our_modules():  # `from fastfaktura.x import SomeClass`: the module is fastfaktura.x
        name = name.rpartition(".")[0]
    return name


@cache
def _imports(module_name: str, path: Path) -> tuple[Import, ...]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lazy_lines = {node.lineno for func in ast.walk(tree) if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
                  for node in ast.walk(func) if isinstance(node, ast.Import | ast.ImportFrom)}
    package = module_name if path.name == "__init__.py" else module_name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from package import module` imports the module; `from module import name` the module.
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [Import(_resolve(target), node.lineno, node.lineno in lazy_lines) for target in targets]
    return tuple(found)


def _ours(name: str) -> bool:
    return name in our_modules()


def _parents(name: str) -> Iterator[str]:
    """Importing a.b.c runs a/__init__ and a/b/__init__ first."""
    parts = name.split(".")
    for end in range(1, len(parts)):
        parent = ".".join(parts[:end])
        if _ours(parent):
            yield parent


def closure(start: str, lazy: bool) -> tuple[set[str], set[str]]:
    """(modules of ours, third-party top-level packages) that importing `start` may load; with `lazy`,
    imports inside functions too (everything the module can ever load)."""
    seen, third_party, todo = set(), set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for item in our_modules()[name].imports:
            if item.lazy and not lazy:
                continue
            if _ours(item.module):
                todo += [item.module, *_parents(item.module)]
            else:
                third_party.add(item.module)
    return seen, third_party


def _allowed(room: str, target: Module) -> bool:
    return target.room == room or any(target.name == prefix or target.name.startswith(prefix + ".")
                                      for prefix in (*ALLOWED[room], *EVERYONE))


# --- 1. arrows between rooms ----------------------------------------------------------------------

def test_every_room_of_the_package_has_its_rule():
    rooms = {module.room for module in our_modules().values()} - {"fastfaktura"}
    assert rooms - ALLOWED.keys() == set(), "a new room: give it its arrows here and in README's Architecture"


def test_imports_point_down_only():
    wrong = []
    for module in our_modules().values():
        for item in module.imports:
            target = our_modules().get(item.module)
            if target is not None and target.room != "fastfaktura" and not _allowed(module.room, target):
                wrong.append(f"{module.path.relative_to(ROOT)}:{item.line} ({module.room}) imports {item.module}")
    assert not wrong, "\n".join(wrong)


def _importers(room: str) -> list[tuple[Module, Import]]:
    """Every import of a module of `room` by a module of another room."""
    return [(module, item) for module in our_modules().values() if module.room != room
            for item in module.imports if item.module in our_modules() and our_modules()[item.module].room == room]


def test_nothing_imports_the_dev_stack_but_itself_and_the_command_lazily():
    wrong = [f"{module.name}:{item.line} imports {item.module}" for module, item in _importers("devstack")
             if not (module.name == DEV_STACK_COMMAND and item.lazy)]
    assert not wrong, "\n".join(sorted(wrong))


def test_only_the_dev_stack_imports_the_tools():
    wrong = [f"{module.name}:{item.line} ({module.room}) imports {item.module}"
             for module, item in _importers("tools") if module.room != "devstack"]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_dynamodb_scan_anywhere():
    """Every access pattern is a GetItem, a Query or a transaction (docs/DATA_MODEL.md): a Scan reads
    every business's items, so no code of the package or the functions calls one (or a Scan paginator)."""
    def is_scan(node: ast.AST) -> bool:  # client.scan(…) or client.get_paginator("scan")
        return (isinstance(node, ast.Attribute) and node.attr == "scan") or (
            isinstance(node, ast.Constant) and node.value == "scan")

    wrong = [f"{module.path.relative_to(ROOT)}:{node.lineno}" for module in our_modules().values()
             for node in ast.walk(ast.parse(module.path.read_text(encoding="utf-8"))) if is_scan(node)]
    assert not wrong, "\n".join(wrong)


def test_only_settings_reads_the_environment():
    """A variable read at call time is a 500 at the first request instead of a failed cold start: every
    variable goes through `fastfaktura.settings` (the dev stack and the tools, which set them, aside)."""
    def reads_environment(node: ast.AST) -> bool:  # os.environ, os.getenv, `from os import environ`
        return (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb")) or (
            isinstance(node, ast.ImportFrom) and node.module == "os"
            and any(alias.name in ("environ", "getenv", "environb") for alias in node.names))

    wrong = [f"{module.path.relative_to(ROOT)}:{node.lineno}" for module in our_modules().values()
             if module.room not in ("settings", "devstack", "tools")
             for node in ast.walk(ast.parse(module.path.read_text(encoding="utf-8"))) if reads_environment(node)]
    assert not wrong, "read the environment through fastfaktura.settings:\n" + "\n".join(wrong)


# --- 2. third-party packages in their rooms ---------------------------------------------------------

def test_third_party_packages_stay_in_their_rooms():
    wrong = [f"{module.path.relative_to(ROOT)}:{item.line} ({module.room}) imports {item.module}"
             for module in our_modules().values() for item in module.imports
             if item.module in CONFINED and module.room not in CONFINED[item.module]]
    assert not wrong, "\n".join(wrong)


def test_the_domain_is_pure():
    """No AWS, no HTTP, no third-party library: rules that run anywhere and test without mocks."""
    wrong = [f"{module.name}:{item.line} imports {item.module}" for module in our_modules().values()
             if module.room == "domain" for item in module.imports
             if not _ours(item.module) and item.module not in sys.stdlib_module_names and item.module != "__future__"]
    assert not wrong, "\n".join(wrong)


# --- 3. what each Lambda function loads ---------------------------------------------------------------

def _function_dirs() -> dict[str, str]:
    """Template logical id → the function's folder name (functions/<name>/)."""
    return {logical_id: function.code_uri.name for logical_id, function in functions().items()}


def _handler_module(logical_id: str) -> str:
    function = functions()[logical_id]
    return f"functions.{function.code_uri.name}.{function.handler.rsplit('.', 1)[0]}"


def test_the_pdf_and_payment_functions_named_here_exist():
    assert set(_function_dirs().values()) >= PDF_FUNCTIONS | PAYMENT_FUNCTIONS | XML_FUNCTIONS


@pytest.mark.parametrize("logical_id", sorted(functions()))
def test_a_function_can_reach_fpdf_and_stripe_only_if_it_is_a_pdf_or_payment_function(logical_id):
    folder = _function_dirs()[logical_id]
    _, third_party = closure(_handler_module(logical_id), lazy=True)
    assert ("fpdf" in third_party) == (folder in PDF_FUNCTIONS)
    assert ("stripe" in third_party) == (folder in PAYMENT_FUNCTIONS)
    assert ("lxml" in third_party) == (folder in XML_FUNCTIONS)


# One interpreter imports what every function shares (the resolver: Powertools, pydantic; boto3), then
# forks a child per function, all at once, that imports its handler: each child's sys.modules is what that
# function's cold start loads (the shared part holds neither fpdf2 nor stripe, which the test checks), at a
# fraction of the cost of one fresh interpreter per function.
_PROBE = """
import importlib, json, os, sys
sys.path.insert(0, sys.argv[1])
for shared_module in ("fastfaktura.http.api", "boto3"):
    importlib.import_module(shared_module)
shared = sorted(sys.modules)
children = {}
for folder, module in json.loads(sys.argv[2]).items():
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        try:
            sys.path.insert(0, folder)
            importlib.import_module(module)
            answer = json.dumps(sorted(sys.modules)).encode()
        except BaseException as exc:
            answer = json.dumps({"error": repr(exc)}).encode()
        with os.fdopen(writer, "wb") as out:
            out.write(answer)
        os._exit(0)
    os.close(writer)
    children[folder] = (pid, reader)
loaded = {}
for folder, (pid, reader) in children.items():
    with os.fdopen(reader, "rb") as answer:
        loaded[folder] = json.loads(answer.read())
    os.waitpid(pid, 0)
print(json.dumps({"shared": shared, "loaded": loaded}))
"""


@pytest.fixture(scope="module")
def cold_starts() -> dict:
    """sys.modules once each function's handler is imported, as Lambda imports it (its folder and the
    core layer on the path), by logical id; and what the probe shared between them."""
    handlers = {str(function.code_uri): function.handler.rsplit(".", 1)[0] for function in functions().values()}
    env = {**os.environ, "AWS_DEFAULT_REGION": "eu-west-1", "POWERTOOLS_TRACE_DISABLED": "true",
           "TABLE_NAME": "architecture-test"}
    answer = subprocess.run([sys.executable, "-c", _PROBE, str(PACKAGE_DIR), json.dumps(handlers)],
                            env=env, capture_output=True, text=True, timeout=300)
    assert answer.returncode == 0, answer.stderr
    found = json.loads(answer.stdout)
    return {"shared": set(found["shared"]),
            **{logical_id: found["loaded"][str(function.code_uri)] for logical_id, function in functions().items()}}


def test_what_the_probe_shares_between_functions_holds_neither_fpdf_nor_stripe(cold_starts):
    assert {"fpdf", "stripe"} & cold_starts["shared"] == set()


@pytest.mark.parametrize("logical_id", sorted(functions()))
def test_a_cold_start_loads_no_fpdf_and_stripe_only_where_every_request_needs_it(logical_id, cold_starts):
    loaded = cold_starts[logical_id]
    assert isinstance(loaded, list), loaded  # else the import failed: {"error": …}
    assert "app" in loaded
    assert "fpdf" not in loaded, "fpdf2 belongs to the first rendering, not to the cold start"
    assert "lxml" not in loaded, "lxml belongs to the first e-invoice written, not to the cold start"
    assert ("stripe" in loaded) == (_function_dirs()[logical_id] in STRIPE_AT_COLD_START)
    assert not [name for name in loaded if name.startswith(("fastfaktura.devstack", "fastfaktura.tools"))]
