"""Nothing is lost: the data survives a bad deploy, a bad write and a failing stream function, and no
deployed code can delete a client, an invoice or an event (checked on what SAM deploys)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers.sam import translated

ROOT = Path(__file__).resolve().parents[2]
# Actions that can remove or overwrite-away data. BatchWriteItem is here because its DeleteRequest needs
# no other permission; TTL expiry (idempotency records) is done by DynamoDB itself, not by a function.
DESTRUCTIVE_ACTIONS = {
    "dynamodb:deleteitem", "dynamodb:batchwriteitem", "dynamodb:deletetable", "dynamodb:deletebackup",
    "dynamodb:updatetable", "dynamodb:updatecontinuousbackups", "dynamodb:updatetimetolive",
    "s3:deleteobject", "s3:deleteobjectversion", "s3:deletebucket", "s3:putbucketversioning",
    "s3:putlifecycleconfiguration", "s3:deletebucketpolicy", "s3:putbucketpolicy",
}


def resources() -> dict:
    return translated()["Resources"]


def of_type(kind: str) -> dict:
    return {name: r for name, r in resources().items() if r["Type"] == kind}


def test_the_table_is_retained_backed_up_and_encrypted():
    (table,) = of_type("AWS::DynamoDB::Table").values()
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    props = table["Properties"]
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"


def test_the_pdf_bucket_is_retained_versioned_private_and_encrypted():
    (bucket,) = of_type("AWS::S3::Bucket").values()
    assert bucket["DeletionPolicy"] == "Retain"
    assert bucket["UpdateReplacePolicy"] == "Retain"
    props = bucket["Properties"]
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    rules = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rules and all(r["ServerSideEncryptionByDefault"]["SSEAlgorithm"] for r in rules)


def test_the_stream_function_retries_boundedly_and_keeps_what_it_cannot_process():
    mappings = [m for m in of_type("AWS::Lambda::EventSourceMapping").values()
                if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["Table", "StreamArn"]}]
    assert len(mappings) == 2  # the timeline and the webhook events
    for mapping in mappings:
        props = mapping["Properties"]
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert props["BisectBatchOnFunctionError"] is True
        assert 0 <= props["MaximumRetryAttempts"] <= 10  # -1 would retry a poison record for ever
        assert 60 <= props["MaximumRecordAgeInSeconds"] <= 86400
        destination = props["DestinationConfig"]["OnFailure"]["Destination"]
        queue_name = destination["Fn::GetAtt"][0]
        queue = resources()[queue_name]
        assert queue["Type"] == "AWS::SQS::Queue"
        assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600  # the longest SQS keeps anything


def test_webhook_deliveries_retry_for_3_days_and_end_in_an_alarmed_dead_letter_queue():
    (mapping,) = [m for m in of_type("AWS::Lambda::EventSourceMapping").values()
                  if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["WebhookQueue", "Arn"]}]
    assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = resources()["WebhookQueue"]["Properties"]
    assert queue["MessageRetentionPeriod"] >= 3 * 24 * 3600 + 12 * 3600  # the window and the last delay
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["WebhookDeadLetterQueue", "Arn"]}
    assert queue["RedrivePolicy"]["maxReceiveCount"] > 12 + 1  # the schedule's attempts never reach it
    function = resources()[mapping["Properties"]["FunctionName"]["Ref"]]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * function["Timeout"]
    dead_letter = {"Name": "QueueName", "Value": {"Fn::GetAtt": ["WebhookDeadLetterQueue", "QueueName"]}}
    (alarm,) = [a for a in of_type("AWS::CloudWatch::Alarm").values()
                if a["Properties"].get("Dimensions") == [dead_letter]]
    assert alarm["Properties"]["Threshold"] == 0


def _allowed_actions(policy_document: dict) -> set[str]:
    statements = policy_document["Statement"]
    statements = statements if isinstance(statements, list) else [statements]
    actions = set()
    for statement in statements:
        if statement.get("Effect") == "Allow":
            action = statement.get("Action", [])
            actions |= {a.lower() for a in (action if isinstance(action, list) else [action])}
    return actions


def _destructive(actions: set[str]) -> set[str]:
    hits = actions & DESTRUCTIVE_ACTIONS
    hits |= {a for a in actions if a in ("*", "dynamodb:*", "s3:*") or a.endswith(":delete*")}
    return hits


def test_no_function_may_delete_anything():
    roles = of_type("AWS::IAM::Role")
    assert roles
    for name, role in roles.items():
        assert not role["Properties"].get("ManagedPolicyArns", []) or all(
            arn.endswith(("/AWSLambdaBasicExecutionRole", "/AWSXrayWriteOnlyAccess",
                          "/AWSLambdaDynamoDBExecutionRole", "/AWSLambdaSQSQueueExecutionRole"))
            for arn in role["Properties"]["ManagedPolicyArns"]), name
        for policy in role["Properties"].get("Policies", []):
            destructive = _destructive(_allowed_actions(policy["PolicyDocument"]))
            assert not destructive, f"{name} may {sorted(destructive)}"


def test_no_function_may_scan_the_table():
    """Every access is a key lookup or a Query: IAM refuses a Scan too (SAM's DynamoDBReadPolicy would grant it)."""
    for name, role in of_type("AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            actions = _allowed_actions(policy["PolicyDocument"])
            assert not {a for a in actions if a in ("dynamodb:scan", "dynamodb:*", "*")}, f"{name} may scan"


def _deployed_python_files() -> list[Path]:
    """What Lambda runs: the functions and the core layer (the layer build drops fastfaktura/devstack)."""
    core = ROOT / "layers/core/fastfaktura"
    files = [p for p in core.rglob("*.py") if "devstack" not in p.relative_to(core).parts]
    return files + sorted((ROOT / "functions").rglob("*.py"))


def _dynamodb_calls(tree: ast.AST) -> set[str]:
    """Names of client methods called (`x.scan(...)`) and of paginators asked for (`get_paginator("scan")`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            names.add(node.func.attr)
            if node.func.attr == "get_paginator" and node.args and isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
    return names


def test_no_deployed_code_scans_or_deletes():
    forbidden = {"scan", "delete_item", "batch_write_item", "delete_table", "delete_object", "delete_objects"}
    offenders = {}
    for path in _deployed_python_files():
        hits = _dynamodb_calls(ast.parse(path.read_text(encoding="utf-8"))) & forbidden
        if hits:
            offenders[str(path.relative_to(ROOT))] = sorted(hits)
    assert not offenders, offenders


def test_no_route_deletes_anything_but_archives():
    """The DELETE routes archive a client (it answers the client with `archived_at` set) or disable a
    webhook endpoint (`enabled: false`, `disabled_reason: deleted`)."""
    from fastfaktura.tools.template import routes

    deletes = {(r.method, r.path) for r in routes() if r.method == "DELETE"}
    assert deletes <= {("DELETE", "/api/v1/clients/{id}"), ("DELETE", "/api/v1/webhook-endpoints/{id}")}
