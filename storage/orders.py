"""Orders and their rollups: importing a shop's order export (SPEC §3), fast.

One import is one transaction, and SQLite does the per-row work (figures in
bench/RESULTS-import.md):
1. a worker thread reads the file in batches: csv, each mapped cell stripped, a hash of the
   row's cells, and the batch's distinct hours; the batch is staged as text into a temp table
   by multi-row INSERTs. Into an empty table each batch is converted (step 2) while the worker
   reads the next, so Python's csv and SQLite's conversion run on both cores. Otherwise rows
   whose hash a stored order already has are dropped once all are staged (unchanged: the
   re-import's shortcut, see order_sql.skip_unchanged);
2. one INSERT … SELECT converts and validates the canonical spellings (the *fast path*, see
   storage/order_sql.py); every other row (¥ signs, thousands commas, odd dates, anything
   invalid) goes through the domain's parse_orders, which stays the one authority on what is
   valid and on every error;
3. both paths' rows are deduplicated (the later line wins) into a temp table sorted by
   order_id, compared with the stored orders column by column, and only new and changed rows
   are written; rollups move by the old rows' contribution out and the new rows' in. Into an
   empty table the rows go straight into orders in order id order (no sort when the file's
   ids rise or fall, as exports listed by time do), and the rollups are built by one GROUP BY
   each after the load.
A rollup row exists while its group has at least one counted order (`orders` > 0);
unattributed orders roll up under sharer ''.

That is the SQLite path. On PostgreSQL the import is storage/order_import_pg.py: the same
steps and SQL (the dialect spells the fast path's pattern tests), batches staged by COPY;
Orders.import_table picks the path by the store's dialect, here and nowhere else.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

import aiosqlite

from bot.domain.gc_pause import gc_paused
from bot.domain.orders import ORDER_ALIASES, ORDER_REQUIRED
from bot.domain.tables import Table, map_headers
from storage import dialect, order_import_pg, order_rollups, order_sql, versions
from storage.db import Database, to_ts
from storage.dialect import sqlite as sqlite_dialect
from storage.order_rollups import ROLLUPS
from storage.order_sql import OrderImport
from storage.prefetch import Readahead

__all__ = ["ROLLUPS", "OrderImport", "Orders"]

log = logging.getLogger(__name__)
_SHIFTED = order_rollups.SHIFTED
_RESTING = order_rollups.RESTING
# An empty table takes the bulk way (one transaction) a file of this many valid rows.
_BULK, _BULK_MAX = 5_000, 20_000
# The writer is held about _HOLD seconds a chunk of orders: the bot's writes wait no longer.
# Each chunk also has a fixed cost (its triggers set aside and back, the days' totals), which
# _CHUNK_MIN keeps from eating the import's time on a busy machine.
_HOLD = 0.15
_CHUNK_FIRST, _CHUNK_MIN, _CHUNK_MAX = 2_000, 1_000, 20_000
_BATCH = 20_000  # rows staged (and, into an empty table, converted) at a time
_CACHE_KIB = 256 * 1024  # page cache for the import's span: the B-trees stay in memory


class Orders:
    def __init__(self, db: Database) -> None:
        self.db = db
        # One order import at a time in this process: each reads what the one before wrote.
        self._lock = asyncio.Lock()

    async def import_table(
        self,
        table: Table,
        tz: tzinfo,
        *,
        now: datetime,
        actor_id: int | None,
        filename: str,
        file_hash: str,
        progress: Callable[[int], None] | None = None,
    ) -> OrderImport:
        """Import a read table. Raises MissingColumns before anything is read or written, and
        TableError (nothing written) when the file turns out broken part-way. `progress` is
        told the rows read so far, a batch at a time.

        The file is read, staged and checked on a connection of its own, writing only its
        temp tables; then written in short transactions of a few thousand orders each (see
        _write), so that the bot's own writes take turns with it."""
        cols = map_headers(table.headers, ORDER_ALIASES, set(ORDER_REQUIRED))
        present = [f for f in ORDER_ALIASES if f in cols]
        record = (actor_id, filename, file_hash)
        if dialect.of(self.db).NAME == "postgresql":
            async with self._lock:
                # The rollups move by the one shift both paths share (looked up when called).
                return await order_import_pg.import_table(
                    self.db, table, cols, present, tz, now, progress, record,
                    lambda conn, sign: _shift(conn, sign), batch=_BATCH,
                )  # fmt: skip
        async with self._lock, self.db.sibling() as side:
            await sqlite_dialect.session_memory(side.conn, _CACHE_KIB)
            # Checkpoints after each chunk, outside its transaction (see _write).
            await _val(side.conn, "PRAGMA wal_autocheckpoint = 0")  # answers with a row
            try:
                return await self._import(side, table, cols, present, tz, now, progress, record)
            finally:
                await order_sql.drop_temp(side.conn)

    async def _import(
        self,
        side: Database,
        table: Table,
        cols: dict[str, int],
        present: list[str],
        tz: tzinfo,
        now: datetime,
        progress: Callable[[int], None] | None,
        record: tuple[int | None, str, str],
    ) -> OrderImport:
        conn = side.conn
        await order_sql.create_temp(conn, present)
        empty = bool(await _val(conn, "SELECT NOT EXISTS (SELECT 1 FROM orders)"))
        hours = order_sql.Hours(tz, sqlite_dialect)
        fast = order_sql.fast_sql(present, sqlite_dialect)
        read = 0
        ids = order_sql.IdOrder()
        per = order_sql.per_insert(present)
        batches = order_sql.staged(table, cols, present, tz, _BATCH, per=per, ids=ids)
        with gc_paused():  # batches of a hundred thousand young containers
            async with Readahead(batches) as reader:
                reader.ahead()
                while batch := await reader.next():
                    await order_sql.stage(conn, present, batch)
                    await hours.add(conn, batch.hours)
                    # The worker parses the next batch while SQLite converts this one (and never
                    # beside a statement that gives the GIL up row by row, see storage.prefetch).
                    reader.ahead()
                    if empty:
                        await conn.execute(fast, {"after": read})
                    read += batch.rows
                    if progress is not None:
                        progress(read + len(table.rejected))
        rejected = list(table.rejected)  # rows that did not fit the header: never staged
        if not read:
            return OrderImport(len(rejected), 0, 0, 0, rejected, [], [], None)
        skipped = 0
        if not empty:
            # Rows stored byte for byte already need no conversion: the re-import's shortcut.
            skipped = await order_sql.skip_unchanged(conn, read, sqlite_dialect)
            await conn.execute(fast, {"after": 0})
        errors, duplicates = await order_sql.slow_path(
            conn, table.header_line, present, tz, sqlite_dialect
        )
        if rejected:
            errors = sorted(errors + rejected, key=lambda e: e.line)
        valid = int(await _val(conn, "SELECT count(*) FROM temp.parsed"))
        result = OrderImport(read + len(rejected), 0, 0, 0, errors, duplicates, [], None)
        if empty and _BULK <= valid <= _BULK_MAX:
            async with side.transaction() as tx:
                # Still empty: another process may have imported since we looked.
                if await _val(tx, "SELECT NOT EXISTS (SELECT 1 FROM orders)"):
                    await _bulk(tx, ids, result, now, valid, record)
                    return result
        await conn.execute(order_sql.DEDUP_SQL)  # temp.incoming's trigger lists replaced lines
        incoming = int(await _val(conn, "SELECT count(*) FROM temp.incoming"))
        result.duplicates += [tuple(r) for r in await _rows(conn, "SELECT * FROM temp.replaced")]
        result.duplicates.sort()
        result.unbound = await _unbound(conn, False)
        await _write(side, result, now, incoming + skipped, record)
        return result

    async def rollup_drift(self, *, extra: bool = False) -> dict[str, int]:
        """Rows where a rollup differs from a recomputation over orders (0 everywhere = good).
        `extra` adds creator_sales and sharer_week to the three of ROLLUPS."""
        fresh: dict[str, str] = {}
        tables = _SHIFTED if extra else {t: _SHIFTED[t] for t in ROLLUPS}
        for table, (keys, where, count) in tables.items():
            k = ", ".join(keys)
            fresh[table] = (
                f"SELECT {k}, SUM(valid_fen), {count} FROM orders WHERE {where}"
                f" GROUP BY {k} HAVING {count} > 0"
            )
        if extra:
            valid = "COUNT(*) FILTER (WHERE valid_fen > 0)"
            fresh["sharer_week"] = (
                f"SELECT sharer_id, week, SUM(valid_fen), {valid} FROM (SELECT sharer_id,"
                f" {dialect.of(self.db).iso_week('day')} AS week, valid_fen FROM orders) AS o"
                f" GROUP BY sharer_id, week HAVING {valid} > 0"
            )
        drift = {}
        for table, sql in fresh.items():
            stored = f"SELECT * FROM {table}"
            # Each difference on its own: SQLite has no parentheses around a compound SELECT.
            drift[table] = int(
                await self.db.fetchval(
                    f"SELECT (SELECT count(*) FROM (SELECT * FROM ({sql}) AS f EXCEPT"
                    f" SELECT * FROM {table}) AS a) + (SELECT count(*) FROM ({stored} EXCEPT"
                    f" SELECT * FROM ({sql}) AS f) AS b)"
                )
            )
        return drift


async def _val(conn: aiosqlite.Connection, sql: str, params: Any = ()) -> Any:
    async with conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    return None if row is None else row[0]


async def _rows(conn: aiosqlite.Connection, sql: str, params: Any = ()) -> list[Any]:
    async with conn.execute(sql, params) as cursor:
        cursor.row_factory = None  # plain tuples
        return list(await cursor.fetchall())


async def _unbound(conn: aiosqlite.Connection, bulk: bool) -> list[str]:
    return [r[0] for r in await _rows(conn, order_sql.unbound_sql(sqlite_dialect, bulk=bulk))]


async def _schema(conn: aiosqlite.Connection, kind: str, tables: tuple[str, ...]) -> list[Any]:
    marks = ", ".join("?" * len(tables))
    return await _rows(
        conn,
        f"SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name IN ({marks})"
        " AND sql IS NOT NULL",
        (kind, *tables),
    )


async def _bulk(
    conn: aiosqlite.Connection,
    ids: order_sql.IdOrder,
    r: OrderImport,
    now: datetime,
    valid: int,
    record: tuple[int | None, str, str],
) -> None:
    """Into an empty table, a file of at most _BULK_MAX valid rows: in one transaction."""
    await _bulk_load(conn, order_sql.bulk_orders_sql(to_ts(now), ids))
    r.new = int(await _val(conn, "SELECT count(*) FROM orders"))
    if r.new < valid:
        r.duplicates += [tuple(row) for row in await _rows(conn, order_sql.REPLACED_SQL)]
        r.duplicates.sort()
    r.unbound = await _unbound(conn, True)
    r.import_id = await order_sql.record_import(conn, r, now, *record)


async def _bulk_load(conn: aiosqlite.Connection, load_sql: str) -> None:
    # Into an empty table: building an index once from sorted keys is several times cheaper
    # than keeping it up to date row by row; rollups are one GROUP BY each, so the triggers
    # that keep creator_sales and sharer_week for other writers rest meanwhile.
    indexes = await _schema(conn, "index", ("orders",))
    triggers = await _schema(conn, "trigger", ("orders", *ROLLUPS))
    for name, _ in indexes:
        await conn.execute(f'DROP INDEX "{name}"')
    for name, _ in triggers:
        await conn.execute(f'DROP TRIGGER "{name}"')
    await conn.execute(load_sql)
    for _, sql in indexes:
        await conn.execute(sql)
    await order_rollups.rebuild_rollups(conn, sqlite_dialect)
    for _, sql in triggers:
        await conn.execute(sql)
    # The boards' counter is among the triggers that rested: the boards changed all the same.
    await versions.bump(conn, versions.BOARDS)


async def _write(
    side: Database,
    r: OrderImport,
    now: datetime,
    kept: int,
    record: tuple[int | None, str, str],
) -> None:
    """Write temp.incoming's new and changed rows in transactions of consecutive order ids,
    each sized to hold the writer about _HOLD seconds. Every commit leaves orders and their
    rollups consistent; an interrupted import run again skips what was written and goes on.
    The import is recorded with the last. `kept`: rows incoming or skipped as unchanged."""
    conn, now_ts = side.conn, to_ts(now)
    last = await _val(conn, "SELECT max(order_id) FROM temp.incoming")
    lo, size = "", _CHUNK_FIRST  # order ids are never empty
    while True:
        hi = await _val(conn, _NEXT_BOUND, (lo, size - 1)) or last
        async with side.transaction() as tx:
            started = time.perf_counter()
            new, touched = await _merge(tx, now_ts, {"lo": lo, "hi": hi})
            r.new, r.updated = r.new + new, r.updated + touched - new
            if hi == last:
                r.unchanged = kept - r.new - r.updated
                r.import_id = await order_sql.record_import(tx, r, now, *record)
        took = time.perf_counter() - started  # the commit too: it writes the pages out
        log.debug("import: %d orders up to %s written in %.3f s", touched, hi, took)
        # The chunk's pages copied into the database file here, on the import's own thread,
        # with no lock held: else the bot's next commit would do it, its queries waiting.
        await _val(conn, "PRAGMA wal_checkpoint(PASSIVE)")
        if hi == last:
            return
        # Grow slowly (a cheap chunk may be followed by a costly one), shrink at once.
        size = max(_CHUNK_MIN, min(_CHUNK_MAX, int(size * min(2.0, _HOLD / max(took, 0.001)))))
        lo = hi


_NEXT_BOUND = (
    "SELECT order_id FROM temp.incoming WHERE order_id > ? ORDER BY order_id LIMIT 1 OFFSET ?"
)
_CHUNK = "(SELECT * FROM temp.incoming WHERE order_id > :lo AND order_id <= :hi) i"


def _in_chunk(sql: str) -> str:
    """order_sql's statement over temp.incoming, limited to one chunk's order ids."""
    assert sql.count("temp.incoming i") == 1
    return sql.replace("temp.incoming i", _CHUNK)


_TOUCHED_SQL = _in_chunk(order_sql.TOUCHED_SQL)
_REFRESH_FP_SQL = _in_chunk(order_sql.REFRESH_FP_SQL)


async def _merge(conn: aiosqlite.Connection, now_ts: int, span: dict[str, str]) -> tuple[int, int]:
    """Write the new and changed rows of one chunk; (new, new + updated)."""
    await conn.execute("DELETE FROM temp.touched")
    await conn.execute(_TOUCHED_SQL, span)
    async with conn.execute(
        "SELECT count(*), COALESCE(SUM(is_new), 0) FROM temp.touched"
    ) as cursor:
        touched, new = await cursor.fetchone()
    await conn.execute(_REFRESH_FP_SQL, span)
    if not touched:
        return 0, 0
    # Our own shift keeps every rollup; the triggers would count twice.
    triggers = await _schema(conn, "trigger", _RESTING)
    for name, _ in triggers:
        await conn.execute(f'DROP TRIGGER "{name}"')
    if touched > new:  # new orders have no stored contribution to take out
        await _shift(conn, "-")  # the stored rows' contribution out…
    await conn.execute(order_sql.upsert_orders_sql(now_ts))
    await _shift(conn, "+")  # …and the new rows' in
    for _, sql in triggers:
        await conn.execute(sql)
    return int(new), int(touched)


async def _shift(conn: Any, sign: str) -> None:
    """Move the rollups by the touched orders (the import's temp table `touched`) as stored
    now (order_rollups.shift_rollups), on either store: a transaction's connection names its
    Database on PostgreSQL."""
    d = dialect.of(getattr(conn, "db", None))
    await order_rollups.chunk_stored(conn, d, d.temp("touched"))
    await order_rollups.shift_rollups(conn, sign, d)
