"""Email and SMS wording per locale, GSM-7 counting, and the MIME message (pure, no AWS)."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy

import pytest
from fastfaktura.delivery.messages import (
    SMS_MAX_SEPTETS,
    InvoiceFacts,
    email_content,
    gsm7_septets,
    sms_text,
    to_gsm7,
)
from fastfaktura.delivery.mime import invoice_email

# An API Gateway host and a 128-bit token in hex (the contract's minimum, in its longest spelling).
LONG_URL = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/i/" + "T" * 32


def facts(locale: str, reminder: bool = False, **overrides) -> InvoiceFacts:
    values = dict(locale=locale, reminder=reminder, number="F-0042", total_cents=123456,
                  currency={"fr": "EUR", "en": "GBP", "nb": "NOK", "sv": "SEK"}[locale],
                  due_date=date(2026, 12, 24), public_url="https://pay.example.com/i/abc",
                  business_name="Atelier Test", client_name="Ola Nordmann")
    return InvoiceFacts(**{**values, **overrides})


@pytest.mark.parametrize(("locale", "subject", "amount", "due"), [
    ("fr", "Facture F-0042 de Atelier Test", "1\u202f234,56\xa0€", "24 décembre 2026"),
    ("en", "Invoice F-0042 from Atelier Test", "£1,234.56", "24 December 2026"),
    ("nb", "Faktura F-0042 fra Atelier Test", "1\xa0234,56\xa0kr", "24. desember 2026"),
    ("sv", "Faktura F-0042 från Atelier Test", "1\xa0234,56\xa0kr", "24 december 2026"),
])
def test_email_is_in_the_clients_locale(locale, subject, amount, due):
    content = email_content(facts(locale))
    assert content.subject == subject
    for part in (content.text, content.html):
        assert amount in part and due in part and "https://pay.example.com/i/abc" in part
    assert "Ola Nordmann" in content.text
    assert content.attachment_name.endswith("F-0042.pdf")


@pytest.mark.parametrize(("locale", "subject"), [
    ("fr", "Rappel : facture F-0042 de Atelier Test"),
    ("en", "Reminder: invoice F-0042 from Atelier Test"),
    ("nb", "Påminnelse: faktura F-0042 fra Atelier Test"),
    ("sv", "Påminnelse: faktura F-0042 från Atelier Test"),
])
def test_reminder_wording_is_distinct(locale, subject):
    reminder, normal = email_content(facts(locale, reminder=True)), email_content(facts(locale))
    assert reminder.subject == subject
    assert reminder.text != normal.text


def test_html_escapes_names():
    content = email_content(facts("en", business_name="<b>Evil & Co</b>", client_name='"Bob"'))
    assert "<b>Evil" not in content.html
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in content.html


@pytest.mark.parametrize("locale", ["fr", "en", "nb", "sv"])
@pytest.mark.parametrize("reminder", [False, True])
def test_sms_fits_one_gsm7_message_even_with_a_long_name_and_link(locale, reminder):
    text = sms_text(facts(locale, reminder, public_url=LONG_URL, number="F-2026-0123", total_cents=123_456_789,
                          business_name="Menuiserie Ébénisterie Çà et Là Dupont-Moreau et Fils SARL"))
    septets = gsm7_septets(text)
    assert septets is not None, text
    assert septets <= SMS_MAX_SEPTETS, (septets, text)
    assert "F-2026-0123" in text and LONG_URL in text and "Menuiserie" in text


def test_sms_never_loses_number_amount_or_link_when_nothing_can_fit():
    url = LONG_URL + "/" + "x" * 80
    text = sms_text(facts("fr", public_url=url, business_name="Une entreprise au nom vraiment très long SARL"))
    assert url in text and "F-0042" in text and "1 234,56 €" in text and "Une entrep" in text


@pytest.mark.parametrize(("locale", "expected"), [
    ("fr", "Facture F-0042 de Atelier Test : 1 234,56 €. https://pay.example.com/i/abc"),
    ("en", "Invoice F-0042 from Atelier Test: £1,234.56. https://pay.example.com/i/abc"),
    ("nb", "Faktura F-0042 fra Atelier Test: 1 234,56 kr. https://pay.example.com/i/abc"),
    ("sv", "Faktura F-0042 från Atelier Test: 1 234,56 kr. https://pay.example.com/i/abc"),
])
def test_sms_text(locale, expected):
    assert sms_text(facts(locale)) == expected


def test_reminder_sms_says_so():
    assert sms_text(facts("nb", reminder=True)).startswith("Påminnelse: faktura F-0042")
    assert sms_text(facts("fr", reminder=True)).startswith("Rappel : facture F-0042")


def test_gsm7_counting():
    assert gsm7_septets("Hello") == 5
    assert gsm7_septets("1 €") == 4  # € is an extension character: two septets
    assert gsm7_septets("påminnelse ÆØÅ é") == 16
    assert gsm7_septets("ê") is None
    assert to_gsm7("Crêperie Çà ç") == "Creperie Çà c"


def test_mime_message_has_both_alternatives_the_pdf_and_the_headers():
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 4
    raw = invoice_email(email_content(facts("sv", reminder=True)), pdf, "invoices@fastfaktura.test",
                        "Åsa Design AB", "ola@example.com", "billing@asa.example")
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Påminnelse: faktura F-0042 från Atelier Test"
    assert message["From"].addresses[0].addr_spec == "invoices@fastfaktura.test"
    assert message["From"].addresses[0].display_name == "Åsa Design AB"
    assert message["Reply-To"] == "billing@asa.example"
    assert message["To"] == "ola@example.com"
    assert message.get_content_type() == "multipart/mixed"
    assert "kr" in message.get_body(("plain",)).get_content()
    assert "<a href=" in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "faktura-F-0042.pdf"
    assert attachment.get_content() == pdf
    assert b"\r\n" in raw


def test_no_reply_to_when_the_business_has_no_email():
    raw = invoice_email(email_content(facts("en")), b"%PDF", "s@x.test", "X", "c@x.test", None)
    assert message_from_bytes(raw, policy=policy.default)["Reply-To"] is None
