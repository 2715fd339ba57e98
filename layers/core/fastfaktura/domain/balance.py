"""An invoice's balance: what was paid, what was credited, what is still due, and what a new payment or
credit note may take. Pure: the store writes what these functions decide, on condition that nothing
changed in between.

A credit note credits tax groups of its invoice. A group is a (VAT category, rate), named by
`group_key`; per group a credit never exceeds what remains of its taxable
amount and of its tax, and the credit that exhausts a group's taxable amount takes exactly the tax that
remains, so that full credits add up to the invoice to the cent whatever partial credits came before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from fastfaktura.domain import invoices as rules
from fastfaktura.domain import money
from fastfaktura.domain.errors import Conflict, ValidationFailed
from fastfaktura.models.common import to_rfc3339

# A payment may be dated a little ahead of this server's clock, never further.
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST_OFFSET = timedelta(hours=14)  # the time zone whose day begins first (Pacific/Kiritimati)
# What may be credited: an issued invoice, paid or not.
CREDITABLE = frozenset({rules.SENT, rules.OPENED, rules.OVERDUE, rules.PAID})
PAYABLE = rules.OUTSTANDING


def group_key(item: money.Rated) -> str:
    """The tax group a line or breakdown entry belongs to, as text (a map key in the table): `S 20`."""
    return f"{money.category_of(item)} {money.normalized_rate(item.tax_rate)}"


@dataclass(frozen=True)
class GroupAmount:
    taxable_cents: int
    tax_cents: int

    def plus(self, other: GroupAmount) -> GroupAmount:
        return GroupAmount(self.taxable_cents + other.taxable_cents, self.tax_cents + other.tax_cents)

    def minus(self, other: GroupAmount) -> GroupAmount:
        return GroupAmount(self.taxable_cents - other.taxable_cents, self.tax_cents - other.tax_cents)

    @property
    def total_cents(self) -> int:
        return self.taxable_cents + self.tax_cents


class BreakdownEntry(money.Rated, Protocol):
    @property
    def taxable_cents(self) -> int: ...

    @property
    def tax_cents(self) -> int: ...


def groups_of(breakdown: Sequence[BreakdownEntry]) -> dict[str, GroupAmount]:
    return {group_key(g): GroupAmount(g.taxable_cents, g.tax_cents) for g in breakdown}


def groups_from_map(stored: Mapping[str, Mapping[str, Any]] | None) -> dict[str, GroupAmount]:
    """The credited amounts per group as the invoice item keeps them."""
    return {key: GroupAmount(int(v["taxable_cents"]), int(v["tax_cents"])) for key, v in (stored or {}).items()}


def groups_to_map(groups: Mapping[str, GroupAmount]) -> dict[str, dict[str, int]]:
    return {key: {"taxable_cents": g.taxable_cents, "tax_cents": g.tax_cents} for key, g in groups.items()}


def amount_due(total_cents: int, credited_cents: int, paid_cents: int) -> int:
    """total − credited − paid, never below 0 (a paid invoice that is then credited owes nothing)."""
    return max(0, total_cents - credited_cents - paid_cents)


def status_after(status: str, due_cents: int, paid_cents: int) -> str:
    """An outstanding invoice whose due reaches 0 is paid when money came in, else cancelled (credited
    away entirely); any other status stays."""
    if status in PAYABLE and due_cents == 0:
        return rules.PAID if paid_cents > 0 else rules.CANCELLED
    return status


def check_paid_at(paid_at: datetime, issue_date: date, now: datetime) -> None:
    """Not before the invoice's issue date, not more than CLOCK_SKEW ahead of now (422). The issue date is
    the business's calendar day: a time is refused when in no time zone (UTC+14 the earliest) it falls on
    or after that day."""
    if paid_at > now + CLOCK_SKEW:
        raise ValidationFailed.field("paid_at", "in_future", "paid_at must not be in the future", to_rfc3339(paid_at))
    if (paid_at.astimezone(UTC) + EARLIEST_OFFSET).date() < issue_date:
        raise ValidationFailed.field("paid_at", "before_issue_date",
                                     f"paid_at must not be before the invoice's issue date {issue_date.isoformat()}",
                                     to_rfc3339(paid_at))


def check_payment(status: str, number: str, amount_cents: int, due_cents: int) -> None:
    """409 unless the invoice is outstanding; 422 when the amount is more than is due."""
    if status not in PAYABLE:
        raise Conflict(f"invoice {number} is {status}: only a sent, opened or overdue invoice can be paid",
                       [{"field": "status", "issue": "invalid_transition", "value": status}])
    if amount_cents > due_cents:
        raise ValidationFailed.field("amount_cents", "more_than_due",
                                     f"amount_cents must not exceed the amount due ({due_cents})", amount_cents)


@dataclass(frozen=True)
class Credit:
    """What a credit note credits: per group, and in all."""

    groups: dict[str, GroupAmount]

    @property
    def subtotal_cents(self) -> int:
        return sum(g.taxable_cents for g in self.groups.values())

    @property
    def tax_cents(self) -> int:
        return sum(g.tax_cents for g in self.groups.values())

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.tax_cents


def remaining(invoice_groups: Mapping[str, GroupAmount],
              credited: Mapping[str, GroupAmount]) -> dict[str, GroupAmount]:
    """Per group, what is not yet credited."""
    zero = GroupAmount(0, 0)
    return {key: group.minus(credited.get(key, zero)) for key, group in invoice_groups.items()}


def credit_of(lines: Sequence[money.PricedLine], invoice_groups: Mapping[str, GroupAmount],
              credited: Mapping[str, GroupAmount]) -> tuple[Credit, money.Totals]:
    """The credit that `lines` make on an invoice of `invoice_groups` already credited by `credited`:
    422 for a line whose group is not on the invoice, or for more than remains in a group."""
    for index, line in enumerate(lines):
        if group_key(line) not in invoice_groups:
            raise ValidationFailed.field(f"lines.{index}.tax_rate", "not_on_invoice",
                                         f"lines[{index}]: the invoice has no line of VAT category and rate "
                                         f"{group_key(line)}", group_key(line))
    totals = money.compute(lines)
    left = remaining(invoice_groups, credited)
    groups = {}
    for entry in totals.tax_breakdown:
        key = group_key(entry)
        room = left[key]
        if entry.taxable_cents > room.taxable_cents or entry.taxable_cents <= 0:
            raise ValidationFailed.field("lines", "more_than_remains",
                                         f"the lines of VAT group {key} credit {entry.taxable_cents} before tax; "
                                         f"{max(room.taxable_cents, 0)} remain to be credited", entry.taxable_cents)
        exhausts = entry.taxable_cents == room.taxable_cents
        groups[key] = GroupAmount(entry.taxable_cents, room.tax_cents if exhausts else min(entry.tax_cents,
                                                                                            room.tax_cents))
    return Credit(groups), totals


def full_credit(left: Mapping[str, GroupAmount]) -> Credit:
    """Everything not yet credited (422 when nothing remains)."""
    if all(g.taxable_cents == 0 and g.tax_cents == 0 for g in left.values()):
        raise ValidationFailed.field("lines", "nothing_remains", "the invoice is already credited in full")
    return Credit({key: g for key, g in left.items() if g.taxable_cents or g.tax_cents})


def check_creditable(status: str, number: str) -> None:
    if status not in CREDITABLE:
        raise Conflict(f"invoice {number} is {status}: only a sent, opened, overdue or paid invoice can be credited",
                       [{"field": "status", "issue": "not_creditable", "value": status}])
