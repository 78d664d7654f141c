"""KPI lines: the file format, its refusals, bands, distances and pro-rating."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from bot.domain.kpi import (
    ALERTS,
    BAND_LABELS,
    LINE_LABELS,
    METRIC_LABELS,
    METRICS,
    Band,
    KpiError,
    KpiFile,
    kind_of,
    load_kpi,
    parse_kpi,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "kpi.example.toml"
SPEC_EXAMPLE = """
[valid_sales]            # yuan per month
fail = 50000             # below this: 不及格
normal = 100000          # from here: 正常
good = 200000            # 优良
exceed = 400000          # 超额

[refund_rate]
lower_is_better = true   # lines run downwards
fail = "15%"
normal = "10%"
good = "6%"
exceed = "3%"
"""
MONTH = {"days_in_period": 30, "days_in_month": 30}


def test_the_example_file_is_the_default_and_documents_every_metric_and_alert() -> None:
    assert load_kpi(EXAMPLE) == KpiFile.default()
    text = EXAMPLE.read_text(encoding="utf-8")
    for metric in METRICS:
        assert re.search(rf"^\[{metric}\]\s+# \S", text, re.M), metric
    for name in ALERTS:
        assert re.search(rf"^{name} = .+# \S", text, re.M), name
    assert list(KpiFile.default().lines) == list(METRICS)


def test_the_spec_example_reads_money_in_fen_and_rates_as_fractions() -> None:
    kpi = parse_kpi(SPEC_EXAMPLE)
    sales = kpi.lines["valid_sales"]
    assert sales.values() == (5_000_000, 10_000_000, 20_000_000, 40_000_000)
    assert not sales.lower_is_better
    refunds = kpi.lines["refund_rate"]
    assert refunds.values() == tuple(Decimal(x) for x in ("0.15", "0.10", "0.06", "0.03"))
    assert refunds.lower_is_better
    assert set(kpi.lines) == {"valid_sales", "refund_rate"}
    # No [alerts] table: every alert keeps its documented default.
    assert dict(kpi.alerts) == {name: default for name, (_, default) in ALERTS.items()}


def test_labels_and_kinds_cover_every_metric() -> None:
    assert set(METRIC_LABELS) == set(METRICS)
    assert set(BAND_LABELS) == set(LINE_LABELS) == {"fail", "normal", "good", "exceed"}
    assert {m: kind_of(m) for m in ("gmv", "aov", "refund_rate", "videos")} == {
        "gmv": "money",
        "aov": "money",
        "refund_rate": "rate",
        "videos": "count",
    }


@pytest.mark.parametrize(
    ("yuan", "band"),
    [
        (0, Band("fail", "fail", 5_000_000, 5_000_000)),
        (49_999.99, Band("fail", "fail", 5_000_000, 1)),
        (50_000, Band("fail", "normal", 10_000_000, 5_000_000)),
        (100_000, Band("normal", "good", 20_000_000, 10_000_000)),
        (250_000, Band("good", "exceed", 40_000_000, 15_000_000)),
        (400_000, Band("exceed", None, None, None)),
        (10_000_000, Band("exceed", None, None, None)),
    ],
)
def test_bands_of_a_higher_is_better_metric(yuan: float, band: Band) -> None:
    fen = round(yuan * 100)
    assert parse_kpi(SPEC_EXAMPLE).band("valid_sales", fen, **MONTH) == band


@pytest.mark.parametrize(
    ("rate", "name", "next_line", "distance"),
    [
        ("0.30", "fail", "fail", "0.15"),
        ("0.15", "fail", "normal", "0.05"),
        ("0.10", "normal", "good", "0.04"),
        ("0.059", "good", "exceed", "0.029"),
        ("0.03", "exceed", None, None),
        ("0", "exceed", None, None),
    ],
)
def test_bands_of_a_lower_is_better_metric(
    rate: str, name: str, next_line: str | None, distance: str | None
) -> None:
    band = parse_kpi(SPEC_EXAMPLE).band("refund_rate", Decimal(rate), **MONTH)
    assert band is not None
    assert (band.name, band.next_line) == (name, next_line)
    assert band.distance == (Decimal(distance) if distance else None)


def test_sums_are_pro_rated_and_rates_are_not() -> None:
    kpi = KpiFile.default()
    # A 7-day week of a 30-day month: 7/30 of ¥100,000 is ¥23,333.33.
    week = kpi.band("valid_sales", 2_400_000, days_in_period=7, days_in_month=30)
    assert week == Band("normal", "good", 4_666_667, 2_266_667)
    day = kpi.band("orders", 20, days_in_period=1, days_in_month=30)
    assert day == Band("normal", "good", 40, 20)  # 600/30 = 20 orders a day is normal
    # Averages and rates are the same over any period.
    for days in (1, 7, 15, 31):
        aov = kpi.band("aov", 16_000, days_in_period=days, days_in_month=31)
        assert aov is not None and aov.name == "normal" and aov.line == 20_000
        rate = kpi.band("refund_rate", Decimal("0.08"), days_in_period=days, days_in_month=31)
        assert rate is not None and rate.name == "normal" and rate.line == Decimal("0.06")


def test_no_lines_or_no_value_gives_no_band() -> None:
    kpi = parse_kpi(SPEC_EXAMPLE)
    assert kpi.band("videos", 12, **MONTH) is None
    assert kpi.band("valid_sales", None, **MONTH) is None
    with pytest.raises(ValueError, match="unknown metric"):
        kpi.band("likes", 1, **MONTH)
    with pytest.raises(ValueError):
        kpi.band("orders", 1, days_in_period=0, days_in_month=30)


def test_rows_are_plain_data_in_metric_order_for_the_metrics_given() -> None:
    rows = KpiFile.default().rows(
        {"refund_rate": Decimal("0.02"), "gmv": 13_000_000, "live_forwards": None},
        **MONTH,
    )
    assert [r.metric for r in rows] == ["gmv", "refund_rate", "live_forwards"]
    gmv, refunds, forwards = rows
    assert (gmv.kind, gmv.label, gmv.band_label, gmv.next_line_label) == (
        "money",
        "GMV",
        "normal",
        "good line",
    )
    assert gmv.band == Band("normal", "good", 25_000_000, 12_000_000)
    assert (refunds.band_label, refunds.next_line_label) == ("exceeding", None)
    assert forwards.value is None and forwards.band is None and forwards.band_label is None


def test_alerts_read_rates_counts_and_hours() -> None:
    text = '[alerts]\nrefund_rate = "25%"\noverdue_pile = 0\nsales_drop = "0%"\nmin_orders = 0\n'
    kpi = parse_kpi(text + "sales_check_hour = 0\n")
    assert kpi.alerts["refund_rate"] == Decimal("0.25")
    # A zero threshold switches its alert off: the key is absent, so nothing checks it.
    assert "overdue_pile" not in kpi.alerts and "sales_drop" not in kpi.alerts
    # Zero in a setting of another alert is a value: no minimum, midnight.
    assert (kpi.alerts["min_orders"], kpi.alerts["sales_check_hour"]) == (0, 0)
    assert kpi.alerts["activity_drop"] == Decimal("0.30")
    assert kpi.lines == {}


def test_money_lines_take_decimals_and_strings_in_yuan() -> None:
    kpi = parse_kpi('[aov]\nfail = 99.5\nnormal = "120"\ngood = "1,000"\nexceed = 2000\n')
    assert kpi.lines["aov"].values() == (9950, 12000, 100000, 200000)


def test_lower_is_better_is_the_default_for_refund_rate_only() -> None:
    kpi = parse_kpi('[refund_rate]\nfail = "15%"\nnormal = "10%"\ngood = "6%"\nexceed = "3%"\n')
    assert kpi.lines["refund_rate"].lower_is_better
    text = "[videos]\nlower_is_better = true\nfail = 9\nnormal = 5\ngood = 2\nexceed = 0\n"
    assert parse_kpi(text).lines["videos"].values() == (9, 5, 2, 0)


LINES = "fail = 1\nnormal = 2\ngood = 3\nexceed = 4\n"


@pytest.mark.parametrize(
    ("toml", "key", "words"),
    [
        ("[likes]\n" + LINES, "likes", "unknown metric"),
        ("[videos]\nfail = 1\nnormal = 2\nexceed = 4\n", "videos.good", "missing"),
        ("[videos]\n" + LINES + "target = 5\n", "videos.target", "unknown key"),
        ("[videos]\nfail = 1\nnormal = 3\ngood = 2\nexceed = 4\n", "videos.good", "above normal"),
        ("[videos]\nfail = 1\nnormal = 1\ngood = 2\nexceed = 4\n", "videos.normal", "above fail"),
        (
            '[refund_rate]\nfail = "3%"\nnormal = "6%"\ngood = "10%"\nexceed = "15%"\n',
            "refund_rate.normal",
            "below fail (lower is better)",
        ),
        (
            '[refund_rate]\nlower_is_better = "yes"\nfail = "15%"\n',
            "refund_rate.lower_is_better",
            "true or false",
        ),
        ("[refund_rate]\nfail = 15\n", "refund_rate.fail", "percentage"),
        ('[fulfilment_rate]\nfail = "150%"\n', "fulfilment_rate.fail", "percentage"),
        ("[valid_sales]\nfail = -5\n", "valid_sales.fail", "yuan"),
        ("[valid_sales]\nfail = 1.234\n", "valid_sales.fail", "yuan"),
        ('[videos]\nfail = "ten"\n', "videos.fail", "whole number"),
        ("[videos]\nfail = 1.5\n", "videos.fail", "whole number"),
        ("videos = 5\n", "videos", "table"),
        ("[alerts]\nrefunds = 3\n", "alerts.refunds", "unknown alert"),
        ("[alerts]\nrefund_rate = 20\n", "alerts.refund_rate", "percentage"),
        ("[alerts]\noverdue_pile = -1\n", "alerts.overdue_pile", "whole number"),
        ("[alerts]\nsales_check_hour = 24\n", "alerts.sales_check_hour", "0 to 23"),
        ("alerts = 1\n", "alerts", "table"),
    ],
)
def test_a_bad_file_names_the_key(toml: str, key: str, words: str) -> None:
    with pytest.raises(KpiError) as caught:
        parse_kpi(toml)
    assert caught.value.code == "invalid_kpi"
    assert caught.value.params["key"] == key
    assert str(caught.value).startswith(f"{key}: ")
    assert words in str(caught.value)


def test_syntax_errors_and_unreadable_files() -> None:
    with pytest.raises(KpiError) as caught:
        parse_kpi("[videos\n")
    assert caught.value.code == "toml_syntax"
    with pytest.raises(KpiError) as missing:
        load_kpi("/nope/kpi.toml")
    assert missing.value.code == "unreadable_file"


def test_a_day_of_a_small_monthly_count_is_compared_exactly() -> None:
    kpi = KpiFile.default()  # new_sharers: 5 / 10 / 20 / 40 a month
    none = kpi.band("new_sharers", 0, days_in_period=1, days_in_month=30)
    assert none == Band("fail", "fail", Decimal("0.2"), Decimal("0.2"))
    one = kpi.band("new_sharers", 1, days_in_period=1, days_in_month=30)
    # 1 a day reaches 20/30 but not 40/30 (shown rounded up, 1.4, and 0.4 to go: 1 + 0.4 = 1.4).
    assert one == Band("good", "exceed", Decimal("1.4"), Decimal("0.4"))
    short = kpi.band("valid_sales", 333_333, days_in_period=1, days_in_month=30)
    assert short is not None and short.next_line == "normal" and short.distance == 1
