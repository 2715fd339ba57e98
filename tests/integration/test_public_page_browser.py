"""The public page in a real headless browser: Debian's Chromium driven by Playwright for Python
(`make browser` installs Chromium; never `playwright install`), axe-core (npm, package.json) injected
into the page. The page is served over HTTP by a small server around the template's routes (in this
process, on DynamoDB Local), Stripe by the fake.

Without Chromium, Playwright or axe-core the module is skipped on a developer's machine and fails
under CI=true, where the browser test must run. `UPDATE_SCREENSHOT=1` also writes the pictures in docs/."""

from __future__ import annotations

import os
import shutil
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from fastfaktura import settings

from tests.helpers.factories import header, make_invoice
from tests.helpers.fake_stripe import FakeStripe
from tests.helpers.http_server import LoopbackServer

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DOCS = ROOT / "docs"
WIDTHS = (360, 390, 1280)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: under CI the browser test must run, not be skipped", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


try:
    from playwright import sync_api
except ImportError:
    _unavailable("Playwright for Python is not installed (pip)")
if not Path(CHROMIUM).is_file():
    _unavailable("Chromium is not installed: run `make browser` (Debian's chromium package)")
if not AXE.is_file():
    _unavailable("axe-core is not installed: run `make install` (npm, package.json)")


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

    server = LoopbackServer(_Front).start()
    base_url = server.base_url
    stripe = FakeStripe().start()
    monkeypatch.setenv("PUBLIC_BASE_URL", base_url)
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY", "sk_test_51BrowserTest")
    monkeypatch.setenv("STRIPE_PAYMENT_MODES", "test")
    monkeypatch.setenv("STRIPE_API_BASE", stripe.base_url)
    monkeypatch.delenv("STRIPE_TEST_SECRET_KEY_PARAMETER", raising=False)
    settings.get.cache_clear()
    checkout._client.cache_clear()
    yield base_url, stripe
    checkout._client.cache_clear()
    stripe.stop()
    server.stop()


@pytest.fixture
def browser_context(tmp_path):
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1000, "height": 900}, locale="fr-FR")
        yield context
        context.close()


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is (every rule axe runs by default)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => (await axe.run(document)).violations.map(
        v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))""")


# Every element's box, and what of it lies outside the viewport (a visually hidden element is 1 px).
_OUTSIDE = """() => [...document.body.querySelectorAll('*')].map(e => [e, e.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0 && (r.left < -0.5 || r.right > window.innerWidth + 0.5))
    .map(([e, r]) => `${e.tagName}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}`)"""


def in_view(page, locator) -> bool:
    """Visible and horizontally inside the viewport, with no scrolling sideways."""
    box = locator.bounding_box()
    return locator.is_visible() and box is not None and box["x"] >= 0 and \
        box["x"] + box["width"] <= page.viewport_size["width"] + 0.5


def assert_fits(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(_OUTSIDE) == []
    for row in page.locator("table.lines tbody tr").all():
        for cell in row.locator("td").all():  # description, quantity, unit price, rate, amount
            assert in_view(page, cell), (width, cell.inner_text())
    totals = page.locator(".totals > div").all()
    assert len(totals) >= 3
    for total in totals:
        label, amount = total.locator("dt"), total.locator("dd")
        assert in_view(page, label) and in_view(page, amount), (width, total.inner_text())
        label_box, amount_box = label.bounding_box(), amount.bounding_box()
        # beside its label: on the same line, to its right
        assert amount_box["x"] >= label_box["x"] + label_box["width"] - 0.5, (width, total.inner_text())
        assert amount_box["y"] < label_box["y"] + label_box["height"], (width, total.inner_text())


LONG_LINES = [
    {"description": "Maîtrise d'œuvre : conception, suivi de chantier et réception des travaux du bâtiment B",
     "quantity": "12.5", "unit_price_cents": 98_765_43, "tax_rate": 20},
    {"description": "Heures de support", "quantity": 3, "unit_price_cents": 333, "tax_rate": 20},
    {"description": "Livres <reliés> & brochés", "quantity": "2.5", "unit_price_cents": 1999, "tax_rate": "5.5"},
]


@pytest.mark.parametrize(("status", "locale"), [("draft", "fr"), ("sent", "nb"), ("paid", "sv"), ("cancelled", "en")])
def test_the_page_fits_every_width_and_passes_axe(site, browser_context, business, api, status, locale):
    """At 360, 390 and 1280 px: nothing past the viewport, every cell of every line and every total
    on screen with its label, and axe-core finds no violation."""
    base_url, _ = site
    api.put("/api/v1/business", {"legal_name": "Atelier Test SAS", "vat_number": "FR11123456782",
                                 "company_id": "123 456 782 00002", "email": "facturation@atelier-test.fr",
                                 "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP"})
    _, token = make_invoice(business.business.id, status=status, locale=locale, currency="SEK",
                            lines=LONG_LINES, notes="Merci pour votre confiance.")
    page = browser_context.new_page()
    assert page.goto(f"{base_url}/i/{token}").status == 200
    for width in WIDTHS:
        assert_fits(page, width)
        assert axe_violations(page) == [], width


def test_totals_read_with_their_amounts_on_a_phone(site, browser_context, business):
    base_url, _ = site
    expected = {"fr": ("Total TTC", "664,72 €"), "nb": ("Å betale", "664,72 €"), "sv": ("Att betala", "664,72 €")}
    page = browser_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    for locale, (label, amount) in expected.items():
        _, token = make_invoice(business.business.id, status="sent", locale=locale)
        page.goto(f"{base_url}/i/{token}")
        total = page.locator(".totals .total")
        assert total.locator("dt").inner_text() == label
        assert total.locator("dd").inner_text().replace("\xa0", " ") == amount
        assert in_view(page, total.locator("dd"))


def test_a_sandbox_page_is_marked_above_everything(site, browser_context, business):
    base_url, _ = site
    _, token = make_invoice(business.business.id, status="sent", locale="en")
    page = browser_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base_url}/i/{token}")
    mark = page.get_by_role("note")
    assert mark.inner_text() == "TEST / sandbox — not a real invoice"
    assert in_view(page, mark)
    assert mark.bounding_box()["y"] < page.get_by_role("heading", level=1).bounding_box()["y"]


def test_screenshots_of_a_live_business_page(site, browser_context):
    """The pictures in docs/ (written with UPDATE_SCREENSHOT=1): what a client sees, at 390 and 1280 px."""
    from fastfaktura.services.business import create_business

    base_url, _ = site
    live = create_business("Atelier Lumière", sandbox=False, country="FR", locale="fr",
                           legal_name="Atelier Lumière SAS", address="12 rue de la Paix\n75002 Paris",
                           vat_number="FR11123456782", company_id="12345678200002",
                           email="factures@atelier-lumiere.fr", iban="FR76 3000 6000 0112 3456 7890 189",
                           bic="AGRIFRPP")
    _, token = make_invoice(live.business.id, status="sent", locale="fr",
                            notes="Merci pour votre confiance.\nPaiement à 30 jours.")
    page = browser_context.new_page()
    page.goto(f"{base_url}/i/{token}")
    assert page.get_by_role("note").count() == 0  # no sandbox mark for a live business
    for width, name in ((390, "public-page-390.png"), (1280, "public-page-1280.png")):
        assert_fits(page, width)
        if os.environ.get("UPDATE_SCREENSHOT"):
            page.screenshot(path=str(DOCS / name), full_page=True)


def test_public_page_in_chromium_then_pay_with_stripe_faked(site, browser_context, business, api):
    base_url, stripe = site
    api.put("/api/v1/business", {"legal_name": "Atelier Test SAS", "address": "3 quai Voltaire\n75007 Paris",
                                 "vat_number": "FR11123456782", "company_id": "123 456 782 00010",
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
    assert table.get_by_role("row").count() == 1 + 3  # header, 3 lines
    assert "664,72" in page.locator(".totals .total").inner_text()
    assert page.get_by_role("heading", name="Montant à payer").is_visible()
    assert page.get_by_role("link", name="Télécharger le PDF").get_attribute("href") == f"/i/{token}/pdf"
    # The stylesheet applied under the CSP (its hash matched): the Pay button has its colours.
    pay = page.get_by_role("button", name="Payer 664,72\u00a0€ par carte")
    assert pay.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 92, 173)"
    assert header(business.business.id, invoice_id)["status"] == "opened"

    pay.click()
    page.wait_for_url(f"{stripe.base_url}/c/pay/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Fake Stripe Checkout"
    [session] = stripe.sessions
    assert session.params["client_reference_id"] == invoice_id
    assert session.params["success_url"] == f"{base_url}/i/{token}?payment=success"
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_the_lines_keep_table_semantics_when_stacked_on_a_phone(site, browser_context, business):
    """Stacked on a phone, the lines are still a table to assistive technology: rows, column headers
    and cells, with each amount's column named beside it on screen."""
    base_url, _ = site
    _, token = make_invoice(business.business.id, status="sent", locale="fr")
    page = browser_context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base_url}/i/{token}")
    table = page.get_by_role("table", name="Lignes de la facture")
    assert table.get_by_role("row").count() == 1 + 3
    assert table.get_by_role("columnheader").count() == 5
    assert table.get_by_role("cell").count() == 3 * 5
    amount = table.locator("tbody tr").first.locator("td").last
    assert amount.evaluate("c => getComputedStyle(c, '::before').content") == '"Montant HT"'


def test_unknown_link_shows_the_not_found_page(site, browser_context):
    base_url, _ = site
    page = browser_context.new_page()
    response = page.goto(f"{base_url}/i/{'Z' * 32}")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Facture introuvable"  # the browser's language
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert axe_violations(page) == [], width
