"""Orders and their rollups: importing a shop's order export (SPEC §3), fast.

One import is one transaction: orders are upserted on order_id, and the rollups (sharer_day,
sharer_month, sku_day) move by exactly the old rows' contribution out and the new rows' in,
so they always equal a GROUP BY over orders. A rollup row exists while its group has at least
one order with a valid amount (`orders` > 0); unattributed orders roll up under sharer ''.

Where the time goes, and what keeps it short (figures in bench/RESULTS-import.md):
- parsing is the domain's (bot/domain/orders.py); a re-import skips it for every row whose raw
  cells hash to what was stored (`raw_fp`), which is most rows of a re-exported month;
- the normalised fingerprint decides new / updated / unchanged, from one SELECT of the stored
  fingerprints; unchanged rows are not written;
- into an empty table, rows go in sorted by primary key, the secondary indexes are built after
  the load and the rollups by one GROUP BY each; otherwise rollups shift through a temp table
  of the touched order ids.
"""

from __future__ import annotations

import asyncio
import gc
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from operator import itemgetter
from typing import Any

import aiosqlite

from bot.domain.orders import (
    ORDER_ALIASES,
    ORDER_REQUIRED,
    OrderRow,
    RowError,
    parse_orders,
)
from bot.domain.tables import Table, map_headers
from storage import audit
from storage.db import Database, to_ts

# Bump when parsing changes what a cell means, so that stored raw fingerprints stop matching.
_RAW_VERSION = 1
_FIELDS = tuple(ORDER_ALIASES)
_COLUMNS = (
    "order_id", "paid_at", "month", "day", "sharer_id", "buyer_id", "sku", "product", "quantity",
    "amount_fen", "refund_fen", "status", "valid_fen", "creator", "fingerprint", "raw_fp",
    "imported_at",
)  # fmt: skip
_INSERT = f"INSERT INTO orders ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_UPSERT = f"{_INSERT} ON CONFLICT(order_id) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in _COLUMNS[1:]
)
ROLLUPS = {
    "sharer_day": ("sharer_id", "day"),
    "sharer_month": ("sharer_id", "month"),
    "sku_day": ("sku", "day", "sharer_id"),
}
# The same groups, spelled so that SQLite walks the covering index orders_sharer_month in
# order instead of sorting (a day lies in one month).
_GROUP_BY = {
    "sharer_day": "sharer_id, month, day",
    "sharer_month": "sharer_id, month",
    "sku_day": "sku, day, sharer_id",
}
_BULK = 5_000  # an empty table takes at least this many rows the bulk way
_CHUNK = 500  # order ids per `IN (…)` lookup
_SCAN_MIN = 100_000  # up to this many stored orders, one full scan beats lookups anyway
_CACHE_KIB = 256 * 1024  # page cache for the import's span: the B-trees stay in memory


@dataclass(slots=True)
class OrderImport:
    """What one import did; `errors` and `duplicates` are by line, in file order."""

    read: int
    new: int
    updated: int
    unchanged: int
    errors: list[RowError]
    duplicates: list[tuple[int, str]]  # (line, order_id) replaced by a later row
    unbound: list[str]  # sharer ids in the file with no bound Telegram account
    import_id: int | None

    @property
    def rejected(self) -> int:
        return len(self.errors)


@dataclass(slots=True)
class _Plan:
    write: list[tuple[Any, ...]]  # new and changed rows, as stored, sorted by order_id
    respelled: list[tuple[int, str]]  # (raw_fp, order_id): same data, written differently
    read: int
    new: int
    updated: int
    unchanged: int
    errors: list[RowError]
    duplicates: list[tuple[int, str]]
    sharer_ids: set[str]


class Orders:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Only imports write orders; one at a time, so what was read stays true until written.
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
        size_hint: int,
    ) -> OrderImport:
        """Import a read table. Raises MissingColumns before anything is read or written.

        `size_hint` (about how many rows the file has) picks how stored rows are looked up.
        """
        cols = map_headers(table.headers, ORDER_ALIASES, set(ORDER_REQUIRED))
        async with self._lock:
            count, raw, fps = await self._stored(table, cols["order_id"], size_hint)
            plan = await asyncio.to_thread(_plan, table, cols, tz, raw, fps, to_ts(now))
            del raw, fps
            import_id = None
            if plan.read:
                import_id = await self._write(plan, count == 0, now, actor_id, filename, file_hash)
        return OrderImport(
            plan.read, plan.new, plan.updated, plan.unchanged, plan.errors, plan.duplicates,
            await self._unbound(plan.sharer_ids), import_id,
        )  # fmt: skip

    async def _stored(
        self, table: Table, c_id: int, size_hint: int
    ) -> tuple[int, dict[str, int], dict[str, int]]:
        """(stored order count, order_id → raw_fp, order_id → fingerprint) for the file's ids."""
        count = int(await self.db.fetchval("SELECT count(*) FROM orders"))
        if count == 0:
            return 0, {}, {}
        rows: list[tuple[str, int, int]] = []
        if count <= 4 * size_hint + _SCAN_MIN:  # one scan beats many lookups
            rows = await self._fetch("SELECT order_id, raw_fp, fingerprint FROM orders", ())
        else:
            keys = await asyncio.to_thread(lambda: sorted({c[c_id].strip() for _, c in table}))
            for i in range(0, len(keys), _CHUNK):
                part = keys[i : i + _CHUNK]
                rows += await self._fetch(
                    "SELECT order_id, raw_fp, fingerprint FROM orders"
                    f" WHERE order_id IN ({', '.join('?' * len(part))})",
                    part,
                )
        return count, {k: r for k, r, _ in rows}, {k: f for k, _, f in rows}

    async def _fetch(self, sql: str, params: Any) -> list[Any]:
        async with self.db.conn.execute(sql, params) as cursor:
            cursor.row_factory = None  # plain tuples: a million sqlite3.Row cost a second
            return list(await cursor.fetchall())

    async def _write(
        self,
        plan: _Plan,
        empty: bool,
        now: datetime,
        actor_id: int | None,
        filename: str,
        file_hash: str,
    ) -> int:
        conn = self.db.conn
        cache = await self.db.fetchval("PRAGMA cache_size")
        temp = await self.db.fetchval("PRAGMA temp_store")
        await conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        await conn.execute("PRAGMA temp_store = MEMORY")  # GROUP BY and index sorts
        try:
            async with self.db.transaction() as conn:
                if plan.write and empty and len(plan.write) >= _BULK:
                    await _bulk_load(conn, plan.write)
                elif plan.write:
                    await _merge(conn, plan.write)
                if plan.respelled:
                    await conn.executemany(
                        "UPDATE orders SET raw_fp = ? WHERE order_id = ?", plan.respelled
                    )
                counts = {
                    "read": plan.read, "new": plan.new, "updated": plan.updated,
                    "unchanged": plan.unchanged, "rejected": len(plan.errors),
                }  # fmt: skip
                cursor = await conn.execute(
                    "INSERT INTO imports (kind, filename, file_hash, actor_id, at, read, new,"
                    " updated, unchanged, rejected) VALUES ('orders', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (filename, file_hash, actor_id, to_ts(now), *counts.values()),
                )
                import_id = int(cursor.lastrowid or 0)
                await audit.record(
                    conn, at=now, actor_id=actor_id, action="import", entity="orders",
                    entity_id=import_id, after={"filename": filename, **counts},
                )  # fmt: skip
        finally:
            await conn.execute(f"PRAGMA cache_size = {int(cache)}")
            await conn.execute(f"PRAGMA temp_store = {int(temp)}")
        return import_id

    async def _unbound(self, sharer_ids: set[str]) -> list[str]:
        sharer_ids.discard("")
        if not sharer_ids:
            return []
        rows = await self._fetch("SELECT sharer_id FROM sharers WHERE user_id IS NOT NULL", ())
        return sorted(sharer_ids.difference(r[0] for r in rows))

    async def rollup_drift(self) -> dict[str, int]:
        """Rows where a rollup differs from a recomputation over orders (0 everywhere = good)."""
        drift = {}
        for table, keys in ROLLUPS.items():
            k = ", ".join(keys)
            fresh = (
                f"SELECT {k}, SUM(valid_fen) AS valid_fen, SUM(valid_fen > 0) AS orders"
                f" FROM orders GROUP BY {k} HAVING SUM(valid_fen > 0) > 0"
            )
            stored = f"SELECT {k}, valid_fen, orders FROM {table}"
            drift[table] = int(
                await self.db.fetchval(
                    f"SELECT count(*) FROM (SELECT * FROM ({fresh}) EXCEPT SELECT * FROM"
                    f" ({stored}) UNION ALL SELECT * FROM ({stored}) EXCEPT SELECT * FROM"
                    f" ({fresh}))"
                )
            )
        return drift


async def _bulk_load(conn: aiosqlite.Connection, rows: list[tuple[Any, ...]]) -> None:
    # Into an empty table: building an index once from sorted keys is several times cheaper
    # than keeping it up to date row by row; rollups are one GROUP BY each.
    async with conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'"
        " AND sql IS NOT NULL"
    ) as cursor:
        indexes = [(r[0], r[1]) for r in await cursor.fetchall()]
    for name, _ in indexes:
        await conn.execute(f'DROP INDEX "{name}"')
    await conn.executemany(_INSERT, rows)
    for _, sql in indexes:
        await conn.execute(sql)
    for table, keys in ROLLUPS.items():
        k = ", ".join(keys)
        await conn.execute(f"DELETE FROM {table}")
        await conn.execute(
            f"INSERT INTO {table} ({k}, valid_fen, orders) SELECT {k}, SUM(valid_fen),"
            f" SUM(valid_fen > 0) FROM orders GROUP BY {_GROUP_BY[table]}"
            " HAVING SUM(valid_fen > 0) > 0"
        )


async def _merge(conn: aiosqlite.Connection, rows: list[tuple[Any, ...]]) -> None:
    await conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS import_ids (order_id TEXT PRIMARY KEY) WITHOUT ROWID"
    )
    await conn.execute("DELETE FROM import_ids")
    await conn.executemany("INSERT INTO import_ids VALUES (?)", [(r[0],) for r in rows])
    await _shift(conn, "-")  # the stored rows' contribution out…
    await conn.executemany(_UPSERT, rows)
    await _shift(conn, "+")  # …and the new rows' in
    for table in ROLLUPS:
        await conn.execute(f"DELETE FROM {table} WHERE orders = 0")
    await conn.execute("DELETE FROM import_ids")


async def _shift(conn: aiosqlite.Connection, sign: str) -> None:
    for table, keys in ROLLUPS.items():
        k = ", ".join(keys)
        ok = ", ".join(f"o.{c}" for c in keys)
        await conn.execute(
            f"INSERT INTO {table} ({k}, valid_fen, orders)"
            f" SELECT {ok}, {sign}SUM(o.valid_fen), {sign}SUM(o.valid_fen > 0)"
            " FROM import_ids i JOIN orders o ON o.order_id = i.order_id"
            f" GROUP BY {ok} ON CONFLICT({k}) DO UPDATE SET"
            " valid_fen = valid_fen + excluded.valid_fen, orders = orders + excluded.orders"
        )


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _fingerprint(r: OrderRow, ts: int) -> int:
    """Of every stored field, stable across processes. The domain's row_fingerprint formats
    paid_at as a float; with the integer timestamp at hand this costs half as much."""
    text = (
        f"{r.order_id}\x1f{ts}\x1f{r.sharer_id}\x1f{r.buyer_id}\x1f{r.sku}\x1f{r.product}"
        f"\x1f{r.quantity}\x1f{r.amount_fen}\x1f{r.refund_fen}\x1f{r.status}\x1f{r.creator}"
    ).encode()
    return _signed((zlib.crc32(text) << 32) | zlib.adler32(text))


def _plan(*args: Any) -> _Plan:
    # A million long-lived rows make the cyclic GC rescan the heap again and again; nothing
    # here makes cycles, so it rests for the span of this synchronous pass.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _plan_rows(*args)
    finally:
        if enabled:
            gc.enable()


def _plan_rows(
    table: Table,
    cols: dict[str, int],
    tz: tzinfo,
    stored_raw: dict[str, int],
    stored_fp: dict[str, int],
    now_ts: int,
) -> _Plan:
    """Parse what must be parsed and decide, per order, new / updated / unchanged."""
    c_id, c_sharer = cols["order_id"], cols.get("sharer_id")
    present = [f for f in _FIELDS if f in cols]
    pick = itemgetter(*(cols[f] for f in present))  # at least the 3 required: a tuple
    seed = zlib.crc32(f"{_RAW_VERSION}|{getattr(tz, 'key', tz)}|{','.join(present)}".encode())
    crc32, adler32 = zlib.crc32, zlib.adler32
    first_line: dict[str, int] = {}
    dup_lines: dict[str, list[int]] = {}  # every line of an order id met more than once
    fast: dict[str, int | list[int]] = {}  # order id → line(s) whose raw cells are as stored
    raw_of: dict[str, int] = {}
    sharer_ids: set[str] = set()

    def feed() -> Iterator[tuple[int, list[str]]]:
        for line, cells in table:
            key = cells[c_id].strip()
            text = "\x1f".join(pick(cells)).encode()
            fp = _signed((crc32(text, seed) << 32) | adler32(text))
            if key and first_line.setdefault(key, line) != line:
                dup_lines.setdefault(key, [first_line[key]]).append(line)
            if key and stored_raw.get(key) == fp:
                seen = fast.get(key)
                fast[key] = line if seen is None else [*_lines(seen), line]
                if c_sharer is not None:
                    sharer_ids.add(cells[c_sharer].strip())
                continue
            raw_of[key] = fp
            yield line, cells

    parsed = parse_orders(Table(table.headers, table.header_line, feed), tz)
    drop, duplicates = _settle_duplicates(dup_lines, fast, parsed.errors)
    duplicates += parsed.duplicates
    duplicates.sort()
    plan = _Plan([], [], parsed.read, 0, 0, 0, parsed.errors, duplicates, sharer_ids)
    plan.read += sum(len(_lines(v)) for v in fast.values())
    plan.unchanged = len(fast) - sum(1 for k in fast if k in raw_of and k not in drop)
    days: dict[int, tuple[int, int]] = {}
    for r in parsed.rows:
        key = r.order_id
        if key in drop:
            continue
        ts = int(r.paid_at.timestamp())
        # Every time zone's offset is a multiple of 15 minutes, so local day and month are
        # constant within a quarter hour: one zoneinfo conversion per quarter hour of data.
        md = days.get(ts // 900)
        if md is None:
            local = datetime.fromtimestamp(ts // 900 * 900, tz)
            month = local.year * 100 + local.month
            md = days[ts // 900] = (month, month * 100 + local.day)
        fp = _fingerprint(r, ts)
        old = stored_fp.get(key)
        raw = 0 if key in dup_lines else raw_of[key]
        sharer_ids.add(r.sharer_id)
        if old == fp:
            plan.unchanged += 1
            if raw:
                plan.respelled.append((raw, key))
            continue
        if old is None:
            plan.new += 1
        else:
            plan.updated += 1
        valid = max(0, r.amount_fen - r.refund_fen) if r.status == "paid" else 0
        plan.write.append(
            (key, ts, *md, r.sharer_id, r.buyer_id, r.sku, r.product, r.quantity, r.amount_fen,
             r.refund_fen, r.status, valid, r.creator, fp, raw, now_ts)
        )  # fmt: skip
    plan.write.sort()
    return plan


def _lines(value: int | list[int]) -> list[int]:
    return value if isinstance(value, list) else [value]


def _settle_duplicates(
    dup_lines: dict[str, list[int]], fast: dict[str, int | list[int]], errors: list[RowError]
) -> tuple[set[str], list[tuple[int, str]]]:
    """For an order id both on unparsed (unchanged) and parsed lines, the later valid line wins,
    as parse_orders decides among parsed lines. Returns the parsed winners to drop (an
    unchanged line came later) and the lines that were replaced."""
    drop: set[str] = set()
    replaced: list[tuple[int, str]] = []
    bad = {e.line for e in errors} if dup_lines else set()
    for key, lines in dup_lines.items():
        if key not in fast:
            continue  # only parsed lines: parse_orders reported them
        quick = _lines(fast[key])
        valid = [n for n in lines if n not in quick and n not in bad]
        last_quick = max(quick)
        if valid and max(valid) > last_quick:
            replaced += [(n, key) for n in quick]
        else:
            drop.add(key)
            replaced += [(n, key) for n in quick if n != last_quick]
            if valid:
                replaced.append((max(valid), key))
    return drop, replaced
