"""Client search: what a stored client is matched on, and what a `q` asks for.

The store keeps, on each client item, the text to match (`search_text`: name and email, normalized
for caseless matching) and the phone's digits (`phone_digits`); a `q` becomes the same forms, and a
client matches when one contains the other's substring (a DynamoDB `contains`, or `matches` here).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_PHONE_LIKE = re.compile(r"[0-9 +\-()]+")


def caseless(text: str) -> str:
    """Unicode caseless form (NFKC + casefold): 'ÉMILIE' and 'émilie' compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_text(name: str, email: str | None) -> str:
    """Name and email, one per line, so a substring cannot straddle the two."""
    return caseless(name) + ("\n" + caseless(email) if email else "")


def phone_digits(phone: str | None) -> str | None:
    return re.sub(r"\D", "", phone) if phone else None


@dataclass(frozen=True)
class Search:
    """A `q`: a caseless substring of name or email, and — when `q` is only digits, spaces and
    `+-()` — also a substring of the phone's digits."""

    text: str
    digits: str | None

    @classmethod
    def parse(cls, q: str | None) -> Search | None:
        if q is None or not q.strip():
            return None
        digits = re.sub(r"\D", "", q) if _PHONE_LIKE.fullmatch(q) else None
        return cls(text=caseless(q.strip()), digits=digits or None)

    def matches(self, name: str, email: str | None, phone: str | None) -> bool:
        if self.text in search_text(name, email):
            return True
        return bool(self.digits and self.digits in (phone_digits(phone) or ""))
