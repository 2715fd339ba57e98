"""The public invoice page and the public error pages, as HTML strings.

Plain f-strings with every value through html.escape; no JavaScript; one inline stylesheet whose
hash is in the Content-Security-Policy (web/http.py), so no 'unsafe-inline' is needed."""

from __future__ import annotations

from html import escape
from typing import Any

from fastfaktura.i18n.catalogue import Catalogue, PageTexts, catalogue
from fastfaktura.i18n.formats import Formatter
from fastfaktura.i18n.identifiers import Identifier, identifiers
from fastfaktura.i18n.mentions import PrintedMentions, printed_mentions, rate_label, with_register
from fastfaktura.models.public import PublicInvoice

# Colours keep at least 4.5:1 contrast on their background (WCAG AA); the layout is one fluid column.
STYLE = """
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1b1f24;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
main{max-width:52rem;margin:0 auto;padding:1rem}
.card{background:#fff;border:1px solid #d0d5dd;border-radius:.5rem;padding:1.25rem;margin:0 0 1rem}
.sandbox{border:2px dashed #8a1c12;background:#fde2df;color:#8a1c12;font-weight:700;text-align:center;
padding:.5rem 1rem;border-radius:.5rem;margin:0 0 1rem}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.05rem;margin:0 0 .5rem}
.seller{color:#3d4652;margin:0}
.parties{display:flex;flex-wrap:wrap;gap:1rem}
.parties section{flex:1 1 14rem}
address{font-style:normal;white-space:pre-line}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem 1rem;margin:0}
dt{color:#3d4652}
dd{margin:0;overflow-wrap:break-word}
.parties dl{grid-template-columns:minmax(0,1fr);gap:0;margin:.5rem 0 0}
.parties dt{font-size:.875rem}
.parties dd{margin:0 0 .35rem}
table{width:100%;border-collapse:collapse}
caption{text-align:left;font-size:1.05rem;font-weight:700;padding:0 0 .5rem}
th,td{padding:.5rem;border-bottom:1px solid #d0d5dd;text-align:left;vertical-align:top}
thead th{background:#eef0f3;font-weight:600}
.num{text-align:right;white-space:nowrap}
.nowrap{white-space:nowrap}
.totals{display:block;margin:.75rem 0 0}
.totals div{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;padding:.3rem .5rem}
.totals dt{color:inherit}
.totals dd{text-align:right;white-space:nowrap;overflow-wrap:normal}
.totals .base{font-size:.875rem;color:#3d4652;white-space:nowrap}
.totals .total{border-top:2px solid #1b1f24;font-weight:700;font-size:1.1rem;margin-top:.25rem}
.status{display:inline-block;padding:.25rem .75rem;border-radius:1rem;font-weight:600}
.status-paid{background:#d7f2de;color:#0d5223}
.status-cancelled{background:#eceef1;color:#3d4652}
.status-overdue{background:#fde2df;color:#8a1c12}
.status-draft{background:#fff1c2;color:#5c4300}
.notice{border-left:4px solid #0b5cad;background:#e8f1fb;padding:.75rem 1rem;margin:0 0 1rem}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.actions form{margin:0}
.button{display:inline-block;font:inherit;font-weight:600;padding:.75rem 1.25rem;border-radius:.375rem;
text-decoration:none;cursor:pointer;border:2px solid #0b5cad}
.button-primary{background:#0b5cad;color:#fff}
.button-secondary{background:#fff;color:#0b5cad}
.button:focus-visible{outline:3px solid #1b1f24;outline-offset:2px}
.amount-due{font-size:1.6rem;font-weight:700;margin:0 0 .75rem;overflow-wrap:anywhere}
a{color:#0b5cad}
.small{font-size:.875rem;color:#3d4652}
.notes{white-space:pre-line;margin:0;overflow-wrap:anywhere}
h3{font-size:.875rem;color:#3d4652;font-weight:400;margin:.5rem 0 0}
.legal{margin:0;padding-left:1.25rem;font-size:.875rem;overflow-wrap:anywhere}
footer{text-align:center;padding:1rem}
@media (min-width:40.0625rem){.totals{max-width:26rem;margin-left:auto}}
@media (max-width:40rem){
main{padding:.5rem}.card{padding:1rem}
dl{grid-template-columns:1fr;gap:0}dd{margin:0 0 .25rem}
.lines thead th{position:absolute;width:1px;height:1px;padding:0;border:0;overflow:hidden;
clip-path:inset(50%);white-space:nowrap}
.lines,.lines tbody,.lines tr{display:block}
.lines caption{display:block}
.lines tbody tr{padding:.5rem 0;border-bottom:1px solid #d0d5dd}
.lines td{display:flex;justify-content:space-between;gap:1rem;padding:.1rem 0;border:0;text-align:right}
.lines td::before{content:attr(data-label);color:#3d4652;text-align:left;white-space:normal}
.lines td.description{display:block;font-weight:600;text-align:left;overflow-wrap:anywhere}
.lines td.description::before{content:none}
.totals div{padding:.3rem 0}
}
"""


def _address_block(party: dict[str, Any], fmt: Formatter) -> str:
    parts = [f"<strong>{escape(party.get('name') or '')}</strong>"]
    if party.get("legal_name") and party.get("legal_name") != party.get("name"):
        parts.append(escape(party["legal_name"]))
    if party.get("address"):
        parts.append(escape(party["address"]))
    if party.get("country"):
        parts.append(escape(fmt.country(party["country"])))
    return "<address>" + "\n".join(parts) + "</address>"


def _number_rows(numbers: list[Identifier], trade_register: str | None = None) -> list[tuple[str, str]]:
    """Registration numbers as label / value rows; the first beside its trade register, if any."""
    return [(found.label, f'<span class="nowrap">{escape(found.value)}</span>'
             + (escape(with_register("", trade_register)) if index == 0 and trade_register else ""))
            for index, found in enumerate(numbers)]


def _seller_ids(business: dict[str, Any], texts: Catalogue, trade_register: str | None) -> str:
    """The registration numbers as the PDF prints them, then the seller's e-mail and phone."""
    found = identifiers(business.get("country"), business.get("company_id"), business.get("vat_number"),
                        bool(business.get("vat_registered")), texts.legal)
    rows = _number_rows(found, trade_register if business.get("company_id") else None)
    if business.get("email"):
        email = escape(business["email"])
        rows.append(("E-mail", f'<a href="mailto:{email}">{email}</a>'))
    if business.get("phone"):
        rows.append(("Tel.", escape(business["phone"])))
    return "<dl>" + "".join(f"<dt>{escape(label)}</dt><dd>{value}</dd>" for label, value in rows) + "</dl>" \
        if rows else ""


def _status_badge(invoice: dict[str, Any], texts: Catalogue, fmt: Formatter) -> str:
    status, t = invoice.get("status"), texts.page
    if status == "paid":
        text = texts.invoice.paid_on.format(date=fmt.moment_date(invoice["paid_at"])) if invoice.get("paid_at") \
            else texts.invoice.paid
    elif status == "cancelled":
        text = t.status_cancelled
    elif status == "overdue":
        text = t.status_overdue
    elif status == "draft":
        text = t.status_draft
    else:
        return ""
    return f'<p class="status status-{status}" role="status">{escape(text)}</p>'


def _line_rows(invoice: dict[str, Any], texts: Catalogue, fmt: Formatter) -> str:
    """One row per line; each number cell carries its column's name, which a phone shows beside it
    when the rows are stacked."""
    t, shared = texts.page, texts.invoice
    labels = (t.quantity, shared.unit_price, shared.vat_rate, shared.amount)
    rows = []
    for line in invoice.get("lines") or []:
        values = (fmt.quantity(line["quantity"]), fmt.money(line["unit_price_cents"]), fmt.rate(line["tax_rate"]),
                  fmt.money(line["amount_cents"]))
        cells = "".join(f'<td class="num" data-label="{escape(label)}">{escape(value)}</td>'
                        for label, value in zip(labels, values, strict=True))
        rows.append(f'<tr><td class="description">{escape(line["description"])}</td>{cells}</tr>')
    return "".join(rows)


def _totals(invoice: dict[str, Any], texts: Catalogue, fmt: Formatter) -> str:
    """Subtotal, the VAT of each rate (its base beneath the label, so it is not read as the VAT) and the
    total: label and amount side by side at every width."""
    rows = [(escape(texts.page.subtotal), fmt.money(invoice["subtotal_cents"]), "")]
    for group in invoice.get("tax_breakdown") or []:
        rate = rate_label(fmt.rate(group["tax_rate"]), group.get("vat_category"), texts.mentions)
        label = escape(texts.page.tax_on).format(rate=escape(rate),
                                                 base=f'<span class="base">{escape(fmt.money(group["taxable_cents"]))}'
                                                      "</span>")
        rows.append((label, fmt.money(group["tax_cents"]), ""))
    rows.append((escape(texts.invoice.total), fmt.money(invoice["total_cents"]), ' class="total"'))
    return '<dl class="totals">' + "".join(f"<div{attrs}><dt>{label}</dt><dd>{escape(amount)}</dd></div>"
                                           for label, amount, attrs in rows) + "</dl>"


def _bank_details(business: dict[str, Any], t: PageTexts) -> str:
    if not business.get("iban"):
        return ""
    rows = f"<dt>{escape(t.iban)}</dt><dd>{escape(business['iban'])}</dd>"
    if business.get("bic"):
        rows += f"<dt>{escape(t.bic)}</dt><dd>{escape(business['bic'])}</dd>"
    return f'<section class="card" aria-labelledby="bank"><h2 id="bank">{escape(t.bank_transfer)}</h2>' \
           f"<dl>{rows}</dl></section>"


def _actions(page: PublicInvoice, texts: Catalogue, fmt: Formatter) -> str:
    invoice, t = page.invoice, texts.page
    total = fmt.money(invoice["total_cents"])
    awaiting = invoice.get("status") in ("sent", "opened", "overdue")
    parts = [f'<h2 id="pay">{escape(t.amount_due if awaiting else texts.invoice.total)}</h2>',
             f'<p class="amount-due">{escape(total)}</p>']
    buttons = []
    if page.can_pay:
        buttons.append(
            f'<form method="post" action="/i/{escape(page.token)}/pay">'
            f'<button type="submit" class="button button-primary">{escape(t.pay.format(amount=total))}'
            "</button></form>")
    buttons.append(f'<a class="button button-secondary" href="/i/{escape(page.token)}/pdf" download>'
                   f'{escape(t.download_pdf)}</a>')
    parts.append(f'<div class="actions">{"".join(buttons)}</div>')
    if page.can_pay:
        parts.append(f'<p class="small">{escape(t.pay_secure)}</p>')
    return "".join(parts)


def _client_block(client: dict[str, Any], mentions: PrintedMentions, texts: Catalogue, fmt: Formatter) -> str:
    """The client as the PDF's buyer block prints it: address, registration numbers, delivery address."""
    rows = _number_rows(mentions.buyer)
    block = _address_block(client, fmt)
    if rows:
        block += "<dl>" + "".join(f"<dt>{escape(label)}</dt><dd>{value}</dd>" for label, value in rows) + "</dl>"
    if mentions.delivery_address:
        block += f"<h3>{escape(texts.mentions.delivery_address)}</h3>" \
                 f"<address>{escape(mentions.delivery_address)}</address>"
    return block


def _legal_sentences(mentions: PrintedMentions, texts: Catalogue) -> str:
    if not mentions.sentences:
        return ""
    items = "".join(f"<li>{escape(sentence)}</li>" for sentence in mentions.sentences)
    return f'<section class="card" aria-labelledby="legal"><h2 id="legal">{escape(texts.mentions.legal_mentions)}' \
           f'</h2><ul class="legal">{items}</ul></section>'


def _document(locale: str, title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(locale)}">'
        "<head>"
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title>"
        f"<style>{STYLE}</style>"
        "</head>"
        f"<body>{body}</body></html>"
    )


def invoice_page(page: PublicInvoice) -> str:
    """The invoice as its client sees it, in the client's locale."""
    texts = catalogue(page.locale)
    t, shared = texts.page, texts.invoice
    invoice, business = page.invoice, page.business
    fmt = Formatter(texts.locale, invoice["currency"], business.get("timezone"))
    mentions = printed_mentions(page.mentions, texts, business.get("country"), page.client.get("country"), fmt)
    title = t.invoice_number.format(number=invoice["number"])
    notice = ""
    if page.payment_notice == "success" and invoice.get("status") != "paid":
        notice = f'<p class="notice" role="status">{escape(t.payment_success)}</p>'
    elif page.payment_notice == "cancelled" and page.can_pay:
        notice = f'<p class="notice" role="status">{escape(t.payment_cancelled)}</p>'
    notes = ""
    if invoice.get("notes"):
        notes = f'<section class="card" aria-labelledby="notes"><h2 id="notes">{escape(shared.notes)}</h2>' \
                f'<p class="notes">{escape(invoice["notes"])}</p></section>'
    sandbox = f'<p class="sandbox" role="note">{escape(shared.sandbox)}</p>' if business.get("sandbox") else ""
    body = (
        "<main>"
        f"{sandbox}"
        '<header class="card">'
        f"<h1>{escape(title)}</h1>"
        f'<p class="seller">{escape(business.get("name") or "")}</p>'
        f"{_status_badge(invoice, texts, fmt)}"
        "</header>"
        f"{notice}"
        '<section class="card" aria-labelledby="pay">'
        f"{_actions(page, texts, fmt)}"
        "</section>"
        '<div class="card parties">'
        f'<section aria-labelledby="from"><h2 id="from">{escape(t.from_)}</h2>'
        f"{_address_block(business, fmt)}{_seller_ids(business, texts, mentions.trade_register)}</section>"
        f'<section aria-labelledby="to"><h2 id="to">{escape(t.billed_to)}</h2>'
        f"{_client_block(page.client, mentions, texts, fmt)}</section>"
        f'<section aria-labelledby="details"><h2 id="details">{escape(t.details)}</h2><dl>'
        f'<dt>{escape(t.invoice)}</dt><dd>{escape(invoice["number"])}</dd>'
        f'<dt>{escape(shared.issue_date)}</dt><dd>{escape(fmt.date(invoice.get("issue_date")))}</dd>'
        f'<dt>{escape(shared.due_date)}</dt><dd>{escape(fmt.date(invoice.get("due_date")))}</dd>'
        + "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in mentions.facts)
        + "</dl></section>"
        "</div>"
        '<section class="card" aria-labelledby="lines">'
        f'<table class="lines"><caption id="lines">{escape(t.lines)}</caption>'
        "<thead><tr>"
        f'<th scope="col">{escape(t.description)}</th>'
        f'<th scope="col" class="num">{escape(t.quantity)}</th>'
        f'<th scope="col" class="num">{escape(shared.unit_price)}</th>'
        f'<th scope="col" class="num">{escape(shared.vat_rate)}</th>'
        f'<th scope="col" class="num">{escape(shared.amount)}</th>'
        "</tr></thead>"
        f"<tbody>{_line_rows(invoice, texts, fmt)}</tbody>"
        "</table>"
        f"{_totals(invoice, texts, fmt)}"
        "</section>"
        f"{_bank_details(business, t)}"
        f"{notes}"
        f"{_legal_sentences(mentions, texts)}"
        "</main>"
        f'<footer class="small">{escape(t.powered_by)}</footer>'
    )
    return _document(texts.locale, f"{title} · {business.get('name') or ''}", body)


def message_page(locale: str | None, title_key: str, message_key: str, back_to_token: str | None = None) -> str:
    """A short page for what is not an invoice: not found, not payable, provider down, error;
    `title_key` and `message_key` name fields of `PageTexts`."""
    texts = catalogue(locale)
    title, message = getattr(texts.page, title_key), getattr(texts.page, message_key)
    back = ""
    if back_to_token:
        back = f'<p><a class="button button-secondary" href="/i/{escape(back_to_token)}">' \
               f'{escape(texts.page.back_to_invoice)}</a></p>'
    body = (f'<main><section class="card"><h1>{escape(title)}</h1>'
            f"<p>{escape(message)}</p>{back}</section></main>")
    return _document(texts.locale, title, body)
