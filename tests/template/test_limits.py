"""The template's abuse limits and least-privilege rules: the sending limits reach the send function as
the settings read them, the public functions' concurrency can be reserved, the pay function writes only
inside invoice partitions, and each Stripe mode has its own key and webhook secret."""

from __future__ import annotations

import pytest
from fastfaktura import settings
from fastfaktura.tools.template import load, parameter_defaults

from tests.helpers.sam import translated

PUBLIC = ("PublicPageFunction", "PublicPdfFunction", "PublicPayFunction")


def test_the_send_functions_limits_are_parameters_the_settings_read():
    variables = load()["Resources"]["InvoicesSendFunction"]["Properties"]["Environment"]["Variables"]
    assert {name: value["Ref"] for name, value in variables.items()} == {
        "EMAIL_DAILY_QUOTA": "EmailDailyQuota", "SMS_DAILY_QUOTA": "SmsDailyQuota",
        "RESEND_COOLDOWN_SECONDS": "ResendCooldownSeconds", "DELIVERIES_PER_INVOICE": "DeliveriesPerInvoice",
        "SMS_COUNTRIES": "SmsCountries"}
    defaults = parameter_defaults()
    env = {"TABLE_NAME": "t-1", "BUCKET_NAME": "b-1", "SENDER_EMAIL": "a@b.example",
           **{name: str(defaults[value["Ref"]]) for name, value in variables.items()}}
    limits = settings.Settings.from_environment(env).send_limits
    assert limits == settings.SendLimits()  # the template's defaults are the settings' own
    assert {"FR", "NO", "SE", "DK", "DE", "IT"} <= limits.sms_countries and "US" not in limits.sms_countries


def test_public_functions_reserve_concurrency_only_when_asked():
    resources = load()["Resources"]
    for name in PUBLIC:
        reserved = resources[name]["Properties"]["ReservedConcurrentExecutions"]
        assert reserved == {"Fn::If": ["CapsPublicConcurrency", {"Ref": "PublicConcurrencyLimit"},
                                       {"Ref": "AWS::NoValue"}]}
    assert parameter_defaults()["PublicConcurrencyLimit"] in (0, "0")


def test_the_pay_function_writes_only_inside_invoice_partitions():
    role = translated()["Resources"]["PublicPayFunctionRole"]["Properties"]
    writes = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]
              if any(a.startswith("dynamodb:") and not a.endswith(("GetItem", "Query")) for a in _actions(s))]
    assert [(s["Action"], s["Condition"]) for s in writes] == [
        (["dynamodb:PutItem"], {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["BIZ#*#INV#*"]}})]


@pytest.mark.parametrize(("function", "writes_allowed"), [
    ("PublicPageFunction", (["dynamodb:UpdateItem"], ["BIZ#*#INV#*"])),
    # a payment (its item and the invoice's balance) and a refund's status on its credit note
    ("StripeWebhookFunction", (["dynamodb:PutItem", "dynamodb:UpdateItem"], ["BIZ#*#INV#*", "BIZ#*#CN#*"]))])
def test_the_page_and_the_webhook_only_update_invoices_and_read_no_secret_they_do_not_use(function, writes_allowed):
    role = translated()["Resources"][f"{function}Role"]["Properties"]
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    writes = [s for s in statements if any(a.startswith("dynamodb:") and not a.endswith(("GetItem", "Query"))
                                           for a in _actions(s))]
    actions, partitions = writes_allowed
    assert [(s["Action"], s["Condition"]) for s in writes] == [
        (actions, {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": partitions}})]
    ssm = [s for s in statements if "ssm:GetParameter" in _actions(s)]
    assert (function == "PublicPageFunction") is (ssm == [])


def test_each_stripe_mode_has_its_own_key_and_webhook_secret():
    resources = load()["Resources"]
    for function, kind in (("PublicPayFunction", "SECRET_KEY"), ("StripeWebhookFunction", "WEBHOOK_SECRET")):
        variables = resources[function]["Properties"]["Environment"]["Variables"]
        assert {variables[f"STRIPE_{mode}_{kind}_PARAMETER"]["Ref"] for mode in ("TEST", "LIVE")} == {
            f"Stripe{mode}{kind.title().replace('_', '')}Parameter" for mode in ("Test", "Live")}
    defaults = parameter_defaults()
    names = {defaults[f"Stripe{m}{k}Parameter"] for m in ("Test", "Live") for k in ("SecretKey", "WebhookSecret")}
    assert len(names) == 4


def _actions(statement: dict) -> list[str]:
    action = statement.get("Action", [])
    return [action] if isinstance(action, str) else action


def test_every_authenticated_function_may_count_its_businesss_requests():
    resources = load()["Resources"]
    authenticated = {name for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"
                     for event in (r["Properties"].get("Events") or {}).values()
                     if event["Type"] == "HttpApi" and str(event["Properties"]["Path"]).startswith("/api/v1/")
                     and not event["Properties"]["Path"].endswith("openapi.json")}
    policy = resources["RequestBudgetPolicy"]["Properties"]
    assert {role["Ref"].removesuffix("Role") for role in policy["Roles"]} == authenticated
    [statement] = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == ["dynamodb:UpdateItem"]
    assert statement["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["BIZ#*"]}}
    assert load()["Globals"]["Function"]["Environment"]["Variables"]["BUSINESS_REQUESTS_PER_MINUTE"] == {
        "Ref": "BusinessRequestsPerMinute"}
    assert int(parameter_defaults()["BusinessRequestsPerMinute"]) > 0
    translated()  # SAM accepts the generated roles as the policy's


def test_the_access_log_names_the_route_never_the_path_with_its_token():
    log_format = load()["Resources"]["HttpApi"]["Properties"]["AccessLogSettings"]["Format"]
    assert '"route":"$context.routeKey"' in log_format  # GET /i/{token}, not the token itself
    assert "$context.path" not in log_format and "$context.resourcePath" not in log_format
