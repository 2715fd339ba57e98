"""GET /i/{token}: what counts as the client opening the invoice, and the sandbox mark, against
DynamoDB Local."""

from __future__ import annotations

import pytest
from fastfaktura.services.public import is_a_view

from tests.helpers.factories import header, make_invoice

PHONE = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/131.0.0.0 Mobile Safari/537.36")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/18.1 Mobile/15E148 Safari/604.1")


def status_after(api, business, **request) -> str:
    invoice_id, token = make_invoice(business.business.id, status="sent")
    answer = api.request(request.pop("method", "GET"), f"/i/{token}", key=None, **request)
    assert answer.status in (200, 405), answer.status
    return header(business.business.id, invoice_id)["status"]


@pytest.mark.parametrize("agent", [PHONE, IPHONE, None])
def test_a_person_opening_the_link_marks_it_opened(api, business, agent):
    headers = {"user-agent": agent} if agent else {}
    assert status_after(api, business, headers=headers) == "opened"


@pytest.mark.parametrize(("name", "value"), [
    ("sec-purpose", "prefetch"), ("sec-purpose", "prefetch;prerender"), ("purpose", "prefetch"),
    ("x-purpose", "preview"), ("x-moz", "prefetch"),
])
def test_a_prefetch_is_not_a_view(api, business, name, value):
    invoice_id, token = make_invoice(business.business.id, status="sent")
    answer = api.get(f"/i/{token}", key=None, headers={"user-agent": PHONE, name: value})
    assert answer.status == 200 and b"F-0001" in answer.body  # the page itself is served
    assert header(business.business.id, invoice_id)["status"] == "sent"
    api.get(f"/i/{token}", key=None, headers={"user-agent": PHONE})
    assert header(business.business.id, invoice_id)["status"] == "opened"


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0", "python-requests/2.32.3", "curl/8.5.0", "Go-http-client/2.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Proofpoint URL Defense",
])
def test_a_link_scanner_is_not_a_view(api, business, agent):
    assert status_after(api, business, headers={"user-agent": agent}) == "sent"


def test_a_head_request_is_not_a_view(api, business):
    assert status_after(api, business, method="HEAD", headers={"user-agent": PHONE}) == "sent"


def test_only_a_get_can_be_a_view():
    assert is_a_view("GET", {"user-agent": PHONE})
    assert is_a_view("get", {})
    for method in ("HEAD", "POST", "OPTIONS"):
        assert not is_a_view(method, {"user-agent": PHONE})


def test_a_sandbox_business_page_is_marked(api, business):
    _, token = make_invoice(business.business.id, locale="sv")
    html = api.get(f"/i/{token}", key=None).body.decode()
    assert '<p class="sandbox" role="note">TEST / sandbox — inte en riktig faktura</p>' in html
    assert html.index('class="sandbox"') < html.index("<h1>")


def test_a_live_business_page_has_no_mark(api, dynamodb):
    from fastfaktura.services.business import create_business

    live = create_business("Atelier Réel", sandbox=False, country="FR", locale="fr")
    _, token = make_invoice(live.business.id)
    html = api.get(f"/i/{token}", key=None).body.decode()
    assert 'class="sandbox"' not in html and "TEST" not in html
