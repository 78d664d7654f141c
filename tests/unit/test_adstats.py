from decimal import Decimal

import pytest

from bot.domain.adstats import AdResults, AdStats, AdStatsError, parse_adstats, results


def test_parse_four_figures() -> None:
    assert parse_adstats(["1234.5", "100000", "2500", "80"]) == AdStats(123450, 100000, 2500, 80)


def test_parse_with_gmv_and_formats() -> None:
    stats = parse_adstats(["¥1,234.50", "1.2万", "1,200", "30", "￥5,000"])
    assert stats == AdStats(123450, 12000, 1200, 30, 500000)


@pytest.mark.parametrize("spend", ["1000", "1000.00", "¥1000", "￥1,000", "1000元", " 1000 "])
def test_spend_forms(spend: str) -> None:
    assert parse_adstats([spend, "10", "1", "0"]).spend_fen == 100000


@pytest.mark.parametrize(
    ("args", "field", "value"),
    [
        (["abc", "10", "1", "0"], "spend", "abc"),
        (["12.345", "10", "1", "0"], "spend", "12.345"),
        (["1", "ten", "1", "0"], "impressions", "ten"),
        (["1", "10", "1.5", "0"], "clicks", "1.5"),
        (["1", "10", "1", ""], "orders", ""),
        (["1", "10", "1", "0", "x"], "gmv", "x"),
    ],
)
def test_not_a_number(args: list[str], field: str, value: str) -> None:
    with pytest.raises(AdStatsError) as exc:
        parse_adstats(args)
    assert exc.value.code == "not_a_number"
    assert exc.value.params == {"field": field, "value": value}


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["-5", "10", "1", "0"], "spend"),
        (["¥-5", "10", "1", "0"], "spend"),
        (["5", "-10", "1", "0"], "impressions"),
        (["5", "10", "−1", "0"], "clicks"),
        (["5", "10", "1", "-2"], "orders"),
        (["5", "10", "1", "0", "-100"], "gmv"),
    ],
)
def test_negative(args: list[str], field: str) -> None:
    with pytest.raises(AdStatsError) as exc:
        parse_adstats(args)
    assert exc.value.code == "negative"
    assert exc.value.params["field"] == field


def test_minus_zero_is_zero() -> None:
    assert parse_adstats(["0", "10", "-0", "0"]).clicks == 0


@pytest.mark.parametrize("args", [[], ["1", "2", "3"], ["1", "2", "3", "4", "5", "6"]])
def test_wrong_arg_count(args: list[str]) -> None:
    with pytest.raises(AdStatsError) as exc:
        parse_adstats(args)
    assert exc.value.code == "wrong_arg_count"
    assert exc.value.params == {"got": len(args), "min": 4, "max": 5}


def test_clicks_exceed_impressions() -> None:
    with pytest.raises(AdStatsError) as exc:
        parse_adstats(["100", "10", "11", "0"])
    assert exc.value.code == "clicks_exceed_impressions"
    assert exc.value.params == {"clicks": 11, "impressions": 10}


def test_orders_may_exceed_clicks() -> None:
    # View-through attribution: conversion above 100% is real.
    res = results(parse_adstats(["100", "1000", "10", "15", "3000"]))
    assert res.conversion == Decimal("1.5")
    assert res.display()["conversion"] == "150.00%"


def test_results_exact() -> None:
    res = results(
        AdStats(spend_fen=100000, impressions=30000, clicks=700, orders=21, gmv_fen=321000)
    )
    assert res.ctr == Decimal(700) / Decimal(30000)
    assert res.conversion == Decimal("0.03")
    assert res.roi == Decimal("3.21")
    assert res.cost_per_order_fen == 4762  # 1000 / 21 yuan, rounded half up
    assert res.ctr_percent == Decimal("2.33")
    assert res.conversion_percent == Decimal("3.00")
    assert res.roi_2dp == Decimal("3.21")
    assert res.display() == {"ctr": "2.33%", "conversion": "3.00%", "roi": "3.21"}


def test_results_half_up() -> None:
    res = results(AdStats(spend_fen=300, impressions=8, clicks=1, orders=0, gmv_fen=1))
    assert res.ctr_percent == Decimal("12.50")
    assert res.roi_2dp == Decimal("0.00")
    res = results(AdStats(spend_fen=200, impressions=1000, clicks=5, orders=0, gmv_fen=1))
    assert res.ctr_percent == Decimal("0.50")
    assert res.roi_2dp == Decimal("0.01")  # 0.005 rounds up


def test_zero_denominators_give_none() -> None:
    res = results(AdStats(spend_fen=0, impressions=0, clicks=0, orders=0, gmv_fen=0))
    assert res == AdResults(ctr=None, conversion=None, roi=None, cost_per_order_fen=None)
    assert res.ctr_percent is None
    assert res.roi_2dp is None
    assert res.display() == {"ctr": None, "conversion": None, "roi": None}


def test_no_gmv_no_roi() -> None:
    res = results(AdStats(spend_fen=100, impressions=10, clicks=1, orders=1))
    assert res.roi is None
    assert res.cost_per_order_fen == 100
