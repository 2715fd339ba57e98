"""The raw MIME message of an invoice email: text and HTML alternatives, the PDF attached."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from fastfaktura.delivery.messages import EmailContent


def invoice_email(content: EmailContent, pdf: bytes, sender: str, sender_name: str, to: str,
                  reply_to: str | None) -> bytes:
    """multipart/mixed [multipart/alternative [text/plain, text/html], application/pdf], with CRLF
    line endings as SMTP wants. From is our verified identity shown with the business's name, so
    that the client sees who bills them; Reply-To is the business's own address."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = formataddr((sender_name, sender))
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = content.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(content.text, cte="quoted-printable")
    message.add_alternative(content.html, subtype="html", cte="quoted-printable")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=content.attachment_name)
    return message.as_bytes()
