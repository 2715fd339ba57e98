"""Unit tests run without Java, a browser or the dev stack (`make unit`): DynamoDB Local is refused here."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dynamodb():
    pytest.fail("a unit test may not start DynamoDB Local (through dynamodb, business or api): "
                "it belongs in tests/integration")
