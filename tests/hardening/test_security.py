"""Security properties: no API key in clear anywhere in the table after a full flow, public tokens and keys
of at least 128 random bits, 401s of one shape whatever was wrong with the key, and a private bucket whose
PDFs leave only through the API."""

from __future__ import annotations

import ast
import base64
import math
from pathlib import Path

from fastfaktura.tools.template import routes

from tests.helpers.api import Api, assert_error
from tests.helpers.sam import translated

ROOT = Path(__file__).resolve().parents[2]


def partition(pk: str) -> list[dict]:
    """Every item of one partition, read with a Query (request code never scans; neither does this test)."""
    from fastfaktura.store import db

    pages = db.client().get_paginator("query").paginate(
        TableName=db.table_name(), KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": pk}},
        ConsistentRead=True)
    return [item for page in pages for item in page["Items"]]


def api_key_items(key_id: str) -> list[dict]:
    from fastfaktura.store import db, keys

    answer = db.client().query(TableName=db.table_name(), IndexName="GSI1",
                               KeyConditionExpression="GSI1PK = :pk",
                               ExpressionAttributeValues={":pk": {"S": keys.api_key_id_gsi1pk(key_id)}})
    return answer["Items"]


def test_no_api_key_is_stored_in_clear_after_a_full_flow(dynamodb, aws_emulation):
    from fastfaktura.domain import api_keys
    from fastfaktura.services.business import create_api_key, create_business, revoke_api_key
    from fastfaktura.store import keys

    created = create_business("Clear Text SAS", sandbox=True, country="FR", locale="fr")
    second = create_api_key(created.business.id)
    revoke_api_key(second)
    presented = [created.api_key, second]
    api, bearer = Api(created.api_key), Api(None)
    bearer_headers = {"authorization": f"Bearer {created.api_key}"}
    client = api.post("/api/v1/clients", {"name": "Client", "email": "c@example.com", "phone": "+33612345678"},
                      headers={"idempotency-key": "flow-client"}).json
    invoice_ids = []
    for action in ("send", "mark-paid", "cancel"):
        invoice = api.post("/api/v1/invoices", {"client_id": client["id"], "currency": "EUR", "lines": [
            {"description": "Audit", "quantity": 1, "unit_price_cents": 1000, "tax_rate": 20}]},
            headers={"idempotency-key": f"flow-{action}"}).json
        invoice_ids.append(invoice["id"])
        send = api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["email", "sms", "link"]},
                        headers={"idempotency-key": f"flow-send-{action}"})
        assert send.status == 200, send.body
        assert api.get(f"/api/v1/invoices/{invoice['id']}/pdf").status == 200
        assert bearer.get(invoice["public_url"].split("127.0.0.1:3000", 1)[1]).status == 200
        if action != "send":
            assert bearer.post(f"/api/v1/invoices/{invoice['id']}/{action}", headers=bearer_headers).status == 200
    api.put("/api/v1/business", {"email": "owner@example.com"})
    assert Api(second).get("/api/v1/business").status == 401

    items = partition(keys.business_pk(created.business.id))
    for invoice_id in invoice_ids:
        items += partition(keys.invoice_pk(created.business.id, invoice_id))
    for key in presented:
        items += api_key_items(api_keys.key_id(key))
    assert len(items) > 20
    text = repr(items)
    for key in presented:
        secret = key[len("ffk_test_"):]
        assert key not in text and secret not in text
        # The key id (its first 16 characters) is stored by design; what follows it never is, in any part.
        rest = key[16:]
        assert all(rest[i:i + 12] not in text for i in range(len(rest) - 11))
        assert api_keys.key_hash(key) in text  # stored as its hash only


def test_public_tokens_and_api_keys_carry_at_least_128_random_bits():
    from fastfaktura.domain import api_keys
    from fastfaktura.services.invoices import new_public_token

    tokens = {new_public_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert all(len(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))) * 8 >= 128 for t in tokens)
    keys = {api_keys.new_key(sandbox=True) for _ in range(2000)}
    assert len(keys) == 2000
    alphabet = set("".join(k[len("ffk_test_"):] for k in keys))
    assert all(len(k) - len("ffk_test_") >= 22 for k in keys)
    assert min(len(k) - len("ffk_test_") for k in keys) * math.log2(len(alphabet)) >= 128


def _shape(answer) -> tuple:
    body = answer.json
    body["error"].pop("request_id")
    headers = {name for name in answer.headers if name != "apigw-requestid"}
    return answer.status, tuple(sorted(headers)), body


PRIVATE_ROUTES = [r for r in routes() if r.path.startswith("/api/v1/") and r.path != "/api/v1/openapi.json"]


def test_every_401_has_the_same_shape_on_every_private_route_whatever_was_wrong_with_the_key(business):
    from fastfaktura.domain import api_keys
    from fastfaktura.services.business import create_api_key, revoke_api_key

    revoked = create_api_key(business.business.id)
    revoke_api_key(revoked)
    variants = [{}, {"x-api-key": revoked}, {"x-api-key": api_keys.new_key(sandbox=True)},
                {"x-api-key": api_keys.new_key(sandbox=False)}, {"authorization": f"Bearer {revoked}"},
                {"x-api-key": "ffk_test_short"}, {"x-api-key": business.api_key[:-1]}]
    assert len(PRIVATE_ROUTES) >= 15
    shapes: dict[str, list[str]] = {}
    for route in PRIVATE_ROUTES:
        path = route.path.replace("{id}", "01a21591-f751-76d0-9f54-fe64b973c4d4")
        body = {} if route.method in ("POST", "PUT") else None
        for headers in variants:
            answer = Api(None).request(route.method, path, body, headers=headers)
            assert_error(answer, 401, "authentication_error")
            shapes.setdefault(repr(_shape(answer)), []).append(f"{route.method} {route.path} {sorted(headers)}")
    assert len(shapes) == 1, shapes


# --- the bucket --------------------------------------------------------------------------------------------


def resources() -> dict:
    return translated()["Resources"]


def test_no_bucket_policy_or_acl_makes_anything_public():
    for name, resource in resources().items():
        if resource["Type"] == "AWS::S3::Bucket":
            props = resource["Properties"]
            assert props.get("AccessControl", "Private") == "Private", name
            assert "WebsiteConfiguration" not in props, name
            assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]  # no ACLs
        if resource["Type"] == "AWS::S3::BucketPolicy":
            statements = resource["Properties"]["PolicyDocument"]["Statement"]
            for statement in statements if isinstance(statements, list) else [statements]:
                assert statement["Effect"] == "Deny", f"{name} grants {statement}"


def test_only_functions_read_pdfs_and_none_can_share_them():
    """Roles are assumed only by Lambda (and the scheduler that starts a function), and none of them may
    change the bucket's policy, its ACLs or an object's."""
    for name, resource in resources().items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for trust in resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            assert set(trust["Principal"]) == {"Service"}, name  # assumed by an AWS service, never an account
            assert set(trust["Principal"]["Service"]) <= {"lambda.amazonaws.com", "scheduler.amazonaws.com"}, name
        for policy in resource["Properties"].get("Policies", []):
            statements = policy["PolicyDocument"]["Statement"]
            for statement in statements if isinstance(statements, list) else [statements]:
                actions = statement.get("Action", [])
                actions = [a.lower() for a in (actions if isinstance(actions, list) else [actions])]
                assert not [a for a in actions if a.startswith(("s3:putobjectacl", "s3:putbucketacl",
                                                                "s3:putbucketpolicy", "s3:putbucketpublicaccess"))]


def test_no_deployed_code_presigns_or_publishes_a_pdf():
    """PDFs leave only through the API: no presigned URL, no ACL on an object, no public-read anything."""
    core = ROOT / "layers/core/fastfaktura"
    files = [p for p in core.rglob("*.py") if "devstack" not in p.relative_to(core).parts]
    files += sorted((ROOT / "functions").rglob("*.py"))
    offenders = {}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {node.func.attr for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
        keywords = {kw.arg for node in ast.walk(tree) if isinstance(node, ast.Call) for kw in node.keywords}
        hits = calls & {"generate_presigned_url", "generate_presigned_post", "put_object_acl", "put_bucket_acl",
                        "put_bucket_policy"}
        hits |= keywords & {"ACL", "GrantRead", "GrantFullControl"}
        if hits:
            offenders[str(path.relative_to(ROOT))] = sorted(hits)
    assert not offenders, offenders


def test_keys_stay_out_of_the_logs_of_failing_requests_too(api, business):
    """The observability test covers a 500 with a traceback; here: a 503 after throttling, a 422, a 404 and a
    revoked key's 401, with the event logging switched on."""
    import os

    from fastfaktura.services.business import create_api_key, revoke_api_key
    from fastfaktura.store import db

    from tests.helpers.faults import Failing, dynamodb_error
    from tests.helpers.logs import captured_logs

    revoked = create_api_key(business.business.id)
    revoke_api_key(revoked)
    previous = os.environ.get("POWERTOOLS_LOGGER_LOG_EVENT")
    os.environ["POWERTOOLS_LOGGER_LOG_EVENT"] = "true"
    try:
        with captured_logs() as logs:
            with Failing(db.client(), "TransactWriteItems", lambda: dynamodb_error("ThrottlingException")):
                busy = api.post("/api/v1/clients", {"name": "Busy"})
            invalid = api.post("/api/v1/clients", {"name": ""}, headers={"authorization": f"Bearer {business.api_key}"})
            missing = api.get("/api/v1/clients/01a21591-f751-76d0-9f54-fe64b973c4d4")
            refused = api.get("/api/v1/business", key=revoked)
    finally:
        if previous is None:
            os.environ.pop("POWERTOOLS_LOGGER_LOG_EVENT", None)
        else:
            os.environ["POWERTOOLS_LOGGER_LOG_EVENT"] = previous
    assert [busy.status, invalid.status, missing.status, refused.status] == [503, 422, 404, 401]
    text = logs.getvalue()
    assert "dependency busy" in text  # the 503 was logged
    for key in (business.api_key, revoked):
        assert key[len("ffk_test_"):] not in text
