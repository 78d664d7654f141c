"""The SQL of the set-based order import (storage/orders.py).

The fast path converts only the canonical spellings, and only where the result is provably
what the domain's parse_orders would give; it yields NULL for anything else, and those rows go
through parse_orders itself (the slow path), the single authority on validity and errors.
Every cell is staged stripped (by str.strip(), as the domain reads it), then:
- order_id and the other text cells: as they are;
- paid_at: `YYYY-MM-DD HH:MM[:SS]` (or with slashes), ASCII, in an hour whose UTC offset is one
  constant (checked in Python per distinct local hour, by the domain's parse_paid_at);
- amount and refund: ASCII digits with an optional `.d`/`.dd`, at most 15 characters, turned
  into integer fen by string operations and CAST AS INTEGER (never REAL); refund ≤ amount;
- quantity: empty (1) or ASCII digits with a non-zero digit; status: a key of STATUS_WORDS.
No cell holds a NUL character: the table reader refuses such rows (bot.domain.tables.Table).
The SQL is the same on both stores but for the pattern tests and casts, which each store's
dialect module spells (fast_money, fast_quantity, fast_clock); a staged row is known by
`d.STAGED_KEY` (SQLite's rowid, PostgreSQL's line).
"""

from __future__ import annotations

import asyncio
import marshal
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from itertools import islice
from operator import ge, itemgetter, le
from types import ModuleType
from typing import Any, NamedTuple

import aiosqlite

from bot.domain.money import MAX_FEN, MAX_QUANTITY
from bot.domain.orders import (
    STATUS_WORDS,
    OrderRowError,
    ParsedOrders,
    RowError,
    parse_orders,
    parse_paid_at,
)
from bot.domain.tables import Table
from storage import audit
from storage.db import to_ts

_TEXT = ("sharer_id", "buyer_id", "sku", "product", "creator")
PARSED = (
    "line", "order_id", "paid_at", "month", "day", "sharer_id", "buyer_id", "sku", "product",
    "quantity", "amount_fen", "refund_fen", "status", "creator", "raw_fp",
)  # fmt: skip
ORDER_COLUMNS = (
    "order_id", "paid_at", "month", "day", "sharer_id", "buyer_id", "sku", "product", "quantity",
    "amount_fen", "refund_fen", "status", "valid_fen", "creator",
)  # fmt: skip
_HOUR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}", re.ASCII)
_TEMP = (
    "staging", "hours", "parsed", "incoming", "replaced", "touched", "day_week", "skipped",
    "gone", "first_moved",
)  # fmt: skip
# Part of every raw-cell hash: bump it when parsing changes what the same cells mean, so that
# a re-import converts every row again instead of trusting the stored hashes.
_RAW_FP_VERSION = 2


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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


async def record_import(
    conn: Any,
    r: OrderImport,
    now: datetime,
    actor_id: int | None,
    filename: str,
    file_hash: str,
) -> int:
    """The imports row and its audit entry, in the transaction of the import's last write."""
    counts = {
        "read": r.read, "new": r.new, "updated": r.updated, "unchanged": r.unchanged,
        "rejected": r.rejected,
    }  # fmt: skip
    async with conn.execute(
        "INSERT INTO imports (kind, filename, file_hash, actor_id, at, read, new, updated,"
        " unchanged, rejected) VALUES ('orders', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (filename, file_hash, actor_id, to_ts(now), *counts.values()),
    ) as cursor:
        (import_id,) = await cursor.fetchone()
    await audit.record(
        conn, at=now, actor_id=actor_id, action="import", entity="orders",
        entity_id=import_id, after={"filename": filename, **counts},
    )  # fmt: skip
    return int(import_id)


async def create_temp(conn: aiosqlite.Connection, present: list[str]) -> None:
    await drop_temp(conn)
    # No declared types: the staged cells stay the exact strings the file had.
    await conn.execute(f"CREATE TEMP TABLE staging (line, raw_fp, {', '.join(present)})")
    await conn.execute(
        "CREATE TEMP TABLE hours (hour TEXT PRIMARY KEY, utc INTEGER, month INTEGER,"
        " day INTEGER) WITHOUT ROWID"
    )
    await conn.execute(f"CREATE TEMP TABLE parsed (srow INTEGER PRIMARY KEY, {', '.join(PARSED)})")
    await conn.execute(
        "CREATE TEMP TABLE incoming (order_id TEXT PRIMARY KEY, line,"
        f" {', '.join(ORDER_COLUMNS[1:])}, raw_fp) WITHOUT ROWID"
    )
    await conn.execute("CREATE TEMP TABLE replaced (line, order_id)")
    # The file's later line wins; the earlier one is reported (rare: costs nothing otherwise).
    await conn.execute(
        "CREATE TEMP TRIGGER incoming_replaced BEFORE UPDATE ON incoming"
        " BEGIN INSERT INTO replaced VALUES (old.line, old.order_id); END"
    )
    await conn.execute(
        "CREATE TEMP TABLE touched (order_id TEXT PRIMARY KEY, is_new INTEGER) WITHOUT ROWID"
    )
    await conn.execute("CREATE TEMP TABLE skipped (r, sharer_id)")


async def drop_temp(conn: aiosqlite.Connection) -> None:
    for name in _TEMP:
        await conn.execute(f"DROP TABLE IF EXISTS temp.{name}")


class Batch(NamedTuple):
    """Rows for temp.staging, `(line, raw hash, *mapped cells)` each, `per` rows to a tuple
    (flat: the parameters of one multi-row INSERT on SQLite; one row each for PostgreSQL's
    COPY): `full` of `per` rows each, `rest` of the last, shorter one. `hours`: the distinct
    local hours of these rows (paid_at's first 13 characters, as written)."""

    full: list[tuple[Any, ...]]
    rest: tuple[Any, ...]
    rows: int
    hours: set[str]


def per_insert(present: list[str]) -> int:
    # Many rows a statement: one bind-and-step round through the sqlite3 module per row costs
    # more than the insert itself. 999 parameters is the smallest limit of any SQLite build.
    return 999 // (len(present) + 2)


def _stage_sql(present: list[str], rows: int) -> str:
    one = f"({', '.join('?' * (len(present) + 2))})"
    return f"INSERT INTO temp.staging VALUES {', '.join([one] * rows)}"


async def stage(conn: aiosqlite.Connection, present: list[str], batch: Batch) -> None:
    if batch.full:
        await conn.executemany(_stage_sql(present, per_insert(present)), batch.full)
    if batch.rest:
        await conn.execute(_stage_sql(present, len(batch.rest) // (len(present) + 2)), batch.rest)


class IdOrder:
    """Whether the order ids seen so far, in file order, never fall (`rising`) or never rise
    (`falling`). Exports usually list orders by time, and order ids grow with time: then the
    bulk load walks the staged rows in (or against) file order instead of sorting them."""

    def __init__(self) -> None:
        self.rising = self.falling = True
        self._last: str | None = None

    def see(self, ids: list[str]) -> None:
        if not ids or not (self.rising or self.falling):
            return
        if self._last is not None:
            ids = [self._last, *ids]
        self.rising = self.rising and all(map(le, ids, islice(ids, 1, None)))
        self.falling = self.falling and all(map(ge, ids, islice(ids, 1, None)))
        self._last = ids[-1]


def staged(
    table: Table,
    cols: dict[str, int],
    present: list[str],
    tz: tzinfo,
    size: int,
    *,
    per: int,
    ids: IdOrder | None = None,
) -> Iterator[Batch]:
    """The table's rows to stage, in batches of `size`, `per` rows to a tuple; `ids`, if
    given, follows their order ids."""
    width = len(present) + 2
    paid, step = 2 + present.index("paid_at"), per * width
    for flat in hashed(table, cols, present, tz, size):
        full = [tuple(flat[i : i + step]) for i in range(0, len(flat), step)]
        rows = len(flat) // width
        rest = full.pop() if rows % per else ()
        if ids is not None:
            ids.see(flat[2::width])
        yield Batch(full, rest, rows, {t[:13] for t in flat[paid::width]})


def hashed(
    table: Table, cols: dict[str, int], present: list[str], tz: tzinfo, size: int
) -> Iterator[list[Any]]:
    """`(line, raw hash, *mapped cells)` of `size` rows at a time, flat, each cell stripped as
    str.strip() does (the domain reads every cell stripped, so the SQL need not trim). The
    hash (63 bits, never 0 in practice, 0 meaning unknown) covers those cells, encoded without
    ambiguity: joined by a separator none of them holds, else marshalled; and what else
    decides their meaning: the mapped fields, the time zone, the status words and
    _RAW_FP_VERSION. This is the only Python per row besides csv itself."""
    context = (_RAW_FP_VERSION, tuple(present), getattr(tz, "key", None) or repr(tz),
               sorted(STATUS_WORDS.items()))  # fmt: skip
    # Each encoding its own seed, so that equal bytes of the two never mean equal rows.
    seeds = [marshal.dumps((kind, context), 2) for kind in ("joined", "marshalled")]
    (cj, aj), (cm, am) = ((zlib.crc32(s), zlib.adler32(s)) for s in seeds)
    crc, adler, dumps, pick = (
        zlib.crc32,
        zlib.adler32,
        marshal.dumps,
        itemgetter(*(cols[f] for f in present)),
    )
    strip, sep, seps = str.strip, "\x1f", len(present) - 1
    flat: list[Any] = []
    n = 0
    for line, row in table:
        cells = tuple(map(strip, pick(row)))
        text = sep.join(cells)
        if text.count(sep) == seps:
            raw = text.encode("utf-8", "surrogatepass")
            flat += (line, crc(raw, cj) << 31 ^ adler(raw, aj))
        else:
            raw = dumps(cells, 2)
            flat += (line, crc(raw, cm) << 31 ^ adler(raw, am))
        flat += cells
        n += 1
        if n == size:
            yield flat
            flat, n = [], 0
    if flat:
        yield flat


# Staged rows that stored orders already hold byte for byte: the raw hash is the stored
# order's, and the order id occurs once in the file. The join first (the planners estimate it
# well and pick index probes or a hash join by the sizes), then the ids listed twice put back.
def _skip_sql(d: ModuleType) -> tuple[str, str]:
    staging, skipped, key = d.temp("staging"), d.temp("skipped"), d.STAGED_KEY
    return (
        f"INSERT INTO {skipped} SELECT s.{key}, o.sharer_id FROM {staging} s"
        " JOIN orders o ON o.order_id = s.order_id AND o.raw_fp = s.raw_fp WHERE o.raw_fp <> 0",
        f"DELETE FROM {skipped} WHERE r IN (SELECT {key} FROM {staging} WHERE order_id IN"
        f" (SELECT order_id FROM {staging} GROUP BY order_id HAVING count(*) > 1))",
    )


async def skip_unchanged(conn: Any, read: int, d: ModuleType) -> int:
    """Drop from temp.staging the rows a stored order already holds (see _skip_sql); their
    count. Their sharer ids stay in temp.skipped for the unbound-id report."""
    staging, skipped_rows = d.temp("staging"), d.temp("skipped")
    for sql in _skip_sql(d):
        await conn.execute(sql)
    async with conn.execute(f"SELECT count(*) FROM {skipped_rows}") as cursor:
        (skipped,) = await cursor.fetchone()
    if skipped == read:
        await conn.execute(f"DELETE FROM {staging}")  # truncates at once
    elif skipped:
        await conn.execute(
            f"DELETE FROM {staging} WHERE {d.STAGED_KEY} IN (SELECT r FROM {skipped_rows})"
        )
    return int(skipped)


class Hours:
    """temp.hours, filled as rows are staged: one row per distinct local hour of the file
    that the fast path may convert, each looked at once. A row holds the hour's UTC start by
    the domain's own parse_paid_at, and the local month and day as storage keeps them (the
    local date of the UTC time; equal at both ends of the hour, or the hour is left to the
    slow path)."""

    def __init__(self, tz: tzinfo, d: ModuleType) -> None:
        self.tz = tz
        self.seen: set[str] = set()
        self.d = d

    async def add(self, conn: Any, hours: set[str]) -> None:
        """Take in these hours (paid_at's first 13 characters, as written)."""
        prefixes = hours - self.seen
        self.seen |= prefixes
        rows = [row for raw in prefixes if (row := self._row(raw))]
        if rows:
            await self.d.bulk_load(
                conn, self.d.temp("hours"), ("hour", "utc", "month", "day"), rows
            )

    def _row(self, raw: str) -> tuple[str, int, int, int] | None:
        # parse_paid_at reads every slash as a dash; keyed by the prefix as written.
        hour = raw.replace("/", "-")
        if not _HOUR.fullmatch(hour):
            return None
        try:
            start = parse_paid_at(hour + ":00", self.tz)
            end = parse_paid_at(hour + ":59:59", self.tz)
        except (OrderRowError, ValueError, OverflowError):
            return None  # not a real hour: the domain will say so
        ts = int(start.timestamp())
        month, day = int(hour[:4] + hour[5:7]), int(hour[:4] + hour[5:7] + hour[8:10])
        if end - start != timedelta(seconds=3599) or not 1900 <= start.year <= 2999:
            return None  # the offset changes within this hour: row by row, as the domain does
        if any(stored_day(t, self.tz) != day for t in (ts, ts + 3599)):
            return None
        return raw, ts, month, day


def stored_day(ts: int, tz: tzinfo) -> int:
    # Exact, not by quarter hour: old zones' offsets (LMT) have seconds.
    local = datetime.fromtimestamp(ts, tz)
    return local.year * 10000 + local.month * 100 + local.day


def _parse(
    lines: list[tuple[int, list[str]]], present: list[str], header_line: int, tz: tzinfo
) -> ParsedOrders:
    """parse_orders over the slow rows."""
    # The rows come from a table that held back those with a NUL character.
    table = Table(present, header_line, lambda: ((n, c[:]) for n, c in lines), nul_free=True)
    return parse_orders(table, tz)


def fast_sql(present: list[str], d: ModuleType, source: str = "staging") -> str:
    """Convert the rows of temp table `source` (staged rows) after key :after; a NULL (or
    empty order_id) marks a row for the slow path."""
    p = "s.paid_at"
    # The hour's key is the raw prefix (slashes as written): no replace() per row.
    paid = d.fast_clock(p, "h.utc")
    refund = f"CASE WHEN s.refund = '' THEN 0 ELSE {d.fast_money('s.refund')} END"
    words = " ".join(f"WHEN {_quote(k)} THEN {_quote(v)}" for k, v in STATUS_WORDS.items())
    status = f"CASE s.status {words} END" if "status" in present else _quote(STATUS_WORDS[""])
    text = [f"s.{f}" if f in present else "''" for f in _TEXT]
    values = [
        f"s.{d.STAGED_KEY}", "s.line", "s.order_id", paid, "h.month", "h.day", *text[:4],
        d.fast_quantity("s.quantity") if "quantity" in present else "1",
        d.fast_money("s.amount"), refund if "refund" in present else "0", status, text[4],
        "s.raw_fp",
    ]  # fmt: skip
    return (
        f"INSERT INTO {d.temp('parsed')} (srow, {', '.join(PARSED)}) SELECT {', '.join(values)}"
        f" FROM {d.temp(source)} s LEFT JOIN {d.temp('hours')} h"
        f" ON h.hour = substr({p}, 1, 13) WHERE s.{d.STAGED_KEY} > :after"
    )


# Bounds as the domain's (money.MAX_FEN, MAX_QUANTITY): a row beyond them is the domain's to
# refuse, by line.
def not_fast(p: str) -> str:
    """Whether a temp.parsed row (alias `p`, with its dot) is left to the slow path."""
    return (
        f"({p}order_id <> '' AND {p}paid_at IS NOT NULL AND {p}quantity IS NOT NULL"
        f" AND {p}status IS NOT NULL AND {p}refund_fen <= {p}amount_fen"
        f" AND {p}amount_fen <= {MAX_FEN} AND {p}quantity <= {MAX_QUANTITY}) IS NOT TRUE"
    )


async def slow_path(
    conn: Any, header_line: int, present: list[str], tz: tzinfo, d: ModuleType
) -> tuple[list[RowError], list[tuple[int, str]]]:
    """Run the rows the fast path left to the domain's parser; its valid rows replace them in
    temp.parsed (one per order id: the last valid line). Returns (errors, duplicates)."""
    into = d.temp("parsed")
    async with conn.execute(
        f"SELECT p.srow, s.* FROM {into} p JOIN {d.temp('staging')} s"
        f" ON s.{d.STAGED_KEY} = p.srow WHERE {not_fast('p.')}"
    ) as cursor:
        cursor.row_factory = None
        rows = list(await cursor.fetchall())
    if not rows:
        return [], []
    lines = [(r[1], list(r[3:])) for r in rows]
    staged_as = {r[1]: (r[0], r[2]) for r in rows}  # line: (srow, raw hash)
    parsed = await asyncio.to_thread(_parse, lines, present, header_line, tz)
    errors = parsed.errors
    bad = {e.line for e in errors}
    last = {c[0].strip(): n for n, c in lines if n not in bad}  # lines ascend: the last wins
    days: dict[int, tuple[int, int]] = {}
    out: list[tuple[Any, ...]] = []
    for r in parsed.rows:
        line = last[r.order_id]
        ts = int(r.paid_at.timestamp())
        md = days.get(ts)
        if md is None:
            day = stored_day(ts, tz)
            md = days[ts] = (day // 100, day)
        srow, raw_fp = staged_as[line]
        out.append(
            (srow, line, r.order_id, ts, *md, r.sharer_id, r.buyer_id, r.sku, r.product,
             r.quantity, r.amount_fen, r.refund_fen, r.status, r.creator, raw_fp)
        )  # fmt: skip
    await d.delete_keyed(conn, into, "srow", [r[0] for r in rows])
    await d.bulk_load(conn, into, ("srow", *PARSED), out)
    errors.sort(key=lambda e: e.line)
    return errors, parsed.duplicates


def unbound_sql(d: ModuleType, *, bulk: bool) -> str:
    """The file's sharer ids with no bound Telegram account. After a bulk load `orders` holds
    exactly the file's rows (and its index on sharer_id lists them without a sort); else the
    rows to write and the skipped ones together do."""
    rows = (
        "orders"
        if bulk
        else (
            f"(SELECT sharer_id FROM {d.temp('incoming')} UNION ALL"
            f" SELECT sharer_id FROM {d.temp('skipped')}) AS r"
        )
    )
    return (
        f"SELECT DISTINCT sharer_id FROM {rows} WHERE sharer_id <> '' EXCEPT"
        " SELECT sharer_id FROM sharers WHERE user_id IS NOT NULL ORDER BY 1"
    )


VALID_FEN = (
    "CASE WHEN status = 'paid' AND amount_fen > refund_fen THEN amount_fen - refund_fen ELSE 0 END"
)
_SET = ", ".join(f"{c} = excluded.{c}" for c in ("line", *ORDER_COLUMNS[1:], "raw_fp"))
DEDUP_SQL = (
    f"INSERT INTO temp.incoming (order_id, line, {', '.join(ORDER_COLUMNS[1:])}, raw_fp)"
    f" SELECT order_id, line, {', '.join(ORDER_COLUMNS[1:12])},"
    f" {VALID_FEN}, creator, raw_fp"
    " FROM temp.parsed WHERE true ORDER BY order_id, line"
    f" ON CONFLICT(order_id) DO UPDATE SET {_SET}"
)
SAME = " AND ".join(f"o.{c} = i.{c}" for c in ORDER_COLUMNS[1:])
TOUCHED_SQL = (
    "INSERT INTO temp.touched SELECT i.order_id, CASE WHEN o.order_id IS NULL THEN 1 ELSE 0"
    " END FROM temp.incoming i"
    f" LEFT JOIN orders o ON o.order_id = i.order_id WHERE o.order_id IS NULL OR NOT ({SAME})"
)
_INTO = f"INSERT INTO orders ({', '.join(ORDER_COLUMNS)}, raw_fp, imported_at)"
_SET_LOADED = ", ".join(f"{c} = excluded.{c}" for c in (*ORDER_COLUMNS[1:], "raw_fp"))


def bulk_orders_sql(now_ts: int, ids: IdOrder) -> str:
    """Into an empty table, straight from the converted rows in order id order, which appends
    to the B-tree, and of one order id the file's later line wins. temp.parsed's rowid (srow)
    is the file order: walked forwards when the ids rise, backwards (the first row of an id
    stays) when they fall, else sorted by id and line."""
    select = (
        f"{_INTO} SELECT {', '.join(ORDER_COLUMNS[:12])}, {VALID_FEN}, creator, raw_fp,"
        f" {int(now_ts)}"
        " FROM temp.parsed WHERE true"  # WHERE: the upsert's parsing rule
    )
    if ids.rising:
        return f"{select} ORDER BY srow ON CONFLICT(order_id) DO UPDATE SET {_SET_LOADED}"
    if ids.falling:
        return f"{select} ORDER BY srow DESC ON CONFLICT(order_id) DO NOTHING"
    return f"{select} ORDER BY order_id, line ON CONFLICT(order_id) DO UPDATE SET {_SET_LOADED}"


# Lines whose order id a later valid line has too (only asked when there are some).
REPLACED_SQL = (
    "SELECT p.line, p.order_id FROM temp.parsed p JOIN (SELECT order_id, max(line) AS last"
    " FROM temp.parsed GROUP BY order_id HAVING count(*) > 1) d ON d.order_id = p.order_id"
    " WHERE p.line < d.last"
)


def upsert_orders_sql(now_ts: int) -> str:
    cols = ", ".join(f"i.{c}" for c in ORDER_COLUMNS)
    sets = ", ".join(f"{c} = excluded.{c}" for c in (*ORDER_COLUMNS[1:], "raw_fp", "imported_at"))
    return (
        f"{_INTO} SELECT {cols}, i.raw_fp, {int(now_ts)} FROM temp.touched t"
        f" JOIN temp.incoming i ON i.order_id = t.order_id WHERE true"
        f" ON CONFLICT(order_id) DO UPDATE SET {sets}"
    )


# An unchanged row written differently (or stored before raw hashes) takes the new hash, so
# that the next import of this file skips it; no trigger watches raw_fp.
REFRESH_FP_SQL = (
    "UPDATE orders SET raw_fp = i.raw_fp FROM temp.incoming i"
    " WHERE orders.order_id = i.order_id AND orders.raw_fp <> i.raw_fp"
)
