"""template.yaml as SAM deploys it, translated in-process with aws-sam-translator (no AWS account)."""

from __future__ import annotations

import copy
import os
import re
from functools import cache


@cache
def translated() -> dict:
    """The CloudFormation that SAM makes of template.yaml (local code paths stand in as S3 keys)."""
    from fastfaktura.tools.template import load
    from samtranslator.translator.transform import transform

    template = copy.deepcopy(load())
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str):
                props[key] = f"s3://fastfaktura-artifacts/{props[key]}"
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    return transform(template, {}, None)


def deployed_routes() -> dict[tuple[str, str], str]:
    """(METHOD, path) → the logical id of the Lambda function its integration invokes."""
    body = translated()["Resources"]["HttpApi"]["Properties"]["Body"]
    found = {}
    for path, item in body["paths"].items():
        for method, operation in item.items():
            uri = operation["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
            function_id = re.search(r"\$\{(\w+)\.Arn\}", uri).group(1)
            method = "ANY" if method == "x-amazon-apigateway-any-method" else method.upper()
            found[(method, path)] = function_id
    return found


if __name__ == "__main__":
    # `python -m tests.helpers.sam OUT.json`: what checkov scans (`make checkov`), since it cannot expand SAM.
    import json
    import sys
    from pathlib import Path

    Path(sys.argv[1]).write_text(json.dumps(translated(), indent=1), encoding="utf-8")
