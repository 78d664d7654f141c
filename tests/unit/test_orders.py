import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.orders import (
    ORDER_ALIASES,
    OrderRow,
    OrderRowError,
    RowError,
    parse_orders,
    parse_paid_at,
)
from bot.domain.tables import MissingColumns, read_table
from tests.xlsx import xlsx

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
HEADER = "订单号,支付时间,分享员ID,买家ID,商品ID,商品名称,数量,实付金额,退款金额,订单状态,达人昵称"


def parse(text: str, tz: ZoneInfo = SH):  # type: ignore[no-untyped-def]
    return parse_orders(read_table(text.encode(), "orders.csv"), tz)


def test_aliases_match_the_spec() -> None:
    assert ORDER_ALIASES["order_id"] == ("order_id", "订单号", "订单编号")
    assert ORDER_ALIASES["creator"] == ("creator", "达人昵称", "带货达人")
    assert len(ORDER_ALIASES) == 11


def test_full_row_chinese_headers() -> None:
    res = parse(
        HEADER + '\nO1,2026-11-05 10:00:00,S1,B1,SKU-001,面膜,2,"¥1,234.50",34.50,已完成,@lily\n'
    )
    assert res.errors == [] and res.read == 1 and res.duplicates == []
    (row,) = res.rows
    assert row == OrderRow(
        order_id="O1",
        paid_at=datetime(2026, 11, 5, 2, 0, tzinfo=UTC),
        sharer_id="S1",
        buyer_id="B1",
        sku="SKU-001",
        product="面膜",
        quantity=2,
        amount_fen=123450,
        refund_fen=3450,
        status="paid",
        creator="@lily",
    )
    assert row.valid_fen == 120000


def test_rows_are_frozen_orderrows() -> None:
    (row,) = parse("order_id,paid_at,amount\nO1,2026-11-05 10:00,1\n").rows
    assert type(row) is OrderRow
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.amount_fen = 5  # type: ignore[misc]
    assert dataclasses.replace(row, amount_fen=5).amount_fen == 5
    assert hash(row) == hash(dataclasses.replace(row))


def test_minimal_columns_and_defaults() -> None:
    (row,) = parse("order_id,paid_at,amount,unrelated\nO1,2026/11/05 10:00,12,zzz\n").rows
    assert (row.sharer_id, row.buyer_id, row.sku, row.quantity, row.refund_fen) == (
        "",
        "",
        "",
        1,
        0,
    )
    assert row.status == "paid" and row.creator == ""


@pytest.mark.parametrize(
    ("status", "expected", "valid"),
    [
        ("", "paid", 1000),
        ("paid", "paid", 1000),
        ("已支付", "paid", 1000),
        ("已完成", "paid", 1000),
        ("Refunded", "refunded", 0),
        ("已退款", "refunded", 0),
        ("cancelled", "cancelled", 0),
        ("已取消", "cancelled", 0),
    ],
)
def test_status_words(status: str, expected: str, valid: int) -> None:
    (row,) = parse(f"order_id,paid_at,amount,status\nO1,2026-11-05 10:00,10,{status}\n").rows
    assert row.status == expected
    assert row.valid_fen == valid


def test_valid_is_never_negative_and_refund_counts() -> None:
    row = OrderRow("O", datetime(2026, 1, 1, tzinfo=UTC), amount_fen=30000, refund_fen=10005)
    assert row.valid_fen == 19995
    assert dataclasses.replace(row, refund_fen=30000).valid_fen == 0


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        (",2026-11-05 10:00,1,,,", "missing_order_id"),
        ("O,2026-13-05 10:00,1,,,", "bad_date"),
        ("O,yesterday,1,,,", "bad_date"),
        ("O,2026-11-05 10:00,abc,,,", "bad_amount"),
        ("O,2026-11-05 10:00,,,,", "bad_amount"),
        ("O,2026-11-05 10:00,-5,,,", "negative_amount"),
        ("O,2026-11-05 10:00,5,x,,", "bad_refund"),
        ("O,2026-11-05 10:00,5,-1,,", "negative_refund"),
        ("O,2026-11-05 10:00,5,5.01,,", "refund_exceeds_amount"),
        ("O,2026-11-05 10:00,5,,0,", "bad_quantity"),
        ("O,2026-11-05 10:00,5,,1.5,", "bad_quantity"),
        ("O,2026-11-05 10:00,5,,-2,", "bad_quantity"),
        ("O,2026-11-05 10:00,5,,,shipped", "bad_status"),
    ],
)
def test_row_errors(cells: str, code: str) -> None:
    res = parse(
        "order_id,paid_at,amount,refund,quantity,status\nOK,2026-11-05 10:00,1,,,\n" + cells
    )
    assert [r.order_id for r in res.rows] == ["OK"]
    assert [(e.line, e.code) for e in res.errors] == [(3, code)]
    assert res.read == 2


def test_bad_amount_reports_the_value() -> None:
    res = parse('order_id,paid_at,amount\nO,2026-11-05 10:00,"12,34"\n')
    (err,) = res.errors
    assert err.params == {"value": "12,34", "reason": "bad_thousands"}


def test_every_cell_is_read_stripped() -> None:
    # The import stages cells stripped; the domain must mean the same by them.
    res = parse('order_id,paid_at,amount,refund\n O1 ,2026-11-05 10:00,12," "\nO2, soon ,1,\n')
    assert [(r.order_id, r.refund_fen) for r in res.rows] == [("O1", 0)]  # a blank refund: none
    (err,) = res.errors
    assert (err.line, err.code, err.params) == (3, "bad_date", {"value": "soon"})


def test_missing_required_columns_lists_found_headers() -> None:
    with pytest.raises(MissingColumns) as exc:
        parse("订单号,商品名称\nO1,x\n")
    assert exc.value.missing == ["paid_at", "amount"]
    assert exc.value.found == ["订单号", "商品名称"]


def test_duplicates_later_row_wins() -> None:
    text = (
        "order_id,paid_at,amount\n"
        "A,2026-11-05 10:00,1\nB,2026-11-05 10:00,2\nA,2026-11-05 10:00,3\n"
    )
    res = parse(text)
    assert [(r.order_id, r.amount_fen) for r in res.rows] == [("A", 300), ("B", 200)]
    assert res.duplicates == [(2, "A")]
    assert res.read == 3


def test_invalid_later_duplicate_keeps_the_earlier_row() -> None:
    res = parse("order_id,paid_at,amount\nA,2026-11-05 10:00,1\nA,2026-11-05 10:00,x\n")
    assert [r.amount_fen for r in res.rows] == [100]
    assert [e.code for e in res.errors] == ["bad_amount"]


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-05 10:00",
        "2026-11-05 10:00:00",
        "2026/11/05 10:00",
        "2026/11/05 10:00:00",
        " 2026/11/5 10:00 ",
        "2026-11-05T10:00:00",
        "2026-11-05 10:00:00.000",
        "2026-11-05 02:00:00+00:00",
    ],
)
def test_paid_at_formats(text: str) -> None:
    expected = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)
    assert parse_paid_at(text, SH) == expected
    cache: dict[str, timedelta] = {}
    assert parse_paid_at(text, SH, cache) == expected
    assert parse_paid_at(text, SH, cache) == expected  # second time from the cache


def test_paid_at_date_only_is_midnight() -> None:
    assert parse_paid_at("2026-11-05", SH) == datetime(2026, 11, 4, 16, 0, tzinfo=UTC)


def test_paid_at_is_utc_and_dst_aware_with_cache() -> None:
    cache: dict[str, timedelta] = {}
    summer = parse_paid_at("2026-07-01 12:00", NY, cache)
    winter = parse_paid_at("2026-12-01 12:00", NY, cache)
    assert summer == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
    assert winter == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert summer.tzinfo is UTC
    # same hour prefix, different minutes: the cached offset applies
    assert parse_paid_at("2026-07-01 12:59:59", NY, cache) == datetime(
        2026, 7, 1, 16, 59, 59, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["", "2026-02-30 10:00", "10:00", "2026-11-05 25:00", "x" * 20])
def test_paid_at_rejects(text: str) -> None:
    with pytest.raises(OrderRowError) as exc:
        parse_paid_at(text, SH, {})
    assert exc.value.code == "bad_date"


def test_xlsx_orders() -> None:
    data = xlsx(
        [
            ["订单编号", "下单时间", "订单金额", "数量"],
            [20001, datetime(2026, 11, 5, 10, 0), 99.9, 2],
        ]
    )
    res = parse_orders(read_table(data, "x.xlsx"), SH)
    (row,) = res.rows
    assert (row.order_id, row.amount_fen, row.quantity) == ("20001", 9990, 2)
    assert row.paid_at == datetime(2026, 11, 5, 2, 0, tzinfo=UTC)


def test_gbk_export_with_fullwidth_yuan_sign() -> None:
    text = HEADER + '\nO1,2026/11/05 10:00,S1,B1,SKU,面膜,1,"￥1,234.50",,已支付,\n'
    res = parse_orders(read_table(text.encode("gbk"), "导出.csv"), SH)
    assert res.rows[0].amount_fen == 123450


def test_an_amount_or_quantity_beyond_the_bound_is_a_rejected_row() -> None:
    text = (
        "order_id,paid_at,amount,quantity\n"
        "O1,2026-11-05 10:00,92233720368547758.07,1\n"
        "O2,2026-11-05 10:00,1.00,1000000001\n"
        "O3,2026-11-05 10:00,10000000000.00,1000000000\n"
    )
    res = parse_orders(read_table(text.encode(), "x.csv"), SH)
    assert [r.order_id for r in res.rows] == ["O3"]
    assert [(e.line, e.code, e.params.get("reason")) for e in res.errors] == [
        (2, "bad_amount", "too_large"),
        (3, "bad_quantity", "too_large"),
    ]


def test_rows_that_do_not_fit_the_header_are_errors_and_read() -> None:
    text = "\ufefforder_id,paid_at,amount,sharer_id\nu1,2026-11-20 12:00,¥1,234.50,WC\n"
    res = parse_orders(read_table(text.encode(), "x.csv"), SH)
    assert (res.rows, res.read) == ([], 1)
    assert res.errors == [RowError(2, "too_many_cells", {"cells": 5, "header": 4})]
