"""Dates, amounts, quantities and rates as each locale writes them (babel):
fr `1 234,56 €`, en `€1,234.56`, nb `1 234,56 kr`, sv `1 234,56 kr`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from fastfaktura.models.locales import BABEL_LOCALES

_CENT = Decimal(100)


@cache
def babel_locale(locale: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(locale, "en_GB"))


class Formats:
    """Formatting for one locale and one currency; amounts are cached, since invoices repeat them."""

    def __init__(self, locale: str, currency: str):
        self.locale = babel_locale(locale)
        self.currency = currency
        self._amounts: dict[int, str] = {}

    def amount(self, cents: int) -> str:
        text = self._amounts.get(cents)
        if text is None:
            text = self._amounts[cents] = format_currency(Decimal(cents) / _CENT, self.currency, locale=self.locale)
        return text

    def date(self, day: date) -> str:
        return format_date(day, "long", locale=self.locale)

    def quantity(self, quantity: Decimal) -> str:
        return format_decimal(quantity, locale=self.locale, decimal_quantization=False)

    def rate(self, rate: Decimal) -> str:
        return format_percent(rate / _CENT, locale=self.locale, decimal_quantization=False)
