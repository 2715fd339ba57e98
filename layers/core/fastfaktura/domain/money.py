"""Invoice money by the EN 16931 rules: integer cents, Decimal arithmetic, ROUND_HALF_UP, never a float.

A line's amount is its quantity × unit price rounded to the cent; tax is computed once per VAT group
— a (VAT category, tax rate) pair — on the sum of that group's line amounts (not line by line), so the
breakdown is what a tax authority recomputes from the invoice. A line without a category (the first
release's lines) is S at a rate > 0 and Z at 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any, Protocol

from fastfaktura.domain.errors import ValidationFailed

MAX_ABS_CENTS = 10**15
_HUNDRED = Decimal(100)
# Wide enough that no product or sum of the allowed inputs is ever rounded before the final quantize.
_EXACT = Context(prec=60, rounding=ROUND_HALF_UP)


# The order of categories in a breakdown, after the rate (so a first-release breakdown keeps its order).
CATEGORY_ORDER = ("Z", "S", "E", "AE", "K", "G", "O")


class PricedLine(Protocol):
    """A line's price; `vat_category` and `vat_exemption_reason`, when the line has them, group it."""

    quantity: Decimal
    unit_price_cents: int
    tax_rate: Decimal


@dataclass(frozen=True)
class TaxGroup:
    tax_rate: Decimal
    taxable_cents: int
    tax_cents: int
    vat_category: str = "S"
    vat_exemption_reason: Any = None  # the reason of the group's first line (the rules allow one per group)


@dataclass(frozen=True)
class Totals:
    line_amounts: list[int]
    tax_breakdown: list[TaxGroup]
    subtotal_cents: int
    tax_cents: int
    total_cents: int


def round_cents(value: Decimal) -> int:
    """Half a cent rounds away from zero (ROUND_HALF_UP): 4997.5 → 4998, -4997.5 → -4998."""
    with localcontext(_EXACT):
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def normalized_rate(rate: Decimal) -> Decimal:
    """20, 20.0 and 20.00 are one rate: the same group, written the same way (20)."""
    if rate == rate.to_integral_value():
        return rate.quantize(Decimal(1))
    return rate.normalize()


def line_amount(quantity: Decimal, unit_price_cents: int) -> int:
    with localcontext(_EXACT):
        return round_cents(quantity * Decimal(unit_price_cents))


def compute(lines: Sequence[PricedLine]) -> Totals:
    """The amounts of an invoice; ValidationFailed (422) when an amount is beyond ±10^15 cents or the
    total is below zero. The result does not depend on the order of the lines (except `line_amounts`,
    which follow it)."""
    amounts = [line_amount(line.quantity, line.unit_price_cents) for line in lines]
    for index, amount in enumerate(amounts):
        _check_bound(amount, f"lines.{index}.amount_cents")
    taxable: dict[tuple[Decimal, str], int] = {}
    reasons: dict[tuple[Decimal, str], Any] = {}
    for line, amount in zip(lines, amounts, strict=True):
        group = (normalized_rate(line.tax_rate), category_of(line))
        taxable[group] = taxable.get(group, 0) + amount
        reasons.setdefault(group, getattr(line, "vat_exemption_reason", None))
    breakdown = []
    with localcontext(_EXACT):
        for rate, category in sorted(taxable, key=lambda group: (group[0], CATEGORY_ORDER.index(group[1]))):
            cents = taxable[(rate, category)]
            breakdown.append(TaxGroup(rate, cents, round_cents(Decimal(cents) * rate / _HUNDRED), category,
                                      None if category == "S" else reasons[(rate, category)]))
    for tax_group in breakdown:
        _check_bound(tax_group.taxable_cents, "tax_breakdown.taxable_cents")
        _check_bound(tax_group.tax_cents, "tax_breakdown.tax_cents")
    subtotal = sum(amounts)
    tax = sum(group.tax_cents for group in breakdown)
    total = subtotal + tax
    _check_bound(subtotal, "subtotal_cents")
    _check_bound(tax, "tax_cents")
    _check_bound(total, "total_cents")
    if total < 0:
        raise ValidationFailed.field("total_cents", "negative",
                                     f"the invoice total must not be below 0 (it is {total})", total)
    return Totals(amounts, breakdown, subtotal, tax, total)


class Rated(Protocol):
    """Anything at a tax rate (a line, a tax group), whose `vat_category`, when it has one, says more."""

    @property
    def tax_rate(self) -> Decimal: ...


def category_of(line: Rated) -> str:
    """The line's VAT category; without one, what its rate meant in the first release."""
    return getattr(line, "vat_category", None) or ("S" if line.tax_rate > 0 else "Z")


def _check_bound(cents: int, field: str) -> None:
    if abs(cents) > MAX_ABS_CENTS:
        raise ValidationFailed.field(field, "out_of_range", f"{field} is beyond ±10^15 cents", cents)
