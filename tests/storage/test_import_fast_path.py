"""The set-based import's fast path (storage/order_sql.py) against the domain parser alone.

For random cells, canonical and not, valid and not (whitespace of every kind, NUL, ¥ and
thousands commas, odd dates, overflowing digits, amounts about the bound, rows with more or
fewer cells than the header), an import must store exactly the rows
parse_orders gives and report exactly its errors and duplicates, and keep every rollup equal
to a recomputation.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import storage.orders as orders_module
from bot.domain.orders import parse_orders
from bot.domain.tables import read_table
from storage import order_rollups, order_sql
from storage.db import Database
from storage.orders import Orders

NOW = datetime(2026, 12, 1, tzinfo=UTC)
HEAD = ["order_id", "paid_at", "sharer_id", "sku", "product", "quantity", "amount", "refund",
        "status", "creator"]  # fmt: skip
WS = st.sampled_from(["", " ", "\t", "\u3000", "\xa0", "\x00"])
ids = st.sampled_from(["o1", "o2", "o3", " o1", "o2\u3000", "", " ", "o\x001"])
times = st.sampled_from([
    "2026-11-05 10:00", "2026/11/05 10:00:59", "2026-11-30 23:59:59", "2026-12-01 00:00",
    "2026-11-5 9:05", "2026-02-30 10:00", "2026-11-05 24:00", "2026-11-05 10:60",
    "2026-11-05 10:00:60", "2026-11-05T10:00", "2026-11-05 10:00:00.5", " 2026-11-05 10:00",
    "2026-11-05", "2026-11-05 10:00+02:00", "2026-11-05 10:00\x00", "bad", "",
    "2026-03-08 02:30", "2026-11-01 01:30", "0001-01-01 00:00",
])  # fmt: skip
money = st.sampled_from([
    "", "0", "1", "12.5", "12.50", "007.05", "1200", "¥1,200.00", "￥12", "1,234.5", "12.",
    ".5", "1.234", "-5", "12,34", " 12", "12\x00", "1e3", "９", "123456789012345",
    "1234567890123456", "99999999999999999.99", "10000000000", "10000000000.00",
    "10000000000.01", "9999999999.99", "00010000000000.01",
])  # fmt: skip
qty = st.sampled_from(["", "1", "3", "0", "00", "007", " 2", "2.0", "x", "１", "1000000000",
                      "1000000001", "999999999999999"])  # fmt: skip
status = st.sampled_from(["", "paid", "PAID", " paid", "已完成", "已退款", "cancelled", "canceled",
                          "x", "Refunded"])  # fmt: skip
text = st.sampled_from(["", "S1", "s2", "产品A", "@Mia", "a b"])
# The row's width: as the header, one cell short, or longer (empty trailing cells are noise).
SHAPE = st.sampled_from(["", "", "", "", "short", "extra", "empty", "empties"])
row = st.tuples(ids, times, text, text, text, qty, money, money, status, text, WS, WS, SHAPE)


def render(rows: list[tuple]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEAD)
    for *cells, before, after, shape in rows:
        cells[2] = before + cells[2] + after  # sharer: whitespace around
        cells[4] = after + cells[4]  # product
        tail = {"short": None, "extra": ["x"], "empty": [""], "empties": ["", " "]}.get(shape, [])
        writer.writerow(cells[:-1] if tail is None else cells + tail)
    return out.getvalue()


STORED = (
    "SELECT order_id, paid_at, month, day, sharer_id, buyer_id, sku, product, quantity,"
    " amount_fen, refund_fen, status, valid_fen, creator FROM orders ORDER BY order_id"
)


def reference(text: str, tz: ZoneInfo) -> tuple[list[tuple], list, list, int]:
    parsed = parse_orders(read_table(text.encode(), "f.csv"), tz)
    rows = []
    for r in parsed.rows:
        local = r.paid_at.astimezone(tz)
        month = local.year * 100 + local.month
        rows.append(
            (r.order_id, int(r.paid_at.timestamp()), month, month * 100 + local.day, r.sharer_id,
             r.buyer_id, r.sku, r.product, r.quantity, r.amount_fen, r.refund_fen, r.status,
             r.valid_fen, r.creator)
        )  # fmt: skip
    errors = sorted((e.line, e.code, sorted(e.params.items())) for e in parsed.errors)
    return sorted(rows), errors, sorted(parsed.duplicates), parsed.read


async def _check(text: str, tz: ZoneInfo, bulk: bool, batch: int = 20_000) -> None:
    old_bulk, old_batch = orders_module._BULK, orders_module._BATCH
    orders_module._BULK = 1 if bulk else 10**9
    orders_module._BATCH = batch  # staged and converted this many rows at a time
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "f.sqlite3")
        try:
            await db.migrate()
            orders = Orders(db)
            try:
                want = reference(text, tz)
            except OverflowError:
                return  # the domain itself cannot represent such a time
            result = await orders.import_table(
                read_table(text.encode(), "f.csv"), tz, now=NOW, actor_id=None,
                filename="f.csv", file_hash="-",
            )  # fmt: skip
            errors = sorted((e.line, e.code, sorted(e.params.items())) for e in result.errors)
            stored = [tuple(r) for r in await db.fetchall(STORED)]
            got = (stored, errors, result.duplicates, result.read)
            assert got == want
            assert await orders.rollup_drift(extra=True) == dict.fromkeys(
                ("sharer_day", "sharer_month", "sku_day", "creator_sales", "sharer_week"), 0
            )
        finally:
            orders_module._BULK, orders_module._BATCH = old_bulk, old_batch
            await db.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(row, max_size=14),
    zone=st.sampled_from(["Asia/Shanghai", "America/New_York", "Australia/Lord_Howe", "UTC"]),
    bulk=st.booleans(),
    batch=st.sampled_from([1, 3, 20_000]),
    order=st.sampled_from(["as drawn", "rising ids", "falling ids"]),
    nuls=st.booleans(),
)
@example(  # more fen than SQLite's INTEGER holds, twice: refused, the earlier line reported
    rows=[("o1", "2026-11-05 10:00", *[""] * 4, "1", "", "", "", "", "", ""),
          ("o1", "2026-11-05 10:00", *[""] * 4, "99999999999999999.99", *[""] * 6)],
    zone="UTC", bulk=False, batch=20_000, order="as drawn", nuls=True,
)  # fmt: skip
@example(  # too large, then a valid line of the same order: still refused, not "replaced"
    rows=[("o1", "2026-11-05 10:00", *[""] * 4, "99999999999999999.99", *[""] * 6),
          ("o1", "2026-11-05 10:00", *[""] * 4, "1200", "¥1,200.00", *[""] * 5)],
    zone="UTC", bulk=False, batch=1, order="as drawn", nuls=True,
)  # fmt: skip
@example(  # a row one cell long and one short, then a valid line: both rejected by line
    rows=[("o1", "2026-11-05 10:00", *[""] * 4, "1", *[""] * 5, "extra"),
          ("o1", "2026-11-05 10:00", *[""] * 4, "2", *[""] * 5, "short"),
          ("o2", "2026-11-05 10:00", *[""] * 4, "10000000000.01", *[""] * 5, "empties")],
    zone="UTC", bulk=True, batch=1, order="as drawn", nuls=False,
)  # fmt: skip
@example(  # an old zone's offset with seconds (LMT): the stored day is the exact local day
    rows=[("o1", "2026-11-05 10:00", *[""] * 11), ("o1", "0001-01-01 00:00", *[""] * 4, "0",
          *[""] * 6)],
    zone="America/New_York", bulk=False, batch=20_000, order="as drawn", nuls=True,
)  # fmt: skip
def test_import_equals_the_domain_parser(
    rows: list[tuple], zone: str, bulk: bool, batch: int, order: str, nuls: bool
) -> None:
    # Sorted files take the bulk load's walks in and against file order (order_sql.IdOrder);
    # the sort is stable, so lines of one order id keep their file order.
    if order != "as drawn":
        rows = sorted(rows, key=lambda r: r[0].strip(), reverse=order == "falling ids")
    text = render(rows)
    if not nuls:  # a file without NUL: the table reader need not look at each row
        text = text.replace("\x00", "")
    asyncio.run(_check(text, ZoneInfo(zone), bulk, batch))


def test_week_sql_is_the_iso_week() -> None:
    conn = sqlite3.connect(":memory:")
    day = date(2020, 12, 20)
    for _ in range(800):
        n = day.year * 10000 + day.month * 100 + day.day
        year, week, _ = day.isocalendar()
        assert conn.execute(f"SELECT {order_rollups.week_of('?')}", (n, n, n)).fetchone() == (
            year * 100 + week,
        )
        day += timedelta(days=1)


async def test_canonical_rows_never_reach_the_domain_parser(tmp_path: Path, monkeypatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("slow path taken")

    monkeypatch.setattr(order_sql, "parse_orders", refuse)
    db = await Database.open(tmp_path / "c.sqlite3")
    await db.migrate()
    text = "order_id,paid_at,amount,refund,quantity,status,creator\n" + "".join(
        f"c{i},2026/11/{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:07,{i}.5,0.{i % 10},"
        f"{1 + i % 3},{'已完成' if i % 2 else 'refunded'},{' @M' if i % 5 else ''}\n"
        for i in range(1, 400)
    )
    result = await Orders(db).import_table(
        read_table(text.encode(), "c.csv"), ZoneInfo("Asia/Shanghai"), now=NOW, actor_id=None,
        filename="c.csv", file_hash="-",
    )  # fmt: skip
    assert (result.read, result.new, result.rejected) == (399, 399, 0)
    assert await db.fetchval("SELECT paid_at FROM orders WHERE order_id = 'c1'") == int(
        datetime(2026, 11, 2, 1, 1, 7, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    )
    assert await db.fetchval("SELECT count(*) FROM creator_sales WHERE creator = '@M'") == 1
    await db.close()


def test_id_order_follows_the_ids_across_batches() -> None:
    def seen(*batches: list[str]) -> tuple[bool, bool]:
        ids = order_sql.IdOrder()
        for batch in batches:
            ids.see(batch)
        return ids.rising, ids.falling

    assert seen(["a1", "a1", "a2"], [], ["a3"]) == (True, False)
    assert seen(["a3", "a2"], ["a2", "a1"]) == (False, True)
    assert seen(["a1", "a2"], ["a1"]) == (False, False)  # falls only at the batch boundary
    assert seen(["a2"], ["a1", "a3"]) == (False, False)
    assert seen(["a1"], ["a1"]) == (True, True)


async def test_a_falling_file_keeps_its_later_line(services, monkeypatch) -> None:
    # Exports list the newest order first; the bulk load walks them backwards, and of an
    # order id listed twice the later line still wins, though the earlier one went through
    # the slow path (¥ and a thousands comma) and was written back after it.
    monkeypatch.setattr(orders_module, "_BULK", 1)
    db = services.db
    text = (
        "order_id,paid_at,amount\n"
        'o9,2026-11-09 10:00,9\no5,2026-11-05 10:00,"¥1,005"\no5,2026-11-05 11:00,5\n'
        "o1,2026-11-01 10:00,1\n"
    )
    result = await Orders(db).import_table(
        read_table(text.encode(), "f.csv"), ZoneInfo("UTC"), now=NOW, actor_id=None,
        filename="f.csv", file_hash="-",
    )  # fmt: skip
    assert (result.new, result.duplicates) == (3, [(3, "o5")])
    rows = await db.fetchall("SELECT order_id, amount_fen FROM orders ORDER BY order_id")
    assert [tuple(r) for r in rows] == [("o1", 100), ("o5", 500), ("o9", 900)]
