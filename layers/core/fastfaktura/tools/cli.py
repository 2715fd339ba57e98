"""The `fastfaktura` command: the docker-free local stack (`dev`), tenants and keys (`create-business`,
`create-key`, `revoke-key`), one function run once (`invoke`), and the PDF and OpenAPI tools."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if not getattr(args, "run", None):
        _parser().print_help()
        return 2
    try:
        return args.run(args) or 0
    except Exception as exc:
        from fastfaktura.domain.errors import FastFakturaError

        if isinstance(exc, FastFakturaError):
            print(f"fastfaktura {args.command}: {exc.message}", file=sys.stderr)
            return 1
        raise


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fastfaktura", description=__doc__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    dev = commands.add_parser("dev", help="run the API, DynamoDB Local, S3/SES/SNS/SQS, the stream and the "
                              "webhook deliveries locally")
    dev.add_argument("--port", type=int, default=3000, help="HTTP port on 127.0.0.1 (0 = any free port)")
    dev.add_argument("--persist", metavar="DIR", type=Path,
                     help="keep the database in DIR across restarts (default: in memory)")
    dev.add_argument("--fast-retries", action="store_true",
                     help="compress every webhook retry delay and window by 3600 (an hour in a second): the "
                          "retries after 1 min, 5 min, 30 min, … come within seconds, and an endpoint failing "
                          "for 3 days (72 s) is disabled")
    _state_dir_option(dev)
    dev.set_defaults(run=run_dev)

    business = commands.add_parser("create-business", help="create a business and print its first API key")
    business.add_argument("--name", required=True)
    business.add_argument("--live", action="store_true", help="a live business (ffk_live_ keys); default sandbox")
    business.add_argument("--country", default="FR", help="ISO 3166-1 alpha-2 (default FR)")
    business.add_argument("--locale", default="fr", help="fr, en, nb or sv (default fr)")
    _target_options(business)
    business.set_defaults(run=run_create_business)

    key = commands.add_parser("create-key", help="add an API key to a business and print it")
    key.add_argument("--business", required=True, metavar="ID")
    _target_options(key)
    key.set_defaults(run=run_create_key)

    revoke = commands.add_parser("revoke-key", help="revoke an API key (refused within 60 s)")
    revoke.add_argument("key", metavar="KEY_PREFIX_OR_ID", help="the key, or its first 16 characters")
    _target_options(revoke)
    revoke.set_defaults(run=run_revoke_key)

    index = commands.add_parser("index-clients", help="write the search postings of every client of the given "
                                "businesses (clients stored before the search index; rerunnable)")
    index.add_argument("--business", required=True, nargs="+", metavar="ID")
    _target_options(index)
    index.set_defaults(run=run_index_clients)

    invoke = commands.add_parser("invoke", help="run one function of template.yaml once against the local stack")
    invoke.add_argument("function", metavar="FUNCTION_LOGICAL_ID")
    invoke.add_argument("--event", metavar="FILE", help="the event (JSON file, - for stdin); "
                        "scheduled functions get a schedule event without it")
    invoke.add_argument("--local", action="store_true", required=True, help="against the running local stack")
    _state_dir_option(invoke)
    invoke.set_defaults(run=run_invoke)

    pdf = commands.add_parser("render-pdf", help="render a PDF (plain or Factur-X) or an e-invoice (UBL, CII) from an "
                                                  "invoice JSON document, without AWS")
    pdf.add_argument("input", metavar="INVOICE.json", help='{"business": {…}, "client": {…}, "invoice": {…}}')
    pdf.add_argument("-o", "--output", required=True, metavar="OUT")
    pdf.add_argument("--format", choices=("pdf", "facturx", "ubl", "cii"), default="pdf",
                     help="pdf (default), facturx (PDF/A-3B with its CII), ubl or cii")
    pdf.add_argument("--repeat", type=int, default=0, metavar="N",
                     help='render N times and print {"median_ms", "pages", "bytes"}')
    pdf.set_defaults(run=_delegate("fastfaktura.tools.render_pdf"))

    validate = commands.add_parser("validate", help="check e-invoices (UBL, CII or Factur-X PDF) by the official "
                                                     "rules, offline (dev extra)")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--warnings", action="store_true", help="also print the rules that only warn")
    validate.set_defaults(run=_delegate("fastfaktura.tools.einvoice_validate"))

    openapi = commands.add_parser("openapi", help="write the OpenAPI 3.1 document of the API")
    openapi.add_argument("-o", "--output", metavar="FILE", help="the file to write (default: stdout)")
    openapi.set_defaults(run=_delegate("fastfaktura.tools.openapi"))
    return parser


def _state_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state-dir", type=Path, metavar="DIR",
                        help="where local.json is (default: .fastfaktura/ of the repository, or "
                             "$FASTFAKTURA_STATE_DIR)")


def _target_options(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--local", action="store_true", help="against the running local stack")
    target.add_argument("--stack", metavar="STACK_NAME", help="against a deployed stack (its TableName output)")
    _state_dir_option(parser)


def _delegate(module_name: str):
    """A subcommand whose work lives in another module, imported only when that command runs."""

    def run(args: argparse.Namespace) -> int:
        return importlib.import_module(module_name).main(args) or 0

    return run


# --- dev

def run_dev(args: argparse.Namespace) -> int:
    from fastfaktura.devstack.stack import DevStack, state_dir

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("fastfaktura.devstack").setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)     # moto's server logs every request
    warnings.filterwarnings("ignore", message="No application metrics to publish")     # metrics are off
    for stop_signal in (signal.SIGINT, signal.SIGTERM):     # also when started with SIGINT ignored (`cmd &`)
        signal.signal(stop_signal, _interrupt)
    stack = DevStack(port=args.port, persist_dir=args.persist, state_dir=state_dir(args.state_dir),
                     fast_retries=args.fast_retries)
    try:
        stack.start()
        print(stack.banner(), flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)    # a second Ctrl-C must not cut the clean-up short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        print("Stopped.", file=sys.stderr, flush=True)
    return 0


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


# --- tenants and keys

def _connect(args: argparse.Namespace) -> None:
    """Points this process at the local stack (`--local`) or at a deployed stack's table (`--stack`)."""
    if args.local:
        from fastfaktura.devstack.stack import Endpoints, apply_environment, environment, state_dir

        endpoints = Endpoints.read(state_dir(args.state_dir))
        apply_environment(environment(endpoints))
        _check_reachable(endpoints)
        return
    import boto3

    from fastfaktura import settings
    from fastfaktura.store import db

    stack = boto3.client("cloudformation").describe_stacks(StackName=args.stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    if "TableName" not in outputs:
        raise SystemExit(f"Stack {args.stack} has no TableName output.")
    os.environ["TABLE_NAME"] = outputs["TableName"]
    settings.get.cache_clear()
    db.client.cache_clear()


def _check_reachable(endpoints) -> None:
    import botocore.exceptions

    from fastfaktura.store import db

    try:
        db.client().describe_table(TableName=endpoints.table)
    except (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionClosedError) as exc:
        raise SystemExit(f"The local stack does not answer at {endpoints.dynamodb}: is `make dev` running?") from exc


def run_create_business(args: argparse.Namespace) -> int:
    _connect(args)
    from fastfaktura.services.business import create_business

    created = create_business(args.name, sandbox=not args.live, country=args.country, locale=args.locale)
    print(json.dumps({"business_id": created.business.id, "api_key": created.api_key}))
    return 0


def run_create_key(args: argparse.Namespace) -> int:
    _connect(args)
    from fastfaktura.services.business import create_api_key

    print(json.dumps({"business_id": args.business, "api_key": create_api_key(args.business)}))
    return 0


def run_revoke_key(args: argparse.Namespace) -> int:
    _connect(args)
    from fastfaktura.services.business import revoke_api_key

    print(json.dumps({"revoked": revoke_api_key(args.key)}))
    return 0


def run_index_clients(args: argparse.Namespace) -> int:
    """One Query of each business's clients, one transaction per client (`store.clients.index_business`)."""
    _connect(args)
    from fastfaktura.store.clients import index_business

    for business_id in args.business:
        print(json.dumps({"business_id": business_id, "clients_indexed": index_business(business_id)}), flush=True)
    return 0


# --- invoke

def run_invoke(args: argparse.Namespace) -> int:
    from fastfaktura.devstack import runtime
    from fastfaktura.devstack.stack import Endpoints, apply_environment, environment, schedule_event, state_dir
    from fastfaktura.tools.template import functions

    known = functions()
    if args.function not in known:
        raise SystemExit(f"No function {args.function} in template.yaml; one of: {', '.join(sorted(known))}")
    function = known[args.function]
    endpoints = Endpoints.read(state_dir(args.state_dir))
    apply_environment(environment(endpoints))
    if args.event:
        event = json.loads(sys.stdin.read() if args.event == "-" else Path(args.event).read_text(encoding="utf-8"))
    else:
        event = schedule_event(function, endpoints.region)
        if event is None:
            raise SystemExit(f"{args.function} has no Schedule or ScheduleV2 event: give one with --event FILE "
                             "(see events/).")
    result = runtime.invoke(function, event)
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
