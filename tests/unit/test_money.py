"""Invoice money: the contract's worked example, rounding, bounds, and properties over random lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest
from fastfaktura.domain import money
from fastfaktura.domain.errors import ValidationFailed
from hypothesis import assume, given, settings
from hypothesis import strategies as st


@dataclass(frozen=True)
class Line:
    quantity: Decimal
    unit_price_cents: int
    tax_rate: Decimal


def line(quantity: str, price: int, rate: str) -> Line:
    return Line(Decimal(quantity), price, Decimal(rate))


def test_the_contracts_worked_example():
    totals = money.compute([line("1", 50000, "20"), line("3", 333, "20"), line("2.5", 1999, "5.5")])
    assert totals.line_amounts == [50000, 999, 4998]  # 4997.5 rounds up
    assert [(g.tax_rate, g.taxable_cents, g.tax_cents) for g in totals.tax_breakdown] == [
        (Decimal("5.5"), 4998, 275),  # 274.89 → 275
        (Decimal("20"), 50999, 10200),  # 10199.8 → 10200
    ]
    assert (totals.subtotal_cents, totals.tax_cents, totals.total_cents) == (55997, 10475, 66472)


def test_tax_is_rounded_per_rate_group_not_per_line():
    # Per line: 3 × round(0.2) = 0; on the group's sum: round(3 × 1 × 20 %) = round(0.6) = 1.
    totals = money.compute([line("1", 1, "20")] * 3)
    assert totals.tax_cents == 1


@pytest.mark.parametrize(("quantity", "price", "amount"), [
    ("2.5", 1999, 4998),
    ("0.5", 1, 1),  # half a cent rounds up
    ("0.5", -1, -1),  # and a negative half cent away from zero
    ("1.005", 100, 101),  # 100.5 exactly (a float would give 100.49999…)
    ("0.001", 1, 0),
    ("1000000", 1_000_000_000, 10**15),
])
def test_line_amount_rounds_half_up(quantity, price, amount):
    assert money.line_amount(Decimal(quantity), price) == amount


def test_rates_written_differently_are_one_group():
    totals = money.compute([line("1", 100, "20"), line("1", 100, "20.00"), line("1", 100, "20.0")])
    assert len(totals.tax_breakdown) == 1
    assert str(totals.tax_breakdown[0].tax_rate) == "20"


def test_a_discount_line_is_allowed_while_the_total_stays_non_negative():
    totals = money.compute([line("1", 10000, "20"), line("1", -2000, "20")])
    assert (totals.subtotal_cents, totals.tax_cents, totals.total_cents) == (8000, 1600, 9600)


def test_a_total_below_zero_is_refused():
    with pytest.raises(ValidationFailed) as raised:
        money.compute([line("1", 100, "0"), line("1", -101, "0")])
    assert raised.value.details[0]["field"] == "total_cents"


def test_an_amount_beyond_ten_to_the_fifteen_is_refused():
    big = line("1000000", 1_000_000_000, "0")  # exactly 10^15: allowed alone
    assert money.compute([big]).total_cents == 10**15
    with pytest.raises(ValidationFailed):
        money.compute([big, line("1", 1, "0")])
    with pytest.raises(ValidationFailed):
        money.compute([line("1000000", 1_000_000_000, "10")])  # the tax pushes the total over


# --- properties ------------------------------------------------------------------------------------

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1_000_000), places=3,
                         allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2, allow_nan=False, allow_infinity=False)
small_rates = st.sampled_from([Decimal(r) for r in ("0", "5.5", "10", "12", "14", "15", "20", "25", "2.1")])
lines = st.lists(st.builds(Line, quantities, st.integers(-10**9, 10**9), rates | small_rates), min_size=1,
                 max_size=40)


def _refused_field(invoice_lines) -> str | None:
    """Which field an independent exact-rational computation says the invoice is refused on (the first
    one, in the order the rules are checked), None when it must be accepted."""
    amounts = [_half_up(Fraction(item.quantity) * item.unit_price_cents) for item in invoice_lines]
    taxable: dict[Fraction, int] = {}
    for item, amount in zip(invoice_lines, amounts, strict=True):
        taxable[Fraction(item.tax_rate)] = taxable.get(Fraction(item.tax_rate), 0) + amount
    taxes = {rate: _half_up(cents * rate / 100) for rate, cents in taxable.items()}
    subtotal, tax = sum(amounts), sum(taxes.values())
    checks = [(f"lines.{index}.amount_cents", amount) for index, amount in enumerate(amounts)]
    for rate in sorted(taxable):
        checks += [("tax_breakdown.taxable_cents", taxable[rate]), ("tax_breakdown.tax_cents", taxes[rate])]
    checks += [("subtotal_cents", subtotal), ("tax_cents", tax), ("total_cents", subtotal + tax)]
    beyond = next((field for field, value in checks if abs(value) > money.MAX_ABS_CENTS), None)
    if beyond is None and subtotal + tax < 0:
        return "total_cents"
    return beyond


def _half_up(value: Fraction) -> int:
    """ROUND_HALF_UP on exact rationals, as an independent reference."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


@settings(max_examples=300, deadline=None)
@given(lines)
def test_totals_are_the_sums_of_the_breakdown(invoice_lines):
    assume(_refused_field(invoice_lines) is None)
    totals = money.compute(invoice_lines)
    assert totals.subtotal_cents == sum(totals.line_amounts) == sum(g.taxable_cents for g in totals.tax_breakdown)
    assert totals.tax_cents == sum(g.tax_cents for g in totals.tax_breakdown)
    assert totals.total_cents == totals.subtotal_cents + totals.tax_cents >= 0
    assert [g.tax_rate for g in totals.tax_breakdown] == sorted(g.tax_rate for g in totals.tax_breakdown)
    assert len({g.tax_rate for g in totals.tax_breakdown}) == len(totals.tax_breakdown)


@settings(max_examples=300, deadline=None)
@given(lines)
def test_no_float_anywhere_and_exact_half_up_rounding(invoice_lines):
    assume(_refused_field(invoice_lines) is None)
    totals = money.compute(invoice_lines)
    cents = [*totals.line_amounts, totals.subtotal_cents, totals.tax_cents, totals.total_cents]
    cents += [v for g in totals.tax_breakdown for v in (g.taxable_cents, g.tax_cents)]
    assert all(type(v) is int for v in cents)
    assert all(type(g.tax_rate) is Decimal for g in totals.tax_breakdown)
    for item, amount in zip(invoice_lines, totals.line_amounts, strict=True):
        assert amount == _half_up(Fraction(item.quantity) * item.unit_price_cents)
    for group in totals.tax_breakdown:
        assert group.tax_cents == _half_up(Fraction(group.taxable_cents) * Fraction(group.tax_rate) / 100)


# Lines whose amounts sit at ±10^15 cents, where the bounds refuse, and totals one cent either side of 0
# (random lines almost never get to either edge).
near_the_bound = st.lists(st.builds(Line, st.sampled_from([Decimal("999999.999"), Decimal(1_000_000)]),
                                    st.integers(10**9 - 2, 10**9) | st.integers(-(10**9), -(10**9) + 2),
                                    small_rates) |
                          st.builds(Line, st.just(Decimal(1)), st.integers(10**15 - 1, 10**15 + 1),
                                    st.just(Decimal(0))), min_size=1, max_size=3)
near_zero = st.lists(st.builds(Line, st.just(Decimal(1)), st.integers(-2, 2), st.just(Decimal(0))),
                     min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(lines | near_the_bound | near_zero)
def test_an_invoice_is_refused_exactly_when_an_amount_is_beyond_the_bound_or_the_total_below_zero(invoice_lines):
    expected = _refused_field(invoice_lines)
    if expected is None:
        assert money.compute(invoice_lines).total_cents >= 0
        return
    with pytest.raises(ValidationFailed) as raised:
        money.compute(invoice_lines)
    assert raised.value.details[0]["field"] == expected


@settings(max_examples=200, deadline=None)
@given(lines, st.randoms(use_true_random=False))
def test_the_order_of_the_lines_does_not_matter(invoice_lines, rnd):
    shuffled = list(invoice_lines)
    rnd.shuffle(shuffled)
    if _refused_field(invoice_lines) is not None:
        for order in (invoice_lines, shuffled):
            with pytest.raises(ValidationFailed):
                money.compute(order)
        return
    first, second = money.compute(invoice_lines), money.compute(shuffled)
    assert first.tax_breakdown == second.tax_breakdown
    assert (first.subtotal_cents, first.tax_cents, first.total_cents) == \
           (second.subtotal_cents, second.tax_cents, second.total_cents)
    assert sorted(first.line_amounts) == sorted(second.line_amounts)


# --- properties with VAT categories ----------------------------------------------------------------
# Narrow strategies, so that no invoice drawn is refused: prices ≥ 0, amounts far below the bounds.

@dataclass(frozen=True)
class Reason:
    code: str


@dataclass(frozen=True)
class CategorizedLine:
    quantity: Decimal
    unit_price_cents: int
    tax_rate: Decimal
    vat_category: str | None
    vat_exemption_reason: Reason | None


REASONS = {"E": Reason("VATEX-EU-132"), "AE": Reason("VATEX-EU-AE"), "K": Reason("VATEX-EU-IC"),
           "G": Reason("VATEX-EU-G"), "O": Reason("VATEX-EU-O")}
positive_rates = st.sampled_from([Decimal(r) for r in ("5.5", "10", "12", "15", "20", "25", "2.1", "0.01")])


@st.composite
def categorized_line(draw, categories=("S", "Z", "E", "AE", "K", "G", "O")):
    category = draw(st.sampled_from(categories))
    rate = draw(positive_rates) if category == "S" else Decimal(0)
    quantity = draw(st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000), places=3, allow_nan=False,
                                allow_infinity=False))
    return CategorizedLine(quantity, draw(st.integers(0, 10**6)), rate, category, REASONS.get(category))


mixed_lines = st.lists(categorized_line(), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(mixed_lines)
def test_tax_is_grouped_by_category_and_rate(invoice_lines):
    totals = money.compute(invoice_lines)
    groups = [(g.vat_category, g.tax_rate) for g in totals.tax_breakdown]
    assert len(set(groups)) == len(groups)
    assert set(groups) == {(item.vat_category, money.normalized_rate(item.tax_rate)) for item in invoice_lines}
    for group in totals.tax_breakdown:
        members = [amount for item, amount in zip(invoice_lines, totals.line_amounts, strict=True)
                   if (item.vat_category, money.normalized_rate(item.tax_rate)) == (group.vat_category, group.tax_rate)]
        assert group.taxable_cents == sum(members)
        if group.vat_category == "S":
            assert group.vat_exemption_reason is None and group.tax_rate > 0
        else:
            assert group.tax_cents == 0 and group.vat_exemption_reason == REASONS.get(group.vat_category)
    assert totals.subtotal_cents == sum(g.taxable_cents for g in totals.tax_breakdown)
    assert totals.tax_cents == sum(g.tax_cents for g in totals.tax_breakdown)
    assert totals.total_cents == totals.subtotal_cents + totals.tax_cents


@settings(max_examples=200, deadline=None)
@given(mixed_lines, st.randoms(use_true_random=False))
def test_with_categories_the_order_of_the_lines_does_not_matter(invoice_lines, rnd):
    shuffled = list(invoice_lines)
    rnd.shuffle(shuffled)
    assert money.compute(invoice_lines).tax_breakdown == money.compute(shuffled).tax_breakdown


@settings(max_examples=200, deadline=None)
@given(st.lists(categorized_line(("S", "Z")), min_size=1, max_size=40))
def test_lines_without_a_category_group_as_their_rate_said_in_the_first_release(invoice_lines):
    """A v1 line (no category) is S above 0 and Z at 0: the same breakdown as those lines written out."""
    v1_lines = [Line(item.quantity, item.unit_price_cents, item.tax_rate) for item in invoice_lines]
    assert money.compute(v1_lines) == money.compute(invoice_lines)


@settings(max_examples=200, deadline=None)
@given(mixed_lines, categorized_line(("E", "AE", "K", "G", "O")))
def test_a_zero_rated_line_adds_its_amount_and_no_tax(invoice_lines, extra):
    before, after = money.compute(invoice_lines), money.compute([*invoice_lines, extra])
    assert after.tax_cents == before.tax_cents
    assert after.subtotal_cents == before.subtotal_cents + money.line_amount(extra.quantity, extra.unit_price_cents)


def test_the_worked_example_with_an_exempt_line_beside_it():
    totals = money.compute([line("1", 50000, "20"), line("3", 333, "20"), line("2.5", 1999, "5.5"),
                            CategorizedLine(Decimal(1), 10000, Decimal(0), "E", REASONS["E"])])
    assert [(g.vat_category, g.tax_rate, g.taxable_cents, g.tax_cents) for g in totals.tax_breakdown] == [
        ("E", Decimal(0), 10000, 0), ("S", Decimal("5.5"), 4998, 275), ("S", Decimal(20), 50999, 10200)]
    assert (totals.subtotal_cents, totals.tax_cents, totals.total_cents) == (65997, 10475, 76472)
