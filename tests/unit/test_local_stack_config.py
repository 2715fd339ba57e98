"""What the local stack derives from template.yaml: the functions' environment and the event a
scheduled function gets from `fastfaktura invoke` without --event."""

from __future__ import annotations

import pytest
from fastfaktura.devstack.stack import Endpoints, environment, schedule_event
from fastfaktura.tools.template import functions, parameter_defaults, resolve

ENDPOINTS = Endpoints(api_base_url="http://127.0.0.1:3000", dynamodb="http://127.0.0.1:8000",
                      moto="http://127.0.0.1:5000", region="eu-north-1", table="fastfaktura-local",
                      bucket="fastfaktura-local-pdfs", stream_arn="arn:aws:dynamodb:ddblocal:0:table/t/stream/x",
                      sender_email="factures@atelier.test")


def test_the_environment_resolves_the_template_for_the_local_resources(monkeypatch):
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY", "sk_test_local")
    monkeypatch.delenv("STRIPE_TEST_WEBHOOK_SECRET", raising=False)
    env = environment(ENDPOINTS)
    assert env["TABLE_NAME"] == "fastfaktura-local"
    assert env["BUCKET_NAME"] == "fastfaktura-local-pdfs"
    assert env["PUBLIC_BASE_URL"] == "http://127.0.0.1:3000"
    assert env["SENDER_EMAIL"] == "factures@atelier.test"
    assert env["POWERTOOLS_SERVICE_NAME"] == "fastfaktura"
    assert env["STAGE"] == parameter_defaults()["Stage"]
    assert env["STRIPE_TEST_SECRET_KEY_PARAMETER"] == parameter_defaults()["StripeTestSecretKeyParameter"]
    assert env["STRIPE_TEST_SECRET_KEY"] == "sk_test_local" and "STRIPE_TEST_WEBHOOK_SECRET" not in env
    for service in ("DYNAMODB", "DYNAMODB_STREAMS"):
        assert env[f"AWS_ENDPOINT_URL_{service}"] == "http://127.0.0.1:8000"
    for service in ("S3", "SES", "SESV2", "SNS", "SSM"):
        assert env[f"AWS_ENDPOINT_URL_{service}"] == "http://127.0.0.1:5000"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-north-1"
    assert env["POWERTOOLS_TRACE_DISABLED"] == env["POWERTOOLS_METRICS_DISABLED"] == "true"
    assert all(isinstance(value, str) for value in env.values())


def test_the_scheduled_function_gets_eventbridge_schedulers_notification():
    overdue = next(f for f in functions().values() if f.event_of_type("Schedule", "ScheduleV2"))
    event = schedule_event(overdue, "eu-west-1")
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] in ("aws.scheduler", "aws.events")
    assert event["region"] == "eu-west-1" and event["account"]
    assert event["resources"][0].startswith("arn:aws:")
    assert event["time"].endswith("Z")


def test_a_function_without_a_schedule_needs_an_event():
    assert schedule_event(functions()["BusinessGetFunction"], "eu-west-1") is None


@pytest.mark.parametrize(("value", "expected"), [
    ({"Ref": "Table"}, "fastfaktura-local"),
    ({"Fn::GetAtt": ["Table", "Arn"]}, "arn:table"),
    ({"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:p${Name}"}, "arn:aws:ssm:eu-west-1:p/ff/key"),
    ({"Fn::Sub": ["${Prefix}-${Table}", {"Prefix": {"Ref": "Stage"}}]}, "dev-fastfaktura-local"),
    ("plain", "plain"),
])
def test_cloudformation_functions_resolve(value, expected):
    refs = {"Table": "fastfaktura-local", "Table.Arn": "arn:table", "AWS::Partition": "aws",
            "AWS::Region": "eu-west-1", "Name": "/ff/key", "Stage": "dev"}
    assert resolve(value, refs) == expected
