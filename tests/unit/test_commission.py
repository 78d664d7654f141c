from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.domain.commission import (
    OrderFact,
    SharerInfo,
    Statement,
    compute_month,
    mask_name,
    mask_names,
    rank,
)
from bot.domain.orders import parse_orders
from bot.domain.rules import Rules, parse_rules
from bot.domain.settlement import adjustment_for, first_unsettled_month, with_adjustment
from bot.domain.tables import read_table

SH = ZoneInfo("Asia/Shanghai")
AFTER = datetime(2026, 12, 31, tzinfo=SH)  # every November order is past its refund window

SHARERS = {
    "A": SharerInfo("A", buyer_id="BA", leader_id=""),
    "B": SharerInfo("B", buyer_id="BB", inviter_id="A", leader_id="A"),
    "C": SharerInfo("C", buyer_id="BC", inviter_id="B", leader_id="A"),
}
FIRST = {"A": (2026, 11), "B": (2026, 11), "C": (2026, 11)}

# The worked example of SPEC §3, as the shop would export it.
EXAMPLE_CSV = """订单号,支付时间,分享员ID,买家ID,商品ID,实付金额,退款金额,订单状态
o1,2026-11-05 12:00,A,X1,SKU-001,200.00,,已完成
o2,2026-11-12 12:00,A,X2,SKU-002,"9,900.00",,已完成
o3,2026-11-13 12:00,A,X3,SKU-002,300.00,100.05,已完成
o4,2026-11-14 12:00,A,BA,SKU-002,150.15,,已完成
o5,2026-11-15 12:00,A,X4,SKU-002,500.00,,已取消
b1,2026-11-06 12:00,B,X5,SKU-002,"1,000.00",,已完成
b2,2026-11-07 12:00,B,X6,SKU-002,400.00,,已退款
c1,2026-11-08 12:00,C,X7,SKU-002,300.00,,已完成
"""


def example_facts() -> list[OrderFact]:
    parsed = parse_orders(read_table(EXAMPLE_CSV.encode(), "nov.csv"), SH)
    assert parsed.errors == []
    return [OrderFact.from_row(r) for r in parsed.rows]


def compute(now: datetime = AFTER, rules: Rules | None = None) -> dict[str, Statement]:
    return compute_month(
        rules or Rules.default(), 2026, 11, SH, now, SHARERS, example_facts(), {}, FIRST
    )


def test_worked_example_a() -> None:
    a = compute()["A"]
    assert a.level == "junior"
    assert a.month_valid_fen == 1_045_010
    assert a.direct_rate == Decimal("0.08")
    assert a.direct == 83_800
    assert a.self_purchase == 450
    assert a.level2 == 1_000
    assert a.team == 0
    assert a.team_valid_fen == 130_000
    assert a.recruit == 2_000
    assert a.recruits == 1
    assert a.adjustment == 0
    assert a.total == 87_250
    assert (a.order_count, a.customer_count) == (4, 4)
    # Confirmed is the total less the pending part: the recruit reward is in it.
    assert (a.pending, a.confirmed) == (0, 87_250)


def test_worked_example_b() -> None:
    b = compute()["B"]
    assert (b.direct, b.self_purchase, b.level2, b.team, b.recruit) == (6_000, 0, 300, 0, 0)
    assert b.direct_rate == Decimal("0.06")
    assert b.total == 6_300


def test_worked_example_c() -> None:
    c = compute()["C"]
    assert (c.direct, c.self_purchase, c.level2, c.team, c.recruit) == (1_800, 0, 0, 0, 0)
    assert c.total == 1_800


def test_pending_inside_the_refund_window() -> None:
    # On Nov 14 12:00 local, orders paid after Nov 7 12:00 are still pending (7 days).
    a = compute(now=datetime(2026, 11, 14, 12, 0, tzinfo=SH))["A"]
    # pending: o2, o3 direct at 8% = 807.996 → 808.00; o4 self 4.5045 → 4.50; level2: none
    # (b1 on Nov 6 is confirmed, b2 is refunded).
    assert a.pending == 80_800 + 450
    assert a.confirmed == a.total - a.pending
    assert a.confirmed == 3_000 + 1_000 + 2_000  # o1, b1's level2 and the recruit reward
    # c1 was paid Nov 8 12:00: pending until paid_at + 7 days is no longer in the future.
    c = compute(now=datetime(2026, 11, 15, 11, 59, 59, tzinfo=SH))["C"]
    assert (c.pending, c.confirmed) == (1_800, 0)
    c = compute(now=datetime(2026, 11, 15, 12, 0, tzinfo=SH))["C"]
    assert (c.pending, c.confirmed) == (0, 1_800)


def test_self_purchase_excluded_still_counts_in_month_sales() -> None:
    rules = Rules.default().model_copy(update={"self_purchase": None})
    a = compute(rules=rules)["A"]
    assert a.self_purchase == 0
    assert a.month_valid_fen == 1_045_010 and a.direct_rate == Decimal("0.08")


def test_level_bonus_added_to_direct_rate_not_to_boost() -> None:
    facts = example_facts()
    out = compute_month(
        Rules.default(), 2026, 11, SH, AFTER, SHARERS, facts, {"A": 3_000_000}, FIRST
    )
    a = out["A"]
    assert a.level == "gold" and a.direct_rate == Decimal("0.09")
    # 200.00×15% + 10,099.95×9% = 30 + 908.9955
    assert a.direct == 93_900


def test_team_reward_for_leaders_over_the_threshold() -> None:
    facts = [
        OrderFact("t1", "B", "x", "S", datetime(2026, 11, 3, tzinfo=SH), 1_500_000),
        OrderFact("t2", "C", "y", "S", datetime(2026, 11, 3, tzinfo=SH), 600_000),
        OrderFact("t3", "A", "z", "S", datetime(2026, 11, 3, tzinfo=SH), 9_000_000),
    ]
    out = compute_month(Rules.default(), 2026, 11, SH, AFTER, SHARERS, facts, {}, FIRST)
    assert out["A"].team_valid_fen == 2_100_000  # B + C, not A's own
    assert out["A"].team == 21_000
    assert out["B"].team == 0


def test_recruit_only_in_the_first_month() -> None:
    first = {"B": (2026, 10), "C": (2026, 11)}
    facts = [OrderFact("c", "C", "y", "S", datetime(2026, 11, 3, tzinfo=SH), 50_000)]
    out = compute_month(Rules.default(), 2026, 11, SH, AFTER, SHARERS, facts, {}, first)
    assert out["B"].recruit == 2_000  # C's first month reaches exactly 500.00
    facts = [OrderFact("b", "B", "y", "S", datetime(2026, 11, 3, tzinfo=SH), 90_000)]
    out = compute_month(Rules.default(), 2026, 11, SH, AFTER, SHARERS, facts, {}, first)
    assert out["A"].recruit == 0  # B started in October


def test_orders_outside_the_month_and_unattributed_are_ignored() -> None:
    facts = [
        OrderFact("x", "C", "y", "S", datetime(2026, 10, 31, 23, 59, tzinfo=SH), 100),
        OrderFact("y", "C", "y", "S", datetime(2026, 12, 1, 0, 0, tzinfo=SH), 100),
        OrderFact("z", "", "y", "S", datetime(2026, 11, 5, tzinfo=SH), 100),
        OrderFact("w", "C", "y", "S", datetime(2026, 11, 30, 16, 0, tzinfo=UTC), 100),
    ]
    out = compute_month(Rules.default(), 2026, 11, SH, AFTER, SHARERS, facts, {}, FIRST)
    assert out["C"].month_valid_fen == 0


def test_unknown_sharer_ids_in_orders_get_a_statement() -> None:
    facts = [OrderFact("u", "S9", "y", "S", datetime(2026, 11, 5, tzinfo=SH), 10_000)]
    out = compute_month(Rules.default(), 2026, 11, SH, AFTER, {}, facts, {}, {})
    assert out["S9"].direct == 600


def test_month_bounds_use_the_local_time_zone() -> None:
    # 2026-11-30 16:30 UTC is Dec 1 00:30 in Shanghai: December, not November.
    facts = [OrderFact("d", "C", "y", "S", datetime(2026, 11, 30, 16, 30, tzinfo=UTC), 100)]
    out = compute_month(Rules.default(), 2026, 12, SH, AFTER, SHARERS, facts, {}, FIRST)
    assert out["C"].month_valid_fen == 100


def test_adjustment_lands_in_the_first_unsettled_month_only() -> None:
    settled = {(2026, 10): 10_000, (2026, 11): 8_725}
    recomputed = {(2026, 10): 9_400, (2026, 11): 8_725}
    assert first_unsettled_month(settled) == (2026, 12)
    assert first_unsettled_month({}) is None
    assert adjustment_for(2026, 12, settled, recomputed) == -600
    assert adjustment_for(2027, 1, settled, recomputed) == 0
    assert adjustment_for(2026, 11, settled, recomputed) == 0
    st = compute()["A"]
    dec = with_adjustment(replace(st, month=12), settled, recomputed)
    assert dec.adjustment == -600
    assert dec.adjustments == (((2026, 10), -600),)  # says which month it corrects
    assert dec.total == st.total - 600
    assert dec.pending + dec.confirmed == dec.total


def test_adjustment_year_boundary() -> None:
    assert first_unsettled_month([(2026, 12), (2026, 11)]) == (2027, 1)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张小明", "张*明"),
        ("Lily", "L**y"),
        ("李雷", "李*雷"),
        ("李", "李*"),
        ("", ""),
        (" Ann ", "A*n"),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_masked_names_tell_people_apart() -> None:
    # Issue 9: 阿甲, 阿乙 and 阿丙 all masked to 阿*.
    masked = mask_names({"s1": "阿甲", "s2": "阿乙", "s3": "阿丙"})
    assert masked == {"s1": "阿*甲", "s2": "阿*乙", "s3": "阿*丙"}
    # Names that still mask alike get the end of their id.
    masked = mask_names({"WC01": "张小明", "WC02": "张大明", "WC03": "李雷"})
    assert masked == {"WC01": "张*明·01", "WC02": "张*明·02", "WC03": "李*雷"}
    assert len(set(masked.values())) == 3


def test_rank_ties_share_a_rank() -> None:
    assert rank({"b": 5, "a": 5, "c": 9, "d": 1}) == [
        (1, "c", 9),
        (2, "a", 5),
        (2, "b", 5),
        (4, "d", 1),
    ]
    assert rank({}) == []


def test_rules_change_applies_when_recomputed() -> None:
    rules = parse_rules('base_rate = "5%"')
    assert compute(rules=rules)["C"].direct == 1_500


def test_include_gives_a_statement_to_ids_without_orders() -> None:
    out = compute_month(Rules.default(), 2026, 11, SH, AFTER, {}, [], {}, {}, include=["S7"])
    assert out["S7"].total == 0 and out["S7"].level == "junior"
