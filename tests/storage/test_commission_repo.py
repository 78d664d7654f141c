"""The commission repository on a real database: statements from orders and rollups,
settlements frozen, late refunds booked once, leaderboards from the rollups.

`add_orders` / `add_roster` are shared with the e2e tests: they write orders and keep the
rollups consistent, as the order import does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.rules import Rules
from bot.services import Services
from storage.boards import Boards, _days
from storage.commission import Commission, rules_from_json, rules_to_json
from storage.db import Database, to_ts
from tests.conftest import T0

TZ = ZoneInfo("Asia/Shanghai")
# (order_id, sharer_id, local paid time, sku, amount fen, refund fen, status, buyer_id)
OrderSpec = tuple[str, str, str, str, int, int, str, str]

WORKED_ROSTER = [  # sharer_id, name, buyer_id, inviter_id, leader_id
    ("A", "Alice Wang", "BA", "", ""),
    ("B", "Bob Li", "", "A", "A"),
    ("C", "陈小春", "", "B", "A"),
]
WORKED_ORDERS: list[OrderSpec] = [
    ("o1", "A", "2026-11-05 10:00", "SKU-001", 20000, 0, "paid", "u1"),
    ("o2", "A", "2026-11-12 10:00", "SKU-002", 990000, 0, "paid", "u2"),
    ("o3", "A", "2026-11-13 10:00", "SKU-002", 30000, 10005, "paid", "u3"),
    ("o4", "A", "2026-11-14 10:00", "SKU-002", 15015, 0, "paid", "BA"),
    ("o5", "A", "2026-11-15 10:00", "SKU-002", 50000, 0, "cancelled", "u4"),
    ("b1", "B", "2026-11-06 10:00", "SKU-002", 100000, 0, "paid", "u5"),
    ("b2", "B", "2026-11-07 10:00", "SKU-002", 40000, 0, "refunded", "u6"),
    ("c1", "C", "2026-11-08 10:00", "SKU-002", 30000, 0, "paid", "u7"),
]


async def add_roster(db: Database, rows: list[tuple[str, str, str, str, str]]) -> None:
    async with db.transaction() as conn:
        for sid, name, buyer, inviter, leader in rows:
            await conn.execute(
                "INSERT INTO sharers (sharer_id, name, buyer_id, inviter_id, leader_id, is_leader,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0, 0)"
                " ON CONFLICT(sharer_id) DO UPDATE SET name = excluded.name",
                (sid, name, buyer or None, inviter or None, leader or None),
            )
        await conn.execute(
            "UPDATE sharers SET is_leader = 1 WHERE sharer_id IN"
            " (SELECT leader_id FROM sharers WHERE leader_id IS NOT NULL)"
        )


async def add_orders(db: Database, orders: list[OrderSpec], tz: ZoneInfo = TZ) -> None:
    """Insert or update orders and rebuild the rollups they touch, as an import would."""
    touched: set[tuple[str, int, int, str]] = set()
    async with db.transaction() as conn:
        for oid, sid, paid, sku, amount, refund, status, buyer in orders:
            local = datetime.strptime(paid, "%Y-%m-%d %H:%M").replace(tzinfo=tz)
            valid = 0 if status != "paid" else max(0, amount - refund)
            month, day = local.year * 100 + local.month, int(local.strftime("%Y%m%d"))
            async with conn.execute(
                "SELECT sharer_id, month, day, sku FROM orders WHERE order_id = ?", (oid,)
            ) as cursor:
                touched.update(tuple(r) for r in await cursor.fetchall())  # type: ignore[misc]
            await conn.execute(
                "INSERT INTO orders (order_id, paid_at, month, day, sharer_id, buyer_id, sku,"
                " amount_fen, refund_fen, status, valid_fen, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (order_id) DO UPDATE"
                " SET paid_at = excluded.paid_at, month = excluded.month, day = excluded.day,"
                " sharer_id = excluded.sharer_id, buyer_id = excluded.buyer_id,"
                " sku = excluded.sku, amount_fen = excluded.amount_fen,"
                " refund_fen = excluded.refund_fen, status = excluded.status,"
                " valid_fen = excluded.valid_fen",
                (oid, to_ts(local), month, day, sid, buyer, sku, amount, refund, status, valid),
            )
            touched.add((sid, month, day, sku))
        for sid, month, day, sku in touched:
            for table, where, params in (
                ("sharer_day", "sharer_id = ? AND day = ?", (sid, day)),
                ("sharer_month", "sharer_id = ? AND month = ?", (sid, month)),
                ("sku_day", "sku = ? AND day = ? AND sharer_id = ?", (sku, day, sid)),
            ):
                keys = where.replace(" = ?", "").replace(" AND", ",")
                await conn.execute(f"DELETE FROM {table} WHERE {where}", params)
                await conn.execute(
                    f"INSERT INTO {table} ({keys}, valid_fen, orders)"
                    f" SELECT {keys}, SUM(valid_fen), COUNT(*) FILTER (WHERE valid_fen > 0)"
                    f" FROM orders WHERE {where} GROUP BY {keys}",
                    params,
                )


async def worked_example(services: Services) -> None:
    await add_roster(services.db, WORKED_ROSTER)
    await add_orders(services.db, WORKED_ORDERS)


async def test_worked_example_statements(services: Services) -> None:
    await worked_example(services)
    repo = services.repo(Commission)
    a, settled = await repo.statement(services.rules, "A", (2026, 11), TZ, T0)
    assert settled is None
    parts = (a.direct, a.self_purchase, a.level2, a.team, a.recruit, a.adjustment, a.total)
    assert parts == (83800, 450, 1000, 0, 2000, 0, 87250)
    b, _ = await repo.statement(services.rules, "B", (2026, 11), TZ, T0)
    c, _ = await repo.statement(services.rules, "C", (2026, 11), TZ, T0)
    assert (b.direct, b.level2, b.recruit, b.total) == (6000, 300, 0, 6300)
    assert (c.direct, c.total) == (1800, 1800)
    # The per-sharer path and the settlement's all-at-once path agree.
    everyone = await repo._all_month(services.rules, (2026, 11), TZ, T0, set())
    assert {k: everyone[k].total for k in "ABC"} == {"A": 87250, "B": 6300, "C": 1800}


async def test_team_members_outside_the_invitees_count_for_the_team(services: Services) -> None:
    await add_roster(services.db, [("L", "Leader", "", "", ""), ("M", "Member", "", "", "L")])
    await add_orders(services.db, [("m1", "M", "2026-11-02 10:00", "X", 2_500_000, 0, "paid", "")])
    st = await services.repo(Commission).compute(services.rules, "L", (2026, 11), TZ, T0)
    assert (st.team_valid_fen, st.team, st.level2) == (2_500_000, 25_000, 0)


async def test_settle_freezes_and_a_late_refund_is_booked_once(services: Services) -> None:
    await worked_example(services)
    repo = services.repo(Commission)
    now = T0 + timedelta(days=10)  # 2026-12-02
    lines = await repo.settle(services.rules, (2026, 11), TZ, now, actor_id=1)
    assert {ln.sharer_id: ln.total for ln in lines} == {"A": 87250, "B": 6300, "C": 1800}
    # o2 is refunded in December: November stays as settled, December carries the clawback.
    await add_orders(
        services.db, [("o2", "A", "2026-11-12 10:00", "SKU-002", 990000, 990000, "refunded", "u2")]
    )
    nov, settled = await repo.statement(services.rules, "A", (2026, 11), TZ, now)
    assert settled is not None and nov.total == 87250
    dec, _ = await repo.statement(services.rules, "A", (2026, 12), TZ, now)
    # Without o2 A's November is 45.60 (6%: 12+200 boosted 30.00) + ... recomputed exactly:
    again = await repo.compute(services.rules, "A", (2026, 11), TZ, now)
    assert dec.adjustment == again.total - 87250 < 0 and dec.total == dec.adjustment
    later = now + timedelta(days=31)
    await repo.settle(services.rules, (2026, 12), TZ, later, actor_id=1)
    jan, _ = await repo.statement(services.rules, "A", (2027, 1), TZ, later)
    assert jan.adjustment == 0  # booked once, in December


async def test_rules_survive_the_json_round_trip(services: Services) -> None:
    rules = Rules.default()
    assert rules_from_json(rules_to_json(rules)) == rules


async def test_a_sharers_rank_is_their_place_on_the_board(services: Services) -> None:
    roster = [(f"S{i}", f"s{i}", "", "", "") for i in range(8)]
    await add_roster(services.db, roster)
    amounts = [500, 900, 900, 100, 700, 900, 0, 300]  # ties share a place; 0 is not ranked
    await add_orders(
        services.db,
        [
            (f"o{i}", f"S{i}", "2026-11-10 10:00", "SKU", a, 0, "paid", "x")
            for i, a in enumerate(amounts)
        ],
    )
    async with services.db.transaction() as conn:
        await conn.execute("UPDATE sharers SET hidden = 1 WHERE sharer_id IN ('S2', 'S3')")
    repo = services.repo(Boards)
    board = {sid: place for place, sid, _ in await repo.board(("month", 202611))}
    for sid, *_ in roster:
        assert await repo.month_rank(sid, 202611) == board.get(sid), sid
    assert board["S1"] == board["S5"] == 1 and board["S4"] == 3


def test_sku_board_days_stop_at_the_months_end() -> None:
    assert _days(20261101, 20261131) == list(range(20261101, 20261131))
    assert _days(20260201, 20260231)[-1] == 20260228 and len(_days(20260201, 20260231)) == 28
    assert _days(20261230, 20270102) == [20261230, 20261231, 20270101, 20270102]
