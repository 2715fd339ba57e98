"""`fastfaktura dev` as a subprocess (tests/helpers/stack.py): started once per test session, when a test
first needs it, on free ports and with a state directory of its own (a developer's stack is left alone)."""

from __future__ import annotations

import pytest

from tests.helpers.stack import RunningStack, StackRunner


@pytest.fixture(scope="session")
def stack_runner(tmp_path_factory):
    runner = StackRunner(tmp_path_factory.mktemp("fastfaktura-dev"))
    yield runner
    runner.close()


@pytest.fixture
def dev_stack(stack_runner) -> RunningStack:
    return stack_runner.running()
