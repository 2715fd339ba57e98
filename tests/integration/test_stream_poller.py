"""The local event source mapping: DynamoDB Local's stream → Lambda-shaped batches, with
partial-batch responses, bisection on error and bounded retries."""

from __future__ import annotations

import json
import os
import time
import uuid

import pytest
from fastfaktura.devstack.streams import StreamPoller
from fastfaktura.store import db

REGION = "eu-west-1"


@pytest.fixture
def stream(dynamodb):
    """The table's stream client and ARN, and a writer of items under a partition of this test."""
    import boto3

    client = boto3.client("dynamodbstreams", endpoint_url=dynamodb.endpoint, region_name=REGION,
                          aws_access_key_id="local", aws_secret_access_key="local")
    arn = db.client().describe_table(TableName=os.environ["TABLE_NAME"])["Table"]["LatestStreamArn"]
    pk = f"TEST#{uuid.uuid4()}"

    def write(sk: str, **values) -> None:
        db.client().put_item(TableName=db.table_name(), Item=db.to_item({"PK": pk, "SK": sk, **values}))

    return client, arn, pk, write


class Recorder:
    """A stand-in stream function: records every batch it gets and answers what `answer` says."""

    def __init__(self, pk: str, answer=None):
        self.pk, self.answer, self.batches = pk, answer, []

    def __call__(self, event: dict):
        mine = [r for r in event["Records"] if r["dynamodb"]["Keys"]["PK"]["S"] == self.pk]
        if mine:
            self.batches.append(event["Records"])
        return self.answer(event["Records"], len(self.batches)) if self.answer and mine else None


def pump(poller: StreamPoller, until, rounds: int = 100) -> None:
    """Polls (without the thread) until `until()` holds, at most `rounds` times."""
    for _ in range(rounds):
        poller.poll_once()
        if until():
            return
        time.sleep(0.05)
    raise AssertionError("the poller did not get there")


def poller_for(stream, handler, **settings) -> StreamPoller:
    client, arn, _pk, _write = stream
    poller = StreamPoller(client, arn, handler, region=REGION, starting_position="LATEST",
                          window=0, retry_delay=0, **settings)
    poller.poll_once()    # discovers the shards and takes LATEST iterators before the test writes
    return poller


def test_the_stream_function_gets_lambda_shaped_records(stream):
    _client, arn, pk, write = stream
    recorder = Recorder(pk)
    poller = poller_for(stream, recorder)

    write("ITEM#1", name="first", blob=b"\x00\x01")
    pump(poller, lambda: recorder.batches)

    record = next(r for r in recorder.batches[0] if r["dynamodb"]["Keys"]["PK"]["S"] == pk)
    assert record["eventSourceARN"] == arn
    assert record["eventSource"] == "aws:dynamodb" and record["eventName"] == "INSERT"
    assert record["awsRegion"] == REGION
    assert record["eventID"] and record["eventVersion"]
    created = record["dynamodb"]["ApproximateCreationDateTime"]
    assert isinstance(created, int | float) and abs(created - time.time()) < 3600
    assert record["dynamodb"]["NewImage"]["name"] == {"S": "first"}
    assert record["dynamodb"]["NewImage"]["blob"] == {"B": "AAE="}      # base64, as in a Lambda event
    assert record["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert record["dynamodb"]["SequenceNumber"]
    json.dumps(recorder.batches)                                        # plain JSON, like Lambda's


def test_batch_item_failures_retry_from_the_first_failed_record(stream):
    _client, _arn, pk, write = stream

    def fail_second_once(records, call):
        return {"batchItemFailures": [{"itemIdentifier": records[1]["dynamodb"]["SequenceNumber"]}]} \
            if call == 1 else {"batchItemFailures": []}

    recorder = Recorder(pk, fail_second_once)
    poller = poller_for(stream, recorder)
    for i in range(3):
        write(f"ITEM#{i}", n=i)
    pump(poller, lambda: len(recorder.batches) >= 2)

    def sks(batch):
        return [r["dynamodb"]["Keys"]["SK"]["S"] for r in batch]

    assert sks(recorder.batches[0]) == ["ITEM#0", "ITEM#1", "ITEM#2"]
    assert sks(recorder.batches[1]) == ["ITEM#1", "ITEM#2"]
    pump(poller, lambda: True, rounds=3)
    assert len(recorder.batches) == 2                                    # done: nothing redelivered


def test_an_error_bisects_the_batch_and_drops_the_poison_record_after_the_retries(stream):
    _client, _arn, pk, write = stream
    delivered, dropped = [], []

    def handler(event):
        records = [r for r in event["Records"] if r["dynamodb"]["Keys"]["PK"]["S"] == pk]
        if any(r["dynamodb"]["Keys"]["SK"]["S"] == "ITEM#poison" for r in records):
            raise RuntimeError("cannot process this one")
        delivered.extend(r["dynamodb"]["Keys"]["SK"]["S"] for r in records)

    poller = poller_for(stream, handler, max_retries=2, bisect=True, on_failure=dropped.append)
    for sk in ("ITEM#a", "ITEM#poison", "ITEM#b", "ITEM#c"):
        write(sk)
    pump(poller, lambda: dropped and len(delivered) >= 3)

    assert sorted(delivered) == ["ITEM#a", "ITEM#b", "ITEM#c"]
    assert len(dropped) == 1 and dropped[0]["batchSize"] == 1 and dropped[0]["retries"] == 2
    assert "RuntimeError" in dropped[0]["reason"]


def test_batches_hold_at_most_batch_size_records(stream):
    _client, _arn, pk, write = stream
    recorder = Recorder(pk)
    poller = poller_for(stream, recorder, batch_size=2)
    for i in range(5):
        write(f"ITEM#{i}")
    pump(poller, lambda: sum(len(b) for b in recorder.batches) >= 5)
    assert [len(b) for b in recorder.batches] == [2, 2, 1]


class CountingReads:
    """The streams client, counting its GetRecords calls."""

    def __init__(self, client):
        self.client, self.reads = client, 0

    def get_records(self, **request):
        self.reads += 1
        return self.client.get_records(**request)

    def __getattr__(self, name: str):
        return getattr(self.client, name)


def test_a_shard_is_read_four_times_a_second_and_again_at_once_only_after_a_full_read(stream):
    client, arn, pk, write = stream
    counting = CountingReads(client)
    full = StreamPoller(counting, arn, Recorder(pk), region=REGION, starting_position="LATEST", window=0,
                        batch_size=2)
    full.poll_once()
    for i in range(3):
        write(f"ITEM#{i}")
    assert full.poll_once() is True        # two of the three came: the third may be right behind
    partial = StreamPoller(counting, arn, Recorder(pk), region=REGION, starting_position="LATEST", window=0)
    partial.poll_once()
    write("ITEM#3")
    assert partial.poll_once() is False    # fewer than a batch: nothing is waiting
    idle = StreamPoller(counting, arn, Recorder(pk), region=REGION, starting_position="LATEST")
    idle.poll_once()
    counting.reads, started = 0, time.monotonic()
    idle.start()
    time.sleep(2)
    idle.stop()
    assert 1 <= counting.reads <= 4 * (time.monotonic() - started) + 1   # Lambda's 4 polls a second


def test_a_checkpoint_file_resumes_after_the_last_delivered_record(stream, tmp_path):
    client, arn, pk, write = stream
    checkpoints = tmp_path / "checkpoints.json"
    first = Recorder(pk)
    poller = poller_for(stream, first, checkpoint_file=checkpoints)
    write("ITEM#before")
    pump(poller, lambda: first.batches)

    write("ITEM#after")
    second = Recorder(pk)
    restarted = StreamPoller(client, arn, second, region=REGION, starting_position="TRIM_HORIZON", window=0,
                             checkpoint_file=checkpoints)
    pump(restarted, lambda: second.batches)
    assert [r["dynamodb"]["Keys"]["SK"]["S"] for b in second.batches for r in b
            if r["dynamodb"]["Keys"]["PK"]["S"] == pk] == ["ITEM#after"]


def test_filter_criteria_let_only_matching_records_through(stream):
    _client, _arn, pk, write = stream
    recorder = Recorder(pk)
    filters = [{"eventName": ["INSERT"], "dynamodb": {"Keys": {"SK": {"S": [{"prefix": "KEEP#"}]}}}}]
    poller = poller_for(stream, recorder, filters=filters)
    for sk in ("DROP#1", "KEEP#1", "DROP#2", "KEEP#2"):
        write(sk)
    pump(poller, lambda: sum(len(b) for b in recorder.batches) >= 2)
    assert [r["dynamodb"]["Keys"]["SK"]["S"] for b in recorder.batches for r in b] == ["KEEP#1", "KEEP#2"]


@pytest.mark.parametrize(("pattern", "expected"), [
    ({"eventName": ["INSERT", "MODIFY"]}, True),
    ({"eventName": ["REMOVE"]}, False),
    ({"dynamodb": {"Keys": {"SK": {"S": ["INVOICE"]}}}}, True),
    ({"dynamodb": {"Keys": {"SK": {"S": [{"prefix": "INV"}]}}}}, True),
    ({"dynamodb": {"Keys": {"SK": {"S": [{"suffix": "ICE"}]}}}}, True),
    ({"dynamodb": {"Keys": {"SK": {"S": [{"anything-but": ["INVOICE"]}]}}}}, False),
    ({"dynamodb": {"NewImage": {"status": {"S": [{"equals-ignore-case": "SENT"}]}}}}, True),
    ({"dynamodb": {"NewImage": {"paid_at": [{"exists": False}]}}}, True),
    ({"dynamodb": {"NewImage": {"status": [{"exists": True}]}}}, True),
    ({"dynamodb": {"SizeBytes": [{"numeric": [">", 10, "<=", 100]}]}}, True),
    ({"dynamodb": {"SizeBytes": [{"numeric": [">", 100]}]}}, False),
    ({"awsRegion": ["eu-west-1"], "eventName": ["REMOVE"]}, False),
])
def test_filter_patterns_follow_lambda_event_filtering(pattern, expected):
    from fastfaktura.devstack.streams import matches

    record = {"eventName": "MODIFY", "awsRegion": "eu-west-1", "dynamodb": {
        "Keys": {"PK": {"S": "BIZ#1"}, "SK": {"S": "INVOICE"}}, "SizeBytes": 42,
        "NewImage": {"status": {"S": "sent"}}}}
    assert matches(pattern, record) is expected
