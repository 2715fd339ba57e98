"""`fastfaktura dev` run as a subprocess on free ports with a state directory of its own, as a developer
runs it, and read back: its URL and key, its children, its state file."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

START_TIMEOUT = 180     # seconds; the JVM alone needs several on a busy 2-core machine


def fastfaktura_command() -> list[str]:
    """The console script that `make install` puts in the venv (as `make dev` runs it)."""
    script = Path(sys.executable).with_name("fastfaktura")
    return [str(script)] if script.exists() else [sys.executable, "-m", "fastfaktura.tools.cli"]


@dataclass
class RunningStack:
    process: subprocess.Popen
    url: str
    key: str
    state_dir: Path
    stdout: Path
    stderr: Path

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """One `fastfaktura …` command against this stack."""
        return subprocess.run([*fastfaktura_command(), *args, "--state-dir", str(self.state_dir)],
                              capture_output=True, text=True, timeout=120, check=False)

    def children(self) -> list[int]:
        """The processes this stack started (DynamoDB Local's JVM)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found


class StackRunner:
    def __init__(self, directory: Path):
        self.directory = directory
        self.stack: RunningStack | None = None

    def running(self) -> RunningStack:
        if self.stack is None or self.stack.process.poll() is not None:
            self.stack = self._start()
        return self.stack

    def _start(self) -> RunningStack:
        state_dir = self.directory / "state"
        stdout, stderr = self.directory / "dev.out", self.directory / "dev.err"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with stdout.open("wb") as out, stderr.open("wb") as err:
            # --fast-retries: webhook retries within seconds (nothing else depends on it)
            process = subprocess.Popen([*fastfaktura_command(), "dev", "--port", "0", "--fast-retries",
                                        "--state-dir", str(state_dir)],
                                       stdout=out, stderr=err, env=env)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            text = stdout.read_text()
            url, key = re.search(r"Base URL:\s+(\S+)", text), re.search(r"API key:\s+(\S+)", text)
            if url and key:
                return RunningStack(process, url.group(1), key.group(1), state_dir, stdout, stderr)
            if process.poll() is not None:
                pytest.fail(f"fastfaktura dev exited with {process.returncode}:\n{stderr.read_text()[-3000:]}")
            time.sleep(0.2)
        process.kill()
        pytest.fail(f"fastfaktura dev printed no URL within {START_TIMEOUT} s:\n{stderr.read_text()[-3000:]}")

    def interrupt(self, timeout: float = 60) -> int:
        """Ctrl-C, as a developer stops it; answers the exit status."""
        process = self.stack.process
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            raise

    def close(self) -> None:
        if self.stack and self.stack.process.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.interrupt()


def read_local_json(stack: RunningStack) -> dict:
    return json.loads((stack.state_dir / "local.json").read_text())
