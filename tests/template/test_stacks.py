"""Two stacks of the template (samconfig's dev and prod) can live in one account and region: no resource
has a fixed physical name that the second stack would fail to create."""

from __future__ import annotations

import json

from tests.helpers.sam import translated

UNIQUE_NAMES = {
    "AWS::DynamoDB::Table": "TableName", "AWS::S3::Bucket": "BucketName", "AWS::Lambda::Function": "FunctionName",
    "AWS::SQS::Queue": "QueueName", "AWS::IAM::Role": "RoleName", "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::Scheduler::Schedule": "Name", "AWS::ApiGatewayV2::Api": "Name",
}


def test_no_fixed_physical_names():
    fixed = {}
    for logical_id, resource in translated()["Resources"].items():
        name = resource.get("Properties", {}).get(UNIQUE_NAMES.get(resource["Type"], ""))
        if name is not None and "AWS::StackName" not in json.dumps(name):
            fixed[logical_id] = name
    assert not fixed, fixed
