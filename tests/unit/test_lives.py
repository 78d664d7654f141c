"""The live schedule: parsing, a series' dates, which post a date is owed, the edit throttle."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.lives import (
    EditThrottle,
    LiveError,
    Schedule,
    Step,
    announce_at,
    cancel_key,
    date_prefix,
    message_key,
    next_date,
    next_start,
    opening,
    owed,
    parse_live,
    parse_weekdays,
    start_on,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # Sunday 10:00 in Shanghai
LINK = "https://live.example.com/r/1"
REMIND = timedelta(minutes=30)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ).astimezone(UTC)


def test_a_one_off_live() -> None:
    request = parse_live(["2026-11-22", "20:00", LINK, "Winter", "sale"], NOW, TZ)
    assert request.schedule == Schedule(once=local(22, 20))
    assert (request.link, request.title) == (LINK, "Winter sale")
    assert not request.schedule.recurring


def test_a_weekly_series_in_english_and_chinese() -> None:
    request = parse_live(["every", "mon,wed,fri", "20:00", LINK, "New"], NOW, TZ)
    assert request.schedule == Schedule(weekdays=(0, 2, 4), at=time(20, 0))
    assert parse_weekdays("周一、星期三，週五") == (0, 2, 4)
    assert parse_weekdays("Sunday,周日,星期天") == (6,)
    assert parse_weekdays("daily") == tuple(range(7))
    assert parse_live(["every", "礼拜二", "9:05", LINK, "x"], NOW, TZ).schedule.at == time(9, 5)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["2026-11-22", "09:59", LINK, "t"], "live_in_past"),
        (["2026-11-22", "10:00", LINK, "t"], "live_in_past"),
        (["2026-02-30", "20:00", LINK, "t"], "bad_live_time"),
        (["2026-11-22", "24:00", LINK, "t"], "bad_live_time"),
        (["22/11/2026", "20:00", LINK, "t"], "bad_live_time"),
        (["2028-11-22", "20:00", LINK, "t"], "too_far"),
        (["2026-11-23", "20:00", "ftp://x.example", "t"], "bad_link"),
        (["2026-11-23", "20:00", "https://", "t"], "bad_link"),
        (["2026-11-23", "20:00", "javascript:alert(1)", "t"], "bad_link"),
        (["2026-11-23", "20:00", LINK], "no_title"),
        (["2026-11-23", "20:00", LINK, "x" * 101], "long_title"),
        (["every", "mon,someday", "20:00", LINK, "t"], "bad_weekdays"),
        (["every", "", "20:00", LINK, "t"], "bad_weekdays"),
        (["every", "mon", "8pm", LINK, "t"], "bad_live_time"),
        (["every"], "bad_weekdays"),
        ([], "bad_live_time"),
    ],
)
def test_bad_input(args: list[str], code: str) -> None:
    with pytest.raises(LiveError) as caught:
        parse_live(args, NOW, TZ)
    assert caught.value.code == code


def test_unknown_weekdays_are_named() -> None:
    with pytest.raises(LiveError) as caught:
        parse_weekdays("mon,funday,周八")
    assert caught.value.params["value"] == "funday, 周八"


def test_a_series_next_dates() -> None:
    series = Schedule(weekdays=(0, 2), at=time(20, 0))
    assert next_start(series, NOW, TZ) == local(23, 20)
    assert next_start(series, local(23, 20), TZ) == local(25, 20)
    assert next_start(series, local(25, 20), TZ) == local(30, 20)
    assert next_date(series, NOW, {local(23, 20), local(25, 20)}, TZ) == local(30, 20)
    assert start_on(series, date(2026, 11, 25), TZ) == local(25, 20)
    assert start_on(series, date(2026, 11, 26), TZ) is None
    once = Schedule(once=local(22, 20))
    assert next_start(once, NOW, TZ) == local(22, 20)
    assert next_start(once, local(22, 20), TZ) is None
    assert start_on(once, date(2026, 11, 22), TZ) == local(22, 20)


def test_later_dates_are_announced_on_the_day_or_the_evening_before() -> None:
    assert announce_at(local(25, 20), TZ) == local(25, 10)
    assert announce_at(local(25, 9), TZ) == local(24, 20)


def test_a_date_goes_through_its_three_posts_in_order() -> None:
    start = local(25, 20)
    plan = owed(Step.NONE, start, local(25, 9), REMIND, TZ)
    assert (plan.send, plan.next_at) == (None, local(25, 10))
    plan = owed(Step.NONE, start, local(25, 10), REMIND, TZ)
    assert (plan.send, plan.reached, plan.next_at) == (
        Step.ANNOUNCED,
        Step.ANNOUNCED,
        local(25, 19, 30),
    )
    plan = owed(Step.ANNOUNCED, start, local(25, 19, 30), REMIND, TZ)
    assert (plan.send, plan.next_at) == (Step.REMINDED, start)
    plan = owed(Step.REMINDED, start, start, REMIND, TZ)
    assert (plan.send, plan.reached, plan.next_at) == (Step.STARTED, Step.STARTED, None)
    assert owed(Step.STARTED, start, start, REMIND, TZ).send is None


def test_stale_posts_are_skipped() -> None:
    start = local(25, 20)
    # Down since the morning: at 19:40 only the reminder goes out, not the announcement.
    assert owed(Step.NONE, start, local(25, 19, 40), REMIND, TZ).send is Step.REMINDED
    # Back at 20:10: the start message, not the reminder.
    assert owed(Step.ANNOUNCED, start, local(25, 20, 10), REMIND, TZ).send is Step.STARTED
    # Back at 21:30: nothing at all, and the date is done.
    late = owed(Step.ANNOUNCED, start, local(25, 21, 30), REMIND, TZ)
    assert (late.send, late.reached, late.next_at) == (None, Step.STARTED, None)


def test_a_live_created_inside_the_reminder_window_is_not_reminded_again() -> None:
    soon = opening(NOW + timedelta(minutes=20), NOW, REMIND, TZ)
    assert (soon.send, soon.reached, soon.next_at) == (
        Step.ANNOUNCED,
        Step.REMINDED,
        NOW + timedelta(minutes=20),
    )
    later = opening(local(22, 20), NOW, REMIND, TZ)
    assert (later.reached, later.next_at) == (Step.ANNOUNCED, local(22, 19, 30))


def test_outbox_keys_come_from_the_live_and_its_date() -> None:
    start = local(25, 20)
    assert message_key(3, start, Step.REMINDED) == "live:3:20261125T1200:remind"
    assert message_key(3, start, Step.STARTED).startswith(date_prefix(3, start))
    assert not cancel_key(3, start).startswith("live:3:")


def test_the_throttle_coalesces_presses() -> None:
    throttle = EditThrottle(3.0)
    assert throttle.press("m", 100.0) == 0.0  # first press: edit now
    assert throttle.press("m", 101.0) == 2.0  # inside the gap: one edit later
    assert throttle.press("m", 101.5) is None  # already scheduled
    assert throttle.press("other", 101.5) == 0.0  # another message is independent
    throttle.edited("m", 103.0)
    assert throttle.press("m", 104.0) == 2.0
    throttle.edited("m", 106.0)
    assert throttle.press("m", 109.5) == 0.0


def test_a_start_relative_to_now() -> None:
    assert parse_live(["in", "40m", LINK, "Soon"], NOW, TZ).schedule.once == NOW + timedelta(
        minutes=40
    )
    assert parse_live(["in", "1h30m", LINK, "t"], NOW, TZ).schedule.once == local(22, 11, 30)
    assert parse_live(["today", "20:00", LINK, "t"], NOW, TZ).schedule.once == local(22, 20)
    assert parse_live(["明天", "9:30", LINK, "t"], NOW, TZ).schedule.once == local(23, 9, 30)
    for args, code in [
        (["in", "soon", LINK, "t"], "bad_live_time"),
        (["in", "0m", LINK, "t"], "live_in_past"),
        (["today", "09:00", LINK, "t"], "live_in_past"),
        (["in", "400d", LINK, "t"], "too_far"),
    ]:
        with pytest.raises(LiveError) as caught:
            parse_live(args, NOW, TZ)
        assert caught.value.code == code, args
