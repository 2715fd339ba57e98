"""Operations, checked on what SAM deploys: every function logs to a log group of its own that expires by
stage and outlives the stack; every queue, every function and the API have alarms, and every alarm reaches
the alarm topic; the scheduled function's failures land in a queue; the public functions' concurrency cap
is a parameter that can be turned off."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.helpers.sam import deployed_routes, translated

ROOT = Path(__file__).resolve().parents[2]
STAGE_RETENTION = {"Fn::FindInMap": ["StageSettings", {"Ref": "Stage"}, "LogRetentionInDays"]}
# The values CloudWatch Logs accepts for RetentionInDays.
CLOUDWATCH_RETENTIONS = {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
                         2557, 2922, 3288, 3653}
TOPIC = {"Ref": "AlarmTopic"}
CAP = {"Fn::If": ["CapsPublicConcurrency", {"Ref": "PublicConcurrencyLimit"}, {"Ref": "AWS::NoValue"}]}


def resources() -> dict:
    return translated()["Resources"]


def of_type(kind: str) -> dict:
    return {name: r for name, r in resources().items() if r["Type"] == kind}


def alarm_metrics(alarm: dict) -> list[tuple[str, str, list]]:
    """(namespace, metric name, dimensions) of each metric an alarm reads, direct or in metric math."""
    props = alarm["Properties"]
    if "MetricName" in props:
        return [(props["Namespace"], props["MetricName"], props.get("Dimensions", []))]
    return [(m["MetricStat"]["Metric"]["Namespace"], m["MetricStat"]["Metric"]["MetricName"],
             m["MetricStat"]["Metric"].get("Dimensions", [])) for m in props["Metrics"] if "MetricStat" in m]


def alarms_on(namespace: str, metric: str, dimension: dict) -> list[dict]:
    return [a["Properties"] for a in of_type("AWS::CloudWatch::Alarm").values()
            if any(ns == namespace and name == metric and dimension in dims for ns, name, dims in alarm_metrics(a))]


def holds(condition: str, **parameters: str) -> bool:
    """The template's condition, evaluated for these parameter values (the others at their defaults)."""
    template = translated()

    def value(node):
        if not isinstance(node, dict):
            return str(node)
        ((function, argument),) = node.items()
        if function == "Ref":
            return str(parameters.get(argument, template["Parameters"][argument].get("Default", "")))
        if function == "Fn::Equals":
            return value(argument[0]) == value(argument[1])
        if function == "Fn::Not":
            return not value(argument[0])
        if function == "Condition":
            return value(template["Conditions"][argument])
        raise AssertionError(f"{function} is not evaluated here")

    return value(template["Conditions"][condition])


# ── Log groups ──

def test_every_function_logs_to_a_log_group_of_its_own():
    owners: dict[str, list[str]] = {}
    for function_id, function in of_type("AWS::Lambda::Function").items():
        group = function["Properties"].get("LoggingConfig", {}).get("LogGroup")
        assert isinstance(group, dict) and set(group) == {"Ref"}, f"{function_id}: no LoggingConfig.LogGroup"
        assert resources()[group["Ref"]]["Type"] == "AWS::Logs::LogGroup", function_id
        owners.setdefault(group["Ref"], []).append(function_id)
    assert len(owners) == len(of_type("AWS::Lambda::Function"))
    assert not {group: ids for group, ids in owners.items() if len(ids) > 1}


def test_every_log_group_expires_by_stage_and_outlives_the_stack():
    groups = of_type("AWS::Logs::LogGroup")
    assert "ApiAccessLogs" in groups
    for group_id, group in groups.items():
        assert (group.get("DeletionPolicy"), group.get("UpdateReplacePolicy")) == ("Retain", "Retain"), group_id
        assert group["Properties"]["RetentionInDays"] == STAGE_RETENTION, group_id


def test_every_stage_of_samconfig_has_its_log_retention():
    template = translated()
    mapping = template["Mappings"]["StageSettings"]
    retention = {stage: settings["LogRetentionInDays"] for stage, settings in mapping.items()}
    assert set(retention) == set(template["Parameters"]["Stage"]["AllowedValues"])
    assert retention == {"dev": 14, "prod": 365}
    assert set(retention.values()) <= CLOUDWATCH_RETENTIONS
    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    stages = {re.search(r"\bStage=(\w+)", env["deploy"]["parameters"]["parameter_overrides"]).group(1)
              for env in config.values() if isinstance(env, dict) and "deploy" in env}
    assert stages and stages <= set(retention)


# ── Queues ──

def parked_queues() -> dict:
    """The queues where what could not be processed waits for a person: every queue but those a function
    consumes (the webhook deliveries' working queue, whose depth is normal traffic)."""
    consumed = {mapping["Properties"]["EventSourceArn"]["Fn::GetAtt"][0]
                for mapping in of_type("AWS::Lambda::EventSourceMapping").values()
                if "Fn::GetAtt" in mapping["Properties"]["EventSourceArn"]}
    return {queue_id: queue for queue_id, queue in of_type("AWS::SQS::Queue").items() if queue_id not in consumed}


def test_every_queue_has_a_depth_alarm():
    queues = parked_queues()
    assert {"TimelineFailureQueue", "OverdueFailureQueue", "WebhookDeadLetterQueue"} <= set(queues)
    for queue_id in queues:
        (alarm,) = alarms_on("AWS/SQS", "ApproximateNumberOfMessagesVisible",
                             {"Name": "QueueName", "Value": {"Fn::GetAtt": [queue_id, "QueueName"]}})
        assert (alarm["Statistic"], alarm["ComparisonOperator"], alarm["Threshold"]) == (
            "Maximum", "GreaterThanThreshold", 0), queue_id
        assert alarm["EvaluationPeriods"] == 1 and alarm["Period"] <= 300, queue_id


def test_every_queue_keeps_its_messages_14_days_encrypted():
    for queue_id, queue in parked_queues().items():
        props = queue["Properties"]
        assert props["MessageRetentionPeriod"] == 14 * 24 * 3600, queue_id  # the longest SQS keeps anything
        assert props.get("SqsManagedSseEnabled") is True or props.get("KmsMasterKeyId"), queue_id


# ── Functions and the API ──

@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_has_an_alarm_on_its_errors_and_throttles(metric):
    for function_id in of_type("AWS::Lambda::Function"):
        (alarm,) = alarms_on("AWS/Lambda", metric, {"Name": "FunctionName", "Value": {"Ref": function_id}})
        assert (alarm["Statistic"], alarm["ComparisonOperator"], alarm["Threshold"]) == (
            "Sum", "GreaterThanThreshold", 0), function_id


def test_the_alarm_dimensions_name_the_api_and_its_stage():
    (stage,) = of_type("AWS::ApiGatewayV2::Stage").values()
    assert stage["Properties"]["ApiId"] == {"Ref": "HttpApi"}
    assert stage["Properties"]["StageName"] == "$default"


def test_the_api_has_an_alarm_on_its_5xx_rate():
    api = {"Name": "ApiId", "Value": {"Ref": "HttpApi"}}
    (alarm,) = alarms_on("AWS/ApiGateway", "5xx", api)
    assert alarm in alarms_on("AWS/ApiGateway", "Count", api)
    ids = {m["Id"]: m for m in alarm["Metrics"]}
    (result,) = [m for m in alarm["Metrics"] if m.get("ReturnData", True)]
    assert re.fullmatch(r"100 \* FILL\((\w+), 0\) / (\w+)", result["Expression"])
    errors, requests = re.fullmatch(r"100 \* FILL\((\w+), 0\) / (\w+)", result["Expression"]).groups()
    assert ids[errors]["MetricStat"]["Metric"]["MetricName"] == "5xx"
    assert ids[requests]["MetricStat"]["Metric"]["MetricName"] == "Count"
    assert all(m["MetricStat"]["Stat"] == "Sum" for m in ids.values() if "MetricStat" in m)
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 1)  # percent


def test_the_api_has_an_alarm_on_its_p99_latency():
    (alarm,) = alarms_on("AWS/ApiGateway", "Latency", {"Name": "ApiId", "Value": {"Ref": "HttpApi"}})
    assert alarm["ExtendedStatistic"] == "p99"
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert 1000 <= alarm["Threshold"] < 29000  # milliseconds, below the API's own integration timeout


def test_every_alarm_notifies_the_alarm_topic():
    alarms = of_type("AWS::CloudWatch::Alarm")
    assert resources()["AlarmTopic"]["Type"] == "AWS::SNS::Topic"
    assert len(alarms) >= 2 * len(of_type("AWS::Lambda::Function")) + len(parked_queues()) + 2
    for alarm_id, alarm in alarms.items():
        props = alarm["Properties"]
        assert props["AlarmActions"] == [TOPIC] and props["OKActions"] == [TOPIC], alarm_id
        assert props.get("ActionsEnabled", True) is True, alarm_id
        assert props["TreatMissingData"] == "notBreaching", alarm_id  # no traffic is not an incident
        assert props["AlarmDescription"], alarm_id


def test_the_email_subscription_exists_only_when_an_address_is_given():
    (subscription,) = of_type("AWS::SNS::Subscription").values()
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"] == {"TopicArn": TOPIC, "Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}}
    assert translated()["Parameters"]["AlarmEmail"]["Default"] == ""
    assert not holds("HasAlarmEmail")
    assert holds("HasAlarmEmail", AlarmEmail="ops@example.com")


# ── The schedule ──

def _queue_of(arn: dict) -> str:
    queue_id, attribute = arn["Fn::GetAtt"]
    assert attribute == "Arn" and resources()[queue_id]["Type"] == "AWS::SQS::Queue", arn
    return queue_id


def _may_send_to(role_id: str, queue_id: str) -> bool:
    arn = {"Fn::GetAtt": [queue_id, "Arn"]}
    return any(statement["Effect"] == "Allow" and "sqs:SendMessage" in statement["Action"] and arn in (
        statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]])
        for policy in resources()[role_id]["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"])


def test_every_schedule_keeps_what_it_could_not_deliver():
    schedules = of_type("AWS::Scheduler::Schedule")
    assert schedules
    for schedule_id, schedule in schedules.items():
        target = schedule["Properties"]["Target"]
        queue_id = _queue_of(target["DeadLetterConfig"]["Arn"])
        assert 0 <= target["RetryPolicy"]["MaximumRetryAttempts"] <= 5, schedule_id
        assert _may_send_to(target["RoleArn"]["Fn::GetAtt"][0], queue_id), schedule_id


def test_every_scheduled_function_keeps_its_failed_runs():
    """Scheduler invokes asynchronously: once Lambda has accepted a run, only its on-failure destination
    keeps a run that failed after Lambda's retries."""
    for schedule in of_type("AWS::Scheduler::Schedule").values():
        function_id = schedule["Properties"]["Target"]["Arn"]["Fn::GetAtt"][0]
        (config,) = [c["Properties"] for c in of_type("AWS::Lambda::EventInvokeConfig").values()
                     if c["Properties"]["FunctionName"] == {"Ref": function_id}]
        queue_id = _queue_of(config["DestinationConfig"]["OnFailure"]["Destination"])
        assert 0 <= config["MaximumRetryAttempts"] <= 2
        role_id = resources()[function_id]["Properties"]["Role"]["Fn::GetAtt"][0]
        assert _may_send_to(role_id, queue_id), function_id


# ── Reserved concurrency ──

def test_only_the_public_functions_have_a_concurrency_cap_off_by_default():
    public = {function_id for (_, path), function_id in deployed_routes().items() if path.startswith("/i/")}
    assert {"PublicPageFunction", "PublicPdfFunction", "PublicPayFunction"} <= public
    for function_id, function in of_type("AWS::Lambda::Function").items():
        reserved = function["Properties"].get("ReservedConcurrentExecutions")
        assert reserved == (CAP if function_id in public else None), function_id
    parameter = translated()["Parameters"]["PublicConcurrencyLimit"]
    assert (parameter["Type"], parameter["Default"], parameter["MinValue"]) == ("Number", 0, 0)
    assert not holds("CapsPublicConcurrency")  # 0: unreserved (a reservation of 0 would stop them all)
    assert holds("CapsPublicConcurrency", PublicConcurrencyLimit="10")


# ── checkov's skip list ──

def test_every_checkov_skip_says_why():
    text = (ROOT / ".checkov.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    assert config["framework"] == ["cloudformation"]
    skips = config["skip-check"]
    assert len(skips) == len(set(skips))
    for check in skips:
        (line,) = [line for line in text.splitlines() if re.match(rf"\s*- {check}\s", line)]
        reason = line.partition("#")[2].strip()
        assert len(reason.split()) >= 8, f"{check}: no reason given"
