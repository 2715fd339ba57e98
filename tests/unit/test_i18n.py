"""One room for languages: every locale has every text, and the PDF and the public page print the same
fact (an amount, a date, a country, a registration number) the same way."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import re
import string
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from fastfaktura.i18n.catalogue import CATALOGUES, catalogue, negotiate
from fastfaktura.i18n.formats import Formatter
from fastfaktura.i18n.identifiers import identifiers
from fastfaktura.i18n.mentions import printed_mentions
from fastfaktura.models.common import Locale
from fastfaktura.models.locales import DEFAULT_LOCALE, LOCALES
from fastfaktura.models.public import PublicInvoice
from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.pdf.render import render
from fastfaktura.services.mentions import printable_mentions
from fastfaktura.web.render import invoice_page
from pydantic import TypeAdapter, ValidationError
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]


# --- every locale, every text -------------------------------------------------------------------------

def test_one_catalogue_per_locale_and_the_default_is_one_of_them():
    assert tuple(CATALOGUES) == LOCALES
    assert DEFAULT_LOCALE in LOCALES
    assert all(texts.locale == locale for locale, texts in CATALOGUES.items())
    assert catalogue("de") is catalogue(None) is CATALOGUES[DEFAULT_LOCALE]


def test_the_api_accepts_exactly_our_locales():
    adapter = TypeAdapter(Locale)
    for locale in LOCALES:
        assert adapter.validate_python(locale) == locale
    for other in ("de", "FR", "no", ""):
        with pytest.raises(ValidationError):
            adapter.validate_python(other)


@pytest.mark.parametrize("section", ["invoice", "pdf", "page", "message", "legal"])
def test_a_text_missing_in_a_locale_cannot_be_built(section):
    """No text has a default: leaving one out of a locale's table is a TypeError at import."""
    kind = type(getattr(CATALOGUES["en"], section))
    fields = dataclasses.fields(kind)
    assert all(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING for f in fields)
    values = dataclasses.asdict(getattr(CATALOGUES["en"], section))
    values.pop(fields[-1].name)
    with pytest.raises(TypeError):
        kind(**values)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("section", ["invoice", "pdf", "page", "message", "legal"])
def test_every_locale_has_every_text_with_the_same_placeholders(section):
    reference = dataclasses.asdict(getattr(CATALOGUES[DEFAULT_LOCALE], section))
    for locale, texts in CATALOGUES.items():
        values = dataclasses.asdict(getattr(texts, section))
        assert values.keys() == reference.keys(), locale
        for key, text in values.items():
            assert text.strip(), f"{locale}.{section}.{key} is empty"
            assert _placeholders(text) == _placeholders(reference[key]), f"{locale}.{section}.{key}"


def test_swedish_unit_price_is_a_pris_with_a_grave_accent():
    assert CATALOGUES["sv"].invoice.unit_price == "À-pris"


@pytest.mark.parametrize(("header", "locale"), [
    (None, DEFAULT_LOCALE),
    ("", DEFAULT_LOCALE),
    ("de-DE,de;q=0.9", DEFAULT_LOCALE),
    ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
    ("de,sv;q=0.5,fr;q=0.4", "sv"),
    ("en;q=0.2,nb;q=0.9", "nb"),
    ("no", "nb"),
    ("nn-NO", "nb"),
    ("fr;q=0,en", "en"),
    ("fr;q=abc,sv", "sv"),
])
def test_negotiate(header, locale):
    assert negotiate(header) == locale


# --- formats ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("currency", ["EUR", "USD", "GBP", "NOK", "SEK", "DKK"])
def test_money_keeps_its_amount_in_every_locale(currency):
    for locale in LOCALES:
        text = Formatter(locale, currency).money(123456).replace("\u202f", " ").replace("\xa0", " ")
        assert re.sub(r"[^0-9]", "", text) == "123456", (locale, text)


def test_danish_kroner_read_dkk_in_every_locale():
    amounts = {locale: Formatter(locale, "DKK").money(123456) for locale in LOCALES}
    assert all("DKK" in text and "kr" not in text.lower() for text in amounts.values()), amounts


def test_country_names_in_the_readers_language():
    assert [Formatter(locale, "EUR").country("NO") for locale in LOCALES] == ["Norvège", "Norway", "Norge", "Norge"]
    assert Formatter("en", "EUR").country("XX") == "XX"


@pytest.mark.parametrize(("country", "company_id", "vat_number", "registered", "printed"), [
    ("FR", "12345678900012", "FR32123456789", False,
     ["SIRET 123 456 789 00012", "TVA intracommunautaire FR32123456789"]),
    ("FR", "123 456 789", None, False, ["SIREN 123 456 789"]),
    ("FR", "1234", None, False, ["SIREN/SIRET 1234"]),
    ("NO", "923609016", "NO923609016MVA", True, ["Org.nr. 923 609 016 MVA"]),
    ("NO", "923609016", None, False, ["Org.nr. 923 609 016"]),
    ("SE", "556677-8899", "SE556677889901", False, ["Org.nr 556677-8899", "Momsreg.nr SE556677889901"]),
    ("DK", "12345678", "DK12345678", False, ["CVR-nr. 12345678"]),
    ("DE", "HRB 1234", "DE123456789", False, ["Company number HRB 1234", "VAT number DE123456789"]),
])
def test_registration_numbers_as_each_country_writes_them(country, company_id, vat_number, registered, printed):
    found = identifiers(country, company_id, vat_number, registered, CATALOGUES["en"].legal)
    assert [str(item) for item in found] == printed


def test_importing_the_texts_and_their_users_loads_no_babel():
    """babel costs a cold start ~25 ms: it is loaded by the first formatting, not by an import."""
    modules = ["fastfaktura.i18n.catalogue", "fastfaktura.i18n.formats", "fastfaktura.i18n.identifiers",
               "fastfaktura.delivery.messages", "fastfaktura.pdf.document", "fastfaktura.web.render",
               "fastfaktura.models.common"]
    probe = f"import sys; import {', '.join(modules)}; print(sorted(m for m in sys.modules if m.startswith('babel')))"
    answer = subprocess.run([sys.executable, "-c", probe], cwd=ROOT / "layers" / "core", capture_output=True,
                            text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "[]"


# --- the PDF and the page print a fact alike ---------------------------------------------------------

def _sample() -> dict:
    document = json.loads((ROOT / "bench" / "invoice-10.json").read_text(encoding="utf-8"))
    document["business"].update(timezone="Europe/Oslo", vat_registered=True)
    document["invoice"].update(status="paid", paid_at="2026-11-30T23:30:00.000000Z",  # 1 December in Oslo
                               buyer_reference="REF-7", purchase_order="PO-42", delivery_date="2026-11-20")
    document["client"].update(company_id="914778271", vat_number="NO914778271MVA",
                              delivery_address="Lager 2\nHavnegata 4\n7010 Trondheim")
    return document


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _both(document: dict) -> tuple[str, str]:
    """The first PDF page's text and the public page's HTML for one document."""
    document["mentions"] = printable_mentions(document["business"], document["client"], document["invoice"])
    body = render(InvoiceDocument.from_dict(document)).body
    pdf = _plain(PdfReader(io.BytesIO(body)).pages[0].extract_text())
    page = PublicInvoice(token="t" * 22, locale=document["client"]["locale"], business=document["business"],
                         client=document["client"], invoice=document["invoice"], mentions=document["mentions"],
                         can_pay=False)
    return pdf, _plain(unescape(invoice_page(page)))


FACTS = [  # business country, client country, currency, company id, VAT number
    ("FR", "NO", "EUR", "12345678900012", "FR32123456789"),
    ("NO", "SE", "NOK", "923609016", None),
    ("SE", "DK", "SEK", "556677-8899", "SE556677889901"),
    ("DK", "FR", "DKK", "12345678", "DK99999999"),
    ("GB", "DE", "GBP", "09876543", "GB123456789"),
]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("seller_country", "client_country", "currency", "company_id", "vat_number"), FACTS)
def test_the_pdf_and_the_page_print_each_fact_alike(locale, seller_country, client_country, currency, company_id,
                                                    vat_number):
    document = copy.deepcopy(_sample())
    document["client"].update(locale=locale, country=client_country)
    document["business"].update(country=seller_country, company_id=company_id, vat_number=vat_number)
    document["invoice"]["currency"] = currency
    pdf, page = _both(document)
    fmt = Formatter(locale, currency, "Europe/Oslo")
    invoice, texts = document["invoice"], catalogue(locale)

    amounts = [fmt.money(invoice[key]) for key in ("subtotal_cents", "total_cents")]
    amounts += [fmt.money(group[key]) for group in invoice["tax_breakdown"] for key in ("taxable_cents", "tax_cents")]
    amounts += [fmt.money(line[key]) for line in invoice["lines"][:3] for key in ("unit_price_cents", "amount_cents")]
    days = [fmt.date(invoice["issue_date"]), fmt.date(invoice["due_date"])]
    paid = _plain(texts.invoice.paid_on.format(date=fmt.moment_date(invoice["paid_at"])))
    assert paid.upper() in pdf and paid in page  # the PDF's mark is in capitals
    countries = [fmt.country(seller_country), fmt.country(client_country)]
    rates = [fmt.rate(group["tax_rate"]) for group in invoice["tax_breakdown"]]
    for fact in [*amounts, *days, *countries, *rates]:
        assert _plain(fact) in pdf.replace("\n", " "), f"PDF lacks {fact!r}"
        assert _plain(fact) in page, f"page lacks {fact!r}"
    assert fmt.moment_date(invoice["paid_at"]) == fmt.date("2026-12-01")
    assert countries[0] != seller_country and countries[1] != client_country

    numbers = identifiers(seller_country, company_id, vat_number, True, texts.legal)
    assert numbers
    for number in numbers:
        assert _plain(str(number)) in pdf, f"PDF lacks {number}"
        assert f'<dt>{number.label}</dt><dd><span class="nowrap">{_plain(number.value)}</span></dd>' in page, number
    for label in (texts.invoice.unit_price, texts.invoice.issue_date, texts.invoice.due_date, texts.invoice.total):
        assert label in pdf and label in page

    printed = printed_mentions(document["mentions"], texts, seller_country, client_country, fmt)
    assert printed.buyer and len(printed.facts) == 3 and printed.delivery_address and printed.sentences == (
        [texts.mentions.operations_services, texts.mentions.early_payment_none] if seller_country == "FR" else [])
    for number in printed.buyer:  # the client's numbers, as the seller's are
        assert _plain(str(number)) in pdf, f"PDF lacks {number}"
        assert f'<dt>{number.label}</dt><dd><span class="nowrap">{_plain(number.value)}</span></dd>' in page, number
    for label, value in printed.facts:
        assert label in pdf and _plain(value) in pdf, f"PDF lacks {label} {value}"
        assert f"<dt>{label}</dt><dd>{_plain(value)}</dd>" in page, f"page lacks {label} {value}"
    for line in printed.delivery_address.splitlines():
        assert line in pdf and line in page
    assert texts.mentions.delivery_address.upper() in pdf and texts.mentions.delivery_address in page
    for sentence in printed.sentences:
        assert sentence in pdf.replace("\n", " ") and f"<li>{sentence}</li>" in page
