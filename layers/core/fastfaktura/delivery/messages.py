"""An invoice email and SMS, normal and reminder, in the client's locale: the words and the formats
are fastfaktura.i18n's; here they are put together, escaped, and fitted into GSM-7 and one SMS.

Pure: no AWS, no HTTP."""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from datetime import date

from fastfaktura.i18n.catalogue import catalogue
from fastfaktura.i18n.formats import Formatter

SMS_MAX_SEPTETS = 160
SMS_MIN_NAME = 12


@dataclass(frozen=True)
class InvoiceFacts:
    """What a message says about one invoice."""

    locale: str
    reminder: bool
    number: str
    total_cents: int
    currency: str
    due_date: date
    public_url: str
    business_name: str
    client_name: str


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str
    attachment_name: str


def email_content(facts: InvoiceFacts) -> EmailContent:
    """Subject, plain text and HTML of the invoice email, in the client's locale."""
    words = catalogue(facts.locale).message
    fmt = Formatter(facts.locale, facts.currency)
    amount, due = fmt.money(facts.total_cents), fmt.date(facts.due_date)
    values = {"business": facts.business_name, "client": facts.client_name, "number": facts.number,
              "amount": amount, "due": due}
    subject = (words.reminder_subject if facts.reminder else words.subject).format(**values)
    greeting = words.greeting.format(**values)
    body = (words.reminder_body if facts.reminder else words.body).format(**values)
    text = (f"{greeting}\n\n{body}\n\n{words.link_label}\n{facts.public_url}\n\n"
            f"{words.closing}\n{facts.business_name}\n")
    e = html.escape
    url = e(facts.public_url, quote=True)
    page = (
        f'<!DOCTYPE html>\n<html lang="{facts.locale}"><head><meta charset="utf-8">'
        f"<title>{e(subject)}</title></head>\n"
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">\n'
        f"<p>{e(greeting)}</p>\n<p>{e(body)}</p>\n"
        f'<p><a href="{url}" style="display:inline-block;padding:10px 18px;background:#1f4fd1;color:#ffffff;'
        f'text-decoration:none;border-radius:4px">{e(words.button)}</a></p>\n'
        f'<p style="font-size:13px;color:#555555">{e(words.link_label)}<br><a href="{url}">{url}</a></p>\n'
        f"<p>{e(words.closing)}<br>{e(facts.business_name)}</p>\n</body></html>\n"
    )
    return EmailContent(subject=subject, text=text, html=page,
                        attachment_name=words.attachment.format(number=_filename_safe(facts.number)))


def sms_text(facts: InvoiceFacts) -> str:
    """A short text with the number, the business, the amount and the link (the page has the rest),
    in GSM-7 and within one SMS (160 septets) where the language and the link allow: a long business
    name is shortened to fit, down to `SMS_MIN_NAME` characters."""
    words = catalogue(facts.locale).message
    template = words.reminder_sms if facts.reminder else words.sms
    amount = _gsm_spaces(Formatter(facts.locale, facts.currency).money(facts.total_cents))
    name = to_gsm7(" ".join(facts.business_name.split()))
    text = template.format(business=name, number=facts.number, amount=amount, url=facts.public_url)
    overflow = _sms_length(text) - SMS_MAX_SEPTETS
    if overflow > 0 and len(name) > SMS_MIN_NAME:
        text = template.format(business=_shorten(name, max(len(name) - overflow, SMS_MIN_NAME)),
                               number=facts.number, amount=amount, url=facts.public_url)
    return text


def _shorten(name: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary when one is near enough."""
    cut = name[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space >= limit // 2 else cut).rstrip(" ,.-")


def _sms_length(text: str) -> int:
    septets = gsm7_septets(text)
    return len(text) if septets is None else septets


def _gsm_spaces(text: str) -> str:
    """babel puts no-break spaces in amounts; GSM-7 has only the plain space."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _filename_safe(number: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in number)


# --- GSM 03.38 -------------------------------------------------------------------------------------
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


def gsm7_septets(text: str) -> int | None:
    """The length of `text` in GSM-7 septets (extension characters count two), or None when some
    character is outside GSM-7 (the SMS then goes as UCS-2)."""
    septets = 0
    for char in text:
        if char in GSM7_BASIC:
            septets += 1
        elif char in GSM7_EXTENSION:
            septets += 2
        else:
            return None
    return septets


def to_gsm7(text: str) -> str:
    """Characters outside GSM-7 replaced by their unaccented letter when that one is GSM-7
    (ê → e, ç → c); anything else is kept, so nothing of a name is silently lost."""
    out = []
    for char in text.replace("\u202f", " ").replace("\xa0", " "):
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char)[0]
        out.append(base if base in GSM7_BASIC else char)
    return "".join(out)
