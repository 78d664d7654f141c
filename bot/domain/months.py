"""Months: the one parser (with calendar bounds), month arithmetic and local month bounds.

A month is a (year, month) tuple; `ym` packs it into the yyyymm integer the store keeps. Years
outside MIN_YEAR..MAX_YEAR are refused where the text enters, so that nothing downstream (the
start of the next month, a yyyymmdd day, a datetime) can fall off the calendar.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo

from babel.dates import format_skeleton

from bot.domain.money import DomainError

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "Month",
    "MonthError",
    "first_day",
    "from_ym",
    "looks_like_month",
    "month_bounds",
    "month_label",
    "month_start",
    "parse_month",
    "shift",
    "ym",
]

Month = tuple[int, int]
MIN_YEAR, MAX_YEAR = 2000, 2100

# What a person means as a month (so /commission can tell it from a sharer id), bounded or not.
_LOOKS = re.compile(r"^\d{1,6}[-/]\d{1,2}$", re.ASCII)
_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$", re.ASCII)


class MonthError(DomainError):
    """Code: not_a_month (value)."""


def looks_like_month(text: str) -> bool:
    return bool(_LOOKS.match(text.strip()))


def parse_month(text: str) -> Month:
    """'2026-11' (or '2026/11', '2026-1') → (2026, 11); years MIN_YEAR..MAX_YEAR only."""
    match = _MONTH.match(text.strip())
    if match is None:
        raise MonthError("not_a_month", value=text)
    year, month = int(match[1]), int(match[2])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        raise MonthError("not_a_month", value=text)
    return year, month


def ym(month: Month) -> int:
    return month[0] * 100 + month[1]


def from_ym(value: int) -> Month:
    year, month = divmod(int(value), 100)
    return year, month


def shift(month: Month, by: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + by
    return index // 12, index % 12 + 1


def month_start(month: Month, tz: tzinfo) -> datetime:
    return datetime(month[0], month[1], 1, tzinfo=tz)


def month_bounds(month: Month, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of the month in local time."""
    return month_start(month, tz), month_start(shift(month, 1), tz)


def first_day(month: Month) -> date:
    return date(month[0], month[1], 1)


def month_label(month: Month, locale: str) -> str:
    """2026年11月 / November 2026, in the reader's language."""
    return format_skeleton("yMMMM", first_day(month), locale=locale)
