"""The digest's rollups (migration 0017: order_day, buyer_day, sharer_first, sku_day_total)
equal a computation over the orders themselves, whoever wrote them: the bulk load, the import
merging changes (amounts, refunds, rows moved to another day, month, sharer or buyer), and
plain SQL (rows updated and deleted, through the triggers). And the period figures read from
them (month to date, weeks, spans across months) equal direct counts over the orders."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

import storage.orders as orders_module
from bot.domain.digest import SalesDay
from bot.domain.tables import read_table
from bot.services import Services
from storage.digest import DigestReads
from storage.orders import Orders
from tests.conftest import T0

HEAD = "order_id,paid_at,sharer_id,buyer_id,sku,amount,refund,status\n"

# Each rollup as stored, and as computed here from orders (rows only while orders > 0).
COUNTING = "COUNT(*) FILTER (WHERE valid_fen > 0)"  # orders that count, on both stores
FRESH = {
    "order_day": (
        "SELECT day, SUM(amount_fen), SUM(valid_fen), COUNT(*), COUNT(DISTINCT buyer_id)"
        " FROM orders GROUP BY day"
    ),
    "buyer_day": "SELECT day, buyer_id, COUNT(*) FROM orders GROUP BY day, buyer_id",
    "sharer_first": (
        "SELECT sharer_id, MIN(day) FROM (SELECT sharer_id, day FROM orders GROUP BY"
        " sharer_id, day HAVING COUNT(*) FILTER (WHERE valid_fen > 0) > 0) AS counted"
        " GROUP BY sharer_id"
    ),
    "sku_day_total": (
        "SELECT day, sku, SUM(valid_fen), COUNT(*) FILTER (WHERE valid_fen > 0) FROM orders"
        " GROUP BY day, sku HAVING COUNT(*) FILTER (WHERE valid_fen > 0) > 0"
    ),
}


async def run(services: Services, text: str) -> None:
    await services.repo(Orders).import_table(
        read_table(text.encode(), "o.csv"), services.settings.tz, now=T0, actor_id=1,
        filename="o.csv", file_hash="h",
    )  # fmt: skip


async def drift(services: Services) -> dict[str, tuple[list, list]]:
    """Rollups that differ from the computation: {table: (stored, fresh)}."""
    out = {}
    for table, sql in FRESH.items():
        stored = sorted(tuple(r) for r in await services.db.fetchall(f"SELECT * FROM {table}"))
        fresh = sorted(tuple(r) for r in await services.db.fetchall(sql))
        if stored != fresh:
            out[table] = (stored, fresh)
    return out


def orders(n: int, seed: int) -> list[list[str]]:
    """n orders over October and November 2026: repeat buyers, refunds, cancellations."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        day = date(2026, 10, 1) + timedelta(days=rnd.randrange(61))
        amount = rnd.randrange(100, 10_000)
        status = rnd.choice(["paid"] * 8 + ["refunded", "cancelled"])
        refund = rnd.randrange(amount) if status == "paid" and rnd.random() < 0.1 else 0
        rows.append([f"o{i:05d}", f"{day} {rnd.randrange(24):02d}:{rnd.randrange(60):02d}",
                     rnd.choice(["", *(f"S{k}" for k in range(12))]), f"u{rnd.randrange(60)}",
                     f"K{rnd.randrange(5)}", f"{amount / 100:.2f}",
                     f"{refund / 100:.2f}" if refund else "", status])  # fmt: skip
    return rows


def csv(rows: list[list[str]]) -> str:
    return HEAD + "".join(",".join(r) + "\n" for r in rows)


def changed(rows: list[list[str]], seed: int) -> list[list[str]]:
    """A later export of the same orders: amounts changed, refunds, rows moved to another day,
    month, sharer or buyer, some rows gone from the file."""
    rnd = random.Random(seed)
    out = []
    for row in rows:
        row = list(row)
        pick = rnd.random()
        if pick < 0.1:
            row[5] = f"{float(row[5]) + 1.25:.2f}"
        elif pick < 0.2:
            row[6], row[7] = row[5], "refunded"
        elif pick < 0.3:
            moved = date.fromisoformat(row[1][:10]) + timedelta(days=rnd.choice([-31, -1, 1, 30]))
            row[1] = f"{moved}{row[1][10:]}"
        elif pick < 0.35:
            row[2] = rnd.choice(["", "S0", "S99"])
        elif pick < 0.4:
            row[3] = f"u{rnd.randrange(60)}"
        elif pick < 0.45:
            continue  # absent from this file: the order stays as stored
        out.append(row)
    return out


@pytest.mark.parametrize("bulk", [True, False])
async def test_rollups_follow_imports_and_other_writers(
    services: Services, monkeypatch: pytest.MonkeyPatch, bulk: bool
) -> None:
    monkeypatch.setattr(orders_module, "_BULK", 1 if bulk else 10**9)
    rows = orders(600, seed=1)
    await run(services, csv(rows))
    assert await drift(services) == {}
    await run(services, csv(changed(rows, seed=2)))  # the merge path, whatever the first was
    assert await drift(services) == {}
    async with services.db.transaction() as conn:  # writers other than the import
        await conn.execute(
            "UPDATE orders SET day = 20261130, month = 202611, buyer_id = 'u1'"
            " WHERE order_id IN ('o00001', 'o00002')"
        )
        await conn.execute("UPDATE orders SET valid_fen = 0, status = 'refunded'"
                           " WHERE order_id LIKE 'o001%'")  # fmt: skip
        await conn.execute("DELETE FROM orders WHERE order_id LIKE 'o002%'")
        # What the import's shift does to sharer_day and sku_day, row by row.
        await conn.execute("DELETE FROM sharer_day")
        await conn.execute(
            f"INSERT INTO sharer_day SELECT sharer_id, day, SUM(valid_fen), {COUNTING}"
            f" FROM orders GROUP BY sharer_id, day HAVING {COUNTING} > 0"
        )
        await conn.execute("DELETE FROM sku_day")
        await conn.execute(
            f"INSERT INTO sku_day SELECT sku, day, sharer_id, SUM(valid_fen), {COUNTING}"
            f" FROM orders GROUP BY sku, day, sharer_id HAVING {COUNTING} > 0"
        )
    assert await drift(services) == {}


async def test_the_first_day_moves_when_it_stops_counting(services: Services) -> None:
    await run(services, HEAD + "a,2026-11-02 10:00,S,u,K,10,,paid\n"
                               "b,2026-11-05 10:00,S,u,K,10,,paid\n")  # fmt: skip
    assert await drift(services) == {}
    await run(services, HEAD + "a,2026-11-02 10:00,S,u,K,10,10,refunded\n")
    assert await services.db.fetchval("SELECT day FROM sharer_first WHERE sharer_id = 'S'") == (
        20261105
    )
    await run(services, HEAD + "b,2026-11-05 10:00,S,u,K,10,,cancelled\n")
    assert await drift(services) == {}
    assert await services.db.fetchval("SELECT COUNT(*) FROM sharer_first") == 0


def expected(rows: list[tuple], first: date, last: date) -> SalesDay:
    """rows: (day, sharer_id, buyer_id, amount_fen, valid_fen) of every stored order."""
    lo, hi = int(f"{first:%Y%m%d}"), int(f"{last:%Y%m%d}")
    inside = [r for r in rows if lo <= r[0] <= hi]
    firsts: dict[str, int] = {}
    for day, sharer, _, _, valid in rows:
        if valid > 0 and sharer:
            firsts[sharer] = min(firsts.get(sharer, day), day)
    active = {r[1] for r in inside if r[4] > 0 and r[1]}
    return SalesDay(
        gmv_fen=sum(r[3] for r in inside),
        valid_fen=sum(r[4] for r in inside),
        orders=len(inside),
        customers=len({r[2] for r in inside}),
        active_sharers=len(active),
        new_sharers=sum(1 for s in active if lo <= firsts[s] <= hi),
    )


def top(rows: list[tuple], first: date, last: date) -> list[tuple[str, int]]:
    lo, hi = int(f"{first:%Y%m%d}"), int(f"{last:%Y%m%d}")
    fen: dict[str, int] = {}
    for day, sharer, _, _, valid in rows:
        if lo <= day <= hi and sharer:
            fen[sharer] = fen.get(sharer, 0) + valid
    return sorted(((s, f) for s, f in fen.items() if f > 0), key=lambda x: (-x[1], x[0]))[:5]


@pytest.mark.parametrize(
    "first,last",
    [
        (date(2026, 11, 1), date(2026, 11, 30)),  # a whole month: sharer_month
        (date(2026, 11, 1), date(2026, 11, 21)),  # the month to date: the rest taken out
        (date(2026, 11, 1), date(2026, 11, 3)),  # a few days of it: counted directly
        (date(2026, 11, 16), date(2026, 11, 22)),  # a whole ISO week: sharer_week
        (date(2026, 11, 16), date(2026, 11, 20)),  # a week to date
        (date(2026, 10, 26), date(2026, 11, 1)),  # a week across two months
        (date(2026, 10, 20), date(2026, 11, 10)),  # any span
        (date(2026, 11, 7), date(2026, 11, 7)),  # one day
    ],
)
async def test_period_figures_equal_direct_counts(
    services: Services, first: date, last: date
) -> None:
    rows = orders(900, seed=3)
    await run(services, csv(rows))
    await run(services, csv(changed(rows, seed=4)))
    stored = [tuple(r) for r in await services.db.fetchall(
        "SELECT day, sharer_id, buyer_id, amount_fen, valid_fen FROM orders")]  # fmt: skip
    reads = DigestReads(services.db)
    assert await reads.period_sales(first, last) == expected(stored, first, last)
    assert await reads.top_sharers_between(first, last) == top(stored, first, last)
    days = await reads.sales_days(first, last)
    for day, figures in days.items():
        assert figures == expected(stored, day, day)
