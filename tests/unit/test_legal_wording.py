"""The legal wording of each VAT case, in the four locales, on the PDF (text read back with pypdf) and
on the public page; invoices of before the categories still render."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from fastfaktura.domain.vat import franchise
from fastfaktura.i18n.catalogue import CATALOGUES, catalogue
from fastfaktura.i18n.formats import Formatter
from fastfaktura.i18n.mentions import category_word, printed_mentions
from fastfaktura.models.codes import VATEX
from fastfaktura.models.locales import LOCALES
from fastfaktura.models.public import PublicInvoice
from fastfaktura.pdf.document import InvoiceDocument
from fastfaktura.pdf.render import render
from fastfaktura.services.mentions import printable_mentions
from fastfaktura.web.render import invoice_page
from pypdf import PdfReader

from tests.unit.test_pdf_layout import assert_laid_out

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _sample() -> dict:
    return json.loads((BENCH / "invoice-10.json").read_text(encoding="utf-8"))


def document(business: dict, client: dict, lines: list[tuple[str, str, int, str | None, str]], currency="EUR",
             **invoice) -> dict:
    """A render document from the sample: `lines` as (description, rate, cents, category, kind), one
    tax group per (category, rate) with the reason the API defaults to, and the mentions the services list."""
    doc = _sample()
    doc["business"] = {**doc["business"], **business}
    doc["client"] = {"name": "Client", **client}
    rows, groups = [], {}
    for description, rate, cents, category, kind in lines:
        reason = None
        if category == "E" and doc["business"].get("country") == "FR":
            reason = {"code": "VATEX-FR-FRANCHISE", "text": "TVA non applicable, art. 293 B du CGI"}
        elif category in ("AE", "K", "G", "O"):
            code = {"AE": "VATEX-EU-AE", "K": "VATEX-EU-IC", "G": "VATEX-EU-G", "O": "VATEX-EU-O"}[category]
            reason = {"code": code, "text": VATEX[code]}
        rows.append({"description": description, "quantity": "1", "unit_price_cents": cents, "tax_rate": rate,
                     "amount_cents": cents, "vat_category": category, "vat_exemption_reason": reason, "kind": kind})
        group = groups.setdefault((category, rate), {"vat_category": category, "tax_rate": rate, "taxable_cents": 0,
                                                     "tax_cents": 0, "vat_exemption_reason": reason})
        group["taxable_cents"] += cents
        group["tax_cents"] += cents * int(rate) // 100
    subtotal = sum(g["taxable_cents"] for g in groups.values())
    tax = sum(g["tax_cents"] for g in groups.values())
    if doc["business"].get("country") != "FR":
        doc["invoice"]["notes"] = None
    doc["invoice"].update(currency=currency, lines=rows, tax_breakdown=list(groups.values()), subtotal_cents=subtotal,
                          tax_cents=tax, total_cents=subtotal + tax, **invoice)
    doc["mentions"] = printable_mentions(doc["business"], doc["client"], doc["invoice"])
    return doc


FR_SELLER = {"country": "FR", "vat_regime": "standard", "vat_registered": True}
CASES = {
    "fr-micro-293b": lambda locale: document(
        {**FR_SELLER, "name": "Julie Martin EI", "legal_name": None, "legal_form": "Entrepreneur individuel",
         "vat_regime": "exempt", "vat_registered": False, "vat_number": None, "company_id": "73282932000074",
         "trade_register": None},
        {"name": "Boulangerie Dupont SARL", "country": "FR", "locale": locale, "company_id": "552100554",
         "address": "4 rue du Four\n69002 Lyon"},
        [("Création du site vitrine", "0", 180000, "E", "service"), ("Photographies", "0", 42000, "E", "service")]),
    "fr-de-reverse-charge": lambda locale: document(
        {**FR_SELLER, "trade_register": "RCS Paris", "vat_on_debits": True},
        {"name": "Brandt Maschinenbau GmbH", "country": "DE", "locale": locale, "vat_number": "DE136695976",
         "address": "Industriestraße 7\n70565 Stuttgart"},
        [("Conseil en architecture logicielle", "0", 640000, "AE", "service")],
        buyer_reference="BM-2026-118", purchase_order="4500012345"),
    "dk-se-intra-community": lambda locale: document(
        {"name": "Nordlys Møbler ApS", "legal_name": "Nordlys Møbler ApS", "legal_form": "ApS", "country": "DK",
         "company_id": "13585628", "vat_number": "DK13585628", "address": "Vestergade 12\n8000 Aarhus C",
         "vat_registered": True, "iban": "DK5000400440116243", "bic": "DABADKKK", "late_payment_rate": None,
         "email": "ordre@nordlys.dk", "phone": "+4586123456"},
        {"name": "Hemma Inredning AB", "country": "SE", "locale": locale, "vat_number": "SE556677889901",
         "company_id": "556677-8899", "address": "Storgatan 1\n111 22 Stockholm",
         "delivery_address": "Lager 4, Hamnvägen 9\n211 20 Malmö"},
        [("Egetræsbord, 220 cm", "0", 1250000, "K", "goods"), ("Stole, 6 stk.", "0", 540000, "K", "goods")],
        currency="DKK", delivery_date="2026-11-20"),
    "fr-export": lambda locale: document(
        {**FR_SELLER, "trade_register": "RCS Paris"},
        {"name": "Maple & Pine Inc.", "country": "CA", "locale": locale, "address": "88 King St W\nToronto ON M5H"},
        [("Lampes en laiton, série Lumière", "0", 960000, "G", "goods")], purchase_order="PO-7781"),
    "no-standard-mva": lambda locale: document(
        {"name": "Fjord Design AS", "legal_name": "Fjord Design AS", "legal_form": "AS", "country": "NO",
         "company_id": "923609016", "vat_number": None, "vat_registered": True, "address": "Storgata 1\n0155 Oslo",
         "iban": "NO9386011117947", "bic": "DNBANOKK", "late_payment_rate": None,
         "email": "post@fjorddesign.no", "phone": "+4722334455"},
        {"name": "Havbris Restaurant AS", "country": "NO", "locale": locale, "company_id": "914778271",
         "address": "Bryggen 3\n5003 Bergen"},
        [("Ny logo og visuell profil", "25", 4500000, "S", "service")], currency="NOK",
        buyer_reference="Kari Nordmann"),
    "se-consumer": lambda locale: document(
        {"name": "Ljus & Form AB", "legal_name": "Ljus & Form AB", "legal_form": "AB", "country": "SE",
         "company_id": "556677-8899", "vat_number": "SE556677889901", "vat_registered": True, "f_skatt": True,
         "address": "Drottninggatan 5\n111 51 Stockholm", "iban": "SE4550000000058398257466", "bic": "ESSESESS",
         "late_payment_rate": None, "email": "order@ljusochform.se", "phone": "+46812345678"},
        {"name": "Anna Svensson", "kind": "consumer", "country": "SE", "locale": locale,
         "address": "Ringvägen 10\n118 60 Stockholm"},
        [("Golvlampa Båge", "25", 349000, "S", "goods"), ("Bok: Ljus i hemmet", "6", 29900, "S", "goods")],
        currency="SEK"),
}


def _plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def outputs(doc: dict) -> tuple[str, str]:
    """Every PDF page's text and the public page's text (tags dropped), spaces normalised."""
    body = render(InvoiceDocument.from_dict(doc)).body
    assert_laid_out(body)
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    page = invoice_page(PublicInvoice(token="t" * 22, locale=doc["client"]["locale"], business=doc["business"],
                                      client=doc["client"], invoice=doc["invoice"], mentions=doc["mentions"],
                                      can_pay=False))
    return _plain(pdf), _plain(unescape(re.sub(r"<[^>]+>", " ", page)))


def wording(doc: dict) -> list[str]:
    texts = catalogue(doc["client"]["locale"])
    fmt = Formatter(texts.locale, doc["invoice"]["currency"])
    printed = printed_mentions(doc["mentions"], texts, doc["business"]["country"], doc["client"]["country"], fmt)
    found = [*printed.sentences, *(str(number) for number in printed.buyer), *(v for _, v in printed.facts),
             *(label for label, _ in printed.facts)]
    if printed.delivery_address:
        found += [texts.mentions.delivery_address, *printed.delivery_address.splitlines()]
    return [_plain(text) for text in found]


EXPECTED = {  # what each case prints, per locale (the category's sentence and the breakdown's word)
    ("fr-micro-293b", "fr"): ["TVA non applicable, art. 293 B du CGI.", "Exonération",
                              "Nature des opérations : prestation de services", "SIREN 552 100 554"],
    ("fr-micro-293b", "en"): ["VAT not applicable, art. 293 B of the French General Tax Code (CGI).", "Exempt"],
    ("fr-micro-293b", "nb"): ["MVA ikke aktuelt, art. 293 B i den franske skatteloven (CGI).", "Fritatt"],
    ("fr-micro-293b", "sv"): ["Moms ej tillämplig, art. 293 B i den franska skattelagen (CGI).", "Undantagen"],
    ("fr-de-reverse-charge", "fr"): ["Autoliquidation", "Option pour le paiement de la taxe d'après les débits",
                                     "N° de TVA DE136695976", "Bon de commande 4500012345", "BM-2026-118",
                                     "SIRET 123 456 789 00012 (RCS Paris)", "Pas d'escompte pour paiement anticipé."],
    ("fr-de-reverse-charge", "en"): ["Reverse charge", "VAT number DE136695976", "Purchase order 4500012345",
                                     "No discount for early payment."],
    ("fr-de-reverse-charge", "nb"): ["Omvendt avgiftsplikt", "Innkjøpsordre 4500012345"],
    ("fr-de-reverse-charge", "sv"): ["Omvänd betalningsskyldighet", "Inköpsorder 4500012345"],
    ("dk-se-intra-community", "fr"): ["Exonération de TVA, article 138 de la directive 2006/112/CE",
                                      "Livraison intracommunautaire", "Adresse de livraison", "20 novembre 2026"],
    ("dk-se-intra-community", "en"): ["Intra-Community supply, exempt from VAT, article 138 of Council Directive "
                                      "2006/112/EC", "Delivery address", "20 November 2026"],
    ("dk-se-intra-community", "nb"): ["Levering til annet EU-land, fritatt for merverdiavgift, artikkel 138 i "
                                      "rådsdirektiv 2006/112/EF", "Leveringsadresse"],
    ("dk-se-intra-community", "sv"): ["Gemenskapsintern varuleverans, undantagen från moms, artikel 138 i rådets "
                                      "direktiv 2006/112/EG", "Leveransadress", "Momsreg.nr SE556677889901",
                                      "Org.nr 556677-8899", "20 november 2026", "Lager 4, Hamnvägen 9"],
    ("fr-export", "fr"): ["Exonération de TVA, article 262 I du CGI", "Exportation",
                          "Nature des opérations : livraison de biens"],
    ("fr-export", "en"): ["Export, exempt from VAT, article 262 I du CGI", "Nature of the operations: supply of goods"],
    ("fr-export", "nb"): ["Utførsel, fritatt for merverdiavgift, article 262 I du CGI"],
    ("fr-export", "sv"): ["Export, undantagen från moms, article 262 I du CGI"],
    ("no-standard-mva", "nb"): ["Org.nr. 923 609 016 MVA", "Foretaksregisteret", "Org.nr. 914 778 271",
                                "Kundens referanse Kari Nordmann"],
    ("no-standard-mva", "en"): ["Org.nr. 923 609 016 MVA", "Buyer reference Kari Nordmann"],
    ("se-consumer", "sv"): ["Momsreg.nr SE556677889901", "Godkänd för F-skatt"],
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("case", CASES)
def test_each_case_prints_its_wording_on_the_pdf_and_the_page(case, locale):
    doc = CASES[case](locale)
    pdf, page = outputs(doc)
    for text in wording(doc):
        assert text in pdf or text.upper() in pdf, f"PDF lacks {text!r}"  # the PDF's block titles are capitals
        assert text in page, f"page lacks {text!r}"
    for text in EXPECTED.get((case, locale), []):
        assert _plain(text) in pdf or _plain(text).upper() in pdf, f"PDF lacks {text!r}"
        if "MVA" not in text and "F-skatt" not in text and "Foretaksregisteret" not in text:
            assert _plain(text) in page, f"page lacks {text!r}"


def test_a_standard_invoice_prints_no_category_wording():
    doc = CASES["se-consumer"]("sv")
    pdf, page = outputs(doc)
    words = CATALOGUES["sv"].mentions
    for word in (words.category_z, words.category_e, words.reverse_charge, words.category_k, words.category_o):
        assert word not in pdf and word not in page


@pytest.mark.parametrize("locale", LOCALES)
def test_every_category_has_its_word_beside_the_rate(locale):
    texts = CATALOGUES[locale]
    for category in ("Z", "E", "AE", "K", "G", "O"):
        seller = {"country": "FR" if category != "K" else "DK"}
        lines = [("Ligne", "0", 10000, category, "goods")]
        client = {"country": "DE" if category in ("AE", "K") else "FR", "locale": locale, "vat_number": "DE136695976"}
        doc = document(seller, client, lines)
        pdf, page = outputs(doc)
        rate = _plain(f"{Formatter(locale, 'EUR').rate(0)} ({category_word(category, texts.mentions)})")
        assert rate in pdf and rate in page, (category, rate)


def test_a_reason_text_the_user_gave_is_printed_as_given():
    doc = document({"country": "FR"}, {"country": "FR", "locale": "en"}, [("Formation", "0", 10000, "E", "service")])
    reason = {"code": "VATEX-FR-CGI261-4", "text": "Exonération de TVA, art. 261-4-4° a du CGI (formation)"}
    doc["invoice"]["tax_breakdown"][0]["vat_exemption_reason"] = reason
    doc["mentions"] = printable_mentions(doc["business"], doc["client"], doc["invoice"])
    pdf, page = outputs(doc)
    assert reason["text"] in pdf and reason["text"] in page


@pytest.mark.parametrize(("code", "fr", "en"), [
    ("VATEX-EU-132-1I", "Exonération de TVA, article 132(1)(i) de la directive 2006/112/CE",
     "Exempt from VAT, article 132(1)(i) of Council Directive 2006/112/EC"),
    ("VATEX-EU-148-A", "Exonération de TVA, article 148(a) de la directive 2006/112/CE", None),
    ("VATEX-FR-CGI261D-1BIS", "Exonération de TVA, article 261 D, 1°bis du CGI",
     "Exempt from VAT, article 261 D, 1°bis of the French General Tax Code (CGI)"),
    ("VATEX-FR-298SEXDECIESA", "Exonération de TVA, article 298 sexdecies A du CGI", None),
    ("VATEX-EU-F", "Régime de la marge : biens d'occasion", "Margin scheme — second-hand goods"),
])
def test_a_defaulted_reason_prints_its_codes_wording_in_the_readers_language(code, fr, en):
    for locale, expected in (("fr", fr), ("en", en)):
        texts = CATALOGUES[locale]
        printed = printed_mentions([{"key": f"vat.reason.{code}", "values": {"text": ""}}], texts, "FR", "FR",
                                   Formatter(locale, "EUR"))
        if expected:
            assert printed.sentences == [expected]


def test_every_vatex_code_has_a_wording_in_every_locale():
    for locale, texts in CATALOGUES.items():
        for code in VATEX:
            printed = printed_mentions([{"key": f"vat.reason.{code}", "values": {"text": ""}}], texts, "FR", "FR",
                                       Formatter(locale, "EUR"))
            assert all(VATEX[code] != sentence for sentence in printed.sentences), (locale, code)


@pytest.mark.parametrize("country", ["NO", "SE", "DK", "DE", "US"])
def test_a_franchise_without_code_prints_the_countrys_exemption_in_the_readers_language(country):
    for locale in LOCALES:
        doc = document({"country": country, "vat_regime": "exempt", "vat_number": None, "vat_registered": False},
                       {"country": country, "locale": locale}, [("Arbeid", "0", 10000, "E", "service")])
        group = doc["invoice"]["tax_breakdown"][0]
        group["vat_exemption_reason"] = franchise(country).as_dict()
        doc["mentions"] = printable_mentions(doc["business"], doc["client"], doc["invoice"])
        words = CATALOGUES[locale].mentions
        key = {"NO": "no", "SE": "se", "DK": "dk", "DE": "eu", "US": "other"}[country]
        expected = getattr(words, f"franchise_{key}")
        pdf, page = outputs(doc)
        assert _plain(expected) in pdf and _plain(expected) in page, (locale, expected)


def test_an_invoice_of_before_the_categories_still_renders():
    """Items without categories, reasons, kinds or mentions: the first release's PDF and page."""
    doc = _sample()
    pdf, page = outputs({**doc, "mentions": []})
    assert "Total TTC" in pdf and "Total TTC" in page
    legacy = copy.deepcopy(doc)
    legacy["business"].update(vat_number=None)
    legacy["invoice"].update(tax_cents=0)
    for group in legacy["invoice"]["tax_breakdown"]:
        group["tax_cents"] = 0
    pdf, _ = outputs({**legacy, "mentions": printable_mentions(legacy["business"], legacy["client"],
                                                                legacy["invoice"])})
    assert pdf.count("293 B") == 1  # the first release's sentence, once


def test_mention_texts_are_complete_in_every_locale():
    reference = dataclasses.asdict(CATALOGUES["fr"].mentions)
    for texts in CATALOGUES.values():
        assert dataclasses.asdict(texts.mentions).keys() == reference.keys()
