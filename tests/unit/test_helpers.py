"""The round-trip counter that many tests rely on: it counts what it should and leaves no hook behind."""

from __future__ import annotations

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from tests.helpers.aws import dynamodb_calls


class _Body:
    def stream(self, **_kw):
        yield b"{}"


def _answer_locally(request, **_kw) -> AWSResponse:
    """An empty success for every request: nothing leaves the process."""
    return AWSResponse(request.url, 200, {"x-amzn-RequestId": "local"}, _Body())


@pytest.fixture
def client():
    client = boto3.client("dynamodb", region_name="eu-west-1", endpoint_url="http://127.0.0.1:9",
                          aws_access_key_id="local", aws_secret_access_key="local")
    client.meta.events.register("before-send.dynamodb", _answer_locally)
    return client


def _get(client) -> None:
    client.get_item(TableName="t", Key={"PK": {"S": "a"}, "SK": {"S": "b"}})


def test_counts_the_operations_of_the_block_in_order(client):
    with dynamodb_calls(client) as calls:
        _get(client)
        client.query(TableName="t", KeyConditionExpression="PK = :p", ExpressionAttributeValues={":p": {"S": "a"}})
    assert calls == ["GetItem", "Query"]


def test_the_hook_is_gone_after_the_block_even_when_it_raised(client):
    with pytest.raises(RuntimeError), dynamodb_calls(client) as calls:
        _get(client)
        raise RuntimeError("the block failed")
    _get(client)
    with dynamodb_calls(client) as later:
        _get(client)
    assert calls == ["GetItem"] and later == ["GetItem"]
