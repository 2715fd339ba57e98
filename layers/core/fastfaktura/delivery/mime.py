"""The raw MIME message of an invoice email: text and HTML alternatives, the PDF attached (and the UBL
e-invoice, for a client with an electronic address)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from fastfaktura.delivery.messages import EmailContent

# SES refuses a raw message above 10 MB (after base64 encoding of the attachments).
MAX_RAW_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Attachment:
    body: bytes
    subtype: str  # of application/: "xml"
    filename: str


def invoice_email(content: EmailContent, pdf: bytes, sender: str, sender_name: str, to: str,
                  reply_to: str | None, extra: Sequence[Attachment] = ()) -> bytes:
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
    for attachment in extra:
        message.add_attachment(attachment.body, maintype="application", subtype=attachment.subtype,
                               filename=attachment.filename)
    return message.as_bytes()
