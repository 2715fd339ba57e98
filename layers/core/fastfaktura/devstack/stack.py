"""The local stack's parts and their wiring: DynamoDB Local with the template's table, moto's server
for S3, SES, SNS, SSM and SQS (the template's queues), the environment the functions see, and
`.fastfaktura/local.json`."""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import secrets
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fastfaktura.devstack import runtime
from fastfaktura.tools.template import (
    ROOT,
    Function,
    functions,
    parameter_defaults,
    queue_functions,
    resolve,
    stream_function,
    stream_functions,
)

if TYPE_CHECKING:
    from moto.server import ThreadedMotoServer

    from fastfaktura.devstack.dynamodb import DynamoDBLocal
    from fastfaktura.devstack.server import ApiServer

log = logging.getLogger("fastfaktura.devstack")

TABLE_NAME = "fastfaktura-local"
BUCKET_NAME = "fastfaktura-local-pdfs"
STACK_NAME = "fastfaktura-local"
ACCOUNT_ID = "000000000000"
DEFAULT_STATE_DIR = ROOT / ".fastfaktura"
MOTO_SERVICES = ("S3", "SES", "SESV2", "SNS", "SSM", "SQS")
# Read from the developer's environment; everything else the functions see is set here.
# STRIPE_API_BASE points stripe at a local stand-in (e.g. stripe-mock) when set;
# BUSINESS_REQUESTS_PER_MINUTE stands for the template's BusinessRequestsPerMinute (a load test's).
STRIPE_SECRETS = {"STRIPE_TEST_SECRET_KEY": "StripeTestSecretKeyParameter",
                  "STRIPE_LIVE_SECRET_KEY": "StripeLiveSecretKeyParameter",
                  "STRIPE_TEST_WEBHOOK_SECRET": "StripeTestWebhookSecretParameter",
                  "STRIPE_LIVE_WEBHOOK_SECRET": "StripeLiveWebhookSecretParameter"}
PASSED_THROUGH = (*STRIPE_SECRETS, "STRIPE_API_BASE", "POWERTOOLS_LOG_LEVEL", "BUSINESS_REQUESTS_PER_MINUTE")


def state_dir(explicit: str | Path | None = None) -> Path:
    return Path(explicit or os.environ.get("FASTFAKTURA_STATE_DIR") or DEFAULT_STATE_DIR)


@dataclass
class Endpoints:
    """What `.fastfaktura/local.json` holds: where each part of a running stack listens."""

    api_base_url: str
    dynamodb: str
    moto: str
    region: str
    table: str
    bucket: str
    stream_arn: str
    sender_email: str
    sandbox_business_id: str = ""
    sandbox_api_key: str = ""
    pid: int = 0
    queues: dict[str, str] = field(default_factory=dict)  # the template's queues: logical id (.Arn, .QueueName) → …
    webhook_retry_scale: float = 1.0  # `--fast-retries`: every webhook retry delay and window × this

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "local.json"
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")
        return path

    @classmethod
    def read(cls, directory: Path) -> Endpoints:
        path = directory / "local.json"
        if not path.exists():
            raise SystemExit(f"No local stack is running ({path} is missing): start one with `make dev`.")
        return cls(**json.loads(path.read_text()))


# A fresh key per `fastfaktura dev`: cursors of an earlier run are refused, as after a key rotation.
_CURSOR_SIGNING_KEY = secrets.token_urlsafe(32)


def environment(endpoints: Endpoints) -> dict[str, str]:
    """The environment of every function, as template.yaml gives it (Globals and each function's
    Variables, with Refs resolved to the local resources), plus the endpoints of the local services,
    fake credentials and Powertools without X-Ray or CloudWatch."""
    parameters = {**parameter_defaults(), "PublicBaseUrl": endpoints.api_base_url,
                  "SenderEmail": endpoints.sender_email, "CursorSigningKey": _CURSOR_SIGNING_KEY}
    refs = {**parameters, **endpoints.queues, "Table": endpoints.table, "PdfBucket": endpoints.bucket,
            "Table.StreamArn": endpoints.stream_arn, "AWS::Region": endpoints.region,
            "AWS::AccountId": ACCOUNT_ID, "AWS::Partition": "aws", "AWS::StackName": STACK_NAME,
            "AWS::URLSuffix": "amazonaws.com"}
    env: dict[str, str] = {}
    for function in functions().values():
        for name, value in function.environment.items():
            resolved = str(resolve(value, refs))
            if env.get(name, resolved) != resolved:
                log.warning("%s differs between functions; the local stack runs them in one process "
                            "and uses %r", name, env[name])
            env.setdefault(name, resolved)
    env.update({
        "AWS_ENDPOINT_URL_DYNAMODB": endpoints.dynamodb,
        "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": endpoints.dynamodb,
        **{f"AWS_ENDPOINT_URL_{service}": endpoints.moto for service in MOTO_SERVICES},
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_REGION": endpoints.region, "AWS_DEFAULT_REGION": endpoints.region,
        "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
        # Sandbox webhook endpoints may be http://127.0.0.1:<port> here, and only here.
        "WEBHOOK_ALLOW_LOCAL_HTTP": "true", "WEBHOOK_RETRY_SCALE": repr(endpoints.webhook_retry_scale),
    })
    env.update({name: os.environ[name] for name in PASSED_THROUGH if os.environ.get(name)})
    return env


def apply_environment(env: dict[str, str]) -> None:
    """Points this process at the local stack (and away from any real AWS profile)."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        os.environ.pop(name, None)
    os.environ.update(env)
    from fastfaktura import settings
    from fastfaktura.store import db

    settings.get.cache_clear()
    db.client.cache_clear()


def default_region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "eu-west-1"


class MotoServer:
    """moto's threaded server (S3, SES, SNS, SSM, SQS) on a loopback port."""

    def __init__(self, port: int = 0):
        self.port = port
        self._server: ThreadedMotoServer | None = None

    def start(self) -> MotoServer:
        from moto.server import ThreadedMotoServer

        server = self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        server.start()
        self.port = server.get_host_and_port()[1]
        return self

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._server:
            with contextlib.suppress(Exception):
                self._server.stop()
            self._server = None


def prepare_moto(endpoints: Endpoints) -> None:
    """What the deployed stack has and moto starts without: the PDF bucket, the verified SES sender,
    and the Stripe secrets under the template's SSM parameter names (when they are set)."""
    import boto3

    session = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local",
                                    region_name=endpoints.region)

    def client(service: str):
        return session.client(service, endpoint_url=endpoints.moto)

    s3 = client("s3")
    if endpoints.region == "us-east-1":
        s3.create_bucket(Bucket=endpoints.bucket)
    else:
        s3.create_bucket(Bucket=endpoints.bucket,
                         CreateBucketConfiguration={"LocationConstraint": endpoints.region})
    client("ses").verify_email_identity(EmailAddress=endpoints.sender_email)
    client("sesv2").create_email_identity(EmailIdentity=endpoints.sender_email)
    parameters = parameter_defaults()
    for variable, parameter in STRIPE_SECRETS.items():
        if os.environ.get(variable) and parameters.get(parameter):
            client("ssm").put_parameter(Name=parameters[parameter], Value=os.environ[variable],
                                        Type="SecureString", Overwrite=True)


def put_webhook_master_key(endpoints: Endpoints, persist_dir: Path | None) -> None:
    """The webhook master key under the template's SSM parameter name: 32 random bytes, or, with a kept
    database, the key of the last run (else every endpoint's secret would change at each start)."""
    import boto3

    saved = persist_dir / "webhook-master-key" if persist_dir else None
    if saved and saved.exists():
        key = saved.read_text().strip()
    else:
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        if saved:
            saved.write_text(key + "\n")
            saved.chmod(0o600)
    ssm = boto3.client("ssm", region_name=endpoints.region, endpoint_url=endpoints.moto,
                       aws_access_key_id="local", aws_secret_access_key="local")
    ssm.put_parameter(Name=parameter_defaults()["WebhookMasterKeyParameter"], Value=key, Type="SecureString",
                      Overwrite=True)


def warm_clients() -> None:
    """Creates one client per service in the main thread: botocore's first client creation is not
    thread-safe, and the functions create theirs lazily inside request threads."""
    import boto3

    from fastfaktura.store import db

    db.client()
    for service in ("s3", "ses", "sesv2", "sns", "ssm", "sqs", "dynamodbstreams"):
        boto3.client(service)


def sandbox_business(persist_dir: Path | None) -> tuple[str, str]:
    """The sandbox business and key of this stack: with a kept database (`--persist DIR`), the one
    of the last run while its key still authenticates; else a new one."""
    from fastfaktura.domain import api_keys
    from fastfaktura.services.business import create_business
    from fastfaktura.store import businesses

    saved = persist_dir / "sandbox.json" if persist_dir else None
    if saved and saved.exists():
        known = json.loads(saved.read_text())
        item = businesses.find_api_key(api_keys.key_hash(known["api_key"]))
        if item and not item.get("revoked_at") and item["business_id"] == known["business_id"]:
            return known["business_id"], known["api_key"]
    created = create_business("Sandbox", sandbox=True, country="FR", locale="fr")
    if saved:
        saved.write_text(json.dumps({"business_id": created.business.id, "api_key": created.api_key}) + "\n")
    return created.business.id, created.api_key


class DevStack:
    """`fastfaktura dev`: every part on a loopback port, wired as template.yaml wires them in AWS."""

    def __init__(self, port: int = 3000, persist_dir: Path | None = None, state_dir: Path = DEFAULT_STATE_DIR,
                 fast_retries: bool = False):
        self.port, self.persist_dir, self.state_dir = port, persist_dir, state_dir
        self.fast_retries = fast_retries
        self.endpoints: Endpoints | None = None
        self.httpd: ApiServer | None = None
        self.dynamodb: DynamoDBLocal | None = None
        self.moto: MotoServer | None = None
        self.pollers: list = []
        self._serving: threading.Thread | None = None

    def start(self) -> DevStack:
        from fastfaktura.devstack.dynamodb import DynamoDBLocal, create_table
        from fastfaktura.devstack.server import make_server

        try:
            httpd = self.httpd = make_server(self.port)
        except OSError as exc:
            raise SystemExit(f"Port {self.port} on 127.0.0.1 is taken ({exc.strerror}): is another "
                             "`fastfaktura dev` running? Choose another with --port.") from exc
        dynamodb = self.dynamodb = DynamoDBLocal(persist_dir=self.persist_dir).launch()
        moto = self.moto = MotoServer().start()         # while the JVM boots
        dynamodb.wait_ready()
        stream_arn = create_table(dynamodb.client(), TABLE_NAME)
        endpoints = self.endpoints = Endpoints(
            api_base_url=f"http://127.0.0.1:{httpd.server_address[1]}", dynamodb=dynamodb.endpoint,
            moto=moto.endpoint, region=default_region(), table=TABLE_NAME, bucket=BUCKET_NAME,
            stream_arn=stream_arn, sender_email=os.environ.get("SENDER_EMAIL") or parameter_defaults()["SenderEmail"],
            pid=os.getpid())
        if self.fast_retries:
            from fastfaktura.webhooks.schedule import FAST_RETRIES_SCALE

            endpoints.webhook_retry_scale = FAST_RETRIES_SCALE
        endpoints.queues = self._create_queues(endpoints)
        apply_environment(environment(endpoints))
        runtime.use_worker_processes()  # after the environment: each worker starts with it
        prepare_moto(endpoints)
        put_webhook_master_key(endpoints, self.persist_dir)
        warm_clients()
        endpoints.sandbox_business_id, endpoints.sandbox_api_key = sandbox_business(self.persist_dir)
        self.pollers = self._start_stream_pollers(endpoints) + self._start_queue_pollers(endpoints)
        self._serving = threading.Thread(target=httpd.serve_forever, name="http", daemon=True)
        self._serving.start()
        endpoints.write(self.state_dir)
        return self

    @staticmethod
    def _create_queues(endpoints: Endpoints) -> dict[str, str]:
        import boto3

        from fastfaktura.devstack.queues import create_queues

        sqs = boto3.client("sqs", region_name=endpoints.region, endpoint_url=endpoints.moto,
                           aws_access_key_id="local", aws_secret_access_key="local")
        return create_queues(sqs, STACK_NAME)

    def _start_stream_pollers(self, endpoints: Endpoints) -> list:
        """One event source mapping per stream function, each with its own position in the stream."""
        import boto3

        from fastfaktura.devstack.streams import StreamPoller

        client = boto3.client("dynamodbstreams", endpoint_url=endpoints.dynamodb)
        pollers = []
        for function in stream_functions():
            name = "stream-checkpoints.json" if function == stream_function() else \
                f"stream-checkpoints-{function.logical_id}.json"
            checkpoints = self.persist_dir / name if self.persist_dir else None
            pollers.append(StreamPoller.for_function(function, client, endpoints.stream_arn, runtime.invoke,
                                                     endpoints.region, checkpoint_file=checkpoints).start())
        return pollers

    @staticmethod
    def _start_queue_pollers(endpoints: Endpoints) -> list:
        import boto3

        from fastfaktura.devstack import runtime
        from fastfaktura.devstack.queues import QueuePoller

        sqs = boto3.client("sqs")
        return [QueuePoller.for_function(function, sqs, endpoints.queues, runtime.invoke,
                                         endpoints.region).start() for function in queue_functions()]

    def stop(self) -> None:
        """Stops what was started, newest first; safe to call after a failed start."""
        if self.httpd:
            if self._serving:
                self.httpd.shutdown()
            self.httpd.server_close()
        for poller in self.pollers:
            with contextlib.suppress(Exception):
                poller.stop()
        runtime.stop_worker_processes()  # after the pollers, which invoke the stream and queue functions
        for part in (self.moto, self.dynamodb):
            if part:
                with contextlib.suppress(Exception):
                    part.stop()
        local_json = self.state_dir / "local.json"
        with contextlib.suppress(Exception):
            if json.loads(local_json.read_text()).get("pid") == os.getpid():
                local_json.unlink()

    def banner(self) -> str:
        e = self.endpoints
        if e is None:
            raise RuntimeError("the banner is printed once the stack has started")
        storage = f"kept in {self.persist_dir}" if self.persist_dir else "in memory"
        streams = ", ".join(f.logical_id for f in stream_functions()) or "no stream function"
        queues = ", ".join(f"{f.event_properties('SQS')['Queue']['Fn::GetAtt'][0]} → {f.logical_id}"
                           for f in queue_functions())
        retries = "retries compressed (--fast-retries: an hour in a second)" if self.fast_retries else \
            "retries on the real schedule"
        return "\n".join([
            "FastFaktura local stack is up.",
            f"  Base URL:  {e.api_base_url}",
            f"  API key:   {e.sandbox_api_key}   (sandbox business {e.sandbox_business_id})",
            "",
            f"  DynamoDB Local       {e.dynamodb}   table {e.table}, {storage}",
            f"  S3, SES, SNS (moto)  {e.moto}   bucket {e.bucket}, sender {e.sender_email}",
            f"  SQS, SSM (moto)      {queues}; webhook {retries}",
            f"  Table stream      →  {streams}",
            f"  Endpoints            {self.state_dir / 'local.json'}",
            "",
            f'  curl -H "X-Api-Key: {e.sandbox_api_key}" {e.api_base_url}/api/v1/business',
            "",
            "Ctrl-C stops everything.",
        ])


def schedule_event(function: Function, region: str) -> dict | None:
    """The event a function's schedule delivers: its `Input` when the template sets one, else the
    default notification of EventBridge Scheduler (ScheduleV2) or of an EventBridge rule (Schedule)."""
    for name, spec in function.events.items():
        kind = spec.get("Type")
        if kind not in ("Schedule", "ScheduleV2"):
            continue
        props = spec.get("Properties", {})
        if props.get("Input"):
            return json.loads(props["Input"])
        scheduler = kind == "ScheduleV2"
        schedule_name = f"{STACK_NAME}-{function.logical_id}{name}"
        resource = (f"arn:aws:scheduler:{region}:{ACCOUNT_ID}:schedule/default/{schedule_name}" if scheduler
                    else f"arn:aws:events:{region}:{ACCOUNT_ID}:rule/{schedule_name}")
        return {
            "version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
            "source": "aws.scheduler" if scheduler else "aws.events", "account": ACCOUNT_ID,
            "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "region": region,
            "resources": [resource], "detail": "{}" if scheduler else {},
        }
    return None
