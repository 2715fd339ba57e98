"""The SQS event source mapping, emulated: the template's queues created in moto's SQS, and a poller per
queue-fed function that receives batches as Lambda does (long polling, the mapping's batch size), calls
the function with Lambda-shaped records and deletes the messages it did not report in
`batchItemFailures`. A reported (or unprocessed) message stays in the queue and comes back when its
visibility timeout ends: the queue's own, or the one the function set (the webhook retries)."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from fastfaktura.devstack.streams import BackgroundPoller
from fastfaktura.tools.template import Function, load

log = logging.getLogger("fastfaktura.devstack.queues")

_ATTRIBUTES = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds")


def create_queues(sqs, stack_name: str) -> dict[str, str]:
    """Every `AWS::SQS::Queue` of the template, in moto, dead-letter queues first; the refs the functions'
    environment resolves: logical id → URL, `<id>.Arn`, `<id>.QueueName`."""
    resources = {name: r for name, r in load()["Resources"].items() if r["Type"] == "AWS::SQS::Queue"}
    refs: dict[str, str] = {}
    for name in sorted(resources, key=lambda n: "RedrivePolicy" in resources[n].get("Properties", {})):
        props = resources[name].get("Properties", {})
        queue_name = f"{stack_name}-{name}"
        attributes = {k: str(props[k]) for k in _ATTRIBUTES if k in props}
        if "RedrivePolicy" in props:
            target = props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
            attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": refs[f"{target}.Arn"],
                                                      "maxReceiveCount": props["RedrivePolicy"]["maxReceiveCount"]})
        url = sqs.create_queue(QueueName=queue_name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        refs |= {name: url, f"{name}.QueueName": queue_name, f"{name}.Arn": arn}
    return refs


def lambda_record(message: dict, queue_arn: str, region: str) -> dict:
    """A message of ReceiveMessage → the record Lambda hands to the function."""
    return {"messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"], "body": message["Body"],
            "attributes": message.get("Attributes", {}), "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": hashlib.md5(message["Body"].encode()).hexdigest(),
            "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": region}


class QueuePoller(BackgroundPoller):
    """One thread that long-polls one queue and hands its messages to one function, batch by batch."""

    thread_name = "queue-poller"

    def __init__(self, sqs, queue_url: str, queue_arn: str, handler: Callable[[dict], Any], *, region: str,
                 batch_size: int = 10, wait_seconds: int = 1):
        self.sqs, self.queue_url, self.queue_arn, self.handler = sqs, queue_url, queue_arn, handler
        self.region, self.batch_size, self.wait_seconds = region, batch_size, wait_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_function(cls, function: Function, sqs, refs: dict[str, str], invoke: Callable[[Function, dict], Any],
                     region: str) -> QueuePoller:
        """A poller with the settings of the function's `Type: SQS` event in the template."""
        props = function.event_properties("SQS")
        queue = props["Queue"]["Fn::GetAtt"][0]
        return cls(sqs, refs[queue], refs[f"{queue}.Arn"], lambda event: invoke(function, event), region=region,
                   batch_size=int(props.get("BatchSize", 10)))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception as exc:
                log.warning("queue poller: %s (retrying)", exc)
                self._stop.wait(1.0)

    def poll_once(self) -> int:
        """One ReceiveMessage and, when it brought messages, one invocation; answers how many came."""
        messages = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=self.batch_size,
                                            WaitTimeSeconds=self.wait_seconds,
                                            AttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages", [])
        if not messages:
            return 0
        records = [lambda_record(m, self.queue_arn, self.region) for m in messages]
        try:
            answer = self.handler({"Records": records})
        except Exception as exc:  # the whole batch failed: every message comes back after its visibility
            log.warning("queue function failed on a batch of %d: %s", len(records), exc)
            return len(messages)
        failed = {f.get("itemIdentifier") for f in (answer or {}).get("batchItemFailures", []) if isinstance(f, dict)}
        done = [{"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(records)
                if r["messageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=done)
        return len(messages)
