"""Alerts between digests: each cause fires past its threshold only, and keys once a day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.domain.alerts import (
    Alert,
    ExpiringCode,
    day_share,
    due_alerts,
    expiring_codes,
    refund_spike,
    sales_drop,
)
from bot.domain.digest import SalesDay

TZ = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 22, 15, 0, tzinfo=TZ)
LIMITS = {
    "refund_rate": Decimal("0.2"),
    "min_orders": 20,
    "sales_drop": Decimal("0.5"),
    "sales_check_hour": 15,
    "code_expiry_days": 3,
}
WEEK = [SalesDay(valid_fen=24_000, orders=30)] * 7  # 1,000 fen an hour on average


def test_keys_name_the_cause_the_day_and_the_detail() -> None:
    day = date(2026, 11, 22)
    assert Alert("refund_rate").key(day) == "alert:refund_rate:2026-11-22"
    assert Alert("code_expiry", detail="7").key(day) == "alert:code_expiry:2026-11-22:7"


def test_refund_spike_needs_the_rate_and_enough_orders() -> None:
    spike = SalesDay(gmv_fen=10_000, valid_fen=7_000, orders=20)
    alert = refund_spike(spike, LIMITS)
    assert alert and alert.params["rate"] == Decimal("0.3") and alert.params["orders"] == 20
    assert refund_spike(SalesDay(gmv_fen=10_000, valid_fen=7_000, orders=19), LIMITS) is None
    assert refund_spike(SalesDay(gmv_fen=10_000, valid_fen=8_000, orders=50), LIMITS) is None
    assert refund_spike(spike, {k: v for k, v in LIMITS.items() if k != "refund_rate"}) is None


def test_sales_drop_is_checked_from_the_hour_against_the_pro_rated_average() -> None:
    assert day_share(AT) == Decimal(15) / 24
    # By 15:00 an average day has sold 15,000; half of it is the line.
    assert sales_drop(SalesDay(valid_fen=7_400), WEEK, AT, LIMITS).params["drop"] > Decimal("0.5")
    assert sales_drop(SalesDay(valid_fen=7_500), WEEK, AT, LIMITS) is None
    assert sales_drop(SalesDay(), WEEK, AT - timedelta(minutes=1), LIMITS) is None  # 14:59
    assert sales_drop(SalesDay(), [SalesDay()] * 7, AT, LIMITS) is None  # no average to fall from
    # A missing day in the week counts as a day without sales: a seventh of the line.
    assert sales_drop(SalesDay(valid_fen=1_100), WEEK[:1], AT, LIMITS) is None
    assert sales_drop(SalesDay(valid_fen=1_000), WEEK[:1], AT, LIMITS) is not None


def code(sample_id: int, expires_in: timedelta) -> ExpiringCode:
    return ExpiringCode(sample_id, 1, "lily", "面膜", AT + expires_in)


def test_codes_expiring_within_the_days_soonest_first() -> None:
    codes = [code(1, timedelta(days=3, minutes=1)), code(2, timedelta(days=3)),
             code(3, timedelta(hours=1)), code(4, -timedelta(minutes=1))]  # fmt: skip
    found = expiring_codes(codes, AT, LIMITS)
    assert [a.detail for a in found] == ["3", "2"]
    assert found[0].params["left"] == timedelta(hours=1)
    assert expiring_codes(codes, AT, {}) == []


def test_due_alerts_gathers_every_cause() -> None:
    today = SalesDay(gmv_fen=10_000, valid_fen=1_000, orders=25)
    found = due_alerts(AT, AT, today, WEEK, [code(9, timedelta(days=1))], LIMITS)
    assert [a.cause for a in found] == ["refund_rate", "sales_drop", "code_expiry"]
    assert due_alerts(AT, AT, SalesDay(), WEEK, [], {}) == []
