"""Client search: what a stored client is matched on, and what a `q` asks for.

The store keeps, on each client item, the text to match (`search_text`: name and email, normalized
for caseless matching) and the phone's digits (`phone_digits`); a `q` becomes the same forms, and a
client matches when one contains the other's substring (a DynamoDB `contains`, or `matches` here).

The search index (`store.clients`) keeps, per client, one posting for each run of `GRAM` characters of
those two fields (`grams`); every client a `q` can match is in the postings of any run of `q` (`Search.gram`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_PHONE_LIKE = re.compile(r"[0-9 +\-()]+")
GRAM = 3
# Characters from the most to the least frequent in names and emails; any other one (ø, č, ß…) is rarer.
_BY_FREQUENCY = " eaintrslouc.@dmhgpbkvfyjw-zxq_0123456789"


def caseless(text: str) -> str:
    """Unicode caseless form (NFKC + casefold): 'ÉMILIE' and 'émilie' compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_text(name: str, email: str | None) -> str:
    """Name and email, one per line, so a substring cannot straddle the two."""
    return caseless(name) + ("\n" + caseless(email) if email else "")


def phone_digits(phone: str | None) -> str | None:
    return re.sub(r"\D", "", phone) if phone else None


def grams(text: str, digits: str | None) -> frozenset[str]:
    """Every run of `GRAM` characters of a client's `search_text` and `phone_digits`: its postings."""
    return frozenset(_runs(text) | _runs(digits or ""))


def _runs(text: str) -> set[str]:
    return {text[i:i + GRAM] for i in range(len(text) - GRAM + 1)}


def _rarity(gram: str) -> int:
    ranks = (_BY_FREQUENCY.find(c) for c in gram)
    return sum(len(_BY_FREQUENCY) if rank < 0 else rank for rank in ranks)


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

    def gram(self) -> str | None:
        """The one run whose postings hold every client this search can match: a run of the text that
        is also one of the digits when the phone is searched, the rarest-looking (which only decides how
        much is read, never what is found). None: no such run (a `q` shorter than `GRAM`): read them all."""
        runs = _runs(self.text) & _runs(self.digits) if self.digits else _runs(self.text)
        return max(sorted(runs), key=_rarity, default=None)

    def matches(self, name: str, email: str | None, phone: str | None) -> bool:
        if self.text in search_text(name, email):
            return True
        return bool(self.digits and self.digits in (phone_digits(phone) or ""))
