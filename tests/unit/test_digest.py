"""The digest's pure rules: figures against the day before and the 7-day average, alerts,
when a digest falls due (and a missed one once), and packing sections into messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.domain.digest import (
    Community,
    DigestData,
    Pipeline,
    SalesDay,
    alerts,
    due_digest_day,
    figures,
    pack,
)
from bot.domain.limits import visible_len

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 21)
AT = time(9, 0)


def data(today: SalesDay, week: list[SalesDay], **kw: object) -> DigestData:
    sales = {DAY: today} | {DAY - timedelta(days=n + 1): s for n, s in enumerate(week)}
    return DigestData(day=DAY, sales=sales, **kw)  # type: ignore[arg-type]


def test_figures_compare_with_the_day_before_and_the_seven_day_average() -> None:
    today = SalesDay(gmv_fen=20000, valid_fen=15000, orders=4, customers=3, active_sharers=2)
    before = SalesDay(gmv_fen=10000, valid_fen=10000, orders=2, customers=2, active_sharers=1)
    # Six empty days: they count as zero in the average of sums.
    by = {f.metric: f for f in figures(data(today, [before] + [SalesDay()] * 6))}
    gmv = by["gmv"]
    assert (gmv.value, gmv.previous, gmv.average) == (20000, 10000, Decimal(10000) / 7)
    assert gmv.change(gmv.previous) == Decimal(1)
    assert by["aov"].value == 5000
    assert by["refund_rate"].value == Decimal("0.25")
    # A rate compares in points; empty days have no rate and are left out of its average.
    assert by["refund_rate"].average == Decimal(0)
    assert by["refund_rate"].change(by["refund_rate"].previous) == Decimal("0.25")
    assert by["new_sharers"].change(0) is None  # no change against zero


def test_a_day_without_orders_has_no_rate_or_average_order_value() -> None:
    assert SalesDay().refund_rate is None and SalesDay().aov_fen is None


THRESHOLDS = {
    "refund_rate": Decimal("0.20"),
    "min_orders": 2,
    "sales_drop": Decimal("0.50"),
    "activity_drop": Decimal("0.30"),
    "overdue_pile": 5,
    "live_forwards_min": 10,
}


def test_alerts_fire_past_their_thresholds_only() -> None:
    normal = SalesDay(gmv_fen=10000, valid_fen=10000, orders=10, active_sharers=10)
    bad = SalesDay(gmv_fen=10000, valid_fen=4000, orders=10, active_sharers=6)
    pipeline = Pipeline(0, 0, 0, 0, 0, None, {7: 5, 8: 4})
    community = Community(live_forwards=3, lives=[("冬季新品", 3), ("周五场", 12)], unanswered=0)
    found = alerts(data(bad, [normal] * 7, pipeline=pipeline, community=community), THRESHOLDS)
    assert [a.code for a in found] == [
        "refund_rate",
        "sales_drop",
        "activity_drop",
        "overdue_pile",
        "live_forwards",
    ]
    assert found[3].params == {"bd": 7, "n": 5}
    assert found[4].params == {"title": "冬季新品", "n": 3, "min": 10}
    assert alerts(data(normal, [normal] * 7), THRESHOLDS) == []


def test_refund_alert_waits_for_enough_orders_and_a_missing_key_checks_nothing() -> None:
    one_refund = SalesDay(gmv_fen=100, valid_fen=0, orders=1)
    assert alerts(data(one_refund, []), THRESHOLDS) == []
    assert alerts(data(SalesDay(gmv_fen=100, valid_fen=0, orders=3), []), {}) == []


def at(local: str) -> datetime:
    return datetime.fromisoformat(local).replace(tzinfo=TZ).astimezone(UTC)


def test_the_digest_is_due_from_digest_at_and_a_missed_one_once_after() -> None:
    # From 09:00 on the 22nd: the digest of the 21st.
    assert due_digest_day(at("2026-11-22 08:59"), AT, TZ, sent_before=True) == date(2026, 11, 20)
    assert due_digest_day(at("2026-11-22 09:00"), AT, TZ, sent_before=True) == DAY
    assert due_digest_day(at("2026-11-22 23:59"), AT, TZ, sent_before=False) == DAY
    # A first start before DIGEST_AT sends no old digest; one after sends that day's.
    assert due_digest_day(at("2026-11-22 08:00"), AT, TZ, sent_before=False) is None


def test_sections_are_packed_whole_into_messages_within_the_limit() -> None:
    sections = ["a" * 30, "b" * 30, "c" * 30]
    assert pack(sections, limit=70) == ["a" * 30 + "\n\n" + "b" * 30, "c" * 30]
    long = "\n".join(f"line {n}" for n in range(40))
    messages = pack(["head", long], limit=100, more=lambda n: f"+{n}")
    assert messages[0] == "head" and all(visible_len(m) <= 100 for m in messages)
    assert messages[1].endswith(tuple(f"+{n}" for n in range(40)))
