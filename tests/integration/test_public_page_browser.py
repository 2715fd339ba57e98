"""The public page in a real headless browser: Debian's Chromium driven by Playwright for Python
(`make browser` installs Chromium; never `playwright install`). The page is served over HTTP by a
small server around the template's routes (in this process, on DynamoDB Local), Stripe by the fake.

`UPDATE_SCREENSHOT=1` also writes docs/public-page.png."""

from __future__ import annotations

import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastfaktura import settings

from tests.helpers.factories import header, make_invoice
from tests.helpers.fake_stripe import FakeStripe

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "public-page.png"

MISSING_CHROMIUM = "Chromium is not installed: run `make browser` (Debian's chromium package)"
# On CI (CI=true) a missing browser fails the run: a skip there would pass a check that never ran.
ON_CI = os.environ.get("CI", "").lower() in ("true", "1")

if ON_CI:
    import playwright.sync_api as sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip)")


@pytest.fixture(autouse=True)
def chromium_installed() -> None:
    if not Path(CHROMIUM).is_file():
        if ON_CI:
            pytest.fail(f"CI=true: {MISSING_CHROMIUM}")
        pytest.skip(MISSING_CHROMIUM)


class _Front(BaseHTTPRequestHandler):
    """HTTP → the template's routes, as the local stack does it."""

    def log_message(self, *_args):
        pass

    def _serve(self):
        from fastfaktura.devstack.runtime import call_api

        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, answer_headers, answer = call_api(self.command, self.path, headers, body)
        self.send_response(status)
        for name, value in answer_headers.items():
            if name not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = _serve


@pytest.fixture
def site(dynamodb, monkeypatch):
    from fastfaktura.payments import checkout

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Front)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stripe = FakeStripe().start()
    monkeypatch.setenv("PUBLIC_BASE_URL", base_url)
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_51BrowserTest")
    monkeypatch.setenv("STRIPE_API_BASE", stripe.base_url)
    monkeypatch.delenv("STRIPE_SECRET_KEY_PARAMETER", raising=False)
    settings.get.cache_clear()
    checkout._client.cache_clear()
    yield base_url, stripe
    checkout._client.cache_clear()
    stripe.stop()
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser_context(tmp_path):
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1000, "height": 900}, locale="fr-FR")
        yield context
        context.close()


def test_public_page_in_chromium_then_pay_with_stripe_faked(site, browser_context, business, api):
    base_url, stripe = site
    api.put("/api/v1/business", {"legal_name": "Atelier Test SAS", "address": "3 quai Voltaire\n75007 Paris",
                                 "vat_number": "FR12345678901", "company_id": "123 456 789 00012",
                                 "email": "facturation@atelier-test.fr",
                                 "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP"})
    invoice_id, token = make_invoice(business.business.id, status="sent", locale="fr",
                                     notes="Merci pour votre confiance.\nPaiement à 30 jours.")
    page = browser_context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    response = page.goto(f"{base_url}/i/{token}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Facture F-0001"
    assert page.get_by_role("heading", name="Émetteur").is_visible()
    table = page.get_by_role("table", name="Lignes de la facture")
    assert table.get_by_role("columnheader").count() == 5
    assert table.get_by_role("row").count() == 1 + 3 + 4  # header, 3 lines, subtotal + 2 VAT groups + total
    assert "664,72" in table.locator("tfoot tr.total").inner_text()
    assert page.get_by_role("heading", name="Montant à payer").is_visible()
    assert page.get_by_role("link", name="Télécharger le PDF").get_attribute("href") == f"/i/{token}/pdf"
    # The stylesheet applied under the CSP (its hash matched): the Pay button has its colours.
    pay = page.get_by_role("button", name="Payer 664,72\u00a0€ par carte")
    assert pay.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 92, 173)"
    assert header(business.business.id, invoice_id)["status"] == "opened"
    if os.environ.get("UPDATE_SCREENSHOT"):
        page.screenshot(path=str(SCREENSHOT), full_page=True)

    pay.click()
    page.wait_for_url(f"{stripe.base_url}/c/pay/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Fake Stripe Checkout"
    [session] = stripe.sessions
    assert session.params["client_reference_id"] == invoice_id
    assert session.params["success_url"] == f"{base_url}/i/{token}?payment=success"
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_public_page_fits_a_phone_screen(site, browser_context, business):
    _, token = make_invoice(business.business.id, status="sent", locale="nb")
    base_url, _ = site
    page = browser_context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base_url}/i/{token}")
    assert page.get_by_role("heading", level=1).inner_text() == "Faktura F-0001"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("button", name="Betal").is_visible()


def test_unknown_link_shows_the_not_found_page(site, browser_context):
    base_url, _ = site
    page = browser_context.new_page()
    response = page.goto(f"{base_url}/i/{'Z' * 32}")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Facture introuvable"  # the browser's language
