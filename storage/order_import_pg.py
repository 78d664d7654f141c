"""The order import on PostgreSQL (storage/orders.py picks it by the store's dialect).

The same steps as the SQLite path (storage/orders.py), with the SQL of storage/order_sql.py
spelled by the dialect where the stores differ:
1. A worker thread reads the file in batches: each mapped cell stripped and the row's raw-cell
   hash (order_sql.hashed); the batch goes into a session temp table as text by COPY
   (dialect.bulk_load) while the worker reads the next one.
2. Into a table holding orders, staged rows whose hash a stored order has are dropped
   (order_sql.skip_unchanged: the re-import's shortcut). The fast path converts the canonical
   spellings in one INSERT … SELECT on the server (order_sql.fast_sql); every other row goes
   through the domain's parse_orders (order_sql.slow_path), the one validator.
3. One order id listed twice: the later valid line wins (DISTINCT ON into pg_temp.incoming,
   keyed by order id); the lines it replaced are reported, with those parse_orders replaced
   among the slow rows.
4. The merge, set-based, in transactions of consecutive order ids sized to hold the writer
   lock about _HOLD seconds (as on SQLite, so that the bot's writes take turns with a long
   import): the chunk's new and changed rows are found by comparing columns, the rollups move
   by the stored rows' contribution out and the new rows' in (order_rollups.shift_rollups), and
   the orders table's row triggers rest meanwhile (they would count the rows a second time).
   Every commit leaves orders and rollups consistent; an interrupted import run again finds
   what was written unchanged and goes on. The import is recorded with the last chunk.
   Into an empty orders table, one transaction instead: the rows in key order, the secondary
   index built once after, every rollup by one GROUP BY (a first import of millions of rows;
   the bot's writes wait for it, its reads do not).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, tzinfo
from typing import Any

from bot.domain.gc_pause import gc_paused
from bot.domain.tables import Table
from storage import order_rollups, order_sql
from storage.db import to_ts
from storage.dialect import postgresql as d
from storage.order_sql import ORDER_COLUMNS, SAME, OrderImport
from storage.prefetch import Readahead

log = logging.getLogger(__name__)
Shift = Callable[[Any, str], Awaitable[None]]

_BATCH = 20_000  # rows validated and copied at a time
# The writer lock is held about _HOLD seconds a chunk; readers never wait (MVCC).
_HOLD = 0.5
_CHUNK_FIRST, _CHUNK_MIN, _CHUNK_MAX = 20_000, 5_000, 200_000
_WORK_MEM_KIB = 256 * 1024  # the dedupe's sort of a few million rows in memory

_PARSED = order_sql.PARSED
_INTS = {"line", "paid_at", "month", "day", "quantity", "amount_fen", "refund_fen", "raw_fp"}
_TEXT = 'TEXT COLLATE "C"'  # byte order, as orders' keys (chunk ranges compare them)


# A batch converted into pg_temp.parsed; the rows the fast path left are kept for the slow
# path's look at their cells.
def _convert(fast: str) -> str:
    return (
        f"WITH c AS ({fast} RETURNING srow, {order_sql.not_fast('')} AS slow)"
        " INSERT INTO pg_temp.staging SELECT b.* FROM pg_temp.batch b"
        " JOIN c ON c.srow = b.line WHERE c.slow"
    )


_IN_CHUNK = "i.order_id > ? AND i.order_id <= ?"
_TOUCHED = (
    "INSERT INTO pg_temp.touched SELECT i.order_id, CASE WHEN o.order_id IS NULL THEN 1 ELSE 0"
    " END FROM pg_temp.incoming i LEFT JOIN orders o ON o.order_id = i.order_id"
    f" WHERE {_IN_CHUNK} AND (o.order_id IS NULL OR NOT ({SAME}))"
)
# An unchanged row written differently takes the new raw-cell hash (a copy of this database
# into SQLite skips it on the next import there); no trigger watches raw_fp.
_REFRESH_FP = (
    "UPDATE orders SET raw_fp = i.raw_fp FROM pg_temp.incoming i"
    f" WHERE orders.order_id = i.order_id AND orders.raw_fp <> i.raw_fp AND {_IN_CHUNK}"
)
_INSERT = (
    f"INSERT INTO orders ({', '.join(ORDER_COLUMNS)}, raw_fp, imported_at)"
    f" SELECT {', '.join(f'i.{c}' for c in ORDER_COLUMNS)}, i.raw_fp, CAST(? AS BIGINT)"
)
_EMPTY = "SELECT NOT EXISTS (SELECT 1 FROM orders)"
_REBUILT = (*order_rollups.SHIFTED, "sharer_week", "order_day", "buyer_day", "sharer_first",
            "sku_day_total")  # fmt: skip
_UPSERT = (
    f"{_INSERT} FROM pg_temp.touched t JOIN pg_temp.incoming i ON i.order_id = t.order_id"
    " ON CONFLICT (order_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in (*ORDER_COLUMNS[1:], "raw_fp", "imported_at"))
)
_NEXT_BOUND = (
    "SELECT order_id FROM pg_temp.incoming WHERE order_id > ? ORDER BY order_id LIMIT 1 OFFSET ?"
)


def _since(started: float) -> float:
    return time.perf_counter() - started


async def _create_temp(conn: Any, present: list[str]) -> None:
    # order_id in byte order, as orders' keys (joins and chunk ranges compare them).
    cells = ", ".join(f"{c} {_TEXT if c == 'order_id' else 'TEXT'} NOT NULL" for c in present)
    await conn.execute(f"CREATE TEMP TABLE staging (line BIGINT, raw_fp BIGINT, {cells})")
    await conn.execute("CREATE TEMP TABLE batch (LIKE pg_temp.staging)")
    await conn.execute(
        "CREATE TEMP TABLE hours (hour TEXT PRIMARY KEY, utc BIGINT, month BIGINT, day BIGINT)"
    )
    parsed = ", ".join(
        f"{c} {'BIGINT' if c in _INTS else _TEXT if c == 'order_id' else 'TEXT'}" for c in _PARSED
    )
    await conn.execute(f"CREATE TEMP TABLE parsed (srow BIGINT, {parsed})")
    await conn.execute("CREATE TEMP TABLE skipped (r BIGINT, sharer_id TEXT)")


async def import_table(
    db: Any,
    table: Table,
    cols: dict[str, int],
    present: list[str],
    tz: tzinfo,
    now: datetime,
    progress: Callable[[int], None] | None,
    record: tuple[int | None, str, str],
    shift: Shift,
    *,
    batch: int = _BATCH,
) -> OrderImport:
    """Orders.import_table on PostgreSQL (same contract). `shift(conn, sign)` moves the
    rollups by the orders pg_temp.touched lists, as stored when it is called."""
    async with db.sibling() as side:
        conn = side.conn
        await d.session_memory(conn, _WORK_MEM_KIB)
        await _create_temp(conn, present)
        empty = bool(await side.fetchval(_EMPTY))
        hours = order_sql.Hours(tz, d)
        columns = ("line", "raw_fp", *present)
        # Into an empty table each batch is converted as it comes (the server converts while
        # the worker reads the next), and only the rows left to the slow path are staged.
        convert = _convert(order_sql.fast_sql(present, d, "batch"))
        read, started = 0, time.perf_counter()
        with gc_paused():  # batches of a hundred thousand young containers
            batches = order_sql.staged(table, cols, present, tz, batch, per=1)
            async with Readahead(batches) as reader:
                reader.ahead()
                while part := await reader.next():
                    await hours.add(conn, part.hours)
                    await d.bulk_load(conn, "pg_temp.batch" if empty else "pg_temp.staging",
                                      columns, part.full)  # fmt: skip
                    # The worker reads the next batch meanwhile: after the COPY, whose
                    # encoding would contend with it for the GIL, beside the conversion,
                    # which is the server's work.
                    reader.ahead()
                    if empty:
                        await conn.execute(convert, {"after": 0})
                        await conn.execute("TRUNCATE pg_temp.batch")
                    read += part.rows
                    if progress is not None:
                        progress(read + len(table.rejected))
        rejected = list(table.rejected)  # rows that did not fit the header: never staged
        if not read:
            return OrderImport(len(rejected), 0, 0, 0, rejected, [], [], None)
        log.debug("import: %d rows staged in %.3f s", read, _since(started))
        started = time.perf_counter()
        skipped = 0
        if not empty:
            # Rows stored byte for byte already need no conversion: the re-import's shortcut.
            await conn.execute("ANALYZE pg_temp.staging")
            skipped = await order_sql.skip_unchanged(conn, read, d)
            await conn.execute(order_sql.fast_sql(present, d), {"after": 0})
        errors, duplicates = await order_sql.slow_path(conn, table.header_line, present, tz, d)
        errors = sorted(errors + rejected, key=lambda e: e.line)
        result = OrderImport(read + len(rejected), 0, 0, 0, errors, duplicates, [], None)
        log.debug("import: %d rows converted in %.3f s", read - skipped, _since(started))
        started = time.perf_counter()
        incoming = await _dedupe(side, result)
        log.debug("import: %d orders deduplicated in %.3f s", incoming, _since(started))
        unbound = order_sql.unbound_sql(d, bulk=False)  # the file's rows, however written
        result.unbound = [row[0] for row in await side.fetchall(unbound)]
        if empty:
            async with side.transaction() as tx:
                bulk = await side.fetchval(_EMPTY)  # still: another process may import too
                if bulk:
                    await _bulk(tx, result, now, incoming, record)
            if bulk:
                # Statistics for the planner and the visibility map for index-only scans
                # (/me over a sharer's month of orders), not left to autovacuum's turn.
                await conn.execute(f"VACUUM (ANALYZE) orders, {', '.join(_REBUILT)}")
                return result
        await conn.execute("ALTER TABLE pg_temp.incoming ADD PRIMARY KEY (order_id)")
        await conn.execute("ANALYZE pg_temp.incoming")  # the merge's joins are planned
        await _write(side, result, now, incoming + skipped, record, shift)
        return result


async def _dedupe(side: Any, result: OrderImport) -> int:
    """pg_temp.incoming: one row per order id, the file's last valid line, in key order (its
    primary key is added where the merge needs it); the lines it replaced join
    result.duplicates. Its row count."""
    conn = side.conn
    await conn.execute("DROP TABLE pg_temp.staging")
    columns = ", ".join(c if c != "valid_fen" else f"{order_sql.VALID_FEN} AS valid_fen"
                        for c in ("line", *ORDER_COLUMNS, "raw_fp"))  # fmt: skip
    await conn.execute(
        f"CREATE TEMP TABLE incoming AS SELECT DISTINCT ON (order_id) {columns}"
        " FROM pg_temp.parsed ORDER BY order_id, line DESC"
    )
    parsed = int(await side.fetchval("SELECT count(*) FROM pg_temp.parsed"))
    incoming = int(await side.fetchval("SELECT count(*) FROM pg_temp.incoming"))
    if incoming < parsed:
        result.duplicates += [
            (row[0], row[1])
            for row in await side.fetchall(
                "SELECT p.line, p.order_id FROM pg_temp.parsed p JOIN pg_temp.incoming i"
                " ON i.order_id = p.order_id WHERE p.line <> i.line"
            )
        ]
    result.duplicates.sort()
    await conn.execute("DROP TABLE pg_temp.parsed")
    await conn.execute(f"CREATE TEMP TABLE touched (order_id {_TEXT} PRIMARY KEY, is_new BIGINT)")
    return incoming


async def _bulk(
    conn: Any, r: OrderImport, now: datetime, incoming: int, record: tuple[int | None, str, str]
) -> None:
    """Into an empty table, in one transaction: the rows in key order, the secondary index
    built once at the end, every rollup by one GROUP BY (the triggers resting)."""
    started = time.perf_counter()
    # Only orders' index is set aside: readers of orders wait for this transaction (DROP INDEX
    # locks the table), those of the rollups (the boards) do not.
    async with (
        d.triggers_suspended(conn, order_rollups.RESTING),
        d.indexes_suspended(conn, "orders"),
    ):
        # pg_temp.incoming was written in key order by the dedupe's sort, and a sequential
        # read gives its rows in that order: the primary key's pages fill in turn, no sort.
        await conn.execute(f"{_INSERT} FROM pg_temp.incoming i", (to_ts(now),))
        await order_rollups.rebuild_rollups(conn, d)
    r.new = incoming
    r.import_id = await order_sql.record_import(conn, r, now, *record)
    log.debug("import: %d orders loaded into an empty table in %.3f s", incoming, _since(started))


async def _write(
    side: Any,
    r: OrderImport,
    now: datetime,
    incoming: int,
    record: tuple[int | None, str, str],
    shift: Shift,
) -> None:
    """Write pg_temp.incoming's new and changed rows in chunks of consecutive order ids."""
    now_ts = to_ts(now)
    last = await side.fetchval("SELECT max(order_id) FROM pg_temp.incoming")
    lo, size = "", _CHUNK_FIRST  # order ids are never empty
    while True:
        hi = last
        if last is not None:
            hi = await side.fetchval(_NEXT_BOUND, (lo, size - 1)) or last
        async with side.transaction() as tx:
            started = time.perf_counter()
            if hi is not None:
                new, touched = await _merge(tx, now_ts, lo, hi, size, shift)
                r.new, r.updated = r.new + new, r.updated + touched - new
            if hi == last:
                r.unchanged = incoming - r.new - r.updated
                r.import_id = await order_sql.record_import(tx, r, now, *record)
        took = time.perf_counter() - started
        log.debug("import: chunk of %d up to %s written in %.3f s", size, hi, took)
        if hi == last:
            return
        size = max(_CHUNK_MIN, min(_CHUNK_MAX, int(size * min(2.0, _HOLD / max(took, 0.001)))))
        lo = hi


async def _merge(
    conn: Any, now_ts: int, lo: str, hi: str, size: int, shift: Shift
) -> tuple[int, int]:
    """Write the new and changed rows of one chunk; (new, new + updated)."""
    await conn.execute("TRUNCATE pg_temp.touched")
    await conn.execute(_TOUCHED, (lo, hi))
    async with conn.execute(
        "SELECT count(*), COALESCE(SUM(is_new), 0) FROM pg_temp.touched"
    ) as cursor:
        touched, new = (int(x) for x in await cursor.fetchone())
    if touched < size:  # some rows of the chunk are stored unchanged
        await conn.execute(_REFRESH_FP, (lo, hi))
    if not touched:
        return 0, 0
    async with d.triggers_suspended(conn, order_rollups.RESTING):
        if touched > new:  # new orders have no stored contribution to take out
            await shift(conn, "-")
        await conn.execute(_UPSERT, (now_ts,))
        await shift(conn, "+")
    return new, touched
