"""The order import on both stores (any_db): what parse_orders gives is what is stored and
reported, the rollups (the import's and the digest's) equal a recomputation after every
import, a second import of a file changes nothing, a failure leaves nothing half-written.
On both the fast path converts the canonical spellings and leaves the rest to parse_orders,
the merge runs in several chunks, and the orders table's triggers are back afterwards."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import storage.order_import_pg as pg_module
import storage.orders as orders_module
from bot.domain import orders as domain_orders
from bot.domain.orders import parse_orders
from bot.domain.tables import TableError, read_table
from storage import order_sql
from storage.orders import OrderImport, Orders

NOW = datetime(2026, 12, 1, tzinfo=UTC)
TZ = ZoneInfo("Asia/Shanghai")
HEAD = ["order_id", "paid_at", "sharer_id", "buyer_id", "sku", "quantity", "amount", "refund",
        "status", "creator"]  # fmt: skip
IDS = ["o1", "o2", "o3", "o4", " o1", "o2\u3000", "", "o5"]
TIMES = ["2026-11-05 10:00", "2026/11/05 10:00:59", "2026-11-30 23:59:59", "2026-12-01 00:00",
         "2026-11-5 9:05", "2026-02-30 10:00", "2026-11-05T10:00", "bad", "",
         "2026-11-05 10:00+02:00"]  # fmt: skip
MONEY = ["", "0", "1", "12.5", "12.50", "¥1,200.00", "1,234.5", "-5", "1e3", "10000000000.01",
         "9999999999.99", "99999999999999999.99"]  # fmt: skip
QTY = ["", "1", "3", "0", "x", "1000000001"]
STATUS = ["", "paid", "PAID", "已完成", "已退款", "cancelled", "canceled", "x"]
TEXT = ["", "S1", "S2", "产品A", "@Mia", " a b "]

STORED = (
    "SELECT order_id, paid_at, month, day, sharer_id, buyer_id, sku, product, quantity,"
    " amount_fen, refund_fen, status, valid_fen, creator FROM orders ORDER BY order_id"
)
# The digest's rollups as computed from orders (0017), portable.
FRESH = {
    "order_day": "SELECT day, SUM(amount_fen), SUM(valid_fen), COUNT(*),"
    " COUNT(DISTINCT buyer_id) FROM orders GROUP BY day",
    "buyer_day": "SELECT day, buyer_id, COUNT(*) FROM orders GROUP BY day, buyer_id",
    "sharer_first": "SELECT sharer_id, MIN(day) FROM orders WHERE valid_fen > 0 GROUP BY sharer_id",
    "sku_day_total": "SELECT day, sku, SUM(valid_fen), COUNT(*) FROM orders WHERE valid_fen > 0"
    " GROUP BY day, sku",
}
EXTRA = ("sharer_day", "sharer_month", "sku_day", "creator_sales", "sharer_week")


def random_file(rnd: random.Random, rows: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEAD)
    for _ in range(rows):
        writer.writerow([
            rnd.choice(IDS), rnd.choice(TIMES), rnd.choice(TEXT), rnd.choice(["", "u1", "u2"]),
            rnd.choice(["", "K1", "K2"]), rnd.choice(QTY), rnd.choice(MONEY),
            rnd.choice(["", "", "", "0.5", "1"]), rnd.choice(STATUS), rnd.choice(TEXT),
        ])  # fmt: skip
    return out.getvalue()


def reference(text: str) -> tuple[dict[str, tuple], list, list, int]:
    parsed = parse_orders(read_table(text.encode(), "f.csv"), TZ)
    rows = {}
    for r in parsed.rows:
        local = r.paid_at.astimezone(TZ)
        month = local.year * 100 + local.month
        rows[r.order_id] = (
            r.order_id, int(r.paid_at.timestamp()), month, month * 100 + local.day, r.sharer_id,
            r.buyer_id, r.sku, r.product, r.quantity, r.amount_fen, r.refund_fen, r.status,
            r.valid_fen, r.creator,
        )  # fmt: skip
    errors = [(e.line, e.code, sorted(e.params.items())) for e in parsed.errors]
    return rows, errors, sorted(parsed.duplicates), parsed.read


async def run(db: Any, text: str, tz: ZoneInfo = TZ) -> OrderImport:
    return await Orders(db).import_table(
        read_table(text.encode(), "f.csv"), tz, now=NOW, actor_id=None, filename="f.csv",
        file_hash="-",
    )  # fmt: skip


async def rows(db: Any, sql: str) -> list[tuple]:
    return sorted(tuple(r) for r in await db.fetchall(sql))


async def assert_rollups(db: Any) -> None:
    assert await Orders(db).rollup_drift(extra=True) == dict.fromkeys(EXTRA, 0)
    for table, sql in FRESH.items():
        assert await rows(db, f"SELECT * FROM {table}") == await rows(db, sql), table


@pytest.mark.parametrize("seed", [1, 2])
async def test_import_equals_the_domain_parser_file_after_file(
    any_db: Any, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # Small batches and chunks: duplicates across batches, several merge transactions.
    monkeypatch.setattr(orders_module, "_BATCH", 7)
    monkeypatch.setattr(pg_module, "_CHUNK_FIRST", 2)
    monkeypatch.setattr(pg_module, "_CHUNK_MIN", 2)
    monkeypatch.setattr(pg_module, "_CHUNK_MAX", 3)
    rnd = random.Random(seed)
    model: dict[str, tuple] = {}
    for n in (40, 25, 60, 10):
        text = random_file(rnd, n)
        want, errors, duplicates, read = reference(text)
        result = await run(any_db, text)
        got_errors = [(e.line, e.code, sorted(e.params.items())) for e in result.errors]
        assert (got_errors, result.duplicates, result.read) == (errors, duplicates, read)
        before = dict(model)
        model.update(want)
        assert result.new == len(set(model) - set(before))
        assert result.new + result.updated + result.unchanged == len(want)
        assert result.updated == sum(1 for k, v in want.items() if k in before and before[k] != v)
        assert await rows(any_db, STORED) == sorted(model.values())
        await assert_rollups(any_db)
        again = await run(any_db, text)  # the same file again changes nothing
        assert (again.new, again.updated, again.unchanged) == (0, 0, len(want))
        assert await rows(any_db, STORED) == sorted(model.values())
    imports = await any_db.fetchval("SELECT count(*) FROM imports WHERE kind = 'orders'")
    assert imports == 8


async def test_a_failure_leaves_nothing_half_imported(
    any_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = "order_id,paid_at,sharer_id,sku,amount\n"
    await run(any_db, head + "a,2026-11-05 10:00,S,K,1\n")
    tables = ("orders", "sharer_day", "sharer_month", "order_day", "imports", "audit")
    before = [await rows(any_db, f"SELECT * FROM {t}") for t in tables]

    async def broken(conn: Any, sign: str) -> None:
        if sign == "+":
            raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(orders_module, "_shift", broken)
        with pytest.raises(RuntimeError):
            await run(any_db, head + "a,2026-11-05 10:00,S,K,5\nb,2026-11-05 10:00,S,K,1\n")
    # A broken quote after many batches refuses the whole file, though batches before it
    # were copied already.
    monkeypatch.setattr(orders_module, "_BATCH", 1)
    good = "".join(f"c{i},2026-11-05 10:00,S,K,1\n" for i in range(5))
    with pytest.raises(TableError):
        await run(any_db, head + good + 'd,2026-11-05 10:00,S,K,"1\n')
    assert [await rows(any_db, f"SELECT * FROM {t}") for t in tables] == before
    result = await run(any_db, head + good)  # and the store is fit for the next one
    assert (result.new, result.updated, result.unchanged) == (5, 0, 0)
    await assert_rollups(any_db)


async def test_a_file_of_rejected_rows_is_recorded(any_db: Any) -> None:
    result = await run(any_db, "order_id,paid_at,amount\n,2026-11-05 10:00,1\nx,bad,1\n")
    assert (result.read, result.new, result.rejected) == (2, 0, 2)
    assert result.import_id is not None
    assert await any_db.fetchval("SELECT rejected FROM imports") == 2


async def test_a_later_line_wins_across_batches(any_db: Any, monkeypatch) -> None:
    monkeypatch.setattr(orders_module, "_BATCH", 1)
    text = (
        "order_id,paid_at,amount\n"
        "o1,2026-11-05 10:00,1\no2,2026-11-05 10:00,2\no1,2026-11-05 10:00,x\n"
        'o1,2026-11-06 10:00,"¥1,003"\no2,2026-11-05 10:00,5\n'
    )
    result = await run(any_db, text)
    assert result.duplicates == [(2, "o1"), (3, "o2")]
    assert [e.line for e in result.errors] == [4]
    assert await rows(any_db, "SELECT order_id, amount_fen, day FROM orders") == [
        ("o1", 100300, 20261106),
        ("o2", 500, 20261105),
    ]


async def test_the_fast_path_leaves_only_the_other_spellings_to_the_domain_parser(
    any_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    parse = order_sql._parse

    def counted(lines, present, header_line, tz):  # type: ignore[no-untyped-def]
        seen.append(len(lines))
        return parse(lines, present, header_line, tz)

    monkeypatch.setattr(order_sql, "_parse", counted)
    text = "order_id,paid_at,amount,status\n" + "".join(
        f"c{i},2026-11-{1 + i % 28:02d} 10:00,{i}.5,{'已完成' if i % 2 else 'paid'}\n"
        for i in range(300)
    )
    text += 'd1,2026-11-05 10:00,"¥1,200.00",paid\nd2,2026/11/5 9:05,1,paid\n'
    text += "d3,2026-11-05 10:00,1,PAID\n"
    result = await run(any_db, text)
    assert (result.new, sum(seen)) == (303, 3)
    # A status word the domain learns is taken at once, by both paths: the domain is the
    # one place.
    monkeypatch.setitem(domain_orders.STATUS_WORDS, "已签收", "paid")
    text = (
        "order_id,paid_at,amount,status\nz,2026-11-05 10:00,1,已签收\ny,2026-11-5 10:00,1,已签收\n"
    )
    result = await run(any_db, text)
    assert (result.new, result.rejected) == (2, 0)


async def test_postgresql_triggers_are_back_and_the_boards_counter_moved(pg_db: Any) -> None:
    version = "SELECT version FROM data_versions WHERE name = 'boards'"
    before = await pg_db.fetchval(version)
    await run(pg_db, "order_id,paid_at,sharer_id,amount\na,2026-11-05 10:00,S,1\n")
    assert await pg_db.fetchval(version) > before
    states = await pg_db.fetchall(
        "SELECT DISTINCT tgenabled FROM pg_trigger WHERE tgrelid = 'orders'::regclass"
        " AND NOT tgisinternal"
    )
    assert [r[0] for r in states] == [b"O"]  # enabled
    # Another writer of orders after the import: the triggers keep creator_sales and the
    # digest's rollups (sharer_day and the like are the import's alone).
    async with pg_db.transaction() as conn:
        await conn.execute("UPDATE orders SET valid_fen = 50, amount_fen = 50")
        await conn.execute(
            "INSERT INTO orders (order_id, paid_at, month, day, sharer_id, amount_fen, status,"
            " valid_fen, imported_at) VALUES ('b', 0, 202611, 20261105, 'S', 7, 'paid', 7, 0)"
        )
    assert (await Orders(pg_db).rollup_drift(extra=True))["creator_sales"] == 0
    for table, sql in FRESH.items():
        assert await rows(pg_db, f"SELECT * FROM {table}") == await rows(pg_db, sql), table


async def test_another_time_zone_moves_the_days(any_db: Any) -> None:
    text = "order_id,paid_at,amount\na,2026-11-30 23:30,1\nb,2026-12-01 00:30,2\n"
    await run(any_db, text)
    assert await rows(any_db, "SELECT order_id, month, day FROM orders") == [
        ("a", 202611, 20261130),
        ("b", 202612, 20261201),
    ]
    result = await run(any_db, text, ZoneInfo("America/St_Johns"))  # UTC-03:30
    assert (result.new, result.updated) == (0, 2)
    await assert_rollups(any_db)


async def test_a_row_with_a_nul_character_is_refused_by_line(any_db: Any) -> None:
    # Binary data, not text (and PostgreSQL's text cannot hold it): such a row is refused, the
    # rest of the file imported, on both stores alike.
    text = (
        "order_id,paid_at,amount,sharer_id\na\x00,2026-11-05 10:00,1,\nb,2026-11-05 10:00,1,S\x00\n"
    )
    text += "c,2026-11-05 10:00,1\x00,S\nd,2026-11-05 10:00,1,S\ne,2026-11-05 10:00,x,S\n"
    result = await run(any_db, text)
    assert [(e.line, e.code) for e in result.errors] == [
        (2, "nul_character"), (3, "nul_character"), (4, "nul_character"), (6, "bad_amount"),
    ]  # fmt: skip
    assert (result.read, result.new) == (5, 1)
