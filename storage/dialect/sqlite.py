"""SQLite's spelling of the fragments that differ by store (see storage/dialect/__init__.py);
storage/dialect/postgresql.py has the same names. Expressions are SQL text built from the
caller's own SQL expressions, never from user input."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

NAME = "sqlite"
# How the order import knows a staged row (storage/order_sql.py).
STAGED_KEY = "rowid"


def greatest(*exprs: str) -> str:
    """The largest of the arguments, which must not be NULL (SQLite's max() is NULL then,
    PostgreSQL's GREATEST ignores it)."""
    return f"max({', '.join(exprs)})"


def least(*exprs: str) -> str:
    """The smallest of the arguments (not NULL, as for greatest)."""
    return f"min({', '.join(exprs)})"


def as_int(condition: str) -> str:
    """A condition as 0/1, to sum or store (SQLite's comparisons are integers already)."""
    return f"({condition})"


def iso_week(day: str) -> str:
    """ISO year * 100 + ISO week of a yyyymmdd integer: the Thursday of its week, that day's
    year and day of the year."""
    return (
        "(SELECT CAST(strftime('%Y', t) AS INTEGER) * 100"
        " + (CAST(strftime('%j', t) AS INTEGER) - 1) / 7 + 1"
        " FROM (SELECT date(d, (3 - (CAST(strftime('%w', d) AS INTEGER) + 6) % 7) || ' days')"
        f" AS t FROM (SELECT printf('%04d-%02d-%02d', {day} / 10000, {day} / 100 % 100,"
        f" {day} % 100) AS d)))"
    )


def local_day(ts: str, offset: str) -> str:
    """The yyyymmdd integer of Unix seconds `ts` at a UTC offset of `offset` seconds."""
    return f"CAST(strftime('%Y%m%d', {ts} + {offset}, 'unixepoch') AS INTEGER)"


def local_month(ts: str, offset: str) -> str:
    """The yyyymm integer of Unix seconds `ts` at a UTC offset of `offset` seconds."""
    return f"CAST(strftime('%Y%m', {ts} + {offset}, 'unixepoch') AS INTEGER)"


def temp(name: str) -> str:
    """A temporary table's qualified name."""
    return f"temp.{name}"


def create_temp(name: str, columns: str) -> str:
    """CREATE for a temporary table living until the connection closes or it is dropped."""
    return f"CREATE TEMP TABLE {name} ({columns})"


async def bulk_load(
    conn: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Append rows to a table as fast as the store allows (here: one prepared INSERT many
    times, inside the caller's transaction); how many rows went in."""
    marks = ", ".join("?" for _ in columns)
    cursor = await conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
    )
    return max(cursor.rowcount, 0)


async def delete_keyed(conn: Any, table: str, column: str, keys: Sequence[Any]) -> None:
    """Delete the rows whose `column` is one of `keys` (a few, by an index on it)."""
    await conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(k,) for k in keys])


async def chat_id_columns(conn: Any) -> list[tuple[str, str]]:
    """(table, column) of every column named chat_id or ending in _chat_id."""
    columns = []
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ) as cursor:
        tables = [row[0] for row in await cursor.fetchall()]
    for table in tables:
        async with conn.execute(f'PRAGMA table_info("{table}")') as cursor:
            for info in await cursor.fetchall():
                if info[1] == "chat_id" or info[1].endswith("_chat_id"):
                    columns.append((table, info[1]))
    return columns


async def replace_value(conn: Any, table: str, column: str, old: Any, new: Any) -> int:
    """Set `column` from `old` to `new`; a row the change would make a duplicate of another
    (by a unique key) replaces it. How many rows changed."""
    cursor = await conn.execute(
        f'UPDATE OR REPLACE "{table}" SET "{column}" = ? WHERE "{column}" = ?', (new, old)
    )
    return cursor.rowcount


async def _schema(conn: Any, kind: str, tables: Sequence[str]) -> list[tuple[str, str]]:
    marks = ", ".join("?" for _ in tables)
    async with conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name IN ({marks})"
        " AND sql IS NOT NULL",
        (kind, *tables),
    ) as cursor:
        return [(row[0], row[1]) for row in await cursor.fetchall()]


@asynccontextmanager
async def triggers_suspended(conn: Any, tables: Sequence[str]) -> AsyncIterator[None]:
    """Inside a transaction: the tables' triggers do not fire until the block ends (a bulk
    load that rebuilds their rollups itself). On an error the transaction's rollback brings
    them back."""
    triggers = await _schema(conn, "trigger", tables)
    for name, _ in triggers:
        await conn.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        await conn.execute(sql)


@asynccontextmanager
async def indexes_suspended(conn: Any, table: str) -> AsyncIterator[None]:
    """Inside a transaction: the table's secondary indexes are dropped for the block and
    built once at its end (cheaper than keeping them up to date row by row)."""
    indexes = await _schema(conn, "index", (table,))
    for name, _ in indexes:
        await conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        await conn.execute(sql)


def create_temp_keyed(name: str, columns: str, key: str) -> str:
    """CREATE, unless it exists, a temporary table kept in its key's order, living until the
    connection closes."""
    return f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns}, PRIMARY KEY ({key})) WITHOUT ROWID"


async def session_memory(conn: Any, kib: int) -> None:
    """Room for one connection's long work (an import's staging, a report's sort): SQLite's
    page cache, and temp tables and sorts in memory."""
    await conn.execute(f"PRAGMA cache_size = -{int(kib)}")
    await conn.execute("PRAGMA temp_store = MEMORY")


# The order import's fast path (storage/order_sql.py): the canonical spellings only, NULL for
# anything else. The cells are stripped and hold no NUL character.


def fast_money(x: str) -> str:
    """Fen of ASCII digits with at most one dot followed by one or two digits, 15 characters
    at most."""
    return (
        f"CASE WHEN length({x}) BETWEEN 1 AND 15 AND {x} GLOB '[0-9]*'"
        f" AND {x} NOT GLOB '*[^0-9.]*' THEN CASE instr({x}, '.')"
        f" WHEN 0 THEN CAST({x} AS INTEGER) * 100"
        f" WHEN length({x}) - 1 THEN CASE WHEN {x} GLOB '*[0-9]'"
        f" THEN CAST(replace({x}, '.', '') AS INTEGER) * 10 END"
        f" WHEN length({x}) - 2 THEN CASE WHEN {x} GLOB '*[0-9][0-9]'"
        f" THEN CAST(replace({x}, '.', '') AS INTEGER) END END END"
    )


def fast_quantity(q: str) -> str:
    """1 for empty, else ASCII digits (15 at most) with one that is not 0."""
    return (
        f"CASE WHEN {q} = '' THEN 1 WHEN length({q}) <= 15"
        f" AND {q} NOT GLOB '*[^0-9]*' AND {q} GLOB '*[1-9]*' THEN CAST({q} AS INTEGER) END"
    )


def fast_clock(p: str, hour_utc: str) -> str:
    """Unix seconds of `p`, `…HH:MM` or `…HH:MM:SS`, whose hour starts at `hour_utc`."""
    return (
        f"CASE length({p}) WHEN 16 THEN CASE WHEN substr({p}, 14) GLOB"
        f" ':[0-5][0-9]' THEN {hour_utc} + 60 * substr({p}, 15, 2) END WHEN 19 THEN CASE WHEN"
        f" substr({p}, 14) GLOB ':[0-5][0-9]:[0-5][0-9]'"
        f" THEN {hour_utc} + 60 * substr({p}, 15, 2) + substr({p}, 18, 2) END END"
    )
