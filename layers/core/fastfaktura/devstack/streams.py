"""The DynamoDB event source mapping, emulated: reads the table's stream from DynamoDB Local and
calls the stream function with Lambda-shaped batches, with the mapping's settings from template.yaml
(batch size, batching window, partial-batch responses, bisect on error, bounded retries)."""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fastfaktura.tools.template import Function

log = logging.getLogger("fastfaktura.devstack.streams")

CLOSED = "CLOSED"


def lambda_record(record: dict, stream_arn: str, region: str) -> dict:
    """A record of GetRecords → the record Lambda hands to the function: eventSourceARN, the real
    region, ApproximateCreationDateTime in epoch seconds, binary attributes base64 (JSON, as Lambda's)."""
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        seconds = created.timestamp()
        dynamodb["ApproximateCreationDateTime"] = int(seconds) if seconds.is_integer() else seconds
    shaped = {
        "eventID": record["eventID"], "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"), "eventSource": "aws:dynamodb",
        "awsRegion": region, "dynamodb": dynamodb, "eventSourceARN": stream_arn,
    }
    if "userIdentity" in record:
        shaped["userIdentity"] = record["userIdentity"]
    return json.loads(json.dumps(shaped, default=_json_value))


_MISSING = object()


def matches(pattern: dict, data: Any) -> bool:
    """Lambda's event filtering (EventBridge pattern syntax) on one record: every key of the pattern
    must match; a list matches when one of its rules does."""
    for key, rule in pattern.items():
        value = data.get(key, _MISSING) if isinstance(data, dict) else _MISSING
        if isinstance(rule, dict):
            if not isinstance(value, dict) or not matches(rule, value):
                return False
        elif not any(_rule_matches(r, value) for r in (rule if isinstance(rule, list) else [rule])):
            return False
    return True


def _rule_matches(rule: Any, value: Any) -> bool:
    if isinstance(rule, dict):
        (operator, argument), = rule.items()
        if operator == "exists":
            return (value is not _MISSING) == bool(argument)
        return value is not _MISSING and any(_operator_matches(operator, argument, v) for v in _values(value))
    return value is not _MISSING and rule in _values(value)


def _values(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _operator_matches(operator: str, argument: Any, value: Any) -> bool:
    text = value if isinstance(value, str) else None
    if operator == "prefix":
        return text is not None and text.startswith(argument)
    if operator == "suffix":
        return text is not None and text.endswith(argument)
    if operator == "equals-ignore-case":
        return text is not None and text.lower() == argument.lower()
    if operator == "anything-but":
        if isinstance(argument, dict):
            return not _rule_matches(argument, value)
        return value not in _values(argument)
    if operator == "numeric":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        checks = {"<": value.__lt__, "<=": value.__le__, "=": value.__eq__, ">": value.__gt__, ">=": value.__ge__}
        return all(checks[op](bound) for op, bound in zip(argument[::2], argument[1::2], strict=True))
    raise ValueError(f"unsupported filter operator {operator!r}")


def _json_value(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


@dataclass
class _Shard:
    shard_id: str
    parent_id: str | None
    iterator: str | None = None
    buffer: list[dict] = field(default_factory=list)
    first_buffered_at: float = 0.0
    closed: bool = False
    last_read: str | None = None     # the last sequence number read, delivered or filtered out


class BackgroundPoller:
    """A poller running `_run` on a daemon thread until `stop()`: the stream and the queue pollers' lifecycle."""

    thread_name = "poller"
    _stop: threading.Event
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        raise NotImplementedError

    def start(self):
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)


class StreamPoller(BackgroundPoller):
    """One thread that polls every shard of one stream and delivers batches in order, shard by shard.

    Each shard is read 4 times a second (`poll_interval`, Lambda's rate), at once again only while its
    reads come back full. A batch is delivered when it holds `batch_size` records or its first record
    has waited `window` seconds. The handler's answer is read as Lambda reads it with
    ReportBatchItemFailures: no `batchItemFailures` = success; otherwise the batch is retried from the
    failed record with the lowest sequence number. An exception (or an unreadable answer) fails the
    whole batch, which is bisected when `bisect` is on. After `max_retries` retries the records are
    dropped and reported to `on_failure`, as an on-failure destination would receive them. With
    `filters` (the mapping's FilterCriteria patterns), only records that match one of them reach the
    function.
    """

    thread_name = "stream-poller"

    def __init__(self, client, stream_arn: str, handler: Callable[[dict], Any], *, region: str,
                 batch_size: int = 100, window: float = 1.0, max_retries: int = 5, bisect: bool = True,
                 starting_position: str = "TRIM_HORIZON", max_record_age: float | None = None,
                 checkpoint_file: Path | None = None, poll_interval: float = 0.25, retry_delay: float = 0.2,
                 on_failure: Callable[[dict], None] | None = None, filters: list[dict] | None = None):
        self.client, self.stream_arn, self.handler, self.region = client, stream_arn, handler, region
        self.batch_size, self.window, self.max_retries, self.bisect = batch_size, window, max_retries, bisect
        self.starting_position, self.max_record_age = starting_position, max_record_age
        self.checkpoint_file, self.poll_interval, self.retry_delay = checkpoint_file, poll_interval, retry_delay
        self.on_failure = on_failure or _log_failure
        self.filters = filters or []
        self.checkpoints: dict[str, str] = self._read_checkpoints()
        self._shards: dict[str, _Shard] = {}
        self._discovered_at = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warned_answer = False

    @classmethod
    def for_function(cls, function: Function, client, stream_arn: str, invoke: Callable[[Function, dict], Any],
                     region: str, **overrides) -> StreamPoller:
        """A poller with the settings of the function's `Type: DynamoDB` event in the template."""
        props = function.event_properties("DynamoDB")
        settings = {
            "batch_size": int(props.get("BatchSize", 100)),
            "window": float(props.get("MaximumBatchingWindowInSeconds", 0)),
            "max_retries": int(props.get("MaximumRetryAttempts", 5)),
            "bisect": bool(props.get("BisectBatchOnFunctionError", False)),
            "starting_position": props.get("StartingPosition", "TRIM_HORIZON"),
            "max_record_age": props.get("MaximumRecordAgeInSeconds"),
            "filters": [json.loads(f["Pattern"]) for f in props.get("FilterCriteria", {}).get("Filters", [])],
        }
        return cls(client, stream_arn, lambda event: invoke(function, event), region=region,
                   **{**settings, **overrides})

    # --- lifecycle

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                busy = self.poll_once()
                failures = 0
            except Exception as exc:
                failures += 1
                log.warning("stream poller: %s (retrying)", exc)
                busy = False
                self._stop.wait(min(5.0, 0.2 * 2 ** failures))
            if not busy:
                self._stop.wait(self.poll_interval)

    # --- polling

    def poll_once(self) -> bool:
        """One round over the shards; answers whether a shard may hold more records at once (a read
        came back full): only then is the next round not `poll_interval` later."""
        now = time.monotonic()
        if not self._shards or now - self._discovered_at > 5.0:
            self._discover()
        busy = False
        for shard in list(self._shards.values()):
            if shard.closed or self._waits_for_parent(shard):
                continue
            if shard.iterator is None:
                shard.iterator = self._iterator(shard)
            busy |= self._read(shard)
            self._deliver_ready(shard)
        return busy

    def _discover(self) -> None:
        self._discovered_at = time.monotonic()
        request = {"StreamArn": self.stream_arn}
        while True:
            description = self.client.describe_stream(**request)["StreamDescription"]
            for shard in description.get("Shards", []):
                shard_id = shard["ShardId"]
                if shard_id not in self._shards and self.checkpoints.get(shard_id) != CLOSED:
                    self._shards[shard_id] = _Shard(shard_id, shard.get("ParentShardId"))
            if not description.get("LastEvaluatedShardId"):
                break
            request["ExclusiveStartShardId"] = description["LastEvaluatedShardId"]

    def _waits_for_parent(self, shard: _Shard) -> bool:
        """Lambda reads a parent shard to its end before its children."""
        parent = self._shards.get(shard.parent_id or "")
        return parent is not None and not parent.closed

    def _iterator(self, shard: _Shard) -> str:
        request = {"StreamArn": self.stream_arn, "ShardId": shard.shard_id}
        checkpoint = self.checkpoints.get(shard.shard_id)
        if checkpoint:
            request.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=checkpoint)
        elif shard.parent_id and (shard.parent_id in self._shards or shard.parent_id in self.checkpoints):
            request["ShardIteratorType"] = "TRIM_HORIZON"    # a child shard: everything after its parent
        else:
            request["ShardIteratorType"] = self.starting_position
        return self.client.get_shard_iterator(**request)["ShardIterator"]

    def _read(self, shard: _Shard) -> bool:
        """Reads the shard's next records into its buffer; answers whether the read came back full."""
        if len(shard.buffer) >= self.batch_size:
            return False
        try:
            answer = self.client.get_records(ShardIterator=shard.iterator, Limit=self.batch_size)
        except self.client.exceptions.ExpiredIteratorException:
            shard.iterator = None
            return False
        records = answer.get("Records", [])
        shaped = [lambda_record(r, self.stream_arn, self.region) for r in records]
        wanted = [r for r in shaped if not self.filters or any(matches(f, r) for f in self.filters)]
        if wanted and not shard.buffer:
            shard.first_buffered_at = time.monotonic()
        shard.buffer.extend(wanted)
        if records:
            shard.last_read = records[-1]["dynamodb"]["SequenceNumber"]
        shard.iterator = answer.get("NextShardIterator")
        if shard.iterator is None:
            shard.closed = True
        return len(records) >= self.batch_size

    def _deliver_ready(self, shard: _Shard) -> None:
        while shard.buffer and not self._stop.is_set():
            full = len(shard.buffer) >= self.batch_size
            waited = time.monotonic() - shard.first_buffered_at >= self.window
            if not (full or waited or shard.closed):
                return
            batch, shard.buffer = shard.buffer[:self.batch_size], shard.buffer[self.batch_size:]
            shard.first_buffered_at = time.monotonic()
            if not self._deliver(batch):
                shard.buffer = batch + shard.buffer      # stopped mid-way: redeliver on the next start
                return
            self._checkpoint(shard.shard_id, batch[-1]["dynamodb"]["SequenceNumber"])
        if shard.closed and not shard.buffer:
            self._checkpoint(shard.shard_id, CLOSED)
        elif not shard.buffer and shard.last_read:    # records filtered out count as processed
            self._checkpoint(shard.shard_id, shard.last_read)

    # --- delivery

    def _deliver(self, records: list[dict]) -> bool:
        """Delivers one batch with the mapping's retry rules; False only when stopped mid-way."""
        pending: deque[tuple[list[dict], int]] = deque([(records, 0)])
        while pending:
            if self._stop.is_set():
                return False
            batch, retries = pending.popleft()
            batch = self._drop_expired(batch)
            if not batch:
                continue
            try:
                failed_at = self._first_failure(batch, self.handler({"Records": batch}))
                error = None
            except Exception as exc:
                failed_at, error = 0, f"{type(exc).__name__}: {exc}"
            if failed_at is None:
                continue
            if retries >= self.max_retries:
                self._give_up(batch[failed_at:], error or "partial batch failure", retries)
                continue
            self._stop.wait(self.retry_delay)
            if error and self.bisect and len(batch) > 1:
                middle = len(batch) // 2    # splitting does not count as a retry (as in Lambda)
                pending.extendleft([(batch[middle:], retries), (batch[:middle], retries)])
            else:
                pending.appendleft((batch[failed_at:], retries + 1))
        return True

    def _first_failure(self, batch: list[dict], answer: Any) -> int | None:
        """None when the batch succeeded, else the index of the failed record with the lowest
        sequence number; an invalid answer fails the whole batch (as Lambda does)."""
        if not isinstance(answer, dict) or not answer.get("batchItemFailures"):
            if isinstance(answer, dict) and int(answer.get("statusCode") or 0) >= 400 and not self._warned_answer:
                self._warned_answer = True
                log.warning("the stream function answered HTTP %s, not a batch response: records are "
                            "taken as processed", answer["statusCode"])
            return None
        positions = {r["dynamodb"]["SequenceNumber"]: i for i, r in enumerate(batch)}
        failed = []
        for failure in answer["batchItemFailures"]:
            identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
            if identifier not in positions:
                raise ValueError(f"batchItemFailures names an unknown record: {identifier!r}")
            failed.append(positions[identifier])
        return min(failed)

    def _drop_expired(self, batch: list[dict]) -> list[dict]:
        if not self.max_record_age:
            return batch
        oldest_allowed = time.time() - float(self.max_record_age)
        expired = [r for r in batch if r["dynamodb"].get("ApproximateCreationDateTime", oldest_allowed)
                   < oldest_allowed]
        if expired:
            self._give_up(expired, "record older than MaximumRecordAgeInSeconds", 0)
        return [r for r in batch if r not in expired]

    def _give_up(self, records: list[dict], reason: str, retries: int) -> None:
        self.on_failure({
            "reason": reason, "retries": retries, "eventSourceARN": self.stream_arn,
            "batchSize": len(records),
            "startSequenceNumber": records[0]["dynamodb"]["SequenceNumber"],
            "endSequenceNumber": records[-1]["dynamodb"]["SequenceNumber"],
        })

    # --- checkpoints (kept on disk only with a persistent database)

    def _read_checkpoints(self) -> dict[str, str]:
        if self.checkpoint_file and self.checkpoint_file.exists():
            saved = json.loads(self.checkpoint_file.read_text())
            if saved.get("stream_arn") == self.stream_arn:
                return saved["shards"]
        return {}

    def _checkpoint(self, shard_id: str, position: str) -> None:
        if self.checkpoints.get(shard_id) == position:
            return
        self.checkpoints[shard_id] = position
        if self.checkpoint_file:
            self.checkpoint_file.write_text(json.dumps({"stream_arn": self.stream_arn, "shards": self.checkpoints}))


def _log_failure(info: dict) -> None:
    """What an SQS on-failure destination would receive, written to the log instead."""
    log.error("stream records dropped after retries (on-failure destination): %s", json.dumps(info))
