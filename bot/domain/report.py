"""Weekly and monthly reports (SPEC §5): which period a request or the schedule means, and the
figures judged against the KPI lines.

A period is an ISO week (Monday to Sunday, written 2026-W48) or a calendar month (2026-11).
A report covers the days of its period that have ended: the current period is a partial one,
and the monthly KPI targets are pro-rated to the days covered. A week is judged against the
month its Thursday falls in (the month ISO numbering gives the week to).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.domain.money import DomainError

KINDS = ("week", "month")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class PeriodError(DomainError):
    """Codes: bad_kind, bad_period (params: value), future (params: value)."""


@dataclass(frozen=True, slots=True)
class Period:
    kind: str  # week | month
    first: date
    last: date  # the period's last day, whatever has ended of it

    @property
    def label(self) -> str:
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.first.year}-{self.first.month:02d}"

    @property
    def key(self) -> str:
        """The outbox key of the scheduled report."""
        return f"report:{self.kind}:{self.label}"

    def covered(self, today: date) -> tuple[date, date] | None:
        """[first, last] of the days that have ended by `today`; None when none has."""
        last = min(self.last, today - timedelta(days=1))
        return (self.first, last) if last >= self.first else None

    def month_days(self) -> int:
        """The length of the month the period is judged against."""
        anchor = self.first + timedelta(days=3) if self.kind == "week" else self.first
        return calendar.monthrange(anchor.year, anchor.month)[1]

    def previous(self) -> Period:
        return period_of(self.kind, self.first - timedelta(days=1))


def period_of(kind: str, day: date) -> Period:
    """The week or month `day` falls in."""
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return Period("week", first, first + timedelta(days=6))
    if kind == "month":
        first = day.replace(day=1)
        return Period(
            "month", first, first.replace(day=calendar.monthrange(day.year, day.month)[1])
        )
    raise PeriodError("bad_kind", f"unknown period kind {kind!r}", value=kind)


def parse_period(kind: str, text: str | None, today: date) -> tuple[Period, date, date]:
    """The period asked for and the days it covers. Without `text`: the current period, or the
    previous one when none of the current one's days has ended (a Monday, the 1st)."""
    if kind not in KINDS:
        raise PeriodError("bad_kind", f"unknown period kind {kind!r}", value=kind)
    if text is None:
        period = period_of(kind, today)
        if period.covered(today) is None:
            period = period.previous()
    else:
        period = _parse(kind, text)
    span = period.covered(today)
    if span is None:
        raise PeriodError("future", f"{text} has not started", value=text or period.label)
    return period, *span


def _parse(kind: str, text: str) -> Period:
    found = (_WEEK if kind == "week" else _MONTH).match(text.strip())
    if found is None:
        raise PeriodError("bad_period", f"not a {kind}: {text}", value=text)
    year, number = int(found[1]), int(found[2])
    try:
        if kind == "week":
            return period_of("week", date.fromisocalendar(year, number, 1))
        return period_of("month", date(year, number, 1))
    except ValueError:
        raise PeriodError("bad_period", f"not a {kind}: {text}", value=text) from None


def due_period(
    kind: str, now: datetime, at: time, tz: tzinfo, *, sent_before: bool
) -> Period | None:
    """The period whose report should be out by `now`: the last complete one whose posting
    moment (the next period's first day at `at`) has passed. A missed one is sent on start (the
    outbox key makes it once); a bot that never posted a report of this kind posts only on a
    posting day, so a first start mid-month does not send last month's."""
    local = now.astimezone(tz)
    day = local.date() if local.time() >= at else local.date() - timedelta(days=1)
    current = period_of(kind, day)
    if not sent_before and not (day == local.date() and current.first == day):
        return None
    return current.previous()
