"""Report periods: parsing, the days covered, the month a week is judged against, and when a
scheduled report falls due."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.report import PeriodError, due_period, parse_period, period_of

TZ = ZoneInfo("Asia/Shanghai")
AT = time(9)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def test_parse_week_and_month() -> None:
    today = date(2026, 12, 10)
    week, first, last = parse_period("week", "2026-W48", today)
    assert (week.first, week.last, first, last) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
    ) * 2
    assert week.key == "report:week:2026-W48" and week.month_days() == 30
    month, first, last = parse_period("month", "2026-11", today)
    assert (first, last, month.key) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        "report:month:2026-11",
    )


def test_current_period_is_partial_and_a_fresh_one_falls_back() -> None:
    _, first, last = parse_period("month", None, date(2026, 11, 22))
    assert (first, last) == (date(2026, 11, 1), date(2026, 11, 21))
    month, first, last = parse_period("month", None, date(2026, 12, 1))  # nothing ended yet
    assert month.label == "2026-11" and last == date(2026, 11, 30)
    week, _, _ = parse_period("week", None, date(2026, 11, 23))  # a Monday
    assert week.label == "2026-W47"


def test_week_across_months_is_judged_by_its_thursday() -> None:
    week = period_of("week", date(2026, 3, 1))  # Mon 23 Feb – Sun 1 Mar; Thursday in February
    assert week.month_days() == 28


@pytest.mark.parametrize(
    "kind,text,code",
    [
        ("month", "2026-12", "future"),
        ("week", "2026-W49", "future"),
        ("week", "2026-W54", "bad_period"),
        ("month", "2026-00", "bad_period"),
        ("month", "11", "bad_period"),
        ("year", "2026", "bad_kind"),
    ],
)
def test_bad_periods(kind: str, text: str, code: str) -> None:
    with pytest.raises(PeriodError) as err:
        parse_period(kind, text, date(2026, 11, 30))
    assert err.value.code == code


def test_due_on_the_posting_day_at_digest_time() -> None:
    assert (
        due_period("week", local("2026-11-23 08:59"), AT, TZ, sent_before=True).label == "2026-W46"
    )
    assert (
        due_period("week", local("2026-11-23 09:00"), AT, TZ, sent_before=False).label == "2026-W47"
    )
    assert (
        due_period("month", local("2026-12-01 09:00"), AT, TZ, sent_before=False).label == "2026-11"
    )


def test_a_missed_report_is_due_on_start_but_not_on_a_first_start() -> None:
    assert (
        due_period("week", local("2026-11-25 12:00"), AT, TZ, sent_before=True).label == "2026-W47"
    )
    assert due_period("week", local("2026-11-25 12:00"), AT, TZ, sent_before=False) is None
    assert due_period("month", local("2026-11-23 09:00"), AT, TZ, sent_before=False) is None
