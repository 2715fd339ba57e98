"""Money, numbers, dates and country names as each locale writes them (babel):
fr `1 234,56 €`, en `€1,234.56`, nb `1 234,56 kr`, sv `1 234,56 kr`.

babel is imported on the first formatting, not with this module: importing babel.numbers costs about
25 ms of a cold start, which a function that formats nothing should not pay. Both outputs (the PDF
and the public page) and the messages format through `Formatter`, so a fact reads alike everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from fastfaktura.i18n.catalogue import catalogue

if TYPE_CHECKING:
    from babel import Locale

_CENT = Decimal(100)
DEFAULT_TIMEZONE = "Europe/Paris"

# Currencies written with their ISO code in every locale: CLDR gives DKK "Dkr" in Swedish but "DKK" in
# the other locales, and a Danish amount must not read differently depending on the reader's language.
ISO_CODE_CURRENCIES = frozenset({"DKK"})


def local_day(moment: datetime, timezone: ZoneInfo) -> date:
    """The day of an aware moment in `timezone` (a naive one is taken as already local)."""
    return moment.astimezone(timezone).date() if moment.tzinfo else moment.date()


@cache
def babel_locale(locale: str | None) -> Locale:
    from babel import Locale

    return Locale.parse(catalogue(locale).babel_locale)


@cache
def _iso_code_pattern(locale: Locale) -> str:
    """The locale's standard currency pattern with the ISO code (¤¤) in place of the symbol (¤)."""
    return locale.currency_formats["standard"].pattern.replace("¤", "¤¤")


class Formatter:
    """Formatting for one locale and one currency; amounts, quantities and rates are cached (a formatter
    serves one document, whose lines repeat them). `timezone` (IANA) is the business's: a moment
    (paid at …) is dated where the business is."""

    def __init__(self, locale: str | None, currency: str, timezone: str | None = None):
        self.locale = babel_locale(locale)
        self.currency = currency
        self.timezone = ZoneInfo(timezone or DEFAULT_TIMEZONE)
        self._amounts: dict[int, str] = {}
        self._numbers: dict[tuple[str, str], str] = {}

    def money(self, cents: int) -> str:
        text = self._amounts.get(cents)
        if text is None:
            from babel.numbers import format_currency

            pattern = _iso_code_pattern(self.locale) if self.currency in ISO_CODE_CURRENCIES else None
            text = self._amounts[cents] = format_currency(Decimal(cents) / _CENT, self.currency, format=pattern,
                                                          locale=self.locale)
        return text

    def date(self, day: date | str | None) -> str:
        """A calendar day (or its ISO text), in the locale's long form: 24 décembre 2026."""
        if not day:
            return ""
        from babel.dates import format_date

        return format_date(date.fromisoformat(day) if isinstance(day, str) else day, "long", locale=self.locale)

    def moment_date(self, moment: datetime | str | None) -> str:
        """The day of a moment (or its RFC 3339 text) in the business's time zone."""
        if not moment:
            return ""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        return self.date(local_day(moment, self.timezone))

    def quantity(self, quantity: Any) -> str:
        key = ("quantity", str(quantity))  # by its text: 1.5 and 1.50 print differently
        text = self._numbers.get(key)
        if text is None:
            from babel.numbers import format_decimal

            text = self._numbers[key] = format_decimal(Decimal(key[1]), locale=self.locale,
                                                       decimal_quantization=False)
        return text

    def rate(self, rate: Any) -> str:
        """A percentage: 20 → 20 %, 5.5 → 5,5 %."""
        key = ("rate", str(rate))
        text = self._numbers.get(key)
        if text is None:
            from babel.numbers import format_percent

            text = self._numbers[key] = format_percent(Decimal(key[1]) / _CENT, locale=self.locale,
                                                       decimal_quantization=False)
        return text

    def country(self, code: str | None) -> str:
        """An ISO 3166 code as the locale names the country (FR → France, Frankrike); unknown codes as given."""
        return self.locale.territories.get(code, code) if code else ""
