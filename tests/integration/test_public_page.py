"""GET /i/{token}: the public invoice page, against DynamoDB Local."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastfaktura import settings

from tests.helpers.aws import dynamodb_calls
from tests.helpers.factories import header, make_invoice


@pytest.fixture(autouse=True)
def no_stripe(monkeypatch):
    """No Stripe key unless a test sets one (a developer's shell may have one)."""
    for name in ("STRIPE_TEST_SECRET_KEY", "STRIPE_TEST_SECRET_KEY_PARAMETER", "STRIPE_LIVE_SECRET_KEY",
                 "STRIPE_LIVE_SECRET_KEY_PARAMETER", "STRIPE_API_BASE", "STRIPE_PAYMENT_MODES"):
        monkeypatch.delenv(name, raising=False)
    settings.get.cache_clear()


def page(api, token: str, **kw):
    return api.get(f"/i/{token}", key=None, **kw)


def text_of(body: bytes) -> str:
    """The page's visible text: style and tags removed, entities decoded, all spaces plain and single."""
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", body.decode(), flags=re.S))
    return re.sub(r"\s+", " ", unescape(visible).replace("\u202f", " ").replace("\xa0", " "))


@pytest.mark.parametrize(("locale", "expected"), [
    ("fr", ["Facture F-0001", "Total TTC", "664,72 €", "TVA 20 % sur 509,99 €", "102,00 €",
            "TVA 5,5 % sur 49,98 €", "2,75 €", "Date d'échéance", "Télécharger le PDF", "2,5"]),
    ("en", ["Invoice F-0001", "Total", "€664.72", "VAT 20% on €509.99", "VAT 5.5% on €49.98", "Due date",
            "Download PDF", "2.5"]),
    ("nb", ["Faktura F-0001", "Å betale", "664,72 €", "MVA 20 % av 509,99 €", "Forfallsdato", "Last ned PDF"]),
    ("sv", ["Faktura F-0001", "Att betala", "664,72 €", "Moms 20 % på 509,99 €", "Förfallodatum",
            "Ladda ner PDF", "À-pris", "Frankrike"]),
])
def test_page_is_in_the_clients_locale(api, business, locale, expected):
    _, token = make_invoice(business.business.id, locale=locale)
    answer = page(api, token)
    assert answer.status == 200, answer.body[:300]
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.body.decode()
    assert f'<html lang="{locale}">' in html
    text = text_of(answer.body)
    for fragment in expected:
        assert fragment in text, fragment


def test_page_shows_seller_lines_totals_and_pdf_link(api, business):
    api.put("/api/v1/business", {"vat_number": "FR11123456782", "address": "3 quai Voltaire\n75007 Paris",
                                 "iban": "FR76 3000 6000 0112 3456 7890 189", "country": "FR",
                                 "company_id": "12345678200002"})
    _, token = make_invoice(business.business.id, notes="Merci pour votre confiance.")
    html = page(api, token).body.decode()
    text = text_of(page(api, token).body)
    assert "Atelier Test" in text and "FR11123456782" in text and "3 quai Voltaire" in text
    assert "Client Exemple SA" in text and "12 rue des Lilas" in text and "France" in text  # not "FR"
    # the registration numbers as the PDF prints them
    assert '<dt>SIRET</dt><dd><span class="nowrap">123 456 782 00002</span></dd>' in html
    assert '<dt>TVA intracommunautaire</dt><dd><span class="nowrap">FR11123456782</span></dd>' in html
    assert "Conseil stratégique" in text and "Heures de support" in text
    assert "Livres &lt;reliés&gt; &amp; brochés" in html  # escaped, never markup
    assert "559,97 €" in text  # subtotal
    assert "FR76 3000 6000 0112 3456 7890 189" in text
    assert "Merci pour votre confiance." in text
    assert f'href="/i/{token}/pdf"' in html
    assert '<th scope="col"' in html and "<caption" in html
    assert 'name="viewport"' in html
    assert "<script" not in html


def test_first_view_marks_sent_invoice_opened_once(api, business):
    invoice_id, token = make_invoice(business.business.id, status="sent")
    assert page(api, token).status == 200
    first = header(business.business.id, invoice_id)
    assert first["status"] == "opened"
    assert first["opened_at"]
    assert page(api, token).status == 200
    second = header(business.business.id, invoice_id)
    assert second["opened_at"] == first["opened_at"]
    assert second["version"] == first["version"]  # no write at all on later views


def test_first_view_is_one_conditional_write(api, business, dynamodb):
    invoice_id, token = make_invoice(business.business.id, status="sent")
    with dynamodb_calls() as first:
        page(api, token)
    with dynamodb_calls() as calls:
        page(api, token)
    assert first.count("UpdateItem") == 1
    assert "UpdateItem" not in calls and "PutItem" not in calls
    assert "Scan" not in first + calls
    assert len(first) == 4  # token → invoice (2 Queries), seller + client (1 BatchGetItem), opened
    assert header(business.business.id, invoice_id)["status"] == "opened"


@pytest.mark.parametrize("status", ["draft", "paid", "cancelled", "overdue"])
def test_view_moves_only_a_sent_invoice(api, business, status):
    invoice_id, token = make_invoice(business.business.id, status=status)
    before = header(business.business.id, invoice_id)
    assert page(api, token).status == 200
    after = header(business.business.id, invoice_id)
    assert after["status"] == status
    assert after["version"] == before["version"]


def test_paid_and_cancelled_states_are_shown(api, business):
    _, paid = make_invoice(business.business.id, status="paid", locale="en")
    _, cancelled = make_invoice(business.business.id, status="cancelled", locale="en")
    assert "Paid on" in text_of(page(api, paid).body)
    assert "This invoice has been cancelled." in text_of(page(api, cancelled).body)


def test_unknown_token_is_a_404_html_page(api, business):
    make_invoice(business.business.id)
    for token in ("A" * 32, "nope", "..%2F..%2Fapi"):
        answer = page(api, token, headers={"accept-language": "nb-NO,nb;q=0.9,en;q=0.5"})
        assert answer.status == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert "Fant ikke fakturaen" in answer.body.decode()
        assert answer.headers["x-robots-tag"].startswith("noindex")


def test_security_headers(api, business):
    _, token = make_invoice(business.business.id)
    headers = page(api, token).headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert "img-src data:" in csp
    assert "form-action 'self' https://checkout.stripe.com" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe" not in csp and "script-src" not in csp
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-robots-tag"].startswith("noindex")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"


def test_style_hash_matches_the_inline_stylesheet(api, business):
    import base64
    import hashlib

    _, token = make_invoice(business.business.id)
    answer = page(api, token)
    style = re.search(r"<style>(.*?)</style>", answer.body.decode(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in answer.headers["content-security-policy"]
    assert "style=" not in answer.body.decode()  # no inline style attributes (the hash would not cover them)


def test_nothing_of_another_business_is_reachable(api, business):
    from fastfaktura.services.business import create_business

    other = create_business("Concurrent SARL", country="FR", locale="fr")
    _, other_token = make_invoice(other.business.id)
    _, token = make_invoice(business.business.id)
    html = page(api, token).body.decode()
    assert "Concurrent SARL" not in html and other_token not in html
    assert business.business.id not in html  # no internal ids either
    assert re.findall(r'(?:href|action)="([^"]+)"', html) == [f"/i/{token}/pdf"]


def test_no_pay_button_without_online_payment(api, business):
    _, token = make_invoice(business.business.id)
    html = page(api, token).body.decode()
    assert "/pay" not in html and "<form" not in html


@pytest.mark.parametrize(("status", "shown"), [
    ("sent", True), ("opened", True), ("overdue", True), ("draft", False), ("paid", False), ("cancelled", False),
])
def test_pay_button_only_when_payable_and_payment_is_enabled(api, business, monkeypatch, status, shown):
    monkeypatch.setenv("STRIPE_PAYMENT_MODES", "test")
    settings.get.cache_clear()
    _, token = make_invoice(business.business.id, status=status)
    html = page(api, token).body.decode()
    assert (f'<form method="post" action="/i/{token}/pay">' in html) is shown


def test_a_sandbox_business_gets_a_pay_button_only_when_test_mode_is_enabled(api, business, monkeypatch):
    monkeypatch.setenv("STRIPE_PAYMENT_MODES", "live")
    settings.get.cache_clear()
    _, token = make_invoice(business.business.id)
    assert "/pay" not in page(api, token).body.decode()


def test_the_page_never_reads_a_stripe_secret(api, business, monkeypatch):
    from fastfaktura.payments import settings as payment_settings

    def no_secret(*_args):
        raise AssertionError("the public page read a Stripe secret")

    monkeypatch.setattr(payment_settings, "_secret", no_secret)
    monkeypatch.setenv("STRIPE_PAYMENT_MODES", "test,live")
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY_PARAMETER", "/fastfaktura/stripe/test/secret-key")
    settings.get.cache_clear()
    _, token = make_invoice(business.business.id)
    answer = page(api, token)
    assert answer.status == 200 and f'action="/i/{token}/pay"' in answer.body.decode()


def test_return_from_checkout_shows_a_notice(api, business, monkeypatch):
    monkeypatch.setenv("STRIPE_PAYMENT_MODES", "test")
    settings.get.cache_clear()
    _, token = make_invoice(business.business.id, locale="en")
    assert "Your payment is being processed" in text_of(page(api, f"{token}?payment=success").body)
    assert "The payment was cancelled" in text_of(page(api, f"{token}?payment=cancelled").body)
    assert "<script" not in page(api, f"{token}?payment=<script>").body.decode()
