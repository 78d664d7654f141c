"""Properties of the order import, over random files imported in random order.

- the rollups always equal a recomputation (GROUP BY) over orders;
- the orders table always equals a model: each file's parse_orders rows laid over the last;
- the counts add up; importing a file twice equals importing it once; row order is irrelevant.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storage.orders as orders_module
from bot.domain.orders import parse_orders
from bot.domain.tables import read_table
from storage.db import Database
from storage.orders import Orders

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, tzinfo=UTC)
HEAD = "order_id,paid_at,sharer_id,buyer_id,sku,amount,refund,status\n"
ROLLUP_TABLES = tuple(orders_module.ROLLUPS)

row = st.tuples(
    st.sampled_from([f"o{i}" for i in range(8)] + [""]),  # "" is a bad row
    st.sampled_from(["2026-11-30 23:30", "2026/12/01 00:10", "2026-11-05 10:00:00", "bad"]),
    st.sampled_from(["", "A", "B", "C"]),
    st.sampled_from(["", "u1", "u2"]),
    st.sampled_from(["", "K1", "K2"]),
    st.integers(min_value=0, max_value=300_00),
    st.integers(min_value=0, max_value=100_00),
    st.sampled_from(["", "paid", "已完成", "refunded", "cancelled", "已取消"]),
    st.booleans(),  # spell the amount "¥1,234.50"
)
files = st.lists(st.lists(row, max_size=12), min_size=1, max_size=4)


def render(rows: list[tuple]) -> str:
    out = [HEAD]
    for oid, paid, sharer, buyer, sku, amount, refund, status, fancy in rows:
        yuan = f"{amount // 100}.{amount % 100:02d}"
        text = f'"¥{amount // 100:,}.{amount % 100:02d}"' if fancy else yuan
        refund_text = f"{refund // 100}.{refund % 100:02d}" if refund else ""
        out.append(f"{oid},{paid},{sharer},{buyer},{sku},{text},{refund_text},{status}\n")
    return "".join(out)


async def _import(orders: Orders, text: str):  # type: ignore[no-untyped-def]
    return await orders.import_table(
        read_table(text.encode(), "f.csv"), TZ, now=NOW, actor_id=None, filename="f.csv",
        file_hash="-",
    )  # fmt: skip


def model_rows(model: dict) -> list[tuple]:
    out = []
    for r in model.values():
        local = r.paid_at.astimezone(TZ)
        month = local.year * 100 + local.month
        out.append(
            (r.order_id, int(r.paid_at.timestamp()), month, month * 100 + local.day, r.sharer_id,
             r.buyer_id, r.sku, r.quantity, r.amount_fen, r.refund_fen, r.status, r.valid_fen)
        )  # fmt: skip
    return sorted(out)


STORED = (
    "SELECT order_id, paid_at, month, day, sharer_id, buyer_id, sku, quantity, amount_fen,"
    " refund_fen, status, valid_fen FROM orders ORDER BY order_id"
)


async def _check_sequence(texts: list[str], bulk: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "p.sqlite3")
        await db.migrate()
        orders = Orders(db)
        model: dict = {}
        old_bulk = orders_module._BULK
        orders_module._BULK = 1 if bulk else 10**9
        try:
            for text in texts:
                result = await _import(orders, text)
                parsed = parse_orders(read_table(text.encode(), "f.csv"), TZ)
                before = dict(model)
                for r in parsed.rows:
                    model[r.order_id] = r
                assert result.read == parsed.read
                assert result.rejected == len(parsed.errors)
                assert result.new == len(set(model) - set(before))
                assert sorted(result.duplicates) == sorted(parsed.duplicates)
                assert (
                    result.new + result.updated + result.unchanged + result.rejected
                    + len(result.duplicates) == result.read
                )  # fmt: skip
                assert [tuple(r) for r in await db.fetchall(STORED)] == model_rows(model)
                assert await orders.rollup_drift() == dict.fromkeys(ROLLUP_TABLES, 0)
                # The same file again changes nothing.
                state = [tuple(r) for r in await db.fetchall("SELECT * FROM orders")]
                again = await _import(orders, text)
                assert (again.new, again.updated) == (0, 0)
                assert [tuple(r) for r in await db.fetchall("SELECT * FROM orders")] == state
        finally:
            orders_module._BULK = old_bulk
            await db.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=files, bulk=st.booleans())
def test_rollups_and_orders_follow_every_import(files: list[list[tuple]], bulk: bool) -> None:
    asyncio.run(_check_sequence([render(f) for f in files], bulk))


async def _final_state(text: str) -> list[tuple]:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "p.sqlite3")
        await db.migrate()
        await _import(Orders(db), text)
        state = []
        for table in ("orders", *ROLLUP_TABLES):
            sql = STORED if table == "orders" else f"SELECT * FROM {table} ORDER BY 1, 2, 3"
            state.append([tuple(r) for r in await db.fetchall(sql)])
        await db.close()
        return state


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(row, max_size=12, unique_by=lambda r: r[0]), seed=st.integers(0, 1000))
def test_row_order_does_not_matter(rows: list[tuple], seed: int) -> None:
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    first = asyncio.run(_final_state(render(rows)))
    assert asyncio.run(_final_state(render(shuffled))) == first
