"""Settlement (SPEC §3): which month may be settled, and the corrections of settled months.

Months are settled in order, once each, after they are over. A month with no sales between
the last settled one and the month asked for would otherwise be skipped silently; such empty
months are settled along (with no lines), so that "the first unsettled month" is always the
month after the latest settled one.

A settled month never changes. When its orders change later (a late refund, a re-import, an
order that moves to another sharer), the month is recomputed under the rules frozen with it,
and the difference from what was paid for it is booked once, as the adjustment of the first
unsettled month, one correction per settled month, so the statement can say where it comes
from.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, tzinfo

from bot.domain.commission import Statement
from bot.domain.money import DomainError
from bot.domain.months import Month, month_start, shift

__all__ = [
    "SettleError",
    "adjustment_for",
    "check_settle",
    "corrections",
    "first_unsettled_month",
    "to_resend",
    "with_adjustment",
]


class SettleError(DomainError):
    """Codes: already_settled, not_over, earlier_unsettled (month), out_of_order (latest),
    not_settled."""


def first_unsettled_month(settled: Iterable[Month]) -> Month | None:
    """The month after the latest settled one, or None when nothing is settled yet."""
    latest = max(settled, default=None)
    return None if latest is None else shift(latest, 1)


def check_settle(
    month: Month,
    settled: Collection[Month],
    now: datetime,
    tz: tzinfo,
    months_with_sales: Iterable[Month],
) -> list[Month]:
    """Refuse what cannot be settled; returns the empty months in between, settled along."""
    if month in settled:
        raise SettleError("already_settled")
    if month_start(shift(month, 1), tz) > now:
        raise SettleError("not_over")
    latest = max(settled, default=None)
    if latest is not None and month < latest:
        raise SettleError("out_of_order", latest=latest)
    earlier = min(
        (m for m in months_with_sales if m < month and (latest is None or m > latest)),
        default=None,
    )
    if earlier is not None:
        raise SettleError("earlier_unsettled", month=earlier)
    gaps, cursor = [], shift(latest, 1) if latest else month
    while cursor < month:
        gaps.append(cursor)
        cursor = shift(cursor, 1)
    return gaps


def corrections(paid: Mapping[Month, int], recomputed: Mapping[Month, int]) -> dict[Month, int]:
    """Per settled month: recomputed now − paid so far, where they differ.

    `paid` must hold every settled month (0 where this sharer had no line), so that late
    orders in a month they had no statement for are caught. Months missing from `recomputed`
    contribute nothing."""
    out = {}
    for m, amount in sorted(paid.items()):
        if m in recomputed and recomputed[m] != amount:
            out[m] = recomputed[m] - amount
    return out


def adjustment_for(
    year: int, month: int, paid: Mapping[Month, int], recomputed: Mapping[Month, int]
) -> int:
    """Σ corrections, booked only in the first unsettled month (any other month gets 0)."""
    if (year, month) != first_unsettled_month(paid):
        return 0
    return sum(corrections(paid, recomputed).values())


def with_adjustment(
    statement: Statement, paid: Mapping[Month, int], recomputed: Mapping[Month, int]
) -> Statement:
    """The statement with its adjustment (and where it comes from) in place of any earlier one."""
    here = (statement.year, statement.month) == first_unsettled_month(paid)
    parts = tuple(corrections(paid, recomputed).items()) if here else ()
    adj = sum(amount for _, amount in parts)
    total = statement.total - statement.adjustment + adj
    return replace(statement, adjustment=adj, adjustments=parts, total=total)


def to_resend(
    keys: Iterable[str], states: Mapping[str, str], *, everything: bool = False
) -> dict[str, str]:
    """Which of a settled month's messages (by their first key) to queue again, and the new
    key of each (`<key>#r<n>`, n counting the earlier sends).

    `states`: outbox status by key, for the first keys and the keys of earlier re-sends. A
    message still pending is left alone (it is on its way); one delivered under any of its
    keys is sent again only when `everything` is asked for."""
    out = {}
    for key in keys:
        family = [s for k, s in states.items() if k == key or k.startswith(key + "#r")]
        if "pending" in family:
            continue
        if everything or "sent" not in family:
            out[key] = f"{key}#r{len(family)}"
    return out
